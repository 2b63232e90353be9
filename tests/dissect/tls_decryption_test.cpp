// The TLS dissector with a key log, on real OpenSSL conversations: what a
// key log reveals (certificates, Finished, alerts) is read and marked
// decrypted; without one, or with wrong keys, the records stay encrypted.
#include <gtest/gtest.h>
#include <openssl/ssl.h>

#include <algorithm>
#include <memory>
#include <sstream>

#include "dissect/tls_key_log.h"
#include "dissect/tls_stream_dissector.h"
#include "tests/dissect/openssl_conversation.h"

namespace trustcap {
namespace {

using testing::Conversation;
using testing::ConversationOptions;
using testing::run_conversation;
using Kind = TlsMessageKind;

constexpr Direction client = Direction::client_to_server;
constexpr Direction server = Direction::server_to_client;

std::shared_ptr<const TlsKeyLog> key_log_of(const std::string& text) {
    auto log = std::make_shared<TlsKeyLog>();
    std::istringstream in(text);
    log->read(in);
    return log;
}

// Each write is one frame, numbered from 1.
std::unique_ptr<TlsStreamDissector> dissect(const Conversation& conversation, std::shared_ptr<const TlsKeyLog> key_log) {
    auto dissector = std::make_unique<TlsStreamDissector>(TlsDissectorLimits{}, std::move(key_log));
    std::uint64_t offsets[2] = {0, 0};
    std::uint64_t frame = 0;
    for (const auto& write : conversation.writes) {
        ++frame;
        std::uint64_t& offset = offsets[static_cast<std::size_t>(index_of(write.direction))];
        dissector->on_data(write.direction, offset, write.bytes, frame, Timestamp{1'600'000'000, 0});
        offset += write.bytes.size();
    }
    return dissector;
}

std::vector<Kind> kinds(const std::vector<TlsMessage>& messages, Direction direction) {
    std::vector<Kind> result;
    for (const auto& message : messages)
        if (message.direction == direction) result.push_back(message.kind);
    return result;
}

const TlsMessage* find(const std::vector<TlsMessage>& messages, Kind kind, Direction direction) {
    for (const auto& message : messages)
        if (message.kind == kind && message.direction == direction) return &message;
    return nullptr;
}

// Every message after the first encrypted record of its direction is marked decrypted.
bool all_decrypted(const std::vector<TlsMessage>& messages, std::initializer_list<Kind> kinds_read) {
    for (const auto& message : messages)
        if (std::find(kinds_read.begin(), kinds_read.end(), message.kind) != kinds_read.end() && !message.decrypted)
            return false;
    return true;
}

Conversation tls12(const std::string& ciphers, bool encrypt_then_mac = true) {
    ConversationOptions options;
    options.max_version = TLS1_2_VERSION;
    options.tls12_ciphers = ciphers;
    options.encrypt_then_mac = encrypt_then_mac;
    auto conversation = run_conversation(options);
    EXPECT_TRUE(conversation.handshake_completed);
    EXPECT_NE(conversation.key_log.find("CLIENT_RANDOM "), std::string::npos);
    return conversation;
}

void expect_tls12_read(const Conversation& conversation) {
    const auto dissector = dissect(conversation, key_log_of(conversation.key_log));
    const auto& messages = dissector->messages();
    EXPECT_EQ(kinds(messages, client),
              (std::vector<Kind>{Kind::client_hello, Kind::certificate, Kind::client_key_exchange,
                                 Kind::certificate_verify, Kind::change_cipher_spec, Kind::finished,
                                 Kind::application_data, Kind::alert}));
    EXPECT_EQ(kinds(messages, server).back(), Kind::application_data);
    EXPECT_TRUE(find(messages, Kind::finished, server));
    EXPECT_TRUE(all_decrypted(messages, {Kind::finished, Kind::application_data, Kind::alert}));
    const TlsMessage* close = find(messages, Kind::alert, client);
    ASSERT_TRUE(close && close->alert);
    EXPECT_FALSE(close->alert->encrypted);
    EXPECT_TRUE(close->alert->is(TlsAlertDescription::close_notify));
    EXPECT_TRUE(close->alert->is(TlsAlertLevel::warning));
    const auto decryption = dissector->decryption();
    ASSERT_TRUE(decryption);
    EXPECT_TRUE(decryption->keys_found);
    EXPECT_EQ(decryption->records_decrypted[static_cast<std::size_t>(client)], 3U);  // Finished, data, alert
    EXPECT_EQ(decryption->records_decrypted[static_cast<std::size_t>(server)], 2U);  // Finished, data
    EXPECT_FALSE(decryption->failed_at_frame[0] || decryption->failed_at_frame[1]);
}

TEST(TlsDecryption, Tls12AesGcmFinishedDataAndAlertAreRead) { expect_tls12_read(tls12("ECDHE-ECDSA-AES128-GCM-SHA256")); }

TEST(TlsDecryption, Tls12AesGcmSha384) { expect_tls12_read(tls12("ECDHE-ECDSA-AES256-GCM-SHA384")); }

TEST(TlsDecryption, Tls12ChaCha20Poly1305) { expect_tls12_read(tls12("ECDHE-ECDSA-CHACHA20-POLY1305")); }

TEST(TlsDecryption, Tls12CbcWithEncryptThenMac) { expect_tls12_read(tls12("ECDHE-ECDSA-AES128-SHA256")); }

TEST(TlsDecryption, Tls12CbcMacThenEncrypt) { expect_tls12_read(tls12("ECDHE-ECDSA-AES128-SHA256", false)); }

TEST(TlsDecryption, Tls12CbcSha1) { expect_tls12_read(tls12("ECDHE-ECDSA-AES256-SHA", false)); }

TEST(TlsDecryption, WithoutAKeyLogNothingChanges) {
    const auto conversation = tls12("ECDHE-ECDSA-AES128-GCM-SHA256");
    const auto dissector = dissect(conversation, nullptr);
    EXPECT_FALSE(dissector->decryption());
    EXPECT_FALSE(find(dissector->messages(), Kind::finished, client));
    EXPECT_TRUE(find(dissector->messages(), Kind::encrypted_handshake, client));
    for (const auto& message : dissector->messages()) EXPECT_FALSE(message.decrypted);
}

TEST(TlsDecryption, AKeyLogWithoutThisConnectionDecryptsNothing) {
    const auto conversation = tls12("ECDHE-ECDSA-AES128-GCM-SHA256");
    const auto other = tls12("ECDHE-ECDSA-AES128-GCM-SHA256");
    const auto dissector = dissect(conversation, key_log_of(other.key_log));
    ASSERT_TRUE(dissector->decryption());
    EXPECT_FALSE(dissector->decryption()->keys_found);
    EXPECT_TRUE(find(dissector->messages(), Kind::encrypted_handshake, client));
}

TEST(TlsDecryption, AWrongSecretStopsThatDirectionAndSaysWhere) {
    const auto conversation = tls12("ECDHE-ECDSA-AES128-GCM-SHA256");
    std::string wrong = conversation.key_log;
    const auto secret_at = wrong.rfind(' ') + 1;
    wrong[secret_at] = wrong[secret_at] == '0' ? '1' : '0';
    const auto dissector = dissect(conversation, key_log_of(wrong));
    const auto decryption = dissector->decryption();
    ASSERT_TRUE(decryption && decryption->keys_found);
    EXPECT_EQ(decryption->records_decrypted[0] + decryption->records_decrypted[1], 0U);
    EXPECT_TRUE(decryption->failed_at_frame[static_cast<std::size_t>(client)]);
    EXPECT_TRUE(decryption->failed_at_frame[static_cast<std::size_t>(server)]);
    // The records are then shown as they are without keys.
    EXPECT_TRUE(find(dissector->messages(), Kind::encrypted_handshake, client));
    const TlsMessage* close = find(dissector->messages(), Kind::alert, client);
    ASSERT_TRUE(close && close->alert);
    EXPECT_TRUE(close->alert->encrypted);
}

Conversation tls13(const std::string& suite, bool client_has_certificate = true) {
    ConversationOptions options;
    options.min_version = TLS1_3_VERSION;
    options.tls13_ciphersuites = suite;
    options.client_has_certificate = client_has_certificate;
    return run_conversation(options);
}

void expect_tls13_read(const Conversation& conversation) {
    ASSERT_TRUE(conversation.handshake_completed);
    const auto dissector = dissect(conversation, key_log_of(conversation.key_log));
    const auto& messages = dissector->messages();
    EXPECT_EQ(kinds(messages, server),
              (std::vector<Kind>{Kind::server_hello, Kind::change_cipher_spec, Kind::other_handshake,
                                 Kind::certificate_request, Kind::certificate, Kind::certificate_verify,
                                 Kind::finished, Kind::new_session_ticket, Kind::new_session_ticket,
                                 Kind::application_data}));
    EXPECT_EQ(kinds(messages, client),
              (std::vector<Kind>{Kind::client_hello, Kind::change_cipher_spec, Kind::certificate,
                                 Kind::certificate_verify, Kind::finished, Kind::application_data, Kind::alert}));
    EXPECT_TRUE(all_decrypted(messages, {Kind::certificate, Kind::certificate_verify, Kind::finished,
                                         Kind::new_session_ticket, Kind::application_data, Kind::alert}));
    const TlsMessage* server_certificate = find(messages, Kind::certificate, server);
    ASSERT_TRUE(server_certificate);
    ASSERT_EQ(server_certificate->certificates.size(), 1U);
    EXPECT_EQ(server_certificate->certificates[0], conversation.server_certificate_der);
    const TlsMessage* client_certificate = find(messages, Kind::certificate, client);
    ASSERT_TRUE(client_certificate);
    ASSERT_EQ(client_certificate->certificates.size(), 1U);
    EXPECT_EQ(client_certificate->certificates[0], conversation.client_certificate_der);
    for (const auto& message : messages) EXPECT_FALSE(message.inferred);
}

// One wrong TLS 1.3 secret: nothing of the connection was read when its first
// record fails, so both directions are told by position and size, as without keys.
TEST(TlsDecryption, Tls13WrongServerSecretFallsBackToTheInferenceForBothSides) {
    const auto conversation = tls13("TLS_AES_128_GCM_SHA256");
    ASSERT_TRUE(conversation.handshake_completed);
    std::string wrong;
    std::istringstream lines(conversation.key_log);
    for (std::string line; std::getline(lines, line);) {
        if (line.starts_with("SERVER_HANDSHAKE_TRAFFIC_SECRET")) line.back() = line.back() == '0' ? '1' : '0';
        wrong += line + "\n";
    }
    const auto with_wrong_key = dissect(conversation, key_log_of(wrong));
    const auto without_keys = dissect(conversation, nullptr);
    EXPECT_EQ(kinds(with_wrong_key->messages(), client), kinds(without_keys->messages(), client));
    EXPECT_EQ(kinds(with_wrong_key->messages(), server), kinds(without_keys->messages(), server));
    const auto decryption = with_wrong_key->decryption();
    ASSERT_TRUE(decryption);
    EXPECT_TRUE(decryption->failed_at_frame[static_cast<std::size_t>(server)]);
    EXPECT_FALSE(decryption->any_decrypted());
}

// A wrong application secret after the handshake was read: the rest of that side is left out, not guessed.
TEST(TlsDecryption, Tls13WrongApplicationSecretLeavesTheRestOut) {
    const auto conversation = tls13("TLS_AES_128_GCM_SHA256");
    ASSERT_TRUE(conversation.handshake_completed);
    std::string wrong;
    std::istringstream lines(conversation.key_log);
    for (std::string line; std::getline(lines, line);) {
        if (line.starts_with("SERVER_TRAFFIC_SECRET_0")) line.back() = line.back() == '0' ? '1' : '0';
        wrong += line + "\n";
    }
    const auto dissector = dissect(conversation, key_log_of(wrong));
    const auto& messages = dissector->messages();
    EXPECT_EQ(kinds(messages, server),
              (std::vector<Kind>{Kind::server_hello, Kind::change_cipher_spec, Kind::other_handshake,
                                 Kind::certificate_request, Kind::certificate, Kind::certificate_verify,
                                 Kind::finished}));
    EXPECT_EQ(kinds(messages, client).back(), Kind::alert);
    EXPECT_EQ(dissector->application_records(server), 0U);
    EXPECT_TRUE(dissector->decryption()->failed_at_frame[static_cast<std::size_t>(server)]);
}

TEST(TlsDecryption, Tls13Aes128GcmHandshakeIsRead) { expect_tls13_read(tls13("TLS_AES_128_GCM_SHA256")); }

TEST(TlsDecryption, Tls13Aes256GcmHandshakeIsRead) { expect_tls13_read(tls13("TLS_AES_256_GCM_SHA384")); }

TEST(TlsDecryption, Tls13ChaCha20HandshakeIsRead) { expect_tls13_read(tls13("TLS_CHACHA20_POLY1305_SHA256")); }

TEST(TlsDecryption, Tls13ServerRefusingADeviceWithoutCertificateSaysWhy) {
    const auto conversation = tls13("TLS_AES_128_GCM_SHA256", false);
    const auto dissector = dissect(conversation, key_log_of(conversation.key_log));
    const auto& messages = dissector->messages();
    const TlsMessage* empty = find(messages, Kind::certificate, client);
    ASSERT_TRUE(empty);
    EXPECT_TRUE(empty->decrypted);
    EXPECT_TRUE(empty->certificates.empty());
    const TlsMessage* alert = find(messages, Kind::alert, server);
    ASSERT_TRUE(alert && alert->alert);
    EXPECT_TRUE(alert->decrypted);
    EXPECT_FALSE(alert->alert->encrypted);
    EXPECT_TRUE(alert->alert->is(TlsAlertLevel::fatal));
    EXPECT_TRUE(alert->alert->is(TlsAlertDescription::certificate_required));
}

TEST(TlsDecryption, Tls13WithOnlyTheHandshakeSecretsReadsTheHandshake) {
    const auto conversation = tls13("TLS_AES_128_GCM_SHA256");
    std::string handshake_only;
    std::istringstream lines(conversation.key_log);
    for (std::string line; std::getline(lines, line);)
        if (line.find("HANDSHAKE_TRAFFIC_SECRET") != std::string::npos) handshake_only += line + "\n";
    const auto dissector = dissect(conversation, key_log_of(handshake_only));
    const auto& messages = dissector->messages();
    EXPECT_TRUE(find(messages, Kind::finished, client));
    EXPECT_TRUE(find(messages, Kind::certificate, server));
    EXPECT_FALSE(find(messages, Kind::new_session_ticket, server));  // after the server's Finished: no keys
    const auto decryption = dissector->decryption();
    ASSERT_TRUE(decryption);
    EXPECT_FALSE(decryption->failed_at_frame[0] || decryption->failed_at_frame[1]);
}

}  // namespace
}  // namespace trustcap
