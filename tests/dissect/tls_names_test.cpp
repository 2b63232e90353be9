#include "dissect/tls_names.h"

#include <gtest/gtest.h>

#include <cstdio>

namespace trustcap {
namespace {

TlsMessage message_of(TlsMessageKind kind) {
    TlsMessage message;
    message.kind = kind;
    return message;
}

TEST(TlsNames, MessagesAsWiresharkShowsThem) {
    EXPECT_EQ(tls_message_name(message_of(TlsMessageKind::client_hello)), "Client Hello");
    EXPECT_EQ(tls_message_name(message_of(TlsMessageKind::sslv2_client_hello)), "Client Hello");
    EXPECT_EQ(tls_message_name(message_of(TlsMessageKind::hello_retry_request)), "Hello Retry Request");
    EXPECT_EQ(tls_message_name(message_of(TlsMessageKind::server_hello_done)), "Server Hello Done");
    EXPECT_EQ(tls_message_name(message_of(TlsMessageKind::encrypted_handshake)), "Encrypted Handshake Message");
    EXPECT_EQ(tls_message_name(message_of(TlsMessageKind::change_cipher_spec)), "Change Cipher Spec");
    EXPECT_EQ(tls_message_name(message_of(TlsMessageKind::application_data)), "Application Data");

    TlsMessage alert = message_of(TlsMessageKind::alert);
    alert.alert = TlsAlert{.encrypted = false, .level = 2, .description = 48};
    EXPECT_EQ(tls_message_name(alert), "Alert (Level: Fatal, Description: Unknown CA)");
    alert.alert = TlsAlert{.encrypted = false, .level = 1, .description = 0};
    EXPECT_EQ(tls_message_name(alert), "Alert (Level: Warning, Description: Close Notify)");
    alert.alert = TlsAlert{.encrypted = true, .level = 0, .description = 0};
    EXPECT_EQ(tls_message_name(alert), "Encrypted Alert");

    TlsMessage other = message_of(TlsMessageKind::other_handshake);
    other.handshake_type = 22;
    EXPECT_EQ(tls_message_name(other), "Certificate Status");
    other.handshake_type = 99;
    EXPECT_EQ(tls_message_name(other), "Encrypted Handshake Message");

    TlsMessage flight = message_of(TlsMessageKind::tls13_server_handshake_flight);
    EXPECT_NE(tls_message_name(flight).find("inferred"), std::string::npos);
}

TEST(TlsNames, AlertDescriptionsAndIds) {
    EXPECT_EQ(tls_alert_description_name(40), "Handshake Failure");
    EXPECT_EQ(tls_alert_description_name(42), "Bad Certificate");
    EXPECT_EQ(tls_alert_description_name(45), "Certificate Expired");
    EXPECT_EQ(tls_alert_description_name(46), "Certificate Unknown");
    EXPECT_EQ(tls_alert_description_name(51), "Decrypt Error");
    EXPECT_EQ(tls_alert_description_name(70), "Protocol Version");
    EXPECT_EQ(tls_alert_description_name(112), "Unrecognized Name");
    EXPECT_EQ(tls_alert_description_name(116), "Certificate Required");
    EXPECT_EQ(tls_alert_description_name(200), "Unknown");

    EXPECT_EQ(tls_alert_id(48), "unknown_ca");
    EXPECT_EQ(tls_alert_id(40), "handshake_failure");
    EXPECT_EQ(tls_alert_id(42), "bad_certificate");
    EXPECT_EQ(tls_alert_id(45), "certificate_expired");
    EXPECT_EQ(tls_alert_id(46), "certificate_unknown");
    EXPECT_EQ(tls_alert_id(70), "protocol_version");
    EXPECT_EQ(tls_alert_id(51), "decrypt_error");
    EXPECT_EQ(tls_alert_id(112), "unrecognized_name");
    EXPECT_EQ(tls_alert_id(0), "close_notify");
    EXPECT_EQ(tls_alert_id(116), "certificate_required");
    EXPECT_EQ(tls_alert_id(200), "alert_200");
}

TEST(TlsNames, VersionsAndCipherSuites) {
    EXPECT_EQ(tls_version_name(0x0002), "SSLv2");
    EXPECT_EQ(tls_version_name(0x0300), "SSLv3");
    EXPECT_EQ(tls_version_name(0x0301), "TLSv1");
    EXPECT_EQ(tls_version_name(0x0302), "TLSv1.1");
    EXPECT_EQ(tls_version_name(0x0303), "TLSv1.2");
    EXPECT_EQ(tls_version_name(0x0304), "TLSv1.3");
    EXPECT_EQ(tls_cipher_suite_name(0x1301), "TLS_AES_128_GCM_SHA256");
    EXPECT_EQ(tls_cipher_suite_name(0x1303), "TLS_CHACHA20_POLY1305_SHA256");
    EXPECT_EQ(tls_cipher_suite_name(0xC030), "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384");
    EXPECT_EQ(tls_cipher_suite_name(0xCCA8), "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256");
    EXPECT_EQ(tls_cipher_suite_name(0x009F), "TLS_DHE_RSA_WITH_AES_256_GCM_SHA384");
}

TEST(TlsNames, Tls13DraftsGreaseAndUnassignedVersions) {
    EXPECT_EQ(tls_version_name(0x7F17), "TLS 1.3 draft 23");
    EXPECT_EQ(tls_version_name(0x7F1C), "TLS 1.3 draft 28");
    EXPECT_EQ(tls_version_name(0xFB1A), "TLS 1.3 Facebook draft 26");
    EXPECT_EQ(tls_version_name(0xFEFD), "DTLSv1.2");
    EXPECT_EQ(tls_version_name(0x0A0A), "GREASE (0x0A0A)");
    EXPECT_EQ(tls_version_name(0xFAFA), "GREASE (0xFAFA)");
    EXPECT_EQ(tls_version_name(0x0305), "unassigned (0x0305)");
    EXPECT_TRUE(is_tls13_family(0x0304));
    EXPECT_TRUE(is_tls13_family(0x7F17));
    EXPECT_TRUE(is_tls13_family(0xFB17));
    EXPECT_FALSE(is_tls13_family(0x0303));
}

// Every registered code point by its IANA name, across the registry's blocks.
TEST(TlsNames, CipherSuitesByTheirIanaNames) {
    EXPECT_EQ(tls_cipher_suite_name(0x0000), "TLS_NULL_WITH_NULL_NULL");
    EXPECT_EQ(tls_cipher_suite_name(0x0004), "TLS_RSA_WITH_RC4_128_MD5");
    EXPECT_EQ(tls_cipher_suite_name(0x001E), "TLS_KRB5_WITH_DES_CBC_SHA");
    EXPECT_EQ(tls_cipher_suite_name(0x00C7), "TLS_SM4_CCM_SM3");
    EXPECT_EQ(tls_cipher_suite_name(0x00FF), "TLS_EMPTY_RENEGOTIATION_INFO_SCSV");
    EXPECT_EQ(tls_cipher_suite_name(0x1305), "TLS_AES_128_CCM_8_SHA256");
    EXPECT_EQ(tls_cipher_suite_name(0x5600), "TLS_FALLBACK_SCSV");
    EXPECT_EQ(tls_cipher_suite_name(0xC011), "TLS_ECDHE_RSA_WITH_RC4_128_SHA");
    EXPECT_EQ(tls_cipher_suite_name(0xC0B5), "TLS_SHA384_SHA384");
    EXPECT_EQ(tls_cipher_suite_name(0xC106), "TLS_GOSTR341112_256_WITH_MAGMA_MGM_S");
    EXPECT_EQ(tls_cipher_suite_name(0xCCAE), "TLS_RSA_PSK_WITH_CHACHA20_POLY1305_SHA256");
    EXPECT_EQ(tls_cipher_suite_name(0xD005), "TLS_ECDHE_PSK_WITH_AES_128_CCM_SHA256");
}

TEST(TlsNames, GreaseAndUnassignedCipherSuites) {
    for (unsigned high = 0; high < 16; ++high) {
        const auto value = static_cast<std::uint16_t>((high << 12) | 0x0A00 | (high << 4) | 0x0A);
        char expected[32];
        std::snprintf(expected, sizeof expected, "GREASE (0x%04X)", value);
        EXPECT_EQ(tls_cipher_suite_name(value), expected);
    }
    EXPECT_EQ(tls_cipher_suite_name(0x0A1A), "unassigned (0x0A1A)");
    EXPECT_EQ(tls_cipher_suite_name(0xC0FF), "unassigned (0xC0FF)");
    EXPECT_EQ(tls_cipher_suite_name(0x0060), "unassigned (0x0060)");
    EXPECT_EQ(tls_cipher_suite_name(0xCC13), "unassigned (0xCC13)");
    EXPECT_EQ(tls_cipher_suite_name(0xFFFF), "unassigned (0xFFFF)");
    EXPECT_FALSE(iana_cipher_suite_name(0xD004));
}

}  // namespace
}  // namespace trustcap
