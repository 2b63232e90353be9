#include "ethernet_reframing.h"

#include <pcap/pcap.h>

#include <array>

namespace bench {
namespace {

constexpr std::uint16_t ethertype_ipv4 = 0x0800;
constexpr std::uint16_t ethertype_ipv6 = 0x86dd;
constexpr std::size_t sll_header_bytes = 16;
constexpr std::size_t sll2_header_bytes = 20;
constexpr std::size_t loopback_header_bytes = 4;
constexpr std::array<std::uint8_t, 12> span_port_macs = {0x02, 0, 0, 0, 0, 0x01, 0x02, 0, 0, 0, 0, 0x02};

std::vector<std::uint8_t> with_ethernet_header(std::uint16_t ethertype, std::span<const std::uint8_t> payload) {
    std::vector<std::uint8_t> frame(span_port_macs.begin(), span_port_macs.end());
    frame.push_back(static_cast<std::uint8_t>(ethertype >> 8));
    frame.push_back(static_cast<std::uint8_t>(ethertype));
    frame.insert(frame.end(), payload.begin(), payload.end());
    return frame;
}

std::optional<std::uint16_t> ethertype_of_ip_packet(std::span<const std::uint8_t> packet) {
    if (packet.empty()) return std::nullopt;
    if (packet[0] >> 4 == 4) return ethertype_ipv4;
    if (packet[0] >> 4 == 6) return ethertype_ipv6;
    return std::nullopt;
}

std::optional<std::vector<std::uint8_t>> reframe_ip_packet(std::span<const std::uint8_t> packet) {
    std::optional<std::uint16_t> ethertype = ethertype_of_ip_packet(packet);
    if (!ethertype) return std::nullopt;
    return with_ethernet_header(*ethertype, packet);
}

std::uint16_t big_endian_16(std::span<const std::uint8_t> bytes, std::size_t offset) {
    return static_cast<std::uint16_t>(bytes[offset] << 8 | bytes[offset + 1]);
}

}  // namespace

std::optional<NetworkLayer> network_layer_of(std::span<const std::uint8_t> ethernet_frame) {
    std::size_t offset = 12;
    while (offset + 2 <= ethernet_frame.size()) {
        std::uint16_t ethertype = big_endian_16(ethernet_frame, offset);
        if (ethertype != 0x8100 && ethertype != 0x88a8 && ethertype != 0x9100) return NetworkLayer{offset + 2, ethertype};
        offset += 4;
    }
    return std::nullopt;
}

std::optional<std::vector<std::uint8_t>> as_ethernet_frame(int link_type, std::span<const std::uint8_t> frame) {
    switch (link_type) {
        case DLT_EN10MB: return std::vector<std::uint8_t>(frame.begin(), frame.end());
        case DLT_RAW:
        case DLT_IPV4:
        case DLT_IPV6: return reframe_ip_packet(frame);
        case DLT_NULL:
        case DLT_LOOP:
            if (frame.size() < loopback_header_bytes) return std::nullopt;
            return reframe_ip_packet(frame.subspan(loopback_header_bytes));
        case DLT_LINUX_SLL:
            if (frame.size() < sll_header_bytes) return std::nullopt;
            return with_ethernet_header(big_endian_16(frame, 14), frame.subspan(sll_header_bytes));
        case DLT_LINUX_SLL2:
            if (frame.size() < sll2_header_bytes) return std::nullopt;
            return with_ethernet_header(big_endian_16(frame, 0), frame.subspan(sll2_header_bytes));
        default: return std::nullopt;
    }
}

}  // namespace bench
