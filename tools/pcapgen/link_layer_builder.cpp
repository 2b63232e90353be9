#include "link_layer_builder.h"

#include <cstring>
#include <stdexcept>

namespace pcapgen {

namespace {

constexpr std::size_t ethernet_minimum_frame_without_fcs = 60;
constexpr std::size_t linux_sll_address_field_size = 8;

void append_link_address(ByteWriter& writer, std::span<const std::uint8_t> link_address)
{
    if (link_address.size() > linux_sll_address_field_size) {
        throw std::invalid_argument("link-layer address longer than 8 bytes");
    }
    writer.append(link_address).zeros(linux_sll_address_field_size - link_address.size());
}

}  // namespace

Bytes ethernet_frame(const MacAddress& destination, const MacAddress& source, std::span<const VlanTag> tags,
                     std::uint16_t ethertype, std::span<const std::uint8_t> payload)
{
    ByteWriter writer;
    writer.append(destination).append(source);
    for (const VlanTag& tag : tags) {
        writer.u16(tag.tag_protocol_id);
        writer.u16(static_cast<std::uint16_t>((tag.priority & 0x7) << 13 | (tag.vlan_id & 0x0fff)));
    }
    writer.u16(ethertype).append(payload);
    if (writer.size() < ethernet_minimum_frame_without_fcs) {
        writer.zeros(ethernet_minimum_frame_without_fcs - writer.size());
    }
    return writer.take();
}

Bytes linux_sll_frame(LinuxPacketType packet_type, std::uint16_t arphrd_type,
                      std::span<const std::uint8_t> link_address, std::uint16_t protocol,
                      std::span<const std::uint8_t> payload)
{
    ByteWriter writer;
    writer.u16(static_cast<std::uint16_t>(packet_type))
        .u16(arphrd_type)
        .u16(static_cast<std::uint16_t>(link_address.size()));
    append_link_address(writer, link_address);
    writer.u16(protocol).append(payload);
    return writer.take();
}

Bytes linux_sll2_frame(std::uint16_t protocol, std::uint32_t interface_index, std::uint16_t arphrd_type,
                       LinuxPacketType packet_type, std::span<const std::uint8_t> link_address,
                       std::span<const std::uint8_t> payload)
{
    constexpr std::uint16_t reserved = 0;
    ByteWriter writer;
    writer.u16(protocol)
        .u16(reserved)
        .u32(interface_index)
        .u16(arphrd_type)
        .u8(static_cast<std::uint8_t>(packet_type))
        .u8(static_cast<std::uint8_t>(link_address.size()));
    append_link_address(writer, link_address);
    writer.append(payload);
    return writer.take();
}

Bytes bsd_loopback_frame(std::uint32_t address_family, std::span<const std::uint8_t> payload)
{
    Bytes frame(sizeof address_family);
    std::memcpy(frame.data(), &address_family, sizeof address_family);
    frame.insert(frame.end(), payload.begin(), payload.end());
    return frame;
}

Bytes mpls_label_stack(std::span<const MplsLabel> labels, std::span<const std::uint8_t> payload)
{
    ByteWriter writer;
    for (std::size_t index = 0; index < labels.size(); ++index) {
        const MplsLabel& entry = labels[index];
        const bool bottom_of_stack = index + 1 == labels.size();
        writer.u32((entry.label & 0xfffff) << 12 | static_cast<std::uint32_t>(entry.traffic_class & 0x7) << 9 |
                   static_cast<std::uint32_t>(bottom_of_stack) << 8 | entry.ttl);
    }
    writer.append(payload);
    return writer.take();
}

}  // namespace pcapgen
