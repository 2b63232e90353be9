#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace trustcap {

// The IANA registry name of a TLS cipher suite ("TLS_AES_128_GCM_SHA256"),
// or nothing for a value IANA has not assigned.
std::optional<std::string_view> iana_cipher_suite_name(std::uint16_t cipher_suite);

// The IANA name; "GREASE (0x0A0A)" for the RFC 8701 values; otherwise
// "unassigned (0xC0FF)".
std::string tls_cipher_suite_name(std::uint16_t cipher_suite);

}  // namespace trustcap
