#include "capture/link_layer.h"

#include <array>
#include <string_view>

namespace trustcap {
namespace {

constexpr std::size_t ethernet_addresses_length = 12;
constexpr std::size_t sll_header_length = 16;
constexpr std::size_t sll_protocol_offset = 14;
constexpr std::size_t sll2_header_length = 20;
constexpr std::size_t null_header_length = 4;
// EtherType values below this are IEEE 802.3 length fields.
constexpr std::uint16_t first_ethertype = 0x0600;
constexpr std::uint32_t mpls_bottom_of_stack = 0x100;

// BSD address families as the various OSes number them.
constexpr std::uint32_t af_inet = 2;
constexpr std::array<std::uint32_t, 4> af_inet6_values = {10, 24, 28, 30};  // Linux, BSDs, FreeBSD, Darwin

NetworkPayload malformed(std::string problem) {
    return {NetworkPayload::Kind::malformed, {}, std::move(problem)};
}

NetworkPayload truncated_header(std::string_view layer, std::size_t available, std::size_t needed) {
    return malformed(std::string(layer) + ": header truncated (" + std::to_string(available) + " of " +
                     std::to_string(needed) + " bytes)");
}

bool is_vlan_tag(std::uint16_t type) {
    return type == ethertype::vlan_8021q || type == ethertype::vlan_8021ad || type == ethertype::vlan_qinq_legacy;
}

NetworkPayload decode_mpls(Bytes payload) {
    ByteReader reader(payload);
    for (;;) {
        auto entry = reader.u32be();
        if (!entry) return malformed("MPLS: label stack truncated before bottom of stack");
        if (*entry & mpls_bottom_of_stack) break;
    }
    if (reader.empty()) return malformed("MPLS: nothing after the label stack");
    return classify_by_ip_version(reader.rest());
}

NetworkPayload decode_address_family(std::uint32_t family, Bytes payload) {
    if (family == af_inet) return {NetworkPayload::Kind::ipv4, payload, {}};
    for (std::uint32_t value : af_inet6_values) {
        if (family == value) return {NetworkPayload::Kind::ipv6, payload, {}};
    }
    return {NetworkPayload::Kind::not_ip, {}, {}};
}

// DLT_NULL's family is in the byte order of the machine that wrote the file,
// which need not be ours or the file header's: recognise it in either order.
NetworkPayload decode_null(Bytes frame) {
    ByteReader reader(frame);
    ByteReader little_endian(frame);
    auto big = reader.u32be();
    auto little = little_endian.u32le();
    if (!big || !little) return truncated_header("BSD loopback", frame.size(), null_header_length);
    NetworkPayload as_big = decode_address_family(*big, reader.rest());
    if (as_big.kind != NetworkPayload::Kind::not_ip) return as_big;
    return decode_address_family(*little, reader.rest());
}

NetworkPayload decode_loop(Bytes frame) {
    ByteReader reader(frame);
    auto family = reader.u32be();
    if (!family) return truncated_header("BSD loopback", frame.size(), null_header_length);
    return decode_address_family(*family, reader.rest());
}

NetworkPayload decode_linux_sll(Bytes frame) {
    ByteReader reader(frame);
    if (!reader.skip(sll_protocol_offset)) return truncated_header("Linux cooked", frame.size(), sll_header_length);
    auto protocol = reader.u16be();
    if (!protocol) return truncated_header("Linux cooked", frame.size(), sll_header_length);
    return decode_ethertype_payload(*protocol, reader.rest());
}

NetworkPayload decode_linux_sll2(Bytes frame) {
    ByteReader reader(frame);
    auto protocol = reader.u16be();
    if (!protocol || !reader.skip(sll2_header_length - 2)) {
        return truncated_header("Linux cooked v2", frame.size(), sll2_header_length);
    }
    return decode_ethertype_payload(*protocol, reader.rest());
}

NetworkPayload decode_raw_ip(Bytes frame) {
    auto first = ByteReader(frame).peek();
    if (!first) return malformed("raw IP: empty frame");
    NetworkPayload payload = classify_by_ip_version(frame);
    if (payload.kind == NetworkPayload::Kind::not_ip) {
        return malformed("raw IP: version " + std::to_string(*first >> 4) + " is neither 4 nor 6");
    }
    return payload;
}

}  // namespace

NetworkPayload classify_by_ip_version(Bytes packet) {
    auto first = ByteReader(packet).peek();
    if (first && (*first >> 4) == 4) return {NetworkPayload::Kind::ipv4, packet, {}};
    if (first && (*first >> 4) == 6) return {NetworkPayload::Kind::ipv6, packet, {}};
    return {NetworkPayload::Kind::not_ip, {}, {}};
}

NetworkPayload decode_ethertype_payload(std::uint16_t type, Bytes payload) {
    ByteReader reader(payload);
    while (is_vlan_tag(type)) {
        auto inner_type = reader.skip(2) ? reader.u16be() : std::nullopt;  // skip the tag control information
        if (!inner_type) return malformed("VLAN: tag truncated");
        type = *inner_type;
    }
    if (type < first_ethertype) return {NetworkPayload::Kind::not_ip, {}, {}};
    switch (type) {
        case ethertype::ipv4: return {NetworkPayload::Kind::ipv4, reader.rest(), {}};
        case ethertype::ipv6: return {NetworkPayload::Kind::ipv6, reader.rest(), {}};
        case ethertype::mpls_unicast:
        case ethertype::mpls_multicast: return decode_mpls(reader.rest());
        default: return {NetworkPayload::Kind::not_ip, {}, {}};
    }
}

NetworkPayload decode_ethernet(Bytes frame) {
    ByteReader reader(frame);
    auto type = reader.skip(ethernet_addresses_length) ? reader.u16be() : std::nullopt;
    if (!type) return truncated_header("Ethernet", frame.size(), ethernet_addresses_length + 2);
    return decode_ethertype_payload(*type, reader.rest());
}

NetworkPayload decode_link_layer(LinkType link_type, Bytes frame) {
    switch (link_type) {
        case LinkType::null_loopback: return decode_null(frame);
        case LinkType::ethernet: return decode_ethernet(frame);
        case LinkType::raw_ip: return decode_raw_ip(frame);
        case LinkType::bsd_loop: return decode_loop(frame);
        case LinkType::linux_sll: return decode_linux_sll(frame);
        case LinkType::raw_ipv4: return {NetworkPayload::Kind::ipv4, frame, {}};
        case LinkType::raw_ipv6: return {NetworkPayload::Kind::ipv6, frame, {}};
        case LinkType::linux_sll2: return decode_linux_sll2(frame);
    }
    return malformed("link layer: unsupported link type " + std::to_string(static_cast<int>(link_type)));
}

}  // namespace trustcap
