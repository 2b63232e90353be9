#include "malformed_packets.h"

#include "lab_network.h"
#include "link_layer_builder.h"

#include <stdexcept>

namespace pcapgen {

namespace {

constexpr std::uint8_t ipv4_option_record_route = 7;
constexpr std::uint8_t record_route_addresses = 9;
constexpr std::uint8_t record_route_first_slot = 4;
constexpr std::size_t ipv4_fixed_header_size = 20;
constexpr std::size_t ipv4_longest_header_size = 60;

}  // namespace

Bytes ipv4_packet_cut_inside_header(Ipv4Header header, std::size_t kept_bytes)
{
    ByteWriter option;
    option.u8(ipv4_option_record_route)
        .u8(static_cast<std::uint8_t>(3 + 4 * record_route_addresses))
        .u8(record_route_first_slot)
        .zeros(4 * record_route_addresses);
    header.options = option.take();
    Bytes packet = ipv4_packet(header, {});
    if (packet.size() != ipv4_longest_header_size) {
        throw std::logic_error("the Record Route option does not fill the IPv4 header");
    }
    if (kept_bytes < ipv4_fixed_header_size || kept_bytes >= packet.size()) {
        throw std::invalid_argument("the cut must fall inside the IPv4 options");
    }
    packet.resize(kept_bytes);
    return packet;
}

Bytes unpadded_device_ethernet_frame(std::span<const std::uint8_t> ip_packet)
{
    constexpr std::size_t ethernet_header_size = 14;
    Bytes frame = ethernet_frame(lab::gateway_mac, lab::device_mac, {}, ethertype_ipv4, ip_packet);
    frame.resize(ethernet_header_size + ip_packet.size());  // drop the padding
    return frame;
}

}  // namespace pcapgen
