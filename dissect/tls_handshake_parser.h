#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "capture/byte_reader.h"
#include "dissect/tls_message.h"

namespace trustcap {

// The bodies of the handshake messages trustcap reads. Each parser keeps
// whatever was readable: a lying length ends parsing, not the message.

// msg_type and a 3-byte length.
inline constexpr std::size_t handshake_header_size = 4;

// other_handshake for a type trustcap does not name.
TlsMessageKind kind_of_handshake(std::uint8_t handshake_type);

// Version, cipher suites and extensions, with the server name, ALPN and
// supported versions read from theirs.
TlsClientHello parse_client_hello(Bytes body);

struct ParsedServerHello {
    TlsServerHello hello;
    bool retry_request = false;  // its random says it is a Hello Retry Request (RFC 8446 4.1.3)
};

ParsedServerHello parse_server_hello(Bytes body);

// The DER certificates of a Certificate message, leaf first; empty when its
// body is neither layout. `tls13_format_first`: try the TLS 1.3 layout (a
// request context, and extensions after each certificate) before the older one.
std::vector<std::vector<std::uint8_t>> parse_certificates(Bytes body, bool tls13_format_first);

// An SSLv2 CLIENT-HELLO's body after msg_type and version: three 2-byte
// lengths, then 3-byte cipher specs (a TLS suite is 0x00XXXX), session id and
// challenge.
TlsClientHello parse_sslv2_client_hello(std::uint16_t version, Bytes body);

// An SSLv2 SERVER-HELLO's body after msg_type, session_id_hit and
// certificate_type: the version it starts with (SSL 2.0 when it is cut short).
TlsServerHello parse_sslv2_server_hello(Bytes body);

}  // namespace trustcap
