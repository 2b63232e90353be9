#include "tunnel_builder.h"

#include "internet_checksum.h"

namespace pcapgen {

namespace {

constexpr std::uint16_t gre_checksum_present = 0x8000;
constexpr std::uint16_t gre_key_present = 0x2000;
constexpr std::uint16_t gre_sequence_number_present = 0x1000;
constexpr std::uint16_t erspan_version_type2 = 1;
constexpr std::uint16_t erspan_version_type3 = 2;
constexpr std::uint8_t erspan_platform_id3 = 3;

}  // namespace

Bytes gre_packet(const GreHeader& header, std::span<const std::uint8_t> payload)
{
    const std::uint16_t flags = static_cast<std::uint16_t>((header.with_checksum ? gre_checksum_present : 0) |
                                                           (header.key ? gre_key_present : 0) |
                                                           (header.sequence_number ? gre_sequence_number_present : 0));
    ByteWriter writer;
    writer.u16(flags).u16(header.protocol_type);
    if (header.with_checksum) {
        writer.u16(0).u16(0);
    }
    if (header.key) {
        writer.u32(*header.key);
    }
    if (header.sequence_number) {
        writer.u32(*header.sequence_number);
    }
    writer.append(payload);
    if (header.with_checksum) {
        writer.overwrite_u16(4, internet_checksum(writer.bytes()));
    }
    return writer.take();
}

Bytes erspan_type2_packet(const ErspanType2Header& header, std::span<const std::uint8_t> mirrored_frame)
{
    constexpr std::uint32_t reserved = 0;
    ByteWriter writer;
    writer.u16(static_cast<std::uint16_t>(erspan_version_type2 << 12 | (header.vlan & 0x0fff)))
        .u16(static_cast<std::uint16_t>((header.class_of_service & 0x7) << 13 |
                                        (header.encapsulation_type & 0x3) << 11 | (header.truncated ? 1 : 0) << 10 |
                                        (header.session_id & 0x03ff)))
        .u32(reserved << 20 | (header.port_index & 0xfffff))
        .append(mirrored_frame);
    return writer.take();
}

Bytes erspan_type3_packet(const ErspanType3Header& header, std::span<const std::uint8_t> mirrored_frame)
{
    ByteWriter writer;
    writer.u16(static_cast<std::uint16_t>(erspan_version_type3 << 12 | (header.vlan & 0x0fff)))
        .u16(static_cast<std::uint16_t>((header.class_of_service & 0x7) << 13 |
                                        (header.bad_short_oversized & 0x3) << 11 | (header.truncated ? 1 : 0) << 10 |
                                        (header.session_id & 0x03ff)))
        .u32(header.timestamp)
        .u16(header.security_group_tag)
        .u16(static_cast<std::uint16_t>((header.ethernet_pdu ? 1 : 0) << 15 | (header.frame_type & 0x1f) << 10 |
                                        (header.hardware_id & 0x3f) << 4 | (header.egress ? 1 : 0) << 3 |
                                        (header.timestamp_granularity & 0x3) << 1 |
                                        (header.platform_subheader ? 1 : 0)));
    if (header.platform_subheader) {
        const ErspanPlatformSubheaderId3& subheader = *header.platform_subheader;
        writer.u32(static_cast<std::uint32_t>(erspan_platform_id3) << 26 | (subheader.port_index & 0x3fff))
            .u32(subheader.upper_timestamp);
    }
    writer.append(mirrored_frame);
    return writer.take();
}

}  // namespace pcapgen
