#pragma once

#include "addresses.h"
#include "byte_writer.h"

#include <cstdint>
#include <optional>
#include <string_view>

namespace pcapgen {

inline constexpr std::uint8_t dns_rcode_no_error = 0;
inline constexpr std::uint8_t dns_rcode_server_failure = 2;  // SERVFAIL
inline constexpr std::uint8_t dns_rcode_name_error = 3;  // NXDOMAIN
inline constexpr std::uint8_t dns_rcode_refused = 5;  // REFUSED

// A recursive query (RD set) for the A record of `name`.
Bytes dns_a_query(std::uint16_t id, std::string_view name);

// A recursive resolver's answer to that query: with `address` as the one A record (TTL `ttl`), or with no
// answer and `rcode`.
Bytes dns_a_response(std::uint16_t id, std::string_view name, std::uint8_t rcode,
                     const std::optional<IpAddress>& address, std::uint32_t ttl = 300);

}  // namespace pcapgen
