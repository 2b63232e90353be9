// pcap files read through libpcap and pcapng files through PcapngReader,
// frame by frame, as trustcap reads them: numbering, interfaces, timestamps,
// lengths and damage. Odd-sized inputs
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
    for (const CaptureInterface& interface : capture->interfaces()) (void)link_type_name(interface.link_type);
    if (size % 2 == 1) (void)capture->set_filter("tcp port 443 or udp port 53", error);

    RawFrame frame;
    std::uint32_t sum = 0;
    while (capture->next(frame) == CaptureFile::ReadStatus::frame) {
        if (frame.data.size() != frame.captured_length) __builtin_trap();
        if (frame.interface >= capture->interfaces().size()) __builtin_trap();
        if (capture->interfaces()[frame.interface].link_type != frame.link_type) __builtin_trap();
        (void)supported_link_type(frame.link_type);
        for (std::uint8_t byte : frame.data) sum += byte;
        sum += static_cast<std::uint32_t>(frame.time.nanoseconds);
    }
    volatile std::uint32_t sink = sum + static_cast<std::uint32_t>(capture->damage_description().size());
    (void)sink;
    return 0;
}
