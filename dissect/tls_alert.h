#pragma once

#include <cstdint>

namespace trustcap {

// TLS alert levels and descriptions (RFC 5246 7.2, RFC 8446 6.2 and the RFCs
// that added codes since). An alert read from a capture keeps its bytes as
// they came (TlsAlert), so a code not named here is still shown.

enum class TlsAlertLevel : std::uint8_t {
    warning = 1,
    fatal = 2,
};

enum class TlsAlertDescription : std::uint8_t {
    close_notify = 0,
    end_of_early_data = 1,  // TLS 1.3 drafts only: RFC 8446 made it a handshake message
    unexpected_message = 10,
    bad_record_mac = 20,
    decryption_failed = 21,
    record_overflow = 22,
    decompression_failure = 30,
    handshake_failure = 40,
    no_certificate = 41,
    bad_certificate = 42,
    unsupported_certificate = 43,
    certificate_revoked = 44,
    certificate_expired = 45,
    certificate_unknown = 46,
    illegal_parameter = 47,
    unknown_ca = 48,
    access_denied = 49,
    decode_error = 50,
    decrypt_error = 51,
    export_restriction = 60,
    protocol_version = 70,
    insufficient_security = 71,
    internal_error = 80,
    inappropriate_fallback = 86,
    user_canceled = 90,
    no_renegotiation = 100,
    missing_extension = 109,
    unsupported_extension = 110,
    certificate_unobtainable = 111,
    unrecognized_name = 112,
    bad_certificate_status_response = 113,
    bad_certificate_hash_value = 114,
    unknown_psk_identity = 115,
    certificate_required = 116,
    no_application_protocol = 120,
    ech_required = 121,
};

// The byte that stands for it in an alert record.
constexpr std::uint8_t wire_value(TlsAlertLevel level) { return static_cast<std::uint8_t>(level); }
constexpr std::uint8_t wire_value(TlsAlertDescription description) { return static_cast<std::uint8_t>(description); }

}  // namespace trustcap
