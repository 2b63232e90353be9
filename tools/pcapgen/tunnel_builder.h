#pragma once

#include "byte_writer.h"

#include <cstdint>
#include <optional>
#include <span>

namespace pcapgen {

inline constexpr std::uint16_t gre_protocol_erspan_type2 = 0x88be;
inline constexpr std::uint16_t gre_protocol_erspan_type3 = 0x22eb;

// RFC 2784 with the RFC 2890 key and sequence number extensions.
struct GreHeader {
    std::uint16_t protocol_type = 0;
    bool with_checksum = false;
    std::optional<std::uint32_t> key;
    std::optional<std::uint32_t> sequence_number;
};

Bytes gre_packet(const GreHeader& header, std::span<const std::uint8_t> payload);

// The 8-byte ERSPAN type II header (version 1); goes after GRE with the sequence number present.
struct ErspanType2Header {
    std::uint16_t vlan = 0;
    std::uint8_t class_of_service = 0;
    std::uint8_t encapsulation_type = 0;  // 0: originally without VLAN tag
    bool truncated = false;
    std::uint16_t session_id = 0;
    std::uint32_t port_index = 0;
};

Bytes erspan_type2_packet(const ErspanType2Header& header, std::span<const std::uint8_t> mirrored_frame);

// Platform-specific subheader with platform ID 3: a port index and the upper 32 bits of the timestamp.
struct ErspanPlatformSubheaderId3 {
    std::uint16_t port_index = 0;
    std::uint32_t upper_timestamp = 0;
};

inline constexpr std::uint8_t erspan_frame_type_ethernet = 0;
inline constexpr std::uint8_t erspan_granularity_100_nanoseconds = 1;

// The 12-byte ERSPAN type III header (version 2), plus the optional 8-byte platform subheader.
struct ErspanType3Header {
    std::uint16_t vlan = 0;
    std::uint8_t class_of_service = 0;
    std::uint8_t bad_short_oversized = 0;
    bool truncated = false;
    std::uint16_t session_id = 0;
    std::uint32_t timestamp = 0;
    std::uint16_t security_group_tag = 0;
    bool ethernet_pdu = true;
    std::uint8_t frame_type = erspan_frame_type_ethernet;
    std::uint8_t hardware_id = 0;
    bool egress = false;
    std::uint8_t timestamp_granularity = erspan_granularity_100_nanoseconds;
    std::optional<ErspanPlatformSubheaderId3> platform_subheader;
};

Bytes erspan_type3_packet(const ErspanType3Header& header, std::span<const std::uint8_t> mirrored_frame);

}  // namespace pcapgen
