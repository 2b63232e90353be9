#pragma once

#include <cstdint>

#include "capture/byte_reader.h"
#include "capture/timestamp.h"

namespace trustcap {

// One record of the capture file as libpcap hands it over. `number` is
// Wireshark's frame number: 1-based, in file order, counting every record
// (also those a display filter hides).
struct RawFrame {
    std::uint64_t number = 0;
    Timestamp time;
    std::uint32_t captured_length = 0;
    std::uint32_t original_length = 0;
    Bytes data;

    [[nodiscard]] bool cut_by_snaplen() const { return captured_length < original_length; }
};

}  // namespace trustcap
