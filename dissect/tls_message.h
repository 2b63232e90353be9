#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "capture/stream_consumer.h"
#include "capture/timestamp.h"
#include "dissect/tls_alert.h"

namespace trustcap {

enum class TlsMessageKind : std::uint8_t {
    sslv2_client_hello,
    sslv2_server_hello,
    client_hello,
    server_hello,
    hello_retry_request,
    certificate,
    server_key_exchange,
    certificate_request,
    server_hello_done,
    client_key_exchange,
    certificate_verify,
    new_session_ticket,
    finished,
    encrypted_handshake,        // TLS <= 1.2: a handshake record after Change Cipher Spec (the Finished)
    change_cipher_spec,
    alert,                      // in clear, or encrypted (see TlsAlert::encrypted)
    application_data,
    other_handshake,            // another handshake type, in clear
    heartbeat,
    // TLS 1.3: records after the Server Hello are encrypted; these kinds are
    // inferred from position and size (TlsMessage::inferred is true).
    tls13_server_handshake_flight,  // EncryptedExtensions .. server Finished
    tls13_client_handshake_flight,  // [Certificate, CertificateVerify,] client Finished
    tls13_post_handshake,           // e.g. NewSessionTicket after the handshake
};

inline constexpr std::uint16_t tls13_version = 0x0304;

// TLS 1.3 or one of its drafts (0x7F00 + n; Facebook's 0xFB00 + n), whose
// records after the Server Hello are encrypted.
constexpr bool is_tls13_family(std::uint16_t version) {
    return version == tls13_version || (version >> 8U) == 0x7FU || (version >> 8U) == 0xFBU;
}

struct TlsClientHello {
    std::uint16_t legacy_version = 0;
    std::vector<std::uint16_t> supported_versions;  // from the extension, if any
    std::string server_name;                        // SNI host_name, empty if absent
    std::vector<std::string> alpn;
    std::vector<std::uint16_t> cipher_suites;
    std::vector<std::uint16_t> extensions;  // extension types in order
};

struct TlsServerHello {
    std::uint16_t legacy_version = 0;
    std::optional<std::uint16_t> selected_version;  // supported_versions extension (TLS 1.3)
    std::uint16_t cipher_suite = 0;
    [[nodiscard]] std::uint16_t version() const { return selected_version.value_or(legacy_version); }
};

struct TlsAlert {
    bool encrypted = false;  // level and description are then unknown
    std::uint8_t level = 0;        // a TlsAlertLevel, or any other byte that came
    std::uint8_t description = 0;  // a TlsAlertDescription, or any other byte that came

    [[nodiscard]] bool is(TlsAlertLevel wanted) const { return level == wire_value(wanted); }
    [[nodiscard]] bool is(TlsAlertDescription wanted) const { return description == wire_value(wanted); }
};

// One TLS message (or record, for non-handshake content) as trustcap saw it.
struct TlsMessage {
    TlsMessageKind kind = TlsMessageKind::other_handshake;
    Direction direction = Direction::client_to_server;
    // Where Wireshark shows it: the frame holding the last byte of the record
    // that completes it (for a record-level message, its own last byte).
    std::uint64_t frame = 0;
    std::uint64_t first_frame = 0;  // the frame holding its first byte
    Timestamp time;                 // of `frame`
    std::uint32_t length = 0;       // handshake body length, or record length for other content
    std::uint8_t handshake_type = 0;
    bool inferred = false;          // classified by position and size, not read in clear
    bool decrypted = false;         // read from a record decrypted with a key log's secrets
    std::optional<TlsClientHello> client_hello;
    std::optional<TlsServerHello> server_hello;
    std::vector<std::vector<std::uint8_t>> certificates;  // DER, leaf first (certificate messages)
    std::optional<TlsAlert> alert;
};

}  // namespace trustcap
