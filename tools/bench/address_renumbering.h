#pragma once

#include <cstdint>
#include <span>

namespace bench {

// Gives the hosts of an Ethernet frame's IPv4 or IPv6 packet the addresses
// of copy `copy` of the capture: two bytes of every address (IPv4's last
// two, IPv6's eighth and ninth, tenth and eleventh) are XORed with the copy
// number, so that each copy's connections are between hosts of their own and
// copy 0 is the original. The IPv4 header checksum and a TCP or UDP checksum
// are updated for the new addresses (RFC 1624), so a checksum that was right
// stays right. Frames of other protocols, bytes not captured, IPv6 extension
// headers and addresses quoted inside packets (ICMP errors, DNS answers) are
// left alone.
void renumber_hosts(std::span<std::uint8_t> ethernet_frame, std::uint16_t copy);

}  // namespace bench
