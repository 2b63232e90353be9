#include "link_encapsulation.h"

#include "lab_network.h"
#include "network_layer_builder.h"
#include "tunnel_builder.h"

#include <pcap/dlt.h>

#include <memory>
#include <stdexcept>

namespace pcapgen {

namespace {

constexpr std::uint32_t bsd_address_family_inet = 2;
constexpr std::uint32_t bsd_address_family_inet6 = 24;
constexpr std::uint16_t erspan_mirrored_port_index = 48;
constexpr std::uint16_t erspan_mirrored_vlan = 30;

bool is_ipv6_packet(std::span<const std::uint8_t> ip_packet)
{
    if (ip_packet.empty()) {
        throw std::invalid_argument("empty IP packet");
    }
    return ip_packet[0] >> 4 == 6;
}

std::uint16_t ethertype_of(std::span<const std::uint8_t> ip_packet)
{
    return is_ipv6_packet(ip_packet) ? ethertype_ipv6 : ethertype_ipv4;
}

const MacAddress& source_mac(Direction direction)
{
    return direction == Direction::from_device ? lab::device_mac : lab::gateway_mac;
}

const MacAddress& destination_mac(Direction direction)
{
    return direction == Direction::from_device ? lab::gateway_mac : lab::device_mac;
}

Bytes device_ethernet_frame(std::span<const std::uint8_t> ip_packet, Direction direction,
                            std::span<const VlanTag> tags = {})
{
    return ethernet_frame(destination_mac(direction), source_mac(direction), tags, ethertype_of(ip_packet),
                          ip_packet);
}

// The outer IPv4 + GRE of a packet carried between the two tunnel endpoints, captured on their Ethernet link.
class OuterGreEncapsulator {
public:
    Bytes encapsulate(const GreHeader& gre, std::span<const std::uint8_t> inner, bool from_tunnel_source)
    {
        Ipv4Header outer;
        outer.source = from_tunnel_source ? lab::tunnel_source_ipv4 : lab::tunnel_destination_ipv4;
        outer.destination = from_tunnel_source ? lab::tunnel_destination_ipv4 : lab::tunnel_source_ipv4;
        outer.protocol = ip_protocol_gre;
        outer.ttl = 254;
        outer.dont_fragment = false;
        outer.identification = next_identification_[from_tunnel_source ? 0 : 1]++;
        const Bytes outer_packet = ipv4_packet(outer, gre_packet(gre, inner));
        const MacAddress& source = from_tunnel_source ? lab::span_source_mac : lab::collector_mac;
        const MacAddress& destination = from_tunnel_source ? lab::collector_mac : lab::span_source_mac;
        return ethernet_frame(destination, source, {}, ethertype_ipv4, outer_packet);
    }

private:
    std::uint16_t next_identification_[2] = {0x2a00, 0x6b00};
};

}  // namespace

LinkEncapsulation ethernet_link()
{
    return {DLT_EN10MB, [](std::span<const std::uint8_t> ip_packet, Direction direction, Timestamp) {
                return device_ethernet_frame(ip_packet, direction);
            }};
}

LinkEncapsulation vlan_tagged_link(std::vector<VlanTag> tags)
{
    return {DLT_EN10MB, [tags](std::span<const std::uint8_t> ip_packet, Direction direction, Timestamp) {
                return device_ethernet_frame(ip_packet, direction, tags);
            }};
}

LinkEncapsulation linux_sll_link()
{
    return {DLT_LINUX_SLL, [](std::span<const std::uint8_t> ip_packet, Direction direction, Timestamp) {
                const LinuxPacketType type =
                    direction == Direction::from_device ? LinuxPacketType::outgoing : LinuxPacketType::to_this_host;
                return linux_sll_frame(type, arphrd_ether, source_mac(direction), ethertype_of(ip_packet), ip_packet);
            }};
}

LinkEncapsulation linux_sll2_link(std::uint32_t interface_index)
{
    return {DLT_LINUX_SLL2,
            [interface_index](std::span<const std::uint8_t> ip_packet, Direction direction, Timestamp) {
                const LinuxPacketType type =
                    direction == Direction::from_device ? LinuxPacketType::outgoing : LinuxPacketType::to_this_host;
                return linux_sll2_frame(ethertype_of(ip_packet), interface_index, arphrd_ether, type,
                                        source_mac(direction), ip_packet);
            }};
}

LinkEncapsulation raw_ip_link()
{
    return {DLT_RAW, [](std::span<const std::uint8_t> ip_packet, Direction, Timestamp) {
                return Bytes(ip_packet.begin(), ip_packet.end());
            }};
}

LinkEncapsulation bsd_loopback_link()
{
    return {DLT_NULL, [](std::span<const std::uint8_t> ip_packet, Direction, Timestamp) {
                return bsd_loopback_frame(is_ipv6_packet(ip_packet) ? bsd_address_family_inet6
                                                                     : bsd_address_family_inet,
                                          ip_packet);
            }};
}

LinkEncapsulation mpls_link(std::vector<MplsLabel> from_device_labels, std::vector<MplsLabel> to_device_labels)
{
    return {DLT_EN10MB, [from_device_labels, to_device_labels](std::span<const std::uint8_t> ip_packet,
                                                               Direction direction, Timestamp) {
                const std::vector<MplsLabel>& labels =
                    direction == Direction::from_device ? from_device_labels : to_device_labels;
                return ethernet_frame(destination_mac(direction), source_mac(direction), {}, ethertype_mpls_unicast,
                                      mpls_label_stack(labels, ip_packet));
            }};
}

LinkEncapsulation gre_tunnel_link(std::uint32_t key)
{
    struct TunnelState {
        OuterGreEncapsulator outer;
        std::uint32_t next_sequence_number[2] = {1, 1};
    };
    auto state = std::make_shared<TunnelState>();
    return {DLT_EN10MB, [state, key](std::span<const std::uint8_t> ip_packet, Direction direction, Timestamp) {
                const bool from_device = direction == Direction::from_device;
                GreHeader gre;
                gre.protocol_type = ethertype_of(ip_packet);
                gre.key = key;
                gre.sequence_number = state->next_sequence_number[from_device ? 0 : 1]++;
                return state->outer.encapsulate(gre, ip_packet, from_device);
            }};
}

LinkEncapsulation erspan_type2_link(std::uint16_t session_id)
{
    struct MirrorState {
        OuterGreEncapsulator outer;
        std::uint32_t next_sequence_number = 0;
    };
    auto state = std::make_shared<MirrorState>();
    return {DLT_EN10MB, [state, session_id](std::span<const std::uint8_t> ip_packet, Direction direction,
                                            Timestamp) {
                ErspanType2Header erspan;
                erspan.vlan = erspan_mirrored_vlan;
                erspan.session_id = session_id;
                erspan.port_index = erspan_mirrored_port_index;
                GreHeader gre;
                gre.protocol_type = gre_protocol_erspan_type2;
                gre.sequence_number = state->next_sequence_number++;
                const Bytes mirrored = device_ethernet_frame(ip_packet, direction);
                return state->outer.encapsulate(gre, erspan_type2_packet(erspan, mirrored), true);
            }};
}

LinkEncapsulation erspan_type3_link(std::uint16_t session_id)
{
    struct MirrorState {
        OuterGreEncapsulator outer;
        std::uint32_t next_sequence_number = 0;
    };
    auto state = std::make_shared<MirrorState>();
    return {DLT_EN10MB, [state, session_id](std::span<const std::uint8_t> ip_packet, Direction direction,
                                            Timestamp time) {
                const std::uint64_t ticks_of_100ns =
                    static_cast<std::uint64_t>(time.seconds) * 10'000'000 + time.nanoseconds / 100;
                ErspanType3Header erspan;
                erspan.vlan = erspan_mirrored_vlan;
                erspan.session_id = session_id;
                erspan.timestamp = static_cast<std::uint32_t>(ticks_of_100ns);
                erspan.hardware_id = 5;
                // The mirrored port is the device's: its frames enter the switch there, replies leave by it.
                erspan.egress = direction == Direction::to_device;
                erspan.platform_subheader = ErspanPlatformSubheaderId3{
                    erspan_mirrored_port_index, static_cast<std::uint32_t>(ticks_of_100ns >> 32)};
                GreHeader gre;
                gre.protocol_type = gre_protocol_erspan_type3;
                gre.sequence_number = state->next_sequence_number++;
                const Bytes mirrored = device_ethernet_frame(ip_packet, direction);
                return state->outer.encapsulate(gre, erspan_type3_packet(erspan, mirrored), true);
            }};
}

LinkEncapsulation ieee80211_link()
{
    return {DLT_IEEE802_11, [](std::span<const std::uint8_t> ip_packet, Direction direction, Timestamp) {
                constexpr std::uint8_t frame_control_data = 0x08;
                constexpr std::uint8_t flag_to_ds = 0x01;
                constexpr std::uint8_t flag_from_ds = 0x02;
                const bool from_device = direction == Direction::from_device;
                ByteWriter writer;
                writer.u8(frame_control_data).u8(from_device ? flag_to_ds : flag_from_ds);
                writer.u8(0x2c).u8(0x00);  // duration 44 µs, little-endian as all 802.11 fields
                constexpr MacAddress access_point_bssid{0x00, 0x3a, 0x9a, 0x5c, 0x77, 0x10};
                // To DS: BSSID, source, destination. From DS: destination, BSSID, source.
                if (from_device) {
                    writer.append(access_point_bssid).append(lab::device_mac).append(lab::gateway_mac);
                } else {
                    writer.append(lab::device_mac).append(access_point_bssid).append(lab::gateway_mac);
                }
                writer.u8(0x10).u8(0x00);  // sequence control, little-endian
                writer.u8(0xaa).u8(0xaa).u8(0x03).u24(0).u16(ethertype_of(ip_packet));
                writer.append(ip_packet);
                return writer.take();
            }};
}

}  // namespace pcapgen
