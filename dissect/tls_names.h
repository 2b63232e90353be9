#pragma once

#include <cstdint>
#include <string>

#include "dissect/tls_cipher_suites.h"  // tls_cipher_suite_name
#include "dissect/tls_message.h"

namespace trustcap {

// Names as Wireshark prints them in its Info column (packet-tls-utils.c), so
// a user can match trustcap's output to what Wireshark shows. The TLS 1.3
// kinds trustcap infers, which Wireshark calls "Application Data", get names
// that say they are inferred.

// "Client Hello", "Encrypted Alert", "Alert (Level: Fatal, Description: Unknown CA)", ...
std::string tls_message_name(const TlsMessage& message);

// Wireshark's ssl_31_handshake_type wording: "Server Hello", "Certificate Status", ...;
// "Encrypted Handshake Message" for a type Wireshark does not know.
std::string tls_handshake_type_name(std::uint8_t handshake_type);

// "Warning", "Fatal", else "Unknown" (Wireshark's wording).
std::string tls_alert_level_name(std::uint8_t level);

// Wireshark's wording: "Unknown CA", "Handshake Failure", ...; "Unknown" for other codes.
std::string tls_alert_description_name(std::uint8_t description);

// The RFC 5246 / RFC 8446 identifier: "unknown_ca", "handshake_failure", ...;
// "alert_<n>" for other codes. Stable: finding ids are built from it.
std::string tls_alert_id(std::uint8_t description);

// "SSLv2", "SSLv3", "TLSv1", "TLSv1.1", "TLSv1.2", "TLSv1.3", "DTLSv1.2",
// "TLS 1.3 draft 23" (0x7F17), "TLS 1.3 Facebook draft 23" (0xFB17),
// "GREASE (0x0A0A)", else "unassigned (0x0305)".
std::string tls_version_name(std::uint16_t version);

}  // namespace trustcap
