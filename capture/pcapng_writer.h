#pragma once

#include <cstdint>
#include <cstdio>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "capture/frame.h"

namespace trustcap {

struct FileCloser {
    void operator()(std::FILE* file) const { std::fclose(file); }
};
using OwnedFile = std::unique_ptr<std::FILE, FileCloser>;

// Writes frames to a pcapng file (draft-ietf-opsawg-pcapng) of one section,
// each frame an Enhanced Packet Block that may carry a comment, which
// Wireshark shows as frame.comment. Each interface of the frames
// (RawFrame::interface) has its own interface description, written before
// its first frame. Blocks are in host byte order. Output is buffered: the
// file is whole only after close().
class PcapngWriter {
public:
    // Creates (or truncates) `path` and writes the section header, naming
    // `application` as its writer, and the description of interface 0: the
    // pcapng link type of the libpcap DLT value `dlt`, `snaplen`, and
    // timestamps in microseconds or nanoseconds (as of every interface).
    // nullptr and a one-line `error` when the file cannot be created or `dlt`
    // has no pcapng link type.
    static std::unique_ptr<PcapngWriter> open(const std::string& path, int dlt, std::uint32_t snaplen,
                                              bool nanosecond_timestamps, const std::string& application,
                                              std::string& error);
    // The same on a file already open for writing, which the writer takes
    // over; `path` names it in errors.
    static std::unique_ptr<PcapngWriter> open(OwnedFile file, const std::string& path, int dlt,
                                              std::uint32_t snaplen, bool nanosecond_timestamps,
                                              const std::string& application, std::string& error);
    PcapngWriter(const PcapngWriter&) = delete;
    PcapngWriter& operator=(const PcapngWriter&) = delete;

    // Writes the frame's first captured_length bytes, with `comment` (UTF-8,
    // written as given; empty: none) attached. Times before 1970 are written
    // as 1970, times past the 64-bit count of units as its last value.
    // False when the frame is refused (captured_length is more than its data
    // holds, the comment is over 65535 bytes, or the block would not fit
    // pcapng's 32-bit block length) or could not be written; error() says
    // why, and from then on nothing is written. A refused frame leaves
    // nothing of itself in the file.
    bool write(const RawFrame& frame, std::string_view comment);

    // Flushes and closes the file. False, and `error` says why, when that
    // fails or a write before it did.
    bool close(std::string& error);

    [[nodiscard]] const std::string& error() const { return error_; }

private:
    PcapngWriter(std::string path, bool nanosecond_timestamps);

    bool write_section_header(const std::string& application);
    bool write_interface_description(std::uint16_t link_type, std::uint32_t snaplen);
    std::optional<std::uint32_t> interface_of(const RawFrame& frame);
    void start_block(std::uint32_t block_type);
    bool finish_block(std::size_t data_offset, Bytes data);
    void fail(const std::string& reason);

    std::string path_;
    bool nanosecond_timestamps_;
    std::vector<char> file_buffer_;  // before file_: it must outlive the FILE
    OwnedFile file_;
    std::vector<std::uint8_t> block_;  // every field of a block but the frame data; reused
    std::vector<std::optional<std::uint32_t>> interfaces_;  // input interface -> the one written
    std::vector<int> described_link_types_;                  // of each interface written
    std::string error_;
};

}  // namespace trustcap
