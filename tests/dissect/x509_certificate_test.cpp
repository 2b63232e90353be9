#include "dissect/x509_certificate.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <string>
#include <vector>

#include "tests/dissect/certificate_factory.h"

namespace trustcap {
namespace {

using testing::CertificateSpec;
using testing::issue;
using testing::make_ec_key;
using testing::test_pki;
namespace times = testing::times;

CertificateSummary summarize(const std::vector<std::uint8_t>& der) {
    std::string error;
    std::optional<CertificateSummary> summary = summarize_certificate(Bytes(der), error);
    EXPECT_TRUE(summary.has_value()) << error;
    return summary.value_or(CertificateSummary{});
}

std::string openssl_sha256_fingerprint(X509* certificate) {
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    X509_digest(certificate, EVP_sha256(), digest, &length);
    std::string text;
    for (unsigned int i = 0; i < length; ++i) {
        char pair[4];
        std::snprintf(pair, sizeof pair, "%s%02X", i == 0 ? "" : ":", digest[i]);
        text += pair;
    }
    return text;
}

TEST(X509Certificate, SummarizesTheLeaf) {
    const auto& leaf = test_pki().leaf;
    const CertificateSummary summary = summarize(leaf.der);
    EXPECT_EQ(summary.subject, "CN=smartreceiver.cisco.com,O=Cisco Systems Inc.,C=US");
    EXPECT_EQ(summary.issuer, "CN=Test Issuing CA,O=Test Trust Services,C=US");
    EXPECT_EQ(summary.subject_common_name, "smartreceiver.cisco.com");
    EXPECT_EQ(summary.issuer_common_name, "Test Issuing CA");
    EXPECT_EQ(summary.subject_alt_names,
              (std::vector<std::string>{"DNS:smartreceiver.cisco.com", "IP:192.0.2.10", "IP:2001:db8::10"}));
    EXPECT_EQ(summary.serial, "0A1B2C3D4E5F");
    EXPECT_EQ(summary.not_before, times::y2021);
    EXPECT_EQ(summary.not_after, times::y2022);
    EXPECT_EQ(summary.key_type, "EC");
    EXPECT_EQ(summary.key_bits, 256);
    EXPECT_EQ(summary.signature_algorithm, "ecdsa-with-SHA256");
    EXPECT_EQ(summary.sha256_fingerprint, openssl_sha256_fingerprint(leaf.certificate.get()));
    EXPECT_EQ(summary.sha256_fingerprint.size(), 32u * 3 - 1);
    EXPECT_FALSE(summary.self_signed);
    EXPECT_TRUE(summary.anomalies.empty());
}

TEST(X509Certificate, SummarizesTheRsaRootAsSelfSigned) {
    const CertificateSummary summary = summarize(test_pki().root.der);
    EXPECT_EQ(summary.subject, "CN=Test Root CA,O=Test Trust Services,C=US");
    EXPECT_EQ(summary.issuer, summary.subject);
    EXPECT_EQ(summary.serial, "01");
    EXPECT_EQ(summary.not_before, times::y2015);
    EXPECT_EQ(summary.not_after, times::y2040);
    EXPECT_EQ(summary.key_type, "RSA");
    EXPECT_EQ(summary.key_bits, 2048);
    EXPECT_EQ(summary.signature_algorithm, "sha256WithRSAEncryption");
    EXPECT_TRUE(summary.subject_alt_names.empty());
    EXPECT_TRUE(summary.self_signed);
}

TEST(X509Certificate, AnIntermediateIsNotSelfSigned) {
    const CertificateSummary summary = summarize(test_pki().intermediate.der);
    EXPECT_EQ(summary.issuer_common_name, "Test Root CA");
    EXPECT_EQ(summary.signature_algorithm, "sha256WithRSAEncryption");
    EXPECT_EQ(summary.key_type, "EC");
    EXPECT_FALSE(summary.self_signed);
}

TEST(X509Certificate, SameNamesButAnotherKeyIsNotSelfSigned) {
    const auto& root = test_pki().root;
    // Issued "by" a CA whose name is the leaf's own name, but signed with the CA's key.
    const auto impostor_issuer =
        issue(CertificateSpec().named({{"CN", "lookalike"}}).valid(times::y2015, times::y2040).certificate_authority(),
              make_ec_key(), &root);
    const auto lookalike = issue(CertificateSpec().named({{"CN", "lookalike"}}).valid(times::y2021, times::y2022),
                                 make_ec_key(), &impostor_issuer);
    const CertificateSummary summary = summarize(lookalike.der);
    EXPECT_EQ(summary.subject, summary.issuer);
    EXPECT_FALSE(summary.self_signed);
}

TEST(X509Certificate, ASelfMadeServerCertificateIsSelfSignedWhateverItsKeyUsage) {
    const auto self_made = issue(CertificateSpec()
                                     .named({{"CN", "ssm-onprem.example"}})
                                     .valid(times::y2021, times::y2022)
                                     .with_key_usage("critical,digitalSignature,keyEncipherment")
                                     .alt_names("DNS:ssm-onprem.example"),
                                 make_ec_key());
    EXPECT_TRUE(summarize(self_made.der).self_signed);
}

TEST(X509Certificate, NamesAreEscapedButUtf8StaysReadable) {
    const auto odd =
        issue(CertificateSpec()
                  .named({{"C", "CH"},
                          {"L", "Zürich"},
                          {"O", "Cisco Systems, Inc."},
                          {"OU", std::string("red\x1b[31mtext")},
                          {"CN", std::string("latin\xff"), V_ASN1_IA5STRING}})
                  .valid(times::y2021, times::y2022)
                  .alt_names("DNS:*.cisco.com,DNS:bad\xff\x01.example,email:ops@example.com,URI:https://example.com/x"),
              make_ec_key());
    const CertificateSummary summary = summarize(odd.der);
    EXPECT_EQ(summary.subject_common_name, "latinÿ");  // IA5String bytes are read as Latin-1
    EXPECT_NE(summary.subject.find("O=Cisco Systems\\, Inc."), std::string::npos) << summary.subject;
    EXPECT_NE(summary.subject.find("L=Zürich"), std::string::npos) << summary.subject;
    EXPECT_NE(summary.subject.find("red\\x1B[31mtext"), std::string::npos) << summary.subject;
    EXPECT_EQ(summary.subject.rfind("CN=latinÿ,OU=red", 0), 0u) << summary.subject;
    EXPECT_EQ(summary.subject.find('\x1b'), std::string::npos);
    EXPECT_EQ(summary.subject_alt_names,
              (std::vector<std::string>{"DNS:*.cisco.com", "DNS:bad\\xFF\\x01.example", "email:ops@example.com",
                                        "URI:https://example.com/x"}));
}

TEST(X509Certificate, ReadsUtf8CommonNames) {
    const auto named =
        issue(CertificateSpec().named({{"CN", "Zürich Ünïcode"}}).valid(times::y2021, times::y2022), make_ec_key());
    const CertificateSummary summary = summarize(named.der);
    EXPECT_EQ(summary.subject_common_name, "Zürich Ünïcode");
    EXPECT_EQ(summary.subject, "CN=Zürich Ünïcode");
    EXPECT_TRUE(summary.self_signed);
}

TEST(X509Certificate, ReadsGeneralizedTimesAfter2049) {
    const auto long_lived =
        issue(CertificateSpec().named({{"CN", "long"}}).valid(times::y2021, times::march_2055), make_ec_key());
    EXPECT_EQ(summarize(long_lived.der).not_after, times::march_2055);
}

TEST(X509Certificate, TrailingBytesAreIgnoredAndNoted) {
    const auto& leaf = test_pki().leaf;
    std::vector<std::uint8_t> padded = leaf.der;
    padded.insert(padded.end(), {0x00, 0x00, 0xDE, 0xAD});
    const CertificateSummary summary = summarize(padded);
    EXPECT_EQ(summary.subject_common_name, "smartreceiver.cisco.com");
    EXPECT_EQ(summary.sha256_fingerprint, openssl_sha256_fingerprint(leaf.certificate.get()));
    ASSERT_EQ(summary.anomalies.size(), 1u);
    EXPECT_EQ(summary.anomalies[0], "4 bytes after the certificate's DER encoding were ignored");
}

TEST(X509Certificate, RejectsEmptyInput) {
    std::string error;
    EXPECT_FALSE(summarize_certificate(Bytes(), error));
    EXPECT_EQ(error, "the certificate is empty (0 bytes)");
}

TEST(X509Certificate, RejectsGarbage) {
    const std::vector<std::uint8_t> garbage{'H', 'T', 'T', 'P', '/', '1', '.', '1', ' ', '2', '0', '0'};
    std::string error;
    EXPECT_FALSE(summarize_certificate(Bytes(garbage), error));
    EXPECT_EQ(error, "not a DER X.509 certificate: it starts with 0x48, not a SEQUENCE (0x30)");
}

TEST(X509Certificate, RejectsALengthThatPointsFarPastTheEnd) {
    const std::vector<std::uint8_t> huge{0x30, 0x84, 0x7F, 0xFF, 0xFF, 0xFF, 0x30, 0x00};
    std::string error;
    EXPECT_FALSE(summarize_certificate(Bytes(huge), error));
    EXPECT_NE(error.find("is truncated or has a length that runs past its end (OpenSSL: "), std::string::npos) << error;
}

TEST(X509Certificate, RejectsEveryTruncation) {
    const auto& der = test_pki().leaf.der;
    for (std::size_t length = 0; length < der.size(); ++length) {
        // An exact-size copy, so a read past the span is a read past the allocation.
        const std::vector<std::uint8_t> truncated(der.begin(), der.begin() + static_cast<std::ptrdiff_t>(length));
        std::string error;
        EXPECT_FALSE(summarize_certificate(Bytes(truncated), error)) << "length " << length;
        EXPECT_FALSE(error.empty());
    }
}

TEST(X509Certificate, SurvivesEveryCorruptedByte) {
    const auto& der = test_pki().leaf.der;
    for (std::size_t at = 0; at < der.size(); ++at) {
        std::vector<std::uint8_t> corrupted = der;
        corrupted[at] ^= 0xA5;
        std::string error;
        const auto summary = summarize_certificate(Bytes(corrupted), error);
        EXPECT_TRUE(summary.has_value() || !error.empty()) << "byte " << at;
    }
}

}  // namespace
}  // namespace trustcap
