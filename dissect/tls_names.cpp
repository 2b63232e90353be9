#include "dissect/tls_names.h"

#include "dissect/tls_grease.h"

#include <array>
#include <cstdio>
#include <string_view>

namespace trustcap {

namespace {

template <typename Code>
struct NamedCode {
    Code code;
    std::string_view name;
};

template <typename Code, std::size_t size>
const std::string_view* find_name(const std::array<NamedCode<Code>, size>& table, Code code) {
    for (const auto& entry : table) {
        if (entry.code == code) return &entry.name;
    }
    return nullptr;
}

std::string hex16(std::uint16_t value) {
    std::array<char, 8> text{};
    std::snprintf(text.data(), text.size(), "0x%04X", static_cast<unsigned>(value));
    return text.data();
}

// draft-ietf-tls-tls13: 0x7F00 + draft number; Facebook's deployment of drafts: 0xFB00 + number.
constexpr unsigned tls13_draft_prefix = 0x7F;
constexpr unsigned tls13_facebook_draft_prefix = 0xFB;

// Wireshark's ssl_31_alert_description.
constexpr std::array<NamedCode<std::uint8_t>, 35> alert_descriptions = {{
    {0, "Close Notify"},
    {1, "End of Early Data"},
    {10, "Unexpected Message"},
    {20, "Bad Record MAC"},
    {21, "Decryption Failed"},
    {22, "Record Overflow"},
    {30, "Decompression Failure"},
    {40, "Handshake Failure"},
    {41, "No Certificate"},
    {42, "Bad Certificate"},
    {43, "Unsupported Certificate"},
    {44, "Certificate Revoked"},
    {45, "Certificate Expired"},
    {46, "Certificate Unknown"},
    {47, "Illegal Parameter"},
    {48, "Unknown CA"},
    {49, "Access Denied"},
    {50, "Decode Error"},
    {51, "Decrypt Error"},
    {60, "Export Restriction"},
    {70, "Protocol Version"},
    {71, "Insufficient Security"},
    {80, "Internal Error"},
    {86, "Inappropriate Fallback"},
    {90, "User Canceled"},
    {100, "No Renegotiation"},
    {109, "Missing Extension"},
    {110, "Unsupported Extension"},
    {111, "Certificate Unobtainable"},
    {112, "Unrecognized Name"},
    {113, "Bad Certificate Status Response"},
    {114, "Bad Certificate Hash Value"},
    {115, "Unknown PSK Identity"},
    {116, "Certificate Required"},
    {120, "No application Protocol"},
}};

// RFC 5246 7.2, RFC 8446 6.2 (and the RFCs that added codes since).
constexpr std::array<NamedCode<std::uint8_t>, 35> alert_ids = {{
    {0, "close_notify"},
    {10, "unexpected_message"},
    {20, "bad_record_mac"},
    {21, "decryption_failed"},
    {22, "record_overflow"},
    {30, "decompression_failure"},
    {40, "handshake_failure"},
    {41, "no_certificate"},
    {42, "bad_certificate"},
    {43, "unsupported_certificate"},
    {44, "certificate_revoked"},
    {45, "certificate_expired"},
    {46, "certificate_unknown"},
    {47, "illegal_parameter"},
    {48, "unknown_ca"},
    {49, "access_denied"},
    {50, "decode_error"},
    {51, "decrypt_error"},
    {60, "export_restriction"},
    {70, "protocol_version"},
    {71, "insufficient_security"},
    {80, "internal_error"},
    {86, "inappropriate_fallback"},
    {90, "user_canceled"},
    {100, "no_renegotiation"},
    {109, "missing_extension"},
    {110, "unsupported_extension"},
    {111, "certificate_unobtainable"},
    {112, "unrecognized_name"},
    {113, "bad_certificate_status_response"},
    {114, "bad_certificate_hash_value"},
    {115, "unknown_psk_identity"},
    {116, "certificate_required"},
    {120, "no_application_protocol"},
    {121, "ech_required"},
}};

// Wireshark's ssl_31_handshake_type.
constexpr std::array<NamedCode<std::uint8_t>, 21> handshake_types = {{
    {0, "Hello Request"},
    {1, "Client Hello"},
    {2, "Server Hello"},
    {3, "Hello Verify Request"},
    {4, "New Session Ticket"},
    {5, "End of Early Data"},
    {6, "Hello Retry Request"},
    {8, "Encrypted Extensions"},
    {11, "Certificate"},
    {12, "Server Key Exchange"},
    {13, "Certificate Request"},
    {14, "Server Hello Done"},
    {15, "Certificate Verify"},
    {16, "Client Key Exchange"},
    {20, "Finished"},
    {21, "Client Certificate URL"},
    {22, "Certificate Status"},
    {23, "Supplemental Data"},
    {24, "Key Update"},
    {25, "Compressed Certificate"},
    {254, "Message Hash"},
}};

constexpr std::array<NamedCode<std::uint16_t>, 9> versions = {{
    {0x0002, "SSLv2"},
    {0x0300, "SSLv3"},
    {0x0301, "TLSv1"},
    {0x0302, "TLSv1.1"},
    {0x0303, "TLSv1.2"},
    {0x0304, "TLSv1.3"},
    {0xFEFF, "DTLSv1.0"},
    {0xFEFD, "DTLSv1.2"},
    {0xFEFC, "DTLSv1.3"},
}};

std::string alert_name(const TlsMessage& message) {
    if (!message.alert || message.alert->encrypted) {
        return message.inferred ? "Encrypted Alert (inferred from its size)" : "Encrypted Alert";
    }
    return "Alert (Level: " + tls_alert_level_name(message.alert->level) +
           ", Description: " + tls_alert_description_name(message.alert->description) + ")";
}

}  // namespace

std::string tls_message_name(const TlsMessage& message) {
    switch (message.kind) {
        case TlsMessageKind::sslv2_client_hello: return "Client Hello";
        case TlsMessageKind::sslv2_server_hello: return "Server Hello";
        case TlsMessageKind::client_hello: return "Client Hello";
        case TlsMessageKind::server_hello: return "Server Hello";
        case TlsMessageKind::hello_retry_request: return "Hello Retry Request";
        case TlsMessageKind::certificate: return "Certificate";
        case TlsMessageKind::server_key_exchange: return "Server Key Exchange";
        case TlsMessageKind::certificate_request: return "Certificate Request";
        case TlsMessageKind::server_hello_done: return "Server Hello Done";
        case TlsMessageKind::client_key_exchange: return "Client Key Exchange";
        case TlsMessageKind::certificate_verify: return "Certificate Verify";
        case TlsMessageKind::new_session_ticket: return "New Session Ticket";
        case TlsMessageKind::finished: return "Finished";
        case TlsMessageKind::encrypted_handshake: return "Encrypted Handshake Message";
        case TlsMessageKind::change_cipher_spec: return "Change Cipher Spec";
        case TlsMessageKind::alert: return alert_name(message);
        case TlsMessageKind::application_data: return "Application Data";
        case TlsMessageKind::other_handshake: return tls_handshake_type_name(message.handshake_type);
        case TlsMessageKind::heartbeat: return "Heartbeat";
        case TlsMessageKind::tls13_server_handshake_flight:
            return "Encrypted handshake (server flight: EncryptedExtensions…Finished, inferred)";
        case TlsMessageKind::tls13_client_handshake_flight:
            return "Encrypted handshake (client flight: [Certificate, CertificateVerify,] Finished, inferred)";
        case TlsMessageKind::tls13_post_handshake:
            return "Encrypted post-handshake message (New Session Ticket, inferred)";
    }
    return "Unknown";
}

std::string tls_handshake_type_name(std::uint8_t handshake_type) {
    const auto* name = find_name(handshake_types, handshake_type);
    return name ? std::string(*name) : std::string("Encrypted Handshake Message");
}

std::string tls_alert_level_name(std::uint8_t level) {
    if (level == 1) return "Warning";
    if (level == 2) return "Fatal";
    return "Unknown";
}

std::string tls_alert_description_name(std::uint8_t description) {
    const auto* name = find_name(alert_descriptions, description);
    return name ? std::string(*name) : std::string("Unknown");
}

std::string tls_alert_id(std::uint8_t description) {
    const auto* name = find_name(alert_ids, description);
    return name ? std::string(*name) : "alert_" + std::to_string(description);
}

std::string tls_version_name(std::uint16_t version) {
    if (const auto* name = find_name(versions, version)) return std::string(*name);
    const unsigned draft = version & 0xFFU;
    if ((version >> 8U) == tls13_draft_prefix) return "TLS 1.3 draft " + std::to_string(draft);
    if ((version >> 8U) == tls13_facebook_draft_prefix) return "TLS 1.3 Facebook draft " + std::to_string(draft);
    return (is_grease(version) ? "GREASE (" : "unassigned (") + hex16(version) + ")";
}

}  // namespace trustcap
