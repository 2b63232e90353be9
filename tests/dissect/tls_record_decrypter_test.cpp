#include "dissect/tls_record_decrypter.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace trustcap {
namespace {

using ByteVector = std::vector<std::uint8_t>;

ByteVector hex(const std::string& text) {
    ByteVector bytes;
    std::string digits;
    for (char c : text)
        if (c != ' ') digits.push_back(c);
    for (std::size_t i = 0; i + 1 < digits.size(); i += 2)
        bytes.push_back(static_cast<std::uint8_t>(std::stoi(digits.substr(i, 2), nullptr, 16)));
    return bytes;
}

// RFC 8448 3 (Simple 1-RTT Handshake), TLS_AES_128_GCM_SHA256.
const ByteVector server_handshake_secret =
    hex("b6 7b 7d 69 0c c1 6c 4e 75 e5 42 13 cb 2d 37 b4 e9 c9 12 bc de d9 10 5d 42 be fd 59 d3 91 ad 38");
const ByteVector client_handshake_secret =
    hex("b3 ed db 12 6e 06 7f 35 a7 80 b3 ab f4 5e 2d 8f 3b 1a 95 07 38 f5 2e 96 00 74 6a 0e 27 a5 5a 21");
const ByteVector client_application_secret =
    hex("9e 40 64 6c e7 9a 7f 9d c0 5a f8 88 9b ce 65 52 87 5a fa 0b 06 df 00 87 f7 92 eb b7 c1 75 04 a5");
// {client} send application_data record (the 50 bytes 00..31), then send alert record (close_notify).
const ByteVector client_application_record =
    hex("17 03 03 00 43 a2 3f 70 54 b6 2c 94 d0 af fa fe 82 28 ba 55 cb ef ac ea 42 f9 14 aa 66 bc ab 3f 2b 98 19 a8 a5"
        "b4 6b 39 5b d5 4a 9a 20 44 1e 2b 62 97 4e 1f 5a 62 92 a2 97 70 14 bd 1e 3d ea e6 3a ee bb 21 69 49 15 e4");
const ByteVector client_alert_record = hex("17 03 03 00 13 c9 87 27 60 65 56 66 b7 4d 7f f1 15 3e fd 6d b6 d0 b0 e3");

constexpr std::uint16_t aes_128_gcm_sha256 = 0x1301;

std::optional<DecryptedRecord> open_record(TlsRecordDecrypter& decrypter, const ByteVector& record) {
    const TlsRecordHeader header = read_record_header(Bytes(record.data(), tls_record_header_size));
    return decrypter.decrypt(header, Bytes(record).subspan(tls_record_header_size));
}

TEST(TlsRecordDecrypter, HkdfExpandLabelGivesTheRfc8448TrafficKeys) {
    EXPECT_EQ(hkdf_expand_label("SHA256", server_handshake_secret, "key", 16),
              hex("3f ce 51 60 09 c2 17 27 d0 f2 e4 e8 6e e4 03 bc"));
    EXPECT_EQ(hkdf_expand_label("SHA256", server_handshake_secret, "iv", 12), hex("5d 31 3e b2 67 12 76 ee 13 00 0b 30"));
    EXPECT_EQ(hkdf_expand_label("SHA256", client_handshake_secret, "key", 16),
              hex("db fa a6 93 d1 76 2c 5b 66 6a f5 d9 50 25 8d 01"));
    EXPECT_EQ(hkdf_expand_label("SHA256", client_handshake_secret, "iv", 12), hex("5b d3 c7 1b 83 6e 0b 76 bb 73 26 5f"));
}

TEST(TlsRecordDecrypter, Tls13RecordsOfRfc8448DecryptInOrder) {
    auto decrypter = TlsRecordDecrypter::tls13(aes_128_gcm_sha256, client_application_secret);
    ASSERT_TRUE(decrypter);
    const auto data = open_record(*decrypter, client_application_record);
    ASSERT_TRUE(data);
    EXPECT_EQ(data->content_type, 23);
    ByteVector expected(50);
    for (std::size_t i = 0; i < expected.size(); ++i) expected[i] = static_cast<std::uint8_t>(i);
    EXPECT_EQ(data->plaintext, expected);
    const auto alert = open_record(*decrypter, client_alert_record);
    ASSERT_TRUE(alert);
    EXPECT_EQ(alert->content_type, 21);
    EXPECT_EQ(alert->plaintext, (ByteVector{1, 0}));
}

TEST(TlsRecordDecrypter, ARecordOutOfSequenceOrAlteredFailsAuthentication) {
    auto decrypter = TlsRecordDecrypter::tls13(aes_128_gcm_sha256, client_application_secret);
    ASSERT_TRUE(decrypter);
    EXPECT_FALSE(open_record(*decrypter, client_alert_record));  // sequence number 1, tried as 0
    ByteVector altered = client_application_record;
    altered[20] ^= 0x01U;
    EXPECT_FALSE(open_record(*decrypter, altered));
    ByteVector other_header = client_application_record;
    other_header[2] = 0x01;  // the header is the additional data
    EXPECT_FALSE(open_record(*decrypter, other_header));
    EXPECT_TRUE(open_record(*decrypter, client_application_record));  // failures do not move the sequence
}

TEST(TlsRecordDecrypter, ShortOrEmptyRecordsAreRefusedNotRead) {
    auto decrypter = TlsRecordDecrypter::tls13(aes_128_gcm_sha256, client_application_secret);
    ASSERT_TRUE(decrypter);
    const TlsRecordHeader header{23, 0x0303, 3};
    EXPECT_FALSE(decrypter->decrypt(header, ByteVector{1, 2, 3}));
    EXPECT_FALSE(decrypter->decrypt(TlsRecordHeader{23, 0x0303, 0}, Bytes{}));
}

TEST(TlsRecordDecrypter, Tls12PrfGivesThePublishedSha256Vector) {
    EXPECT_EQ(tls12_prf("SHA256", hex("9b be 43 6b a9 40 f0 17 b1 76 52 84 9a 71 db 35"), "test label",
                        hex("a0 ba 9f 93 6c da 31 18 27 a6 f7 96 ff d5 19 8c"), 100),
              hex("e3 f2 29 ba 72 7b e1 7b 8d 12 26 20 55 7c d4 53 c2 aa b2 1d 07 c3 d4 95 32 9b 52 d4 e6 1e db 5a"
                  "6b 30 17 91 e9 0d 35 c9 c9 a4 6b 4e 14 ba f9 af 0f a0 22 f7 07 7d ef 17 ab fd 37 97 c0 56 4b ab"
                  "4f bc 91 66 6e 9d ef 9b 97 fc e3 4f 79 67 89 ba a4 80 82 d1 22 ee 42 c5 a7 2e 5a 51 10 ff f7 01"
                  "87 34 7b 66"));
}

TEST(TlsRecordDecrypter, ProtectionIsReadFromTheSuiteName) {
    const auto gcm = record_protection_of(0xC030);  // TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384
    ASSERT_TRUE(gcm);
    EXPECT_EQ(gcm->bulk, RecordProtection::Bulk::aes_gcm);
    EXPECT_EQ(gcm->key_bytes, 32U);
    EXPECT_EQ(gcm->prf_digest, "SHA384");
    const auto chacha = record_protection_of(0x1303);  // TLS_CHACHA20_POLY1305_SHA256
    ASSERT_TRUE(chacha);
    EXPECT_EQ(chacha->bulk, RecordProtection::Bulk::chacha20_poly1305);
    EXPECT_EQ(chacha->prf_digest, "SHA256");
    const auto cbc = record_protection_of(0x002F);  // TLS_RSA_WITH_AES_128_CBC_SHA
    ASSERT_TRUE(cbc);
    EXPECT_EQ(cbc->bulk, RecordProtection::Bulk::aes_cbc);
    EXPECT_EQ(cbc->mac_digest, "SHA1");
    EXPECT_EQ(cbc->prf_digest, "SHA256");
    EXPECT_FALSE(record_protection_of(0x000A));  // TLS_RSA_WITH_3DES_EDE_CBC_SHA
    EXPECT_FALSE(record_protection_of(0xC0AC));  // TLS_ECDHE_ECDSA_WITH_AES_128_CCM
    EXPECT_FALSE(record_protection_of(0x0A0A));  // GREASE
}

}  // namespace
}  // namespace trustcap
