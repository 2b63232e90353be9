#include "dissect/tls_names.h"

#include "dissect/tls_alert.h"
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
constexpr std::array<NamedCode<TlsAlertDescription>, 35> alert_descriptions = {{
    {TlsAlertDescription::close_notify, "Close Notify"},
    {TlsAlertDescription::end_of_early_data, "End of Early Data"},
    {TlsAlertDescription::unexpected_message, "Unexpected Message"},
    {TlsAlertDescription::bad_record_mac, "Bad Record MAC"},
    {TlsAlertDescription::decryption_failed, "Decryption Failed"},
    {TlsAlertDescription::record_overflow, "Record Overflow"},
    {TlsAlertDescription::decompression_failure, "Decompression Failure"},
    {TlsAlertDescription::handshake_failure, "Handshake Failure"},
    {TlsAlertDescription::no_certificate, "No Certificate"},
    {TlsAlertDescription::bad_certificate, "Bad Certificate"},
    {TlsAlertDescription::unsupported_certificate, "Unsupported Certificate"},
    {TlsAlertDescription::certificate_revoked, "Certificate Revoked"},
    {TlsAlertDescription::certificate_expired, "Certificate Expired"},
    {TlsAlertDescription::certificate_unknown, "Certificate Unknown"},
    {TlsAlertDescription::illegal_parameter, "Illegal Parameter"},
    {TlsAlertDescription::unknown_ca, "Unknown CA"},
    {TlsAlertDescription::access_denied, "Access Denied"},
    {TlsAlertDescription::decode_error, "Decode Error"},
    {TlsAlertDescription::decrypt_error, "Decrypt Error"},
    {TlsAlertDescription::export_restriction, "Export Restriction"},
    {TlsAlertDescription::protocol_version, "Protocol Version"},
    {TlsAlertDescription::insufficient_security, "Insufficient Security"},
    {TlsAlertDescription::internal_error, "Internal Error"},
    {TlsAlertDescription::inappropriate_fallback, "Inappropriate Fallback"},
    {TlsAlertDescription::user_canceled, "User Canceled"},
    {TlsAlertDescription::no_renegotiation, "No Renegotiation"},
    {TlsAlertDescription::missing_extension, "Missing Extension"},
    {TlsAlertDescription::unsupported_extension, "Unsupported Extension"},
    {TlsAlertDescription::certificate_unobtainable, "Certificate Unobtainable"},
    {TlsAlertDescription::unrecognized_name, "Unrecognized Name"},
    {TlsAlertDescription::bad_certificate_status_response, "Bad Certificate Status Response"},
    {TlsAlertDescription::bad_certificate_hash_value, "Bad Certificate Hash Value"},
    {TlsAlertDescription::unknown_psk_identity, "Unknown PSK Identity"},
    {TlsAlertDescription::certificate_required, "Certificate Required"},
    {TlsAlertDescription::no_application_protocol, "No application Protocol"},
}};

// RFC 5246 7.2, RFC 8446 6.2 (and the RFCs that added codes since).
constexpr std::array<NamedCode<TlsAlertDescription>, 35> alert_ids = {{
    {TlsAlertDescription::close_notify, "close_notify"},
    {TlsAlertDescription::unexpected_message, "unexpected_message"},
    {TlsAlertDescription::bad_record_mac, "bad_record_mac"},
    {TlsAlertDescription::decryption_failed, "decryption_failed"},
    {TlsAlertDescription::record_overflow, "record_overflow"},
    {TlsAlertDescription::decompression_failure, "decompression_failure"},
    {TlsAlertDescription::handshake_failure, "handshake_failure"},
    {TlsAlertDescription::no_certificate, "no_certificate"},
    {TlsAlertDescription::bad_certificate, "bad_certificate"},
    {TlsAlertDescription::unsupported_certificate, "unsupported_certificate"},
    {TlsAlertDescription::certificate_revoked, "certificate_revoked"},
    {TlsAlertDescription::certificate_expired, "certificate_expired"},
    {TlsAlertDescription::certificate_unknown, "certificate_unknown"},
    {TlsAlertDescription::illegal_parameter, "illegal_parameter"},
    {TlsAlertDescription::unknown_ca, "unknown_ca"},
    {TlsAlertDescription::access_denied, "access_denied"},
    {TlsAlertDescription::decode_error, "decode_error"},
    {TlsAlertDescription::decrypt_error, "decrypt_error"},
    {TlsAlertDescription::export_restriction, "export_restriction"},
    {TlsAlertDescription::protocol_version, "protocol_version"},
    {TlsAlertDescription::insufficient_security, "insufficient_security"},
    {TlsAlertDescription::internal_error, "internal_error"},
    {TlsAlertDescription::inappropriate_fallback, "inappropriate_fallback"},
    {TlsAlertDescription::user_canceled, "user_canceled"},
    {TlsAlertDescription::no_renegotiation, "no_renegotiation"},
    {TlsAlertDescription::missing_extension, "missing_extension"},
    {TlsAlertDescription::unsupported_extension, "unsupported_extension"},
    {TlsAlertDescription::certificate_unobtainable, "certificate_unobtainable"},
    {TlsAlertDescription::unrecognized_name, "unrecognized_name"},
    {TlsAlertDescription::bad_certificate_status_response, "bad_certificate_status_response"},
    {TlsAlertDescription::bad_certificate_hash_value, "bad_certificate_hash_value"},
    {TlsAlertDescription::unknown_psk_identity, "unknown_psk_identity"},
    {TlsAlertDescription::certificate_required, "certificate_required"},
    {TlsAlertDescription::no_application_protocol, "no_application_protocol"},
    {TlsAlertDescription::ech_required, "ech_required"},
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
    switch (static_cast<TlsAlertLevel>(level)) {
        case TlsAlertLevel::warning: return "Warning";
        case TlsAlertLevel::fatal: return "Fatal";
    }
    return "Unknown";
}

std::string tls_alert_description_name(std::uint8_t description) {
    const auto* name = find_name(alert_descriptions, static_cast<TlsAlertDescription>(description));
    return name ? std::string(*name) : std::string("Unknown");
}

std::string tls_alert_id(std::uint8_t description) {
    const auto* name = find_name(alert_ids, static_cast<TlsAlertDescription>(description));
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
