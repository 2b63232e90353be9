// IP fragment reassembly over a sequence of fragments, each described by the
// input: which datagram, where it goes, whether more follow, its bytes, and
// how far the clock moved. Small caps from the first byte reach the limits.
#include <cstddef>
#include <cstdint>
#include <vector>

#include "capture/ip_fragment_reassembler.h"
#include "fuzz_input.h"

namespace {

using namespace trustcap;

IpAddress address(std::uint8_t last) {
    std::uint8_t bytes[4] = {10, 0, 0, last};
    return IpAddress::v4(Bytes(bytes, 4));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    fuzz::FuzzInput input(data, size);
    IpFragmentReassembler::Limits limits;
    std::uint8_t caps = input.u8();
    if (caps & 1) limits.max_datagram_bytes = 64 + (caps >> 1) * 16u;
    if (caps & 2) limits.max_pending_datagrams = 1 + (caps >> 4);
    if (caps & 4) limits.timeout_seconds = caps >> 3;
    IpFragmentReassembler reassembler(limits);

    Timestamp now{1'600'000'000, 0};
    while (!input.empty()) {
        IpFragmentReassembler::Fragment fragment;
        std::uint8_t shape = input.u8();
        fragment.source = address(shape & 3);
        fragment.destination = address(100);
        fragment.identification = (shape >> 2) & 7;
        fragment.protocol = (shape & 0x20) ? 17 : 6;
        fragment.more_fragments = (shape & 0x40) != 0;
        fragment.offset = std::uint32_t{input.u16()} * 8 % (1u << 16);
        fragment.payload = input.take(input.u8());
        now.seconds += (shape & 0x80) ? input.u8() : 0;
        fragment.time = now;
        if (auto datagram = reassembler.add(fragment)) {
            std::vector<std::uint8_t> copy(datagram->begin(), datagram->end());
            (void)copy;
        }
    }
    return 0;
}
