// The link, tunnel, IP and transport decoder on one frame: the first byte
// picks the link type, the second whether the snap length cut the frame.
#include <array>
#include <cstddef>
#include <cstdint>

#include "capture/packet_decoder.h"
#include "fuzz_input.h"

namespace {

using namespace trustcap;

constexpr std::array link_types{LinkType::null_loopback, LinkType::ethernet,  LinkType::raw_ip,
                                LinkType::bsd_loop,      LinkType::linux_sll, LinkType::raw_ipv4,
                                LinkType::raw_ipv6,      LinkType::linux_sll2};

// Reads every byte the decoder pointed at, so a span outside the frame shows.
std::uint32_t touch(Bytes bytes) {
    std::uint32_t sum = 0;
    for (std::uint8_t byte : bytes) sum += byte;
    return sum;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    fuzz::FuzzInput input(data, size);
    LinkType link_type = link_types[input.u8() % link_types.size()];
    bool cut = input.flag();
    PacketDecoder decoder;

    RawFrame frame;
    frame.number = 1;
    frame.link_type = static_cast<int>(link_type);
    frame.data = input.rest();
    frame.captured_length = static_cast<std::uint32_t>(frame.data.size());
    frame.original_length = frame.captured_length + (cut ? 100 : 0);
    DecodeResult result = decoder.decode(frame);
    volatile std::uint32_t sink = touch(result.packet.payload);
    if (result.packet.icmp && result.packet.icmp->quote) sink = sink + result.packet.icmp->quote->source_port;
    (void)sink;
    return 0;
}
