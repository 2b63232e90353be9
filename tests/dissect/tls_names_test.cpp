#include "dissect/tls_names.h"

#include <gtest/gtest.h>

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
    EXPECT_EQ(tls_version_name(0x0300), "SSLv3");
    EXPECT_EQ(tls_version_name(0x0301), "TLSv1");
    EXPECT_EQ(tls_version_name(0x0302), "TLSv1.1");
    EXPECT_EQ(tls_version_name(0x0303), "TLSv1.2");
    EXPECT_EQ(tls_version_name(0x0304), "TLSv1.3");
    EXPECT_EQ(tls_version_name(0x7f1c), "0x7f1c");
    EXPECT_EQ(tls_cipher_suite_name(0x1301), "TLS_AES_128_GCM_SHA256");
    EXPECT_EQ(tls_cipher_suite_name(0x1303), "TLS_CHACHA20_POLY1305_SHA256");
    EXPECT_EQ(tls_cipher_suite_name(0xC030), "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384");
    EXPECT_EQ(tls_cipher_suite_name(0xCCA8), "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256");
    EXPECT_EQ(tls_cipher_suite_name(0x009F), "TLS_DHE_RSA_WITH_AES_256_GCM_SHA384");
    EXPECT_EQ(tls_cipher_suite_name(0xC0FF), "0xc0ff");
}

}  // namespace
}  // namespace trustcap
