#include "transport_layer_builder.h"

#include "internet_checksum.h"
#include "network_layer_builder.h"

#include <stdexcept>

namespace pcapgen {

namespace {

constexpr std::uint8_t tcp_option_end_of_list = 0;
constexpr std::uint8_t tcp_option_no_operation = 1;
constexpr std::uint8_t tcp_option_maximum_segment_size = 2;
constexpr std::uint8_t tcp_option_window_scale = 3;
constexpr std::uint8_t tcp_option_sack_permitted = 4;
constexpr std::uint8_t tcp_option_sack = 5;
constexpr std::size_t tcp_fixed_header_size = 20;
constexpr std::size_t udp_header_size = 8;

}  // namespace

std::uint16_t pseudo_header_checksum(const IpAddress& source, const IpAddress& destination, std::uint8_t protocol,
                                     std::span<const std::uint8_t> upper_layer_packet)
{
    InternetChecksum checksum;
    checksum.add(source.bytes()).add(destination.bytes());
    if (source.is_ipv6()) {
        checksum.add_u32(static_cast<std::uint32_t>(upper_layer_packet.size())).add_u32(protocol);
    } else {
        checksum.add_u16(protocol).add_u16(static_cast<std::uint16_t>(upper_layer_packet.size()));
    }
    return checksum.add(upper_layer_packet).result();
}

Bytes tcp_syn_options(std::uint16_t maximum_segment_size, std::uint8_t window_scale_shift)
{
    ByteWriter writer;
    writer.u8(tcp_option_maximum_segment_size).u8(4).u16(maximum_segment_size);
    writer.u8(tcp_option_no_operation).u8(tcp_option_window_scale).u8(3).u8(window_scale_shift);
    writer.u8(tcp_option_no_operation).u8(tcp_option_no_operation).u8(tcp_option_sack_permitted).u8(2);
    return writer.take();
}

Bytes tcp_sack_option(std::uint32_t left_edge, std::uint32_t right_edge)
{
    ByteWriter writer;
    writer.u8(tcp_option_no_operation).u8(tcp_option_no_operation).u8(tcp_option_sack).u8(10);
    writer.u32(left_edge).u32(right_edge);
    return writer.take();
}

Bytes tcp_segment(const TcpHeader& header, std::span<const std::uint8_t> payload, const IpAddress& source,
                  const IpAddress& destination)
{
    Bytes options = header.options;
    while (options.size() % 4 != 0) {
        options.push_back(tcp_option_end_of_list);
    }
    const std::size_t header_size = tcp_fixed_header_size + options.size();
    if (header_size > 60) {
        throw std::invalid_argument("TCP options longer than 40 bytes");
    }
    ByteWriter writer;
    writer.u16(header.source_port)
        .u16(header.destination_port)
        .u32(header.sequence_number)
        .u32(header.acknowledgment_number)
        .u8(static_cast<std::uint8_t>(header_size / 4 << 4))
        .u8(header.flags)
        .u16(header.window)
        .u16(0)
        .u16(0)
        .append(options)
        .append(payload);
    writer.overwrite_u16(16, pseudo_header_checksum(source, destination, ip_protocol_tcp, writer.bytes()));
    return writer.take();
}

Bytes udp_datagram(std::uint16_t source_port, std::uint16_t destination_port, std::span<const std::uint8_t> payload,
                   const IpAddress& source, const IpAddress& destination)
{
    ByteWriter writer;
    writer.u16(source_port)
        .u16(destination_port)
        .u16(static_cast<std::uint16_t>(udp_header_size + payload.size()))
        .u16(0)
        .append(payload);
    std::uint16_t checksum = pseudo_header_checksum(source, destination, ip_protocol_udp, writer.bytes());
    if (checksum == 0) {
        checksum = 0xffff;  // zero means "no checksum" in UDP
    }
    writer.overwrite_u16(6, checksum);
    return writer.take();
}

}  // namespace pcapgen
