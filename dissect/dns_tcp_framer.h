#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <vector>

#include "capture/byte_reader.h"

namespace trustcap {

// Splits one direction of a DNS-over-TCP stream into messages, each of which
// travels behind a 2-byte length (RFC 1035 4.2.2). Memory is bounded by one
// partial message, at most 65535 bytes; a message that arrives whole within
// one feed is handed out without copying.
class DnsTcpFramer {
public:
    // `message` is valid only during the call; `frame` carried its last byte.
    using MessageHandler = std::function<void(Bytes message, std::uint64_t frame)>;

    // Feeds the next ordered stream bytes, all carried by `frame`.
    void feed(Bytes bytes, std::uint64_t frame, const MessageHandler& on_message);

    // `length` stream bytes will never arrive (a TCP gap). The message they
    // fall into is dropped. When they hide any part of a length prefix the
    // message boundaries are lost for good and every later byte is ignored.
    void skip(std::uint64_t length);

    [[nodiscard]] bool synchronized() const { return synchronized_; }
    [[nodiscard]] std::size_t buffered_bytes() const { return partial_.size(); }

    [[nodiscard]] std::size_t held_bytes() const { return sizeof(*this) + partial_.capacity(); }

private:
    [[nodiscard]] std::size_t message_length() const;
    void start_next_message();

    std::array<std::uint8_t, 2> prefix_{};
    std::size_t prefix_received_ = 0;
    std::size_t message_received_ = 0;
    std::vector<std::uint8_t> partial_;
    bool dropping_message_ = false;
    bool synchronized_ = true;
};

}  // namespace trustcap
