#include "address_renumbering.h"

#include <optional>

#include "ethernet_reframing.h"

namespace bench {
namespace {

constexpr std::uint16_t ethertype_ipv4 = 0x0800;
constexpr std::uint16_t ethertype_ipv6 = 0x86dd;
constexpr std::uint8_t protocol_tcp = 6;
constexpr std::uint8_t protocol_udp = 17;
constexpr std::size_t tcp_checksum_offset = 16;
constexpr std::size_t udp_checksum_offset = 6;

std::uint16_t read_16(std::span<const std::uint8_t> bytes, std::size_t offset) {
    return static_cast<std::uint16_t>(bytes[offset] << 8 | bytes[offset + 1]);
}

void write_16(std::span<std::uint8_t> bytes, std::size_t offset, std::uint16_t value) {
    bytes[offset] = static_cast<std::uint8_t>(value >> 8);
    bytes[offset + 1] = static_cast<std::uint8_t>(value);
}

// The ones'-complement sum of the 16-bit words an address change removed and
// added, to be folded into every checksum that covers the addresses.
class ChecksumDelta {
public:
    void replace(std::uint16_t before, std::uint16_t after) {
        sum_ += static_cast<std::uint16_t>(~before);
        sum_ += after;
    }
    // RFC 1624, equation 3: HC' = ~(~HC + ~m + m').
    [[nodiscard]] std::uint16_t applied_to(std::uint16_t checksum) const {
        std::uint32_t sum = static_cast<std::uint16_t>(~checksum) + sum_;
        while (sum >> 16) sum = (sum & 0xffff) + (sum >> 16);
        return static_cast<std::uint16_t>(~sum);
    }

private:
    std::uint32_t sum_ = 0;
};

void renumber_word(std::span<std::uint8_t> packet, std::size_t offset, std::uint16_t copy, ChecksumDelta& delta) {
    std::uint16_t before = read_16(packet, offset);
    std::uint16_t after = before ^ copy;
    write_16(packet, offset, after);
    delta.replace(before, after);
}

void update_transport_checksum(std::span<std::uint8_t> packet, std::size_t transport_offset, std::uint8_t protocol,
                               const ChecksumDelta& delta) {
    std::size_t checksum_offset = transport_offset;
    if (protocol == protocol_tcp) {
        checksum_offset += tcp_checksum_offset;
    } else if (protocol == protocol_udp) {
        checksum_offset += udp_checksum_offset;
    } else {
        return;
    }
    if (checksum_offset + 2 > packet.size()) return;
    std::uint16_t checksum = read_16(packet, checksum_offset);
    if (protocol == protocol_udp && checksum == 0) return;  // no checksum was sent
    std::uint16_t updated = delta.applied_to(checksum);
    if (protocol == protocol_udp && updated == 0) updated = 0xffff;  // RFC 768: 0 means none
    write_16(packet, checksum_offset, updated);
}

void renumber_ipv4(std::span<std::uint8_t> packet, std::uint16_t copy) {
    constexpr std::size_t minimum_header = 20;
    if (packet.size() < minimum_header || packet[0] >> 4 != 4) return;
    std::size_t header_length = (packet[0] & 0x0f) * 4u;
    ChecksumDelta delta;
    for (std::size_t address_offset : {12u, 16u}) renumber_word(packet, address_offset + 2, copy, delta);
    write_16(packet, 10, delta.applied_to(read_16(packet, 10)));
    bool first_fragment = (read_16(packet, 6) & 0x1fff) == 0;
    if (first_fragment && header_length >= minimum_header)
        update_transport_checksum(packet, header_length, packet[9], delta);
}

void renumber_ipv6(std::span<std::uint8_t> packet, std::uint16_t copy) {
    constexpr std::size_t header_bytes = 40;
    if (packet.size() < header_bytes || packet[0] >> 4 != 6) return;
    ChecksumDelta delta;
    for (std::size_t address_offset : {8u, 24u}) {
        renumber_word(packet, address_offset + 8, copy, delta);
        renumber_word(packet, address_offset + 10, copy, delta);
    }
    update_transport_checksum(packet, header_bytes, packet[6], delta);
}

}  // namespace

void renumber_hosts(std::span<std::uint8_t> ethernet_frame, std::uint16_t copy) {
    if (copy == 0) return;
    std::optional<NetworkLayer> network = network_layer_of(ethernet_frame);
    if (!network) return;
    std::span<std::uint8_t> packet = ethernet_frame.subspan(network->offset);
    if (network->ethertype == ethertype_ipv4) renumber_ipv4(packet, copy);
    if (network->ethertype == ethertype_ipv6) renumber_ipv6(packet, copy);
}

}  // namespace bench
