#include "capture/tcp_stream_numbering.h"

#include <algorithm>
#include <cstring>
#include <functional>
#include <random>
#include <string_view>
#include <utility>

namespace trustcap {
namespace {

constexpr std::size_t initial_slots = 1024;

struct PairKey {
    std::uint64_t hash = 0;
    std::size_t direction = 0;  // 0: the packet goes from the lower endpoint to the higher
};

void append_endpoint(std::array<char, 46>& bytes, std::size_t at, const Endpoint& endpoint) {
    bytes[at] = static_cast<char>(endpoint.ip.family());
    std::copy(endpoint.ip.bytes().begin(), endpoint.ip.bytes().end(), bytes.begin() + static_cast<std::ptrdiff_t>(at) + 1);
    bytes[at + 17] = static_cast<char>(endpoint.port >> 8);
    bytes[at + 18] = static_cast<char>(endpoint.port & 0xff);
}

PairKey key_of(const DecodedPacket& packet, std::uint64_t seed) {
    Endpoint source{packet.source, packet.source_port};
    Endpoint destination{packet.destination, packet.destination_port};
    const bool source_is_lower = source <= destination;
    std::array<char, 46> bytes{};
    append_endpoint(bytes, 0, source_is_lower ? source : destination);
    append_endpoint(bytes, 19, source_is_lower ? destination : source);
    std::memcpy(bytes.data() + 38, &seed, sizeof seed);
    std::uint64_t hash = std::hash<std::string_view>{}(std::string_view(bytes.data(), bytes.size()));
    return PairKey{hash == 0 ? 1 : hash, source_is_lower ? 0U : 1U};
}

bool has_flags(std::uint8_t flags, std::uint8_t wanted) { return (flags & wanted) == wanted; }

}  // namespace

TcpStreamNumbering::TcpStreamNumbering(std::size_t max_conversations)
    : max_conversations_(max_conversations),
      seed_((std::uint64_t{std::random_device{}()} << 32) | std::random_device{}()),
      slots_(initial_slots) {}

void TcpStreamNumbering::stop(std::uint64_t frame, const std::string& reason) {
    if (stopped_at_frame_) return;
    stopped_at_frame_ = frame;
    stop_reason_ = reason;
}

std::optional<std::uint32_t> TcpStreamNumbering::next_stream(std::uint64_t frame) {
    if (next_stream_ >= max_conversations_)
        stop(frame, "more than " + std::to_string(max_conversations_) + " TCP conversations");
    if (!numbering()) return std::nullopt;
    return next_stream_++;
}

std::optional<std::uint32_t> TcpStreamNumbering::stream_of(const DecodedPacket& packet) {
    const PairKey pair = key_of(packet, seed_);
    const std::uint8_t flags = packet.tcp.flags;
    const bool opening_syn = has_flags(flags, tcp_flag::syn) && !has_flags(flags, tcp_flag::ack);
    bool inserted = false;
    Conversation* conversation = find_or_insert(pair.hash, packet.frame, inserted);
    if (conversation == nullptr) return std::nullopt;

    const std::size_t forward = pair.direction;
    const std::size_t reverse = 1 - pair.direction;
    if (!inserted && opening_syn && conversation->base_known[forward] &&
        conversation->base_seq[forward] != packet.tcp.seq) {
        conversation->base_known = {};
        const std::optional<std::uint32_t> stream = next_stream(packet.frame);
        conversation->numbered = stream.has_value();
        if (stream) conversation->stream = *stream;
    }
    if (!conversation->base_known[forward]) {
        conversation->base_seq[forward] = has_flags(flags, tcp_flag::syn) ? packet.tcp.seq : packet.tcp.seq - 1;
        conversation->base_known[forward] = true;
    }
    if (has_flags(flags, tcp_flag::ack) && !conversation->base_known[reverse]) {
        conversation->base_seq[reverse] = packet.tcp.ack - 1;
        conversation->base_known[reverse] = true;
    }
    if (!conversation->numbered) return std::nullopt;
    return conversation->stream;
}

TcpStreamNumbering::Conversation* TcpStreamNumbering::find_or_insert(std::uint64_t key, std::uint64_t frame,
                                                                     bool& inserted) {
    const std::size_t mask = slots_.size() - 1;
    for (std::size_t index = key & mask;; index = (index + 1) & mask) {
        Conversation& slot = slots_[index];
        if (slot.key == key) return &slot;
        if (slot.key != 0) continue;
        const std::optional<std::uint32_t> stream = next_stream(frame);
        if (!stream) return nullptr;
        slot.key = key;
        slot.stream = *stream;
        inserted = true;
        if (++used_ * 2 <= slots_.size()) return &slot;
        grow();
        bool found_again = false;
        return find_or_insert(key, frame, found_again);
    }
}

void TcpStreamNumbering::grow() {
    std::vector<Conversation> old = std::exchange(slots_, std::vector<Conversation>(slots_.size() * 2));
    const std::size_t mask = slots_.size() - 1;
    for (const Conversation& conversation : old) {
        if (conversation.key == 0) continue;
        std::size_t index = conversation.key & mask;
        while (slots_[index].key != 0) index = (index + 1) & mask;
        slots_[index] = conversation;
    }
}

}  // namespace trustcap

namespace trustcap {
namespace {

// UDP ports of tunnels whose TCP Wireshark decodes without being told to.
constexpr std::array<std::pair<std::uint16_t, const char*>, 6> tunnel_ports{{{4789, "VXLAN"},
                                                                              {6081, "Geneve"},
                                                                              {3544, "Teredo"},
                                                                              {1701, "L2TP"},
                                                                              {2152, "GTP-U"},
                                                                              {5247, "CAPWAP data"}}};
constexpr std::uint8_t ip_in_ip = 4;
constexpr std::uint8_t ipv6_in_ip = 41;

}  // namespace

std::optional<std::string> hidden_tcp_reason(const DecodeResult& decoded, bool datagram_dropped) {
    if (datagram_dropped) return "an IP datagram was dropped by a reassembly limit";
    if (decoded.status == DecodeStatus::malformed) return "a frame trustcap cannot decode (" + decoded.reason + ")";
    if (decoded.status != DecodeStatus::decoded) return std::nullopt;
    const DecodedPacket& packet = decoded.packet;
    if (packet.ip_protocol == ip_in_ip || packet.ip_protocol == ipv6_in_ip) return "IP in IP, which trustcap does not decode";
    if (packet.transport != Transport::udp) return std::nullopt;
    for (const auto& [port, tunnel] : tunnel_ports)
        if (packet.source_port == port || packet.destination_port == port)
            return std::string(tunnel) + " (UDP port " + std::to_string(port) + "), which trustcap does not decode";
    return std::nullopt;
}

}  // namespace trustcap
