// pcap and pcapng files read through libpcap, frame by frame, as trustcap
// reads them: numbering, timestamps, lengths and damage. Odd-sized inputs
// also go through a BPF filter.
#include <cstddef>
#include <cstdint>
#include <string>

#include "capture/capture_file.h"
#include "capture/link_type.h"
#include "memory_file.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace trustcap;
    static fuzz::MemoryFile file;
    file.hold(data, size);
    std::string error;
    auto capture = CaptureFile::open(file.path(), error);
    if (!capture) return 0;
    (void)link_type_name(capture->datalink());
    (void)supported_link_type(capture->datalink());
    if (size % 2 == 1) (void)capture->set_filter("tcp port 443 or udp port 53", error);

    RawFrame frame;
    std::uint32_t sum = 0;
    while (capture->next(frame) == CaptureFile::ReadStatus::frame) {
        if (frame.data.size() != frame.captured_length) __builtin_trap();
        for (std::uint8_t byte : frame.data) sum += byte;
        sum += static_cast<std::uint32_t>(frame.time.nanoseconds);
    }
    volatile std::uint32_t sink = sum + static_cast<std::uint32_t>(capture->damage_description().size());
    (void)sink;
    return 0;
}
