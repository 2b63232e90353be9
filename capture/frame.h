#pragma once

#include <cstdint>

#include "capture/byte_reader.h"
#include "capture/timestamp.h"

namespace trustcap {

// One record of the capture file. `number` is Wireshark's frame number:
// 1-based, in file order over all interfaces, counting every record (also
// those a display filter hides). A pcapng file may have interfaces of
// different link types: each frame carries its own.
struct RawFrame {
    std::uint64_t number = 0;
    Timestamp time;
    std::uint32_t captured_length = 0;
    std::uint32_t original_length = 0;
    Bytes data;
    int link_type = 1;            // libpcap's DLT value (DLT_EN10MB unless told)
    std::uint32_t interface = 0;  // index of the file's interface it was captured on, over all sections
    std::uint32_t snaplen = 0;    // that interface's snap length; 0: none given

    [[nodiscard]] bool cut_by_snaplen() const { return captured_length < original_length; }
};

}  // namespace trustcap
