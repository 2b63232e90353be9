#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "capture/byte_reader.h"

namespace trustcap {

// What the first bytes of a record say: whether they can start a TLS record
// or an SSL 2.0 one, the fields of its header, and what bytes that are not
// TLS look like.

inline constexpr std::size_t tls_record_header_size = 5;
// Bytes looked at to say what a stream that is not TLS looks like.
inline constexpr std::size_t non_tls_sniff_size = 8;

inline constexpr std::uint16_t sslv2_version = 0x0002;
// SSL 2.0 message types, as Wireshark shows them.
inline constexpr std::uint8_t sslv2_message_client_hello = 1;
inline constexpr std::uint8_t sslv2_message_server_hello = 4;

enum class TlsContentType : std::uint8_t {
    change_cipher_spec = 20,
    alert = 21,
    handshake = 22,
    application_data = 23,
    heartbeat = 24,
};

struct TlsRecordHeader {
    std::uint8_t content_type = 0;
    std::uint16_t version = 0;
    std::uint16_t length = 0;
};

// `header` holds at least tls_record_header_size bytes.
TlsRecordHeader read_record_header(Bytes header);

// A known content type, version 3.x (SSL 3.0 to TLS 1.3) and a length a record can have.
bool plausible_record_header(Bytes header);

// The 2-byte-header SSLv2 record carrying a CLIENT-HELLO (msg_type 1) with an
// SSL 2.0 or SSL 3.0/TLS version: how old clients offered TLS.
bool plausible_sslv2_client_hello(Bytes header);

// The 2-byte-header SSLv2 record carrying a SERVER-HELLO (msg_type 4):
// session_id_hit and certificate_type are 0 or 1.
bool plausible_sslv2_server_hello(Bytes header);

// The length an SSLv2 record header gives: a 2-byte header has the high bit
// set, a 3-byte one (with padding) does not.
std::size_t sslv2_record_length(Bytes header);

// The version a 2-byte-header SSLv2 CLIENT-HELLO offers (after its msg_type).
std::uint16_t sslv2_client_hello_version(Bytes header);

// "a record header that is not TLS (content type 20, version 0xFFFF, length 65281)"
std::string describe_record_header(Bytes header);

// What bytes that are not TLS look like.
enum class NonTlsContent : std::uint8_t {
    http_request,
    http_response,
    ssh,
    numbered_banner,  // "220 " or "220-": SMTP, FTP
    plain_text,
    binary,
    damaged_record_header,  // after valid records
};

// "HTTP request", "HTTP response", "SSH", "SMTP/FTP banner", "plain text",
// "unknown binary data", "a record header that is not TLS".
const char* non_tls_content_name(NonTlsContent content);

// What a stream's first bytes that are not TLS look like.
NonTlsContent classify_non_tls(Bytes first_bytes);

}  // namespace trustcap
