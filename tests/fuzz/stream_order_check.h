#pragma once

#include <array>
#include <cstdint>
#include <cstdlib>
#include <iostream>

#include "capture/stream_consumer.h"

namespace trustcap::fuzz {

// A StreamConsumer that holds its producer to the contract: per direction,
// every byte range and every gap starts exactly where the previous one
// ended. A violation aborts, which the fuzzer reports as a crash.
class StreamOrderCheck final : public StreamConsumer {
public:
    void on_data(Direction direction, std::uint64_t stream_offset, Bytes bytes, std::uint64_t /*frame*/,
                 const Timestamp& /*time*/) override {
        advance(direction, stream_offset, bytes.size());
        for (std::uint8_t byte : bytes) checksum_ += byte;  // every delivered byte must be readable
    }
    void on_gap(Direction direction, std::uint64_t stream_offset, std::uint64_t length, std::uint64_t /*frame*/,
                GapReason /*reason*/) override {
        if (length == 0) fail("an empty gap", direction, stream_offset);
        advance(direction, stream_offset, length);
    }
    [[nodiscard]] bool frame_is_evidence(std::uint64_t frame) const override { return frame % 3 == 0; }

private:
    void advance(Direction direction, std::uint64_t stream_offset, std::uint64_t length) {
        std::uint64_t& expected = next_[index_of(direction)];
        if (stream_offset != expected) fail("a range that does not start where the last ended", direction, stream_offset);
        expected += length;
    }
    [[noreturn]] void fail(const char* what, Direction direction, std::uint64_t stream_offset) const {
        std::cerr << "stream contract broken: " << what << " (direction " << index_of(direction) << ", offset "
                  << stream_offset << ", expected " << next_[index_of(direction)] << ")\n";
        std::abort();
    }

    std::array<std::uint64_t, 2> next_{};
    std::uint64_t checksum_ = 0;
};

}  // namespace trustcap::fuzz
