#include "capture/packet_decoder.h"

#include <gtest/gtest.h>

#include <array>
#include <cstdint>
#include <deque>
#include <initializer_list>
#include <random>
#include <string>
#include <vector>

namespace trustcap {
namespace {

// ---------------------------------------------------------------------------
// Test packet builders: each returns the header bytes followed by `payload`.

using ByteVector = std::vector<std::uint8_t>;
using Ipv4Bytes = std::array<std::uint8_t, 4>;
using Ipv6Bytes = std::array<std::uint8_t, 16>;

constexpr Ipv4Bytes client_v4{192, 168, 10, 150};
constexpr Ipv4Bytes server_v4{192, 133, 220, 90};
constexpr Ipv4Bytes router_v4{10, 0, 0, 1};
constexpr Ipv6Bytes client_v6{0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x10};
constexpr Ipv6Bytes server_v6{0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x20};
constexpr Ipv6Bytes router_v6{0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x01};

void put8(ByteVector& out, std::uint8_t value) { out.push_back(value); }
void put16(ByteVector& out, std::uint16_t value) {
    out.push_back(static_cast<std::uint8_t>(value >> 8));
    out.push_back(static_cast<std::uint8_t>(value));
}
void put32(ByteVector& out, std::uint32_t value) {
    put16(out, static_cast<std::uint16_t>(value >> 16));
    put16(out, static_cast<std::uint16_t>(value));
}
void put32le(ByteVector& out, std::uint32_t value) {
    for (int shift = 0; shift < 32; shift += 8) out.push_back(static_cast<std::uint8_t>(value >> shift));
}
template <typename Range>
void append(ByteVector& out, const Range& bytes) {
    out.insert(out.end(), std::begin(bytes), std::end(bytes));
}
ByteVector concat(ByteVector head, const ByteVector& tail) {
    append(head, tail);
    return head;
}
ByteVector filler(std::size_t length, std::uint8_t first = 0x41) {
    ByteVector bytes(length);
    for (std::size_t i = 0; i < length; ++i) bytes[i] = static_cast<std::uint8_t>(first + i);
    return bytes;
}

struct TcpSpec {
    std::uint16_t source_port = 22425;
    std::uint16_t destination_port = 443;
    std::uint32_t seq = 1000;
    std::uint32_t ack = 0;
    std::uint8_t flags = tcp_flag::syn;
    std::uint16_t window = 64240;
    ByteVector options;  // padded to a multiple of 4 by the caller
};

ByteVector tcp(const TcpSpec& spec, const ByteVector& payload = {}) {
    ByteVector out;
    put16(out, spec.source_port);
    put16(out, spec.destination_port);
    put32(out, spec.seq);
    put32(out, spec.ack);
    put8(out, static_cast<std::uint8_t>(((20 + spec.options.size()) / 4) << 4));
    put8(out, spec.flags);
    put16(out, spec.window);
    put16(out, 0);  // checksum
    put16(out, 0);  // urgent pointer
    append(out, spec.options);
    append(out, payload);
    return out;
}

ByteVector udp(std::uint16_t source_port, std::uint16_t destination_port, const ByteVector& payload) {
    ByteVector out;
    put16(out, source_port);
    put16(out, destination_port);
    put16(out, static_cast<std::uint16_t>(8 + payload.size()));
    put16(out, 0);
    append(out, payload);
    return out;
}

ByteVector icmp(std::uint8_t type, std::uint8_t code, const ByteVector& body) {
    ByteVector out{type, code, 0, 0, 0, 0, 0, 0};
    append(out, body);
    return out;
}

struct Ipv4Spec {
    Ipv4Bytes source = client_v4;
    Ipv4Bytes destination = server_v4;
    std::uint8_t protocol = 6;
    std::uint8_t ttl = 64;
    std::uint16_t identification = 0x1234;
    std::uint16_t flags_and_offset = 0x4000;  // DF
    ByteVector options;                       // a multiple of 4 bytes
    std::optional<std::uint16_t> total_length;
};

ByteVector ipv4(const Ipv4Spec& spec, const ByteVector& payload) {
    ByteVector out;
    const std::size_t header_length = 20 + spec.options.size();
    put8(out, static_cast<std::uint8_t>(0x40 | (header_length / 4)));
    put8(out, 0);
    put16(out, spec.total_length.value_or(static_cast<std::uint16_t>(header_length + payload.size())));
    put16(out, spec.identification);
    put16(out, spec.flags_and_offset);
    put8(out, spec.ttl);
    put8(out, spec.protocol);
    put16(out, 0);
    append(out, spec.source);
    append(out, spec.destination);
    append(out, spec.options);
    append(out, payload);
    return out;
}

struct Ipv6Spec {
    Ipv6Bytes source = client_v6;
    Ipv6Bytes destination = server_v6;
    std::uint8_t next_header = 6;
    std::uint8_t hop_limit = 64;
    std::optional<std::uint16_t> payload_length;
};

// `payload` starts with any extension headers.
ByteVector ipv6(const Ipv6Spec& spec, const ByteVector& payload) {
    ByteVector out{0x60, 0, 0, 0};
    put16(out, spec.payload_length.value_or(static_cast<std::uint16_t>(payload.size())));
    put8(out, spec.next_header);
    put8(out, spec.hop_limit);
    append(out, spec.source);
    append(out, spec.destination);
    append(out, payload);
    return out;
}

// Hop-by-hop, routing or destination options header of 8 * (1 + length_units) bytes.
ByteVector ipv6_option_header(std::uint8_t next_header, std::uint8_t length_units, const ByteVector& rest) {
    ByteVector out{next_header, length_units};
    ByteVector body(8u * (1u + length_units) - 2u, 0);
    body[0] = 1;  // PadN
    body[1] = static_cast<std::uint8_t>(body.size() - 2);
    append(out, body);
    append(out, rest);
    return out;
}

ByteVector ipv6_authentication_header(std::uint8_t next_header, const ByteVector& rest) {
    ByteVector out{next_header, 4, 0, 0};  // (4 + 2) * 4 = 24 bytes
    put32(out, 0x100);                     // SPI
    put32(out, 1);                         // sequence
    append(out, ByteVector(12, 0xAA));     // ICV
    append(out, rest);
    return out;
}

ByteVector ipv6_fragment_header(std::uint8_t next_header, std::uint32_t offset, bool more, std::uint32_t id,
                                const ByteVector& rest) {
    ByteVector out{next_header, 0};
    put16(out, static_cast<std::uint16_t>(offset | (more ? 1 : 0)));
    put32(out, id);
    append(out, rest);
    return out;
}

constexpr std::array<std::uint8_t, 6> mac_a{0x00, 0x11, 0x22, 0x33, 0x44, 0x55};
constexpr std::array<std::uint8_t, 6> mac_b{0x00, 0x66, 0x77, 0x88, 0x99, 0xaa};

// Ethernet with optional VLAN tags: each {tag protocol id, TCI}.
ByteVector ethernet(std::uint16_t type, const ByteVector& payload,
                    std::initializer_list<std::pair<std::uint16_t, std::uint16_t>> tags = {}) {
    ByteVector out(mac_a.begin(), mac_a.end());  // not append() into an empty vector: g++ 12 -O3 false positive
    append(out, mac_b);
    for (const auto& [tpid, tci] : tags) {
        put16(out, tpid);
        put16(out, tci);
    }
    put16(out, type);
    append(out, payload);
    return out;
}

ByteVector mpls(std::initializer_list<std::uint32_t> labels, const ByteVector& payload) {
    ByteVector out;
    std::size_t index = 0;
    for (std::uint32_t label : labels) {
        const bool bottom = ++index == labels.size();
        put32(out, (label << 12) | (bottom ? 0x100u : 0u) | 64u);
    }
    append(out, payload);
    return out;
}

ByteVector linux_sll(std::uint16_t protocol, const ByteVector& payload) {
    ByteVector out;
    put16(out, 0);  // packet type: to us
    put16(out, 1);  // ARPHRD_ETHER
    put16(out, 6);
    append(out, mac_a);
    put16(out, 0);  // address padding
    put16(out, protocol);
    append(out, payload);
    return out;
}

ByteVector linux_sll2(std::uint16_t protocol, const ByteVector& payload) {
    ByteVector out;
    put16(out, protocol);
    put16(out, 0);
    put32(out, 3);  // interface index
    put16(out, 1);  // ARPHRD_ETHER
    put8(out, 4);   // outgoing
    put8(out, 6);
    append(out, mac_a);
    put16(out, 0);
    append(out, payload);
    return out;
}

ByteVector bsd_null(std::uint32_t family, bool little_endian, const ByteVector& payload) {
    ByteVector out;
    if (little_endian) {
        put32le(out, family);
    } else {
        put32(out, family);
    }
    append(out, payload);
    return out;
}

struct GreSpec {
    std::uint16_t protocol = 0x0800;
    bool checksum = false;
    bool key = false;
    bool sequence = false;
    std::uint8_t version = 0;
};

ByteVector gre(const GreSpec& spec, const ByteVector& payload) {
    ByteVector out;
    std::uint16_t flags = spec.version;
    if (spec.checksum) flags |= 0x8000;
    if (spec.key) flags |= 0x2000;
    if (spec.sequence) flags |= 0x1000;
    put16(out, flags);
    put16(out, spec.protocol);
    if (spec.checksum) put32(out, 0xC0C0'0000);
    if (spec.key) put32(out, 0x0000'BEEF);
    if (spec.sequence) put32(out, 77);
    append(out, payload);
    return out;
}

ByteVector erspan_type_2(const ByteVector& mirrored_frame) {
    ByteVector out;
    put16(out, 0x1000 | 10);  // version 1, VLAN 10
    put16(out, 0x0000 | 42);  // session 42
    put32(out, 0x0000'0005);  // index
    append(out, mirrored_frame);
    return out;
}

ByteVector erspan_type_3(const ByteVector& mirrored, bool platform_subheader, std::uint8_t frame_type = 0) {
    ByteVector out;
    put16(out, 0x2000 | 10);  // version 2, VLAN 10
    put16(out, 42);           // session
    put32(out, 0x0102'0304);  // timestamp
    put16(out, 0);            // SGT
    put16(out, static_cast<std::uint16_t>((frame_type << 10) | (platform_subheader ? 1 : 0)));
    if (platform_subheader) {
        put32(out, 0x0C00'0001);  // platform id 3, port
        put32(out, 0x0000'0099);  // upper timestamp
    }
    append(out, mirrored);
    return out;
}

// A decoder fed frames of one link type, as one interface gives them.
class LinkDecoder {
public:
    explicit LinkDecoder(LinkType link_type, IpFragmentReassembler::Limits limits = {})
        : link_type_(link_type), decoder_(limits) {}
    DecodeResult decode(RawFrame frame) {
        frame.link_type = static_cast<int>(link_type_);
        return decoder_.decode(frame);
    }
    [[nodiscard]] const IpFragmentReassembler& fragments() const { return decoder_.fragments(); }

private:
    LinkType link_type_;
    PacketDecoder decoder_;
};

RawFrame frame_of(const ByteVector& bytes, std::uint32_t original_length = 0, std::uint64_t number = 1,
                  std::int64_t seconds = 1'600'000'000) {
    RawFrame frame;
    frame.number = number;
    frame.time = Timestamp{seconds, 0};
    frame.captured_length = static_cast<std::uint32_t>(bytes.size());
    frame.original_length = original_length == 0 ? frame.captured_length : original_length;
    frame.data = Bytes(bytes.data(), bytes.size());
    return frame;
}

// A decoded packet points into its frame's bytes, so frames built inside an
// expression are kept for the life of the test program.
const ByteVector& keep_alive(ByteVector bytes) {
    static std::deque<ByteVector> frames;
    frames.push_back(std::move(bytes));
    return frames.back();
}

DecodeResult decode_one(LinkType link_type, ByteVector bytes) {
    LinkDecoder decoder(link_type);
    return decoder.decode(frame_of(keep_alive(std::move(bytes))));
}

IpAddress v4(const Ipv4Bytes& bytes) { return IpAddress::v4(Bytes(bytes.data(), bytes.size())); }
IpAddress v6(const Ipv6Bytes& bytes) { return IpAddress::v6(Bytes(bytes.data(), bytes.size())); }

ByteVector payload_of(const DecodedPacket& packet) { return ByteVector(packet.payload.begin(), packet.payload.end()); }

const ByteVector tls_bytes = {0x16, 0x03, 0x01, 0x00, 0x05, 1, 2, 3, 4, 5};

ByteVector v4_tcp_packet(const ByteVector& payload = tls_bytes, TcpSpec spec = {}) {
    return ipv4({}, tcp(spec, payload));
}
ByteVector v6_tcp_packet(const ByteVector& payload = tls_bytes) {
    Ipv6Spec spec;
    return ipv6(spec, tcp({}, payload));
}

void expect_v4_tcp(const DecodeResult& result, const ByteVector& payload = tls_bytes) {
    ASSERT_EQ(result.status, DecodeStatus::decoded) << result.reason;
    EXPECT_EQ(result.packet.source, v4(client_v4));
    EXPECT_EQ(result.packet.destination, v4(server_v4));
    EXPECT_EQ(result.packet.transport, Transport::tcp);
    EXPECT_EQ(result.packet.ip_protocol, 6);
    EXPECT_EQ(result.packet.source_port, 22425);
    EXPECT_EQ(result.packet.destination_port, 443);
    EXPECT_EQ(payload_of(result.packet), payload);
    EXPECT_EQ(result.packet.payload_wire_length, payload.size());
    EXPECT_FALSE(result.packet.cut_by_snaplen);
}

void expect_v6_tcp(const DecodeResult& result, const ByteVector& payload = tls_bytes) {
    ASSERT_EQ(result.status, DecodeStatus::decoded) << result.reason;
    EXPECT_EQ(result.packet.source, v6(client_v6));
    EXPECT_EQ(result.packet.destination, v6(server_v6));
    EXPECT_EQ(result.packet.transport, Transport::tcp);
    EXPECT_EQ(result.packet.source_port, 22425);
    EXPECT_EQ(result.packet.destination_port, 443);
    EXPECT_EQ(payload_of(result.packet), payload);
}

// ---------------------------------------------------------------------------
// Link layers

TEST(PacketDecoderLinkLayer, EthernetIpv4Tcp) {
    const ByteVector frame = ethernet(0x0800, v4_tcp_packet());
    LinkDecoder decoder(LinkType::ethernet);
    const DecodeResult result = decoder.decode(frame_of(frame, 0, 17, 1'629'717'073));
    expect_v4_tcp(result);
    EXPECT_EQ(result.packet.frame, 17u);
    EXPECT_EQ(result.packet.time.seconds, 1'629'717'073);
    EXPECT_EQ(result.packet.ip_ttl, 64);
    EXPECT_EQ(result.packet.tcp.seq, 1000u);
    EXPECT_EQ(result.packet.tcp.flags, tcp_flag::syn);
    EXPECT_EQ(result.packet.tcp.window, 64240);
    EXPECT_EQ(result.packet.tunnel_depth, 0);
    EXPECT_FALSE(result.packet.reassembled_from_fragments);
    EXPECT_TRUE(result.reason.empty());
}

TEST(PacketDecoderLinkLayer, EthernetIpv6Tcp) {
    expect_v6_tcp(decode_one(LinkType::ethernet, ethernet(0x86DD, v6_tcp_packet())));
}

TEST(PacketDecoderLinkLayer, EthernetPaddingIsTrimmedByIpTotalLength) {
    ByteVector frame = ethernet(0x0800, v4_tcp_packet({}));  // 54 bytes: padded to 60
    frame.resize(60, 0);
    expect_v4_tcp(decode_one(LinkType::ethernet, frame), {});
}

TEST(PacketDecoderLinkLayer, VlanTagsSingleAndStacked) {
    expect_v4_tcp(decode_one(LinkType::ethernet, ethernet(0x0800, v4_tcp_packet(), {{0x8100, 10}})));
    expect_v4_tcp(decode_one(LinkType::ethernet, ethernet(0x0800, v4_tcp_packet(), {{0x88A8, 100}, {0x8100, 10}})));
    expect_v4_tcp(decode_one(LinkType::ethernet, ethernet(0x0800, v4_tcp_packet(), {{0x9100, 100}, {0x8100, 10}})));
    expect_v6_tcp(
        decode_one(LinkType::ethernet, ethernet(0x86DD, v6_tcp_packet(), {{0x88A8, 1}, {0x9100, 2}, {0x8100, 3}})));
}

TEST(PacketDecoderLinkLayer, NonIpFramesAreNotIp) {
    const ByteVector arp(28, 0x01);
    EXPECT_EQ(decode_one(LinkType::ethernet, ethernet(0x0806, arp)).status, DecodeStatus::not_ip);
    EXPECT_EQ(decode_one(LinkType::ethernet, ethernet(0x0806, arp, {{0x8100, 5}})).status, DecodeStatus::not_ip);
    // IEEE 802.3 frame: the type field is a length (an STP BPDU here).
    EXPECT_EQ(decode_one(LinkType::ethernet, ethernet(38, ByteVector(38, 0x42))).status, DecodeStatus::not_ip);
    EXPECT_EQ(decode_one(LinkType::ethernet, ethernet(0x88CC, ByteVector(30, 0))).status, DecodeStatus::not_ip);
}

TEST(PacketDecoderLinkLayer, MplsLabelStacks) {
    expect_v4_tcp(decode_one(LinkType::ethernet, ethernet(0x8847, mpls({16}, v4_tcp_packet()))));
    expect_v4_tcp(decode_one(LinkType::ethernet, ethernet(0x8847, mpls({16, 17, 18}, v4_tcp_packet()))));
    expect_v6_tcp(decode_one(LinkType::ethernet, ethernet(0x8848, mpls({100, 200}, v6_tcp_packet()), {{0x8100, 7}})));
    // A pseudowire control word (first nibble 0) or anything else is not IP.
    EXPECT_EQ(decode_one(LinkType::ethernet, ethernet(0x8847, mpls({16}, ByteVector(40, 0)))).status,
              DecodeStatus::not_ip);
    ByteVector no_bottom = ethernet(0x8847, {});
    put32(no_bottom, 16u << 12);
    const DecodeResult result = decode_one(LinkType::ethernet, no_bottom);
    EXPECT_EQ(result.status, DecodeStatus::malformed);
    EXPECT_NE(result.reason.find("MPLS"), std::string::npos) << result.reason;
}

TEST(PacketDecoderLinkLayer, LinuxCookedV1AndV2) {
    expect_v4_tcp(decode_one(LinkType::linux_sll, linux_sll(0x0800, v4_tcp_packet())));
    expect_v6_tcp(decode_one(LinkType::linux_sll, linux_sll(0x86DD, v6_tcp_packet())));
    expect_v4_tcp(decode_one(LinkType::linux_sll, linux_sll(0x8100, concat({0, 10, 0x08, 0x00}, v4_tcp_packet()))));
    EXPECT_EQ(decode_one(LinkType::linux_sll, linux_sll(0x0806, ByteVector(28, 0))).status, DecodeStatus::not_ip);
    EXPECT_EQ(decode_one(LinkType::linux_sll, linux_sll(0x0004, ByteVector(28, 0))).status, DecodeStatus::not_ip);
    expect_v4_tcp(decode_one(LinkType::linux_sll2, linux_sll2(0x0800, v4_tcp_packet())));
    expect_v6_tcp(decode_one(LinkType::linux_sll2, linux_sll2(0x86DD, v6_tcp_packet())));
    EXPECT_EQ(decode_one(LinkType::linux_sll2, linux_sll2(0x0806, ByteVector(28, 0))).status, DecodeStatus::not_ip);
}

TEST(PacketDecoderLinkLayer, RawIpByVersionNibble) {
    expect_v4_tcp(decode_one(LinkType::raw_ip, v4_tcp_packet()));
    expect_v6_tcp(decode_one(LinkType::raw_ip, v6_tcp_packet()));
    ByteVector bogus = v4_tcp_packet();
    bogus[0] = 0x55;
    const DecodeResult result = decode_one(LinkType::raw_ip, bogus);
    EXPECT_EQ(result.status, DecodeStatus::malformed);
    EXPECT_NE(result.reason.find("version 5"), std::string::npos) << result.reason;
    EXPECT_EQ(decode_one(LinkType::raw_ip, {}).status, DecodeStatus::malformed);
}

TEST(PacketDecoderLinkLayer, RawIpv4AndIpv6LinkTypes) {
    expect_v4_tcp(decode_one(LinkType::raw_ipv4, v4_tcp_packet()));
    expect_v6_tcp(decode_one(LinkType::raw_ipv6, v6_tcp_packet()));
    // The link type promises the version: a mismatch is malformed.
    EXPECT_EQ(decode_one(LinkType::raw_ipv4, v6_tcp_packet()).status, DecodeStatus::malformed);
    EXPECT_EQ(decode_one(LinkType::raw_ipv6, v4_tcp_packet()).status, DecodeStatus::malformed);
}

TEST(PacketDecoderLinkLayer, BsdNullInEitherByteOrder) {
    for (bool little_endian : {true, false}) {
        SCOPED_TRACE(little_endian ? "little endian" : "big endian");
        expect_v4_tcp(decode_one(LinkType::null_loopback, bsd_null(2, little_endian, v4_tcp_packet())));
        for (std::uint32_t af_inet6 : {10u, 24u, 28u, 30u}) {
            SCOPED_TRACE(af_inet6);
            expect_v6_tcp(decode_one(LinkType::null_loopback, bsd_null(af_inet6, little_endian, v6_tcp_packet())));
        }
        EXPECT_EQ(decode_one(LinkType::null_loopback, bsd_null(7, little_endian, ByteVector(40, 0))).status,
                  DecodeStatus::not_ip);
    }
}

TEST(PacketDecoderLinkLayer, BsdLoopIsNetworkByteOrder) {
    expect_v4_tcp(decode_one(LinkType::bsd_loop, bsd_null(2, false, v4_tcp_packet())));
    expect_v6_tcp(decode_one(LinkType::bsd_loop, bsd_null(24, false, v6_tcp_packet())));
    EXPECT_EQ(decode_one(LinkType::bsd_loop, bsd_null(2, true, v4_tcp_packet())).status, DecodeStatus::not_ip);
}

// ---------------------------------------------------------------------------
// Tunnels

ByteVector outer_gre_packet(const ByteVector& gre_bytes) {
    Ipv4Spec outer;
    outer.source = router_v4;
    outer.destination = {10, 0, 0, 2};
    outer.protocol = 47;
    outer.ttl = 255;
    return ipv4(outer, gre_bytes);
}

TEST(PacketDecoderTunnels, GreWithEveryCombinationOfOptionalFields) {
    for (int mask = 0; mask < 8; ++mask) {
        GreSpec spec;
        spec.checksum = mask & 1;
        spec.key = mask & 2;
        spec.sequence = mask & 4;
        SCOPED_TRACE("GRE flags mask " + std::to_string(mask));
        spec.protocol = 0x0800;
        const DecodeResult v4_result =
            decode_one(LinkType::ethernet, ethernet(0x0800, outer_gre_packet(gre(spec, v4_tcp_packet()))));
        expect_v4_tcp(v4_result);
        EXPECT_EQ(v4_result.packet.tunnel_depth, 1);
        EXPECT_EQ(v4_result.packet.ip_ttl, 64) << "TTL is the inner packet's";
        spec.protocol = 0x86DD;
        expect_v6_tcp(decode_one(LinkType::ethernet, ethernet(0x0800, outer_gre_packet(gre(spec, v6_tcp_packet())))));
    }
}

TEST(PacketDecoderTunnels, GreRoutingEntriesAreSkipped) {
    ByteVector gre_bytes;
    put16(gre_bytes, 0x4000);  // R: checksum/offset field and routing present
    put16(gre_bytes, 0x0800);
    put32(gre_bytes, 0);                              // checksum + offset
    append(gre_bytes, ByteVector{0x08, 0x00, 0, 8});  // IPv4 SRE, 8 bytes of addresses
    append(gre_bytes, ByteVector(8, 0x0A));
    append(gre_bytes, ByteVector{0, 0, 0, 0});  // terminating null SRE
    append(gre_bytes, v4_tcp_packet());
    expect_v4_tcp(decode_one(LinkType::raw_ip, outer_gre_packet(gre_bytes)));
}

TEST(PacketDecoderTunnels, GreVersionOneAndUnknownPayloadsAreNotIp) {
    GreSpec pptp;
    pptp.version = 1;
    pptp.protocol = 0x880B;
    pptp.key = true;
    EXPECT_EQ(decode_one(LinkType::raw_ip, outer_gre_packet(gre(pptp, ByteVector(20, 0xFF)))).status,
              DecodeStatus::not_ip);
    GreSpec arp;
    arp.protocol = 0x0806;
    EXPECT_EQ(decode_one(LinkType::raw_ip, outer_gre_packet(gre(arp, ByteVector(28, 0)))).status, DecodeStatus::not_ip);
}

TEST(PacketDecoderTunnels, GreTransparentEthernetBridging) {
    GreSpec spec;
    spec.protocol = 0x6558;
    spec.key = true;
    const DecodeResult result =
        decode_one(LinkType::ethernet,
                   ethernet(0x0800, outer_gre_packet(gre(spec, ethernet(0x0800, v4_tcp_packet(), {{0x8100, 3}})))));
    expect_v4_tcp(result);
    EXPECT_EQ(result.packet.tunnel_depth, 1);
}

TEST(PacketDecoderTunnels, ErspanTypeOneHasNoHeader) {
    GreSpec spec;
    spec.protocol = 0x88BE;
    expect_v4_tcp(decode_one(LinkType::ethernet,
                             ethernet(0x0800, outer_gre_packet(gre(spec, ethernet(0x0800, v4_tcp_packet()))))));
}

TEST(PacketDecoderTunnels, ErspanTypeTwo) {
    GreSpec spec;
    spec.protocol = 0x88BE;
    spec.sequence = true;
    const DecodeResult result = decode_one(
        LinkType::ethernet,
        ethernet(0x0800,
                 outer_gre_packet(gre(spec, erspan_type_2(ethernet(0x0800, v4_tcp_packet(), {{0x8100, 10}}))))));
    expect_v4_tcp(result);
    EXPECT_EQ(result.packet.tunnel_depth, 1);
    expect_v6_tcp(
        decode_one(LinkType::ethernet,
                   ethernet(0x0800, outer_gre_packet(gre(spec, erspan_type_2(ethernet(0x86DD, v6_tcp_packet())))))));
}

TEST(PacketDecoderTunnels, ErspanTypeThreeWithAndWithoutSubheader) {
    GreSpec spec;
    spec.protocol = 0x22EB;
    spec.sequence = true;
    for (bool subheader : {false, true}) {
        SCOPED_TRACE(subheader ? "with platform subheader" : "without platform subheader");
        const DecodeResult result = decode_one(
            LinkType::ethernet,
            ethernet(0x0800, outer_gre_packet(gre(spec, erspan_type_3(ethernet(0x0800, v4_tcp_packet()), subheader)))));
        expect_v4_tcp(result);
        EXPECT_EQ(result.packet.tunnel_depth, 1);
        // Frame type 2: the mirrored frame is an IP packet without Ethernet.
        expect_v6_tcp(
            decode_one(LinkType::raw_ip, outer_gre_packet(gre(spec, erspan_type_3(v6_tcp_packet(), subheader, 2)))));
    }
}

TEST(PacketDecoderTunnels, ErspanOfNonIpFrameIsNotIp) {
    GreSpec spec;
    spec.protocol = 0x88BE;
    spec.sequence = true;
    EXPECT_EQ(
        decode_one(LinkType::raw_ip, outer_gre_packet(gre(spec, erspan_type_2(ethernet(0x0806, ByteVector(28, 0))))))
            .status,
        DecodeStatus::not_ip);
}

TEST(PacketDecoderTunnels, ErspanUnknownVersionIsMalformed) {
    GreSpec spec;
    spec.protocol = 0x88BE;
    spec.sequence = true;
    ByteVector header = erspan_type_2(ethernet(0x0800, v4_tcp_packet()));
    header[0] = 0x70;
    const DecodeResult result = decode_one(LinkType::raw_ip, outer_gre_packet(gre(spec, header)));
    EXPECT_EQ(result.status, DecodeStatus::malformed);
    EXPECT_NE(result.reason.find("ERSPAN"), std::string::npos) << result.reason;
}

ByteVector nest_in_gre(ByteVector inner, int levels) {
    for (int level = 0; level < levels; ++level) inner = outer_gre_packet(gre({}, inner));
    return inner;
}

TEST(PacketDecoderTunnels, NestingIsCounted) {
    for (int levels = 1; levels <= 4; ++levels) {
        const DecodeResult result = decode_one(LinkType::raw_ip, nest_in_gre(v4_tcp_packet(), levels));
        expect_v4_tcp(result);
        EXPECT_EQ(result.packet.tunnel_depth, levels);
    }
}

TEST(PacketDecoderTunnels, NestingDeeperThanTheCapIsMalformed) {
    const DecodeResult result = decode_one(LinkType::raw_ip, nest_in_gre(v4_tcp_packet(), 5));
    EXPECT_EQ(result.status, DecodeStatus::malformed);
    EXPECT_NE(result.reason.find("GRE"), std::string::npos) << result.reason;
}

// ---------------------------------------------------------------------------
// IP layer

TEST(PacketDecoderIp, Ipv4OptionsAreSkipped) {
    for (std::size_t option_words = 1; option_words <= 10; ++option_words) {
        Ipv4Spec spec;
        spec.options = ByteVector(option_words * 4, 0x01);  // NOPs
        spec.options.back() = 0;                            // end of options
        expect_v4_tcp(decode_one(LinkType::raw_ip, ipv4(spec, tcp({}, tls_bytes))));
    }
}

TEST(PacketDecoderIp, Ipv4HeaderProblemsAreMalformed) {
    ByteVector short_ihl = v4_tcp_packet();
    short_ihl[0] = 0x44;
    DecodeResult result = decode_one(LinkType::raw_ipv4, short_ihl);
    EXPECT_EQ(result.status, DecodeStatus::malformed);
    EXPECT_EQ(result.reason, "IPv4: header length 16 < 20");

    Ipv4Spec too_short_total;
    too_short_total.total_length = 12;
    result = decode_one(LinkType::raw_ipv4, ipv4(too_short_total, tcp({}, tls_bytes)));
    EXPECT_EQ(result.status, DecodeStatus::malformed);
    EXPECT_NE(result.reason.find("total length 12"), std::string::npos) << result.reason;

    Ipv4Spec too_long_total;
    too_long_total.total_length = 1500;
    result = decode_one(LinkType::raw_ipv4, ipv4(too_long_total, tcp({}, tls_bytes)));
    EXPECT_EQ(result.status, DecodeStatus::malformed) << "not cut by the snap length, so the header lies";

    ByteVector header_beyond_packet = ipv4({}, {});
    header_beyond_packet[0] = 0x4F;
    EXPECT_EQ(decode_one(LinkType::raw_ipv4, header_beyond_packet).status, DecodeStatus::malformed);
}

TEST(PacketDecoderIp, Ipv4TotalLengthZeroMeansSegmentationOffload) {
    Ipv4Spec spec;
    spec.total_length = 0;
    expect_v4_tcp(decode_one(LinkType::raw_ip, ipv4(spec, tcp({}, tls_bytes))));
}

TEST(PacketDecoderIp, TtlAndHopLimit) {
    Ipv4Spec v4_spec;
    v4_spec.ttl = 3;
    EXPECT_EQ(decode_one(LinkType::raw_ip, ipv4(v4_spec, tcp({}, {}))).packet.ip_ttl, 3);
    Ipv6Spec v6_spec;
    v6_spec.hop_limit = 250;
    EXPECT_EQ(decode_one(LinkType::raw_ip, ipv6(v6_spec, tcp({}, {}))).packet.ip_ttl, 250);
}

TEST(PacketDecoderIp, Ipv6ExtensionHeaderChain) {
    Ipv6Spec spec;
    spec.next_header = 0;  // hop-by-hop, routing, AH, destination options, TCP
    const ByteVector chain = ipv6_option_header(
        43, 0, ipv6_option_header(51, 1, ipv6_authentication_header(60, ipv6_option_header(6, 2, tcp({}, tls_bytes)))));
    const DecodeResult result = decode_one(LinkType::raw_ip, ipv6(spec, chain));
    expect_v6_tcp(result);
    EXPECT_EQ(result.packet.ip_protocol, 6);
}

TEST(PacketDecoderIp, Ipv6EspAndNoNextHeaderStopTheWalk) {
    Ipv6Spec spec;
    spec.next_header = 60;
    DecodeResult result = decode_one(LinkType::raw_ip, ipv6(spec, ipv6_option_header(50, 0, ByteVector(32, 0xEE))));
    ASSERT_EQ(result.status, DecodeStatus::decoded) << result.reason;
    EXPECT_EQ(result.packet.ip_protocol, 50);
    EXPECT_EQ(result.packet.transport, Transport::other);
    EXPECT_EQ(result.packet.payload.size(), 32u);

    spec.next_header = 59;
    result = decode_one(LinkType::raw_ip, ipv6(spec, {}));
    ASSERT_EQ(result.status, DecodeStatus::decoded) << result.reason;
    EXPECT_EQ(result.packet.ip_protocol, 59);
}

TEST(PacketDecoderIp, Ipv6TooManyExtensionHeadersIsMalformed) {
    ByteVector chain = tcp({}, {});
    for (int count = 0; count < 11; ++count) chain = ipv6_option_header(count == 0 ? 6 : 60, 0, chain);
    Ipv6Spec spec;
    spec.next_header = 60;
    const DecodeResult result = decode_one(LinkType::raw_ip, ipv6(spec, chain));
    EXPECT_EQ(result.status, DecodeStatus::malformed);
    EXPECT_NE(result.reason.find("extension headers"), std::string::npos) << result.reason;
}

TEST(PacketDecoderIp, Ipv6ExtensionHeaderLongerThanPacketIsMalformed) {
    Ipv6Spec spec;
    spec.next_header = 0;
    ByteVector chain = ipv6_option_header(6, 0, tcp({}, {}));
    chain[1] = 30;  // claims 248 bytes
    EXPECT_EQ(decode_one(LinkType::raw_ip, ipv6(spec, chain)).status, DecodeStatus::malformed);
}

TEST(PacketDecoderIp, Ipv6AtomicFragmentIsAWholePacket) {
    Ipv6Spec spec;
    spec.next_header = 44;
    expect_v6_tcp(decode_one(LinkType::raw_ip, ipv6(spec, ipv6_fragment_header(6, 0, false, 9, tcp({}, tls_bytes)))));
}

// ---------------------------------------------------------------------------
// Fragments through the decoder

std::vector<ByteVector> ipv4_fragments(const ByteVector& datagram_payload, std::size_t fragment_size,
                                       std::uint16_t identification = 0x4242) {
    std::vector<ByteVector> fragments;
    for (std::size_t offset = 0; offset < datagram_payload.size(); offset += fragment_size) {
        const std::size_t length = std::min(fragment_size, datagram_payload.size() - offset);
        Ipv4Spec spec;
        spec.identification = identification;
        const bool more = offset + length < datagram_payload.size();
        spec.flags_and_offset = static_cast<std::uint16_t>((more ? 0x2000 : 0) | (offset / 8));
        fragments.push_back(
            ipv4(spec, ByteVector(datagram_payload.begin() + static_cast<std::ptrdiff_t>(offset),
                                  datagram_payload.begin() + static_cast<std::ptrdiff_t>(offset + length))));
    }
    return fragments;
}

std::vector<ByteVector> ipv6_fragments(const ByteVector& fragmentable, std::uint8_t first_header,
                                       std::size_t fragment_size) {
    std::vector<ByteVector> fragments;
    for (std::size_t offset = 0; offset < fragmentable.size(); offset += fragment_size) {
        const std::size_t length = std::min(fragment_size, fragmentable.size() - offset);
        const bool more = offset + length < fragmentable.size();
        Ipv6Spec spec;
        spec.next_header = 0;  // hop-by-hop before the fragment header: part of the unfragmentable part
        fragments.push_back(ipv6(
            spec,
            ipv6_option_header(44, 0,
                               ipv6_fragment_header(
                                   first_header, static_cast<std::uint32_t>(offset), more, 0xABCDEF01,
                                   ByteVector(fragmentable.begin() + static_cast<std::ptrdiff_t>(offset),
                                              fragmentable.begin() + static_cast<std::ptrdiff_t>(offset + length))))));
    }
    return fragments;
}

TEST(PacketDecoderFragments, Ipv4InOrderIsAttributedToTheCompletingFrame) {
    const ByteVector big_payload = filler(1000);
    const auto fragments = ipv4_fragments(tcp({}, big_payload), 256);
    ASSERT_EQ(fragments.size(), 4u);
    LinkDecoder decoder(LinkType::raw_ip);
    for (std::size_t index = 0; index + 1 < fragments.size(); ++index) {
        EXPECT_EQ(decoder.decode(frame_of(fragments[index], 0, index + 1)).status, DecodeStatus::fragment_pending);
    }
    const DecodeResult result = decoder.decode(frame_of(fragments.back(), 0, 4));
    expect_v4_tcp(result, big_payload);
    EXPECT_EQ(result.packet.frame, 4u);
    EXPECT_TRUE(result.packet.reassembled_from_fragments);
    EXPECT_EQ(decoder.fragments().counters().datagrams_reassembled, 1u);
    EXPECT_EQ(decoder.fragments().pending(), 0u);
}

TEST(PacketDecoderFragments, Ipv4ReversedOrder) {
    const ByteVector big_payload = filler(600);
    auto fragments = ipv4_fragments(tcp({}, big_payload), 200);
    LinkDecoder decoder(LinkType::raw_ip);
    for (std::size_t index = fragments.size(); index-- > 1;) {
        EXPECT_EQ(decoder.decode(frame_of(fragments[index])).status, DecodeStatus::fragment_pending);
    }
    expect_v4_tcp(decoder.decode(frame_of(fragments.front())), big_payload);
}

TEST(PacketDecoderFragments, Ipv4OverlapKeepsTheFirstCopy) {
    const ByteVector datagram = tcp({}, filler(64));
    Ipv4Spec first;
    first.flags_and_offset = 0x2000;
    Ipv4Spec overlap;
    overlap.flags_and_offset = 0x2000 | 2;  // offset 16
    Ipv4Spec last;
    last.flags_and_offset = 5;  // offset 40
    LinkDecoder decoder(LinkType::raw_ip);
    const ByteVector first_bytes = ipv4(first, ByteVector(datagram.begin(), datagram.begin() + 24));
    const ByteVector overlapping = ipv4(overlap, ByteVector(40, 0xEE));  // bytes 16..55, all rewritten
    const ByteVector last_bytes = ipv4(last, ByteVector(datagram.begin() + 40, datagram.end()));
    EXPECT_EQ(decoder.decode(frame_of(first_bytes)).status, DecodeStatus::fragment_pending);
    EXPECT_EQ(decoder.decode(frame_of(overlapping)).status, DecodeStatus::fragment_pending);
    const DecodeResult result = decoder.decode(frame_of(last_bytes));
    ASSERT_EQ(result.status, DecodeStatus::decoded) << result.reason;
    ByteVector expected(datagram.begin() + 20, datagram.end());
    // The overlapping fragment came first for bytes 24..55; the first fragment kept 16..23 and the last 56..83.
    for (std::size_t index = 24; index < 56; ++index) expected[index - 20] = 0xEE;
    EXPECT_EQ(payload_of(result.packet), expected);
}

TEST(PacketDecoderFragments, Ipv4DuplicateFragmentsAndIncompleteDatagram) {
    const auto fragments = ipv4_fragments(tcp({}, filler(300)), 112);
    ASSERT_EQ(fragments.size(), 3u);
    LinkDecoder decoder(LinkType::raw_ip);
    EXPECT_EQ(decoder.decode(frame_of(fragments[0])).status, DecodeStatus::fragment_pending);
    EXPECT_EQ(decoder.decode(frame_of(fragments[0])).status, DecodeStatus::fragment_pending);
    EXPECT_EQ(decoder.decode(frame_of(fragments[2])).status, DecodeStatus::fragment_pending);
    EXPECT_EQ(decoder.decode(frame_of(fragments[2])).status, DecodeStatus::fragment_pending);
    EXPECT_EQ(decoder.fragments().pending(), 1u);
    expect_v4_tcp(decoder.decode(frame_of(fragments[1])), filler(300));
}

TEST(PacketDecoderFragments, Ipv4FragmentsTimeOutByCaptureTime) {
    const auto fragments = ipv4_fragments(tcp({}, filler(300)), 160);
    LinkDecoder decoder(LinkType::raw_ip);
    EXPECT_EQ(decoder.decode(frame_of(fragments[0], 0, 1, 1000)).status, DecodeStatus::fragment_pending);
    EXPECT_EQ(decoder.decode(frame_of(fragments[1], 0, 2, 1061)).status, DecodeStatus::fragment_pending);
    EXPECT_EQ(decoder.fragments().counters().datagrams_dropped, 1u);
}

TEST(PacketDecoderFragments, Ipv4OverTheDatagramCap) {
    IpFragmentReassembler::Limits limits;
    limits.max_datagram_bytes = 200;
    LinkDecoder decoder(LinkType::raw_ip, limits);
    const auto fragments = ipv4_fragments(tcp({}, filler(300)), 160);
    EXPECT_EQ(decoder.decode(frame_of(fragments[0])).status, DecodeStatus::fragment_pending);
    EXPECT_EQ(decoder.decode(frame_of(fragments[1])).status, DecodeStatus::fragment_pending);
    EXPECT_EQ(decoder.fragments().counters().datagrams_dropped, 1u);
    EXPECT_EQ(decoder.fragments().counters().datagrams_reassembled, 0u);
}

TEST(PacketDecoderFragments, Ipv6FragmentsWithExtensionHeadersInTheFragmentablePart) {
    const ByteVector fragmentable = ipv6_option_header(6, 0, tcp({}, filler(500)));
    for (bool reversed : {false, true}) {
        auto fragments = ipv6_fragments(fragmentable, 60, 200);
        ASSERT_EQ(fragments.size(), 3u);
        if (reversed) std::reverse(fragments.begin(), fragments.end());
        LinkDecoder decoder(LinkType::raw_ip);
        EXPECT_EQ(decoder.decode(frame_of(fragments[0])).status, DecodeStatus::fragment_pending);
        EXPECT_EQ(decoder.decode(frame_of(fragments[1])).status, DecodeStatus::fragment_pending);
        const DecodeResult result = decoder.decode(frame_of(fragments[2], 0, 3));
        expect_v6_tcp(result, filler(500));
        EXPECT_TRUE(result.packet.reassembled_from_fragments);
        EXPECT_EQ(result.packet.frame, 3u);
        EXPECT_EQ(result.packet.ip_protocol, 6);
    }
}

TEST(PacketDecoderFragments, FragmentsInsideATunnel) {
    const auto fragments = ipv4_fragments(tcp({}, filler(400)), 200);
    LinkDecoder decoder(LinkType::ethernet);
    GreSpec spec;
    spec.protocol = 0x6558;
    for (std::size_t index = 0; index < fragments.size(); ++index) {
        const ByteVector frame = ethernet(0x0800, outer_gre_packet(gre(spec, ethernet(0x0800, fragments[index]))));
        const DecodeResult result = decoder.decode(frame_of(frame));
        if (index + 1 < fragments.size()) {
            EXPECT_EQ(result.status, DecodeStatus::fragment_pending);
        } else {
            expect_v4_tcp(result, filler(400));
            EXPECT_EQ(result.packet.tunnel_depth, 1);
        }
    }
}

TEST(PacketDecoderFragments, TunnelCarriedInFragments) {
    const ByteVector gre_bytes = gre({}, v4_tcp_packet(filler(300)));
    Ipv4Spec outer;
    outer.source = router_v4;
    outer.protocol = 47;
    LinkDecoder decoder(LinkType::raw_ip);
    outer.flags_and_offset = 0x2000;
    EXPECT_EQ(decoder.decode(frame_of(ipv4(outer, ByteVector(gre_bytes.begin(), gre_bytes.begin() + 200)))).status,
              DecodeStatus::fragment_pending);
    outer.flags_and_offset = 200 / 8;
    const DecodeResult result =
        decoder.decode(frame_of(ipv4(outer, ByteVector(gre_bytes.begin() + 200, gre_bytes.end()))));
    expect_v4_tcp(result, filler(300));
    EXPECT_TRUE(result.packet.reassembled_from_fragments);
    EXPECT_EQ(result.packet.tunnel_depth, 1);
}

// ---------------------------------------------------------------------------
// Transport layer

TEST(PacketDecoderTransport, TcpWindowScaleOnSyn) {
    TcpSpec spec;
    // MSS 1460, SACK permitted, timestamps, NOP, window scale 7.
    spec.options = {2, 4, 0x05, 0xB4, 4, 2, 8, 10, 0, 0, 0, 1, 0, 0, 0, 0, 1, 3, 3, 7};
    DecodeResult result = decode_one(LinkType::raw_ip, ipv4({}, tcp(spec, {})));
    ASSERT_EQ(result.status, DecodeStatus::decoded) << result.reason;
    EXPECT_TRUE(result.packet.tcp.has_window_scale);
    EXPECT_EQ(result.packet.tcp.window_scale, 7);

    spec.options = {1, 3, 3, 20};  // RFC 7323: a shift over 14 means 14
    result = decode_one(LinkType::raw_ip, ipv4({}, tcp(spec, {})));
    EXPECT_EQ(result.packet.tcp.window_scale, 14);

    spec.flags = tcp_flag::ack;  // only meaningful on SYNs
    spec.options = {1, 3, 3, 7};
    result = decode_one(LinkType::raw_ip, ipv4({}, tcp(spec, {})));
    EXPECT_FALSE(result.packet.tcp.has_window_scale);
    EXPECT_EQ(result.packet.tcp.window_scale, 0);

    spec.flags = tcp_flag::syn | tcp_flag::ack;
    spec.options = {2, 0, 3, 3, 7, 0, 0, 0};  // option length 0: stop, no crash, no scale
    result = decode_one(LinkType::raw_ip, ipv4({}, tcp(spec, {})));
    ASSERT_EQ(result.status, DecodeStatus::decoded) << result.reason;
    EXPECT_FALSE(result.packet.tcp.has_window_scale);

    spec.options = {0, 3, 3, 7};  // after end of option list
    result = decode_one(LinkType::raw_ip, ipv4({}, tcp(spec, {})));
    EXPECT_FALSE(result.packet.tcp.has_window_scale);
}

TEST(PacketDecoderTransport, TcpFieldsAndHeaderProblems) {
    TcpSpec spec;
    spec.flags = tcp_flag::psh | tcp_flag::ack;
    spec.seq = 0xFFFF'FFF0;
    spec.ack = 0x1234'5678;
    spec.window = 501;
    DecodeResult result = decode_one(LinkType::raw_ip, ipv4({}, tcp(spec, tls_bytes)));
    ASSERT_EQ(result.status, DecodeStatus::decoded);
    EXPECT_EQ(result.packet.tcp.seq, 0xFFFF'FFF0u);
    EXPECT_EQ(result.packet.tcp.ack, 0x1234'5678u);
    EXPECT_EQ(result.packet.tcp.flags, tcp_flag::psh | tcp_flag::ack);
    EXPECT_EQ(result.packet.tcp.window, 501);

    ByteVector small_offset = tcp(spec, {});
    small_offset[12] = 0x40;
    result = decode_one(LinkType::raw_ip, ipv4({}, small_offset));
    EXPECT_EQ(result.status, DecodeStatus::malformed);
    EXPECT_EQ(result.reason, "TCP: data offset 16 < 20");

    ByteVector large_offset = tcp(spec, {});
    large_offset[12] = 0xF0;
    result = decode_one(LinkType::raw_ip, ipv4({}, large_offset));
    EXPECT_EQ(result.status, DecodeStatus::malformed);
    EXPECT_NE(result.reason.find("TCP"), std::string::npos);
}

TEST(PacketDecoderTransport, Udp) {
    Ipv4Spec spec;
    spec.protocol = 17;
    const ByteVector dns_query = filler(30);
    DecodeResult result = decode_one(LinkType::raw_ip, ipv4(spec, udp(51000, 53, dns_query)));
    ASSERT_EQ(result.status, DecodeStatus::decoded) << result.reason;
    EXPECT_EQ(result.packet.transport, Transport::udp);
    EXPECT_EQ(result.packet.source_port, 51000);
    EXPECT_EQ(result.packet.destination_port, 53);
    EXPECT_EQ(payload_of(result.packet), dns_query);

    ByteVector shorter = udp(51000, 53, dns_query);
    shorter[5] = 8 + 10;  // UDP length covers 10 payload bytes
    result = decode_one(LinkType::raw_ip, ipv4(spec, shorter));
    EXPECT_EQ(result.packet.payload.size(), 10u);
    EXPECT_EQ(result.packet.payload_wire_length, 10u);

    result = decode_one(LinkType::raw_ip, ipv4(spec, ByteVector(5, 0)));
    EXPECT_EQ(result.status, DecodeStatus::malformed);
}

ByteVector quoted_syn_v4() {
    TcpSpec syn;
    syn.seq = 0xDEAD'BEEF;
    ByteVector original = ipv4({}, tcp(syn, {}));
    original.resize(28);  // IP header + first 8 bytes of TCP, as routers quote
    return original;
}

TEST(PacketDecoderTransport, IcmpUnreachableQuotingTcpSyn) {
    Ipv4Spec spec;
    spec.source = router_v4;
    spec.destination = client_v4;
    spec.protocol = 1;
    const DecodeResult result = decode_one(LinkType::raw_ip, ipv4(spec, icmp(3, 13, quoted_syn_v4())));
    ASSERT_EQ(result.status, DecodeStatus::decoded) << result.reason;
    EXPECT_EQ(result.packet.transport, Transport::icmp);
    ASSERT_TRUE(result.packet.icmp.has_value());
    const IcmpMessage& message = *result.packet.icmp;
    EXPECT_FALSE(message.v6);
    EXPECT_TRUE(message.is_destination_unreachable());
    EXPECT_EQ(message.code, 13);
    ASSERT_TRUE(message.quote.has_value());
    EXPECT_EQ(message.quote->source, v4(client_v4));
    EXPECT_EQ(message.quote->destination, v4(server_v4));
    EXPECT_EQ(message.quote->protocol, 6);
    EXPECT_EQ(message.quote->source_port, 22425);
    EXPECT_EQ(message.quote->destination_port, 443);
    EXPECT_EQ(message.quote->tcp_seq, 0xDEAD'BEEFu);
}

TEST(PacketDecoderTransport, IcmpErrorTypesQuoteOthersDoNot) {
    Ipv4Spec spec;
    spec.protocol = 1;
    for (std::uint8_t type : {3, 4, 5, 11, 12}) {
        const DecodeResult result = decode_one(LinkType::raw_ip, ipv4(spec, icmp(type, 0, quoted_syn_v4())));
        ASSERT_TRUE(result.packet.icmp.has_value());
        EXPECT_TRUE(result.packet.icmp->quote.has_value()) << int{type};
    }
    const DecodeResult echo = decode_one(LinkType::raw_ip, ipv4(spec, icmp(8, 0, filler(32))));
    ASSERT_EQ(echo.status, DecodeStatus::decoded);
    EXPECT_FALSE(echo.packet.icmp->quote.has_value());
    EXPECT_EQ(echo.packet.payload.size(), 32u);
    // A garbage quote leaves the message decoded, without a quote.
    const DecodeResult garbage = decode_one(LinkType::raw_ip, ipv4(spec, icmp(3, 1, ByteVector(12, 0x99))));
    ASSERT_EQ(garbage.status, DecodeStatus::decoded);
    EXPECT_FALSE(garbage.packet.icmp->quote.has_value());
    EXPECT_EQ(decode_one(LinkType::raw_ip, ipv4(spec, ByteVector{3, 1, 0})).status, DecodeStatus::malformed);
}

TEST(PacketDecoderTransport, IcmpQuoteOfUdpAndOfLaterFragment) {
    Ipv4Spec spec;
    spec.protocol = 1;
    Ipv4Spec quoted_spec;
    quoted_spec.protocol = 17;
    DecodeResult result =
        decode_one(LinkType::raw_ip, ipv4(spec, icmp(3, 3, ipv4(quoted_spec, udp(5353, 53, filler(20))))));
    ASSERT_TRUE(result.packet.icmp && result.packet.icmp->quote);
    EXPECT_EQ(result.packet.icmp->quote->destination_port, 53);
    EXPECT_FALSE(result.packet.icmp->quote->tcp_seq.has_value());

    quoted_spec.protocol = 6;
    quoted_spec.flags_and_offset = 100;  // not the first fragment: no ports in it
    result = decode_one(LinkType::raw_ip, ipv4(spec, icmp(3, 4, ipv4(quoted_spec, filler(8)))));
    ASSERT_TRUE(result.packet.icmp && result.packet.icmp->quote);
    EXPECT_EQ(result.packet.icmp->quote->source_port, 0);
}

TEST(PacketDecoderTransport, Icmpv6UnreachableQuotingTcpSyn) {
    TcpSpec syn;
    syn.seq = 77;
    Ipv6Spec quoted_spec;
    quoted_spec.next_header = 60;
    ByteVector quoted = ipv6(quoted_spec, ipv6_option_header(6, 0, tcp(syn, {})));
    Ipv6Spec spec;
    spec.source = router_v6;
    spec.destination = client_v6;
    spec.next_header = 58;
    for (std::uint8_t type : {1, 2, 3, 4}) {
        const DecodeResult result = decode_one(LinkType::raw_ip, ipv6(spec, icmp(type, 4, quoted)));
        ASSERT_EQ(result.status, DecodeStatus::decoded) << result.reason;
        ASSERT_TRUE(result.packet.icmp.has_value());
        EXPECT_TRUE(result.packet.icmp->v6);
        EXPECT_EQ(result.packet.icmp->is_destination_unreachable(), type == 1);
        ASSERT_TRUE(result.packet.icmp->quote.has_value());
        EXPECT_EQ(result.packet.icmp->quote->source, v6(client_v6));
        EXPECT_EQ(result.packet.icmp->quote->destination, v6(server_v6));
        EXPECT_EQ(result.packet.icmp->quote->source_port, 22425);
        EXPECT_EQ(result.packet.icmp->quote->tcp_seq, 77u);
    }
    const DecodeResult echo = decode_one(LinkType::raw_ip, ipv6(spec, icmp(128, 0, filler(8))));
    EXPECT_FALSE(echo.packet.icmp->quote.has_value());
}

// ---------------------------------------------------------------------------
// Snap length

DecodeResult decode_cut(LinkType link_type, const ByteVector& full, std::size_t captured_length) {
    const ByteVector& captured =
        keep_alive(ByteVector(full.begin(), full.begin() + static_cast<std::ptrdiff_t>(captured_length)));
    LinkDecoder decoder(link_type);
    return decoder.decode(frame_of(captured, static_cast<std::uint32_t>(full.size())));
}

TEST(PacketDecoderSnapLength, PayloadCutIsDecodedAsFarAsTheBytesGo) {
    const ByteVector full = ethernet(0x0800, v4_tcp_packet(filler(1000)));
    const DecodeResult result = decode_cut(LinkType::ethernet, full, 96);
    ASSERT_EQ(result.status, DecodeStatus::decoded) << result.reason;
    EXPECT_TRUE(result.packet.cut_by_snaplen);
    EXPECT_EQ(result.packet.payload.size(), 96u - 54u);
    EXPECT_EQ(result.packet.payload_wire_length, 1000u);
    EXPECT_EQ(result.packet.destination_port, 443);
}

TEST(PacketDecoderSnapLength, Ipv6AndTunnelledPacketsCut) {
    const ByteVector v6_full = linux_sll(0x86DD, v6_tcp_packet(filler(500)));
    DecodeResult result = decode_cut(LinkType::linux_sll, v6_full, 100);
    ASSERT_EQ(result.status, DecodeStatus::decoded) << result.reason;
    EXPECT_TRUE(result.packet.cut_by_snaplen);
    EXPECT_EQ(result.packet.payload_wire_length, 500u);

    GreSpec spec;
    spec.protocol = 0x88BE;
    spec.sequence = true;
    const ByteVector tunnelled =
        ethernet(0x0800, outer_gre_packet(gre(spec, erspan_type_2(ethernet(0x0800, v4_tcp_packet(filler(700)))))));
    result = decode_cut(LinkType::ethernet, tunnelled, 200);
    ASSERT_EQ(result.status, DecodeStatus::decoded) << result.reason;
    EXPECT_TRUE(result.packet.cut_by_snaplen);
    EXPECT_EQ(result.packet.payload_wire_length, 700u);
    EXPECT_EQ(result.packet.tunnel_depth, 1);
}

TEST(PacketDecoderSnapLength, CutOnlyInThePaddingIsNotCut) {
    ByteVector full = ethernet(0x0800, v4_tcp_packet({}));
    full.resize(60, 0);
    const DecodeResult result = decode_cut(LinkType::ethernet, full, 54);
    ASSERT_EQ(result.status, DecodeStatus::decoded);
    EXPECT_FALSE(result.packet.cut_by_snaplen);
}

TEST(PacketDecoderSnapLength, CutFragmentCannotBeReassembled) {
    const auto fragments = ipv4_fragments(tcp({}, filler(600)), 304);
    const DecodeResult result = decode_cut(LinkType::raw_ip, fragments[0], 100);
    EXPECT_EQ(result.status, DecodeStatus::malformed);
    EXPECT_NE(result.reason.find("snap length"), std::string::npos) << result.reason;
}

// ---------------------------------------------------------------------------
// Every header truncated at every length

struct LayeredFrame {
    std::string name;
    LinkType link_type;
    ByteVector bytes;
    std::size_t headers_length;  // bytes before the transport payload
    std::size_t payload_length;
    std::size_t tcp_options_length = 0;  // the last header bytes: a cut there leaves the segment readable
};

std::vector<LayeredFrame> layered_frames() {
    const ByteVector payload = filler(40);
    const ByteVector v4_packet = v4_tcp_packet(payload);
    const ByteVector v6_packet = v6_tcp_packet(payload);
    Ipv6Spec chain_spec;
    chain_spec.next_header = 0;
    const ByteVector v6_chain = ipv6(
        chain_spec,
        ipv6_option_header(
            43, 0,
            ipv6_option_header(51, 0, ipv6_authentication_header(60, ipv6_option_header(6, 0, tcp({}, payload))))));
    Ipv4Spec with_options;
    with_options.options = ByteVector(12, 1);
    GreSpec all_fields;
    all_fields.checksum = all_fields.key = all_fields.sequence = true;
    GreSpec erspan2;
    erspan2.protocol = 0x88BE;
    erspan2.sequence = true;
    GreSpec erspan3;
    erspan3.protocol = 0x22EB;
    erspan3.sequence = true;
    GreSpec bridging;
    bridging.protocol = 0x6558;
    TcpSpec with_options_tcp;
    with_options_tcp.options = {2, 4, 5, 0xB4, 1, 3, 3, 7};

    std::vector<LayeredFrame> frames;
    auto add = [&](std::string name, LinkType link_type, ByteVector bytes, std::size_t tcp_options = 0) {
        const std::size_t headers = bytes.size() - payload.size();
        frames.push_back({std::move(name), link_type, std::move(bytes), headers, payload.size(), tcp_options});
    };
    add("ethernet ipv4", LinkType::ethernet, ethernet(0x0800, v4_packet));
    add("ethernet ipv4 options", LinkType::ethernet,
        ethernet(0x0800, ipv4(with_options, tcp(with_options_tcp, payload))), with_options_tcp.options.size());
    add("qinq ipv6 chain", LinkType::ethernet, ethernet(0x86DD, v6_chain, {{0x88A8, 1}, {0x8100, 2}}));
    add("mpls", LinkType::ethernet, ethernet(0x8847, mpls({1, 2, 3}, v4_packet)));
    add("sll", LinkType::linux_sll, linux_sll(0x0800, v4_packet));
    add("sll2", LinkType::linux_sll2, linux_sll2(0x86DD, v6_packet));
    add("null", LinkType::null_loopback, bsd_null(2, true, v4_packet));
    add("loop", LinkType::bsd_loop, bsd_null(24, false, v6_packet));
    add("raw", LinkType::raw_ip, v6_chain);
    add("raw ipv4", LinkType::raw_ipv4, v4_packet);
    add("raw ipv6", LinkType::raw_ipv6, v6_packet);
    add("gre all fields", LinkType::ethernet, ethernet(0x0800, outer_gre_packet(gre(all_fields, v4_packet))));
    add("gre bridging", LinkType::raw_ip, outer_gre_packet(gre(bridging, ethernet(0x86DD, v6_packet))));
    add("erspan 1", LinkType::raw_ip, outer_gre_packet(gre({0x88BE}, ethernet(0x0800, v4_packet))));
    add("erspan 2", LinkType::ethernet,
        ethernet(0x0800, outer_gre_packet(gre(erspan2, erspan_type_2(ethernet(0x0800, v4_packet, {{0x8100, 9}}))))));
    add("erspan 3", LinkType::raw_ip,
        outer_gre_packet(gre(erspan3, erspan_type_3(ethernet(0x0800, v4_packet), false))));
    add("erspan 3 subheader", LinkType::raw_ip,
        outer_gre_packet(gre(erspan3, erspan_type_3(ethernet(0x86DD, v6_chain), true))));
    Ipv4Spec udp_spec;
    udp_spec.protocol = 17;
    add("udp", LinkType::raw_ip, ipv4(udp_spec, udp(1, 2, payload)));
    return frames;
}

TEST(PacketDecoderTruncation, EveryCompleteFrameDecodes) {
    for (const LayeredFrame& frame : layered_frames()) {
        SCOPED_TRACE(frame.name);
        const DecodeResult result = decode_one(frame.link_type, frame.bytes);
        ASSERT_EQ(result.status, DecodeStatus::decoded) << result.reason;
        EXPECT_EQ(result.packet.payload.size(), frame.payload_length);
        EXPECT_EQ(result.packet.source_port, frame.name == "udp" ? 1 : 22425);
    }
}

TEST(PacketDecoderTruncation, ShorterThanTheHeadersSayIsMalformedAtEveryLength) {
    for (const LayeredFrame& frame : layered_frames()) {
        for (std::size_t length = 0; length < frame.bytes.size(); ++length) {
            SCOPED_TRACE(frame.name + " cut to " + std::to_string(length));
            const ByteVector shorter(frame.bytes.begin(), frame.bytes.begin() + static_cast<std::ptrdiff_t>(length));
            const DecodeResult result = decode_one(frame.link_type, shorter);
            ASSERT_EQ(result.status, DecodeStatus::malformed);
            EXPECT_FALSE(result.reason.empty());
            EXPECT_EQ(result.reason.find('\n'), std::string::npos);
        }
    }
}

TEST(PacketDecoderTruncation, CutBySnapLengthAtEveryLength) {
    for (const LayeredFrame& frame : layered_frames()) {
        for (std::size_t length = 0; length < frame.bytes.size(); ++length) {
            SCOPED_TRACE(frame.name + " captured " + std::to_string(length));
            const DecodeResult result = decode_cut(frame.link_type, frame.bytes, length);
            // A TCP header cut inside its options is still read: only the options are unknown.
            if (length < frame.headers_length - frame.tcp_options_length) {
                ASSERT_EQ(result.status, DecodeStatus::malformed);
                EXPECT_FALSE(result.reason.empty());
            } else {
                ASSERT_EQ(result.status, DecodeStatus::decoded) << result.reason;
                EXPECT_TRUE(result.packet.cut_by_snaplen);
                EXPECT_EQ(result.packet.payload.size(), length - std::min(length, frame.headers_length));
                EXPECT_EQ(result.packet.payload_wire_length, frame.payload_length);
            }
        }
    }
}

// ---------------------------------------------------------------------------
// Hostile input

constexpr std::array<LinkType, 8> all_link_types = {LinkType::null_loopback, LinkType::ethernet,  LinkType::raw_ip,
                                                    LinkType::bsd_loop,      LinkType::linux_sll, LinkType::raw_ipv4,
                                                    LinkType::raw_ipv6,      LinkType::linux_sll2};

void expect_sane(const DecodeResult& result, const ByteVector& input) {
    switch (result.status) {
        case DecodeStatus::malformed: EXPECT_FALSE(result.reason.empty()); break;
        case DecodeStatus::decoded: {
            const DecodedPacket& packet = result.packet;
            EXPECT_LE(packet.payload.size(), packet.payload_wire_length);
            EXPECT_LE(packet.tunnel_depth, 4);
            if (!packet.reassembled_from_fragments && !packet.payload.empty()) {
                EXPECT_GE(packet.payload.data(), input.data());
                EXPECT_LE(packet.payload.data() + packet.payload.size(), input.data() + input.size());
            }
            break;
        }
        case DecodeStatus::not_ip:
        case DecodeStatus::fragment_pending: break;
    }
}

// The IP packet framed for `link_type`.
ByteVector framed_for(LinkType link_type, const ByteVector& ip_packet) {
    const bool v6 = !ip_packet.empty() && (ip_packet[0] >> 4) == 6;
    const std::uint16_t type = v6 ? 0x86DD : 0x0800;
    switch (link_type) {
        case LinkType::null_loopback: return bsd_null(v6 ? 30 : 2, true, ip_packet);
        case LinkType::ethernet: return ethernet(type, ip_packet);
        case LinkType::bsd_loop: return bsd_null(v6 ? 24 : 2, false, ip_packet);
        case LinkType::linux_sll: return linux_sll(type, ip_packet);
        case LinkType::linux_sll2: return linux_sll2(type, ip_packet);
        case LinkType::raw_ip:
        case LinkType::raw_ipv4:
        case LinkType::raw_ipv6: return ip_packet;
    }
    return ip_packet;
}

TEST(PacketDecoderFuzz, RandomAndMutatedBuffersNeverCrash) {
    std::mt19937 random(20240611);
    std::vector<ByteVector> ip_seeds;
    for (const auto& fragment : ipv4_fragments(tcp({}, filler(200)), 64)) ip_seeds.push_back(fragment);
    for (const auto& fragment : ipv6_fragments(tcp({}, filler(200)), 6, 64)) ip_seeds.push_back(fragment);
    ip_seeds.push_back(nest_in_gre(v4_tcp_packet(), 6));
    Ipv4Spec icmp_spec;
    icmp_spec.protocol = 1;
    ip_seeds.push_back(ipv4(icmp_spec, icmp(3, 3, quoted_syn_v4())));
    for (const LayeredFrame& frame : layered_frames()) {
        if (frame.link_type == LinkType::raw_ip) ip_seeds.push_back(frame.bytes);
    }
    const std::array<std::uint8_t, 10> interesting = {0x00, 0x01, 0x02, 0x06, 0x2C, 0x2F, 0x45, 0x60, 0x7F, 0xFF};

    std::uint64_t decoded = 0;
    for (LinkType link_type : all_link_types) {
        IpFragmentReassembler::Limits limits;
        limits.max_pending_datagrams = 16;
        LinkDecoder decoder(link_type, limits);
        std::vector<ByteVector> seeds;
        for (const LayeredFrame& frame : layered_frames()) {
            if (frame.link_type == link_type) seeds.push_back(frame.bytes);
        }
        for (const ByteVector& packet : ip_seeds) seeds.push_back(framed_for(link_type, packet));
        for (int iteration = 0; iteration < 6000; ++iteration) {
            ByteVector input;
            if (iteration % 4 == 0) {
                input.resize(random() % 160);
                for (auto& byte : input) byte = static_cast<std::uint8_t>(random());
            } else {
                input = seeds[random() % seeds.size()];
                const int mutations = 1 + static_cast<int>(random() % 6);
                for (int mutation = 0; mutation < mutations && !input.empty(); ++mutation) {
                    const std::size_t at = random() % input.size();
                    switch (random() % 4) {
                        case 0: input[at] = static_cast<std::uint8_t>(random()); break;
                        case 1: input[at] = interesting[random() % interesting.size()]; break;
                        case 2: input[at] ^= static_cast<std::uint8_t>(1u << (random() % 8)); break;
                        case 3: input.resize(at); break;
                    }
                }
            }
            const std::uint32_t original =
                static_cast<std::uint32_t>(input.size() + (random() % 3 == 0 ? random() % 2000 : 0));
            const DecodeResult result = decoder.decode(
                frame_of(input, original, static_cast<std::uint64_t>(iteration) + 1, 1000 + iteration / 50));
            expect_sane(result, input);
            if (result.status == DecodeStatus::decoded) ++decoded;
        }
        EXPECT_LE(decoder.fragments().pending(), 16u);
    }
    EXPECT_GT(decoded, 0u) << "the mutations should leave some packets intact";
}

}  // namespace
}  // namespace trustcap
