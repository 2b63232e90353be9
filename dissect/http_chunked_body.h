#pragma once

// Where a chunked HTTP/1.1 message body ends (RFC 9112, 7.1), found as its
// bytes arrive: chunk-size lines (hexadecimal, extensions ignored), the chunk
// data, the last chunk of size 0 and the trailer fields up to the empty line.
// Lines may end in CRLF or a bare LF, as in the message heads.

#include <cstddef>
#include <cstdint>
#include <string>

#include "capture/byte_reader.h"

namespace trustcap {

class ChunkedBodyReader {
public:
    enum class Result : std::uint8_t { more, done, invalid };

    // Reads the body's bytes from the start of `bytes`; `consumed` is how many
    // belong to it (all of them unless it ended: what follows is the next message).
    Result read(Bytes bytes, std::size_t& consumed);

private:
    enum class State : std::uint8_t { size_line, data, data_end, trailer_line, done, invalid };

    bool take_line(Bytes bytes, std::size_t& at, bool& complete);
    State after_line();

    State state_ = State::size_line;
    std::uint64_t chunk_remaining_ = 0;
    std::string line_;  // the line being read, without its end; bounded by max_line_bytes
};

}  // namespace trustcap
