#pragma once

#include <cstdint>
#include <string>

namespace trustcap {

// Wireshark's wording for an ICMP / ICMPv6 error: "Destination unreachable
// (Communication administratively filtered)".
std::string icmp_error_text(bool v6, std::uint8_t type, std::uint8_t code);

// True for the codes a filter sends: "administratively prohibited" and kin.
bool icmp_is_administrative(bool v6, std::uint8_t type, std::uint8_t code);

}  // namespace trustcap
