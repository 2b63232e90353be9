#include "network_layer_builder.h"

#include "internet_checksum.h"
#include "transport_layer_builder.h"

#include <algorithm>
#include <stdexcept>

namespace pcapgen {

namespace {

constexpr std::size_t ipv4_fixed_header_size = 20;
constexpr std::size_t ipv6_fixed_header_size = 40;
constexpr std::uint8_t ipv4_option_end_of_list = 0;
constexpr std::uint8_t ipv6_option_pad1 = 0;
constexpr std::uint8_t ipv6_option_padn = 1;

Bytes ipv4_datagram(const Ipv4Header& header, std::span<const std::uint8_t> payload, std::uint16_t fragment_offset,
                    bool more_fragments)
{
    Bytes options = header.options;
    while (options.size() % 4 != 0) {
        options.push_back(ipv4_option_end_of_list);
    }
    const std::size_t header_size = ipv4_fixed_header_size + options.size();
    if (header_size > 60) {
        throw std::invalid_argument("IPv4 options longer than 40 bytes");
    }
    const std::size_t total_length = header_size + payload.size();
    if (total_length > 0xffff) {
        throw std::invalid_argument("IPv4 datagram longer than 65535 bytes");
    }
    const std::uint16_t flags_and_offset = static_cast<std::uint16_t>(
        (header.dont_fragment ? 0x4000 : 0) | (more_fragments ? 0x2000 : 0) | (fragment_offset / 8));

    ByteWriter writer;
    writer.u8(static_cast<std::uint8_t>(0x40 | header_size / 4))
        .u8(header.type_of_service)
        .u16(static_cast<std::uint16_t>(total_length))
        .u16(header.identification)
        .u16(flags_and_offset)
        .u8(header.ttl)
        .u8(header.protocol)
        .u16(0)
        .append(header.source.bytes())
        .append(header.destination.bytes())
        .append(options);
    writer.overwrite_u16(10, internet_checksum(writer.bytes()));
    writer.append(payload);
    return writer.take();
}

Bytes padded_ipv6_options(std::span<const std::uint8_t> options)
{
    Bytes padded(options.begin(), options.end());
    const std::size_t padding = (8 - (2 + padded.size()) % 8) % 8;
    if (padding == 1) {
        padded.push_back(ipv6_option_pad1);
    } else if (padding > 1) {
        padded.push_back(ipv6_option_padn);
        padded.push_back(static_cast<std::uint8_t>(padding - 2));
        padded.insert(padded.end(), padding - 2, 0);
    }
    return padded;
}

// Chains the headers: each one names the next, the last names `last_next_header`.
void append_extension_headers(ByteWriter& writer, std::span<const Ipv6ExtensionHeader> headers,
                              std::uint8_t last_next_header)
{
    for (std::size_t index = 0; index < headers.size(); ++index) {
        const Bytes options = padded_ipv6_options(headers[index].options);
        const std::uint8_t next_header =
            index + 1 < headers.size() ? headers[index + 1].header_type : last_next_header;
        writer.u8(next_header).u8(static_cast<std::uint8_t>((2 + options.size()) / 8 - 1)).append(options);
    }
}

void append_ipv6_fixed_header(ByteWriter& writer, const Ipv6Header& header, std::uint8_t next_header,
                              std::size_t payload_length)
{
    if (payload_length > 0xffff) {
        throw std::invalid_argument("IPv6 payload longer than 65535 bytes");
    }
    writer.u32(6u << 28 | static_cast<std::uint32_t>(header.traffic_class) << 20 | (header.flow_label & 0xfffff))
        .u16(static_cast<std::uint16_t>(payload_length))
        .u8(next_header)
        .u8(header.hop_limit)
        .append(header.source.bytes())
        .append(header.destination.bytes());
}

bool stays_in_every_fragment(const Ipv6ExtensionHeader& header)
{
    return header.header_type == ipv6_header_hop_by_hop || header.header_type == ipv6_header_routing;
}

}  // namespace

Bytes ipv4_packet(const Ipv4Header& header, std::span<const std::uint8_t> payload)
{
    return ipv4_datagram(header, payload, 0, false);
}

std::vector<Bytes> ipv4_fragments(const Ipv4Header& header, std::span<const std::uint8_t> payload,
                                  std::size_t max_fragment_payload)
{
    const std::size_t fragment_size = max_fragment_payload / 8 * 8;
    if (fragment_size == 0) {
        throw std::invalid_argument("IPv4 fragments must carry at least 8 bytes");
    }
    Ipv4Header fragment_header = header;
    fragment_header.dont_fragment = false;
    std::vector<Bytes> fragments;
    for (std::size_t offset = 0; offset < payload.size(); offset += fragment_size) {
        const std::size_t length = std::min(fragment_size, payload.size() - offset);
        const bool more_fragments = offset + length < payload.size();
        fragments.push_back(ipv4_datagram(fragment_header, payload.subspan(offset, length),
                                          static_cast<std::uint16_t>(offset), more_fragments));
    }
    return fragments;
}

Bytes ipv6_packet(const Ipv6Header& header, std::span<const std::uint8_t> upper_layer_payload)
{
    ByteWriter extension_headers;
    append_extension_headers(extension_headers, header.extension_headers, header.upper_layer_protocol);
    const std::uint8_t first_next_header =
        header.extension_headers.empty() ? header.upper_layer_protocol : header.extension_headers.front().header_type;

    ByteWriter writer;
    append_ipv6_fixed_header(writer, header, first_next_header,
                             extension_headers.size() + upper_layer_payload.size());
    writer.append(extension_headers.bytes()).append(upper_layer_payload);
    return writer.take();
}

std::vector<Bytes> ipv6_fragments(const Ipv6Header& header, std::span<const std::uint8_t> upper_layer_payload,
                                  std::size_t max_fragment_payload, std::uint32_t identification)
{
    std::vector<Ipv6ExtensionHeader> unfragmentable;
    std::vector<Ipv6ExtensionHeader> fragmentable;
    for (const Ipv6ExtensionHeader& extension : header.extension_headers) {
        (stays_in_every_fragment(extension) && fragmentable.empty() ? unfragmentable : fragmentable)
            .push_back(extension);
    }

    ByteWriter fragmentable_part;
    append_extension_headers(fragmentable_part, fragmentable, header.upper_layer_protocol);
    fragmentable_part.append(upper_layer_payload);
    const std::uint8_t fragmentable_first_header =
        fragmentable.empty() ? header.upper_layer_protocol : fragmentable.front().header_type;

    ByteWriter unfragmentable_part;
    append_extension_headers(unfragmentable_part, unfragmentable, ipv6_header_fragment);
    const std::uint8_t first_next_header =
        unfragmentable.empty() ? ipv6_header_fragment : unfragmentable.front().header_type;

    const std::size_t fragment_size = max_fragment_payload / 8 * 8;
    if (fragment_size == 0) {
        throw std::invalid_argument("IPv6 fragments must carry at least 8 bytes");
    }
    constexpr std::size_t fragment_header_size = 8;
    const std::span<const std::uint8_t> data = fragmentable_part.bytes();
    std::vector<Bytes> fragments;
    for (std::size_t offset = 0; offset < data.size(); offset += fragment_size) {
        const std::size_t length = std::min(fragment_size, data.size() - offset);
        const bool more_fragments = offset + length < data.size();
        ByteWriter writer;
        append_ipv6_fixed_header(writer, header, first_next_header,
                                 unfragmentable_part.size() + fragment_header_size + length);
        writer.append(unfragmentable_part.bytes())
            .u8(fragmentable_first_header)
            .u8(0)
            .u16(static_cast<std::uint16_t>(offset | (more_fragments ? 1 : 0)))
            .u32(identification)
            .append(data.subspan(offset, length));
        fragments.push_back(writer.take());
    }
    return fragments;
}

Bytes icmpv4_destination_unreachable(std::uint8_t code, std::span<const std::uint8_t> offending_packet)
{
    constexpr std::size_t max_quoted = 576 - ipv4_fixed_header_size - 8;
    ByteWriter writer;
    writer.u8(icmp_type_destination_unreachable)
        .u8(code)
        .u16(0)
        .u32(0)
        .append(offending_packet.first(std::min(offending_packet.size(), max_quoted)));
    writer.overwrite_u16(2, internet_checksum(writer.bytes()));
    return writer.take();
}

Bytes icmpv6_destination_unreachable(std::uint8_t code, const IpAddress& source, const IpAddress& destination,
                                     std::span<const std::uint8_t> offending_packet)
{
    constexpr std::size_t max_quoted = 1280 - ipv6_fixed_header_size - 8;
    ByteWriter writer;
    writer.u8(icmpv6_type_destination_unreachable)
        .u8(code)
        .u16(0)
        .u32(0)
        .append(offending_packet.first(std::min(offending_packet.size(), max_quoted)));
    writer.overwrite_u16(2, pseudo_header_checksum(source, destination, ip_protocol_icmpv6, writer.bytes()));
    return writer.take();
}

}  // namespace pcapgen
