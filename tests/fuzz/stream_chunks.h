#pragma once

#include <array>
#include <cstdint>

#include "capture/stream_consumer.h"
#include "fuzz_input.h"

namespace trustcap::fuzz {

// Feeds both directions of a stream to `consumer` as the reassembler would:
// the input is a sequence of chunks, each a header byte (bit 0: the server's
// direction; bit 1: a gap instead of bytes) and a 2-byte length, followed by
// that many bytes. Offsets and frame numbers follow on as they would.
inline void feed_chunks(FuzzInput& input, StreamConsumer& consumer) {
    std::array<std::uint64_t, 2> offsets{};
    std::uint64_t frame = 0;
    Timestamp time{1'600'000'000, 0};
    while (!input.empty()) {
        std::uint8_t header = input.u8();
        Direction direction = (header & 1) ? Direction::server_to_client : Direction::client_to_server;
        std::uint16_t length = input.u16();
        std::uint64_t& offset = offsets[index_of(direction)];
        ++frame;
        time.seconds += header >> 6;
        if ((header & 2) != 0) {
            if (length == 0) continue;
            consumer.on_gap(direction, offset, length, frame, GapReason::not_captured);
            offset += length;
        } else {
            Bytes bytes = input.take(length);
            consumer.on_data(direction, offset, bytes, frame, time);
            offset += bytes.size();
        }
        (void)consumer.frame_is_evidence(frame);
    }
}

}  // namespace trustcap::fuzz
