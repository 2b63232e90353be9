#include "dissect/public_key_limits.h"

#include <gtest/gtest.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/param_build.h>

#include <chrono>
#include <string>
#include <vector>

#include "dissect/certificate_cache.h"
#include "dissect/certificate_verifier.h"
#include "dissect/tls_summary.h"
#include "dissect/x509_certificate.h"
#include "tests/dissect/certificate_factory.h"

namespace trustcap {
namespace {

using testing::CertificateSpec;
using testing::Issued;
using testing::issue;
using testing::Key;
using testing::test_pki;
namespace times = testing::times;

struct FreeBignum {
    void operator()(BIGNUM* number) const noexcept { BN_free(number); }
};
using Bignum = std::unique_ptr<BIGNUM, FreeBignum>;

Bignum number(const std::string& hex) {
    BIGNUM* value = nullptr;
    EXPECT_GT(BN_hex2bn(&value, hex.c_str()), 0);
    return Bignum(value);
}

Bignum power_of_two_plus(int exponent, unsigned long add) {
    Bignum value(BN_new());
    BN_set_bit(value.get(), exponent);
    BN_add_word(value.get(), add);
    return value;
}

Bignum modulus_of(const Key& key) {
    BIGNUM* modulus = nullptr;
    EXPECT_EQ(EVP_PKEY_get_bn_param(key.get(), OSSL_PKEY_PARAM_RSA_N, &modulus), 1);
    return Bignum(modulus);
}

// An RSA public key with whatever modulus and exponent; it signs nothing.
Key rsa_public_key(const BIGNUM* modulus, const BIGNUM* exponent) {
    std::unique_ptr<OSSL_PARAM_BLD, decltype(&OSSL_PARAM_BLD_free)> builder(OSSL_PARAM_BLD_new(), &OSSL_PARAM_BLD_free);
    OSSL_PARAM_BLD_push_BN(builder.get(), OSSL_PKEY_PARAM_RSA_N, modulus);
    OSSL_PARAM_BLD_push_BN(builder.get(), OSSL_PKEY_PARAM_RSA_E, exponent);
    std::unique_ptr<OSSL_PARAM, decltype(&OSSL_PARAM_free)> params(OSSL_PARAM_BLD_to_param(builder.get()),
                                                                   &OSSL_PARAM_free);
    std::unique_ptr<EVP_PKEY_CTX, decltype(&EVP_PKEY_CTX_free)> context(
        EVP_PKEY_CTX_new_from_name(nullptr, "RSA", nullptr), &EVP_PKEY_CTX_free);
    EVP_PKEY* key = nullptr;
    EXPECT_EQ(EVP_PKEY_fromdata_init(context.get()), 1);
    EXPECT_EQ(EVP_PKEY_fromdata(context.get(), &key, EVP_PKEY_PUBLIC_KEY, params.get()), 1);
    return Key(key, testing::FreeKey{});
}

// Named like the test root and signed by it: issuer == subject, so it looks
// self-signed to whoever compares names.
Issued named_like_its_issuer(const Key& key) {
    return issue(CertificateSpec()
                     .named({{"C", "US"}, {"O", "Test Trust Services"}, {"CN", "Test Root CA"}})
                     .valid(times::y2015, times::y2040)
                     .with_serial(77),
                 key, &test_pki().root);
}

const Key& ordinary_rsa_key() {
    static const Key key = testing::make_rsa_key();
    return key;
}

std::optional<std::string> refusal_of(const Key& key) {
    return refused_public_key(named_like_its_issuer(key).certificate.get());
}

TEST(PublicKeyLimits, OrdinaryKeysAreUsed) {
    EXPECT_FALSE(refused_public_key(test_pki().root.certificate.get()));  // RSA 2048, e = 65537
    EXPECT_FALSE(refused_public_key(test_pki().leaf.certificate.get()));  // EC P-256
    const Bignum exponent = number("3");
    EXPECT_FALSE(refusal_of(rsa_public_key(modulus_of(ordinary_rsa_key()).get(), exponent.get())));
}

TEST(PublicKeyLimits, RsaExponentsUpTo33BitsAreUsedWiderOnesRefused) {
    const Bignum modulus = modulus_of(ordinary_rsa_key());
    const Bignum widest = power_of_two_plus(public_key_limits::max_rsa_exponent_bits - 1, 1);
    EXPECT_FALSE(refusal_of(rsa_public_key(modulus.get(), widest.get())));
    const Bignum too_wide = power_of_two_plus(public_key_limits::max_rsa_exponent_bits, 1);
    const auto refused = refusal_of(rsa_public_key(modulus.get(), too_wide.get()));
    ASSERT_TRUE(refused);
    EXPECT_NE(refused->find("exponent has 34 bits, more than 33 bits"), std::string::npos) << *refused;
}

TEST(PublicKeyLimits, EvenAndUnitRsaExponentsAreRefused) {
    const Bignum modulus = modulus_of(ordinary_rsa_key());
    for (const auto& [hex, word] : {std::pair{"10000", "even"}, std::pair{"1", "one"}}) {
        const Bignum exponent = number(hex);
        const auto refused = refusal_of(rsa_public_key(modulus.get(), exponent.get()));
        ASSERT_TRUE(refused) << hex;
        EXPECT_NE(refused->find(word), std::string::npos) << *refused;
    }
}

TEST(PublicKeyLimits, RsaModuliUpTo8192BitsAreUsedLargerOnesRefused) {
    const Bignum exponent = number("10001");
    const Bignum largest = power_of_two_plus(public_key_limits::max_rsa_modulus_bits - 1, 1);
    EXPECT_FALSE(refusal_of(rsa_public_key(largest.get(), exponent.get())));
    const Bignum too_large = power_of_two_plus(public_key_limits::max_rsa_modulus_bits, 1);
    const auto refused = refusal_of(rsa_public_key(too_large.get(), exponent.get()));
    ASSERT_TRUE(refused);
    EXPECT_NE(refused->find("modulus has 8193 bits"), std::string::npos) << *refused;
}

TEST(PublicKeyLimits, EcKeysWithExplicitCurveParametersAreRefused) {
    Key key = testing::make_ec_key();
    ASSERT_EQ(EVP_PKEY_set_utf8_string_param(key.get(), OSSL_PKEY_PARAM_EC_ENCODING, OSSL_PKEY_EC_ENCODING_EXPLICIT),
              1);
    const auto refused = refusal_of(key);
    ASSERT_TRUE(refused);
    EXPECT_NE(refused->find("curve"), std::string::npos) << *refused;
}

// A 3072-bit RSA public exponent: a full-size modular exponentiation per
// signature check with it.
Key huge_exponent_key() {
    Bignum exponent(BN_new());
    BN_rand(exponent.get(), 2047, BN_RAND_TOP_ONE, BN_RAND_BOTTOM_ODD);
    return rsa_public_key(modulus_of(ordinary_rsa_key()).get(), exponent.get());
}

TEST(PublicKeyLimits, ARefusedKeyIsNamedAndItsSelfSignatureNeverChecked) {
    const Issued hostile = named_like_its_issuer(huge_exponent_key());
    std::string error;
    const auto summary = summarize_certificate(Bytes(hostile.der), error);
    ASSERT_TRUE(summary) << error;
    EXPECT_NE(summary->refused_key.find("RSA public exponent has 2047 bits"), std::string::npos)
        << summary->refused_key;
    EXPECT_FALSE(summary->self_signed);
    EXPECT_TRUE(summarize_certificate(Bytes(test_pki().root.der), error)->refused_key.empty());
}

TEST(PublicKeyLimits, AChainWithARefusedKeyFailsBeforeAnySignatureCheck) {
    TrustStore trust;
    std::string error;
    const testing::TemporaryFile root(test_pki().root.pem());
    ASSERT_TRUE(trust.add_pem_bundle(root.path(), error)) << error;
    const Issued hostile = named_like_its_issuer(huge_exponent_key());
    const ChainVerification verification = trust.verify({hostile.der}, times::capture_2021, "");
    EXPECT_FALSE(verification.verified);
    EXPECT_EQ(verification.error_depth, 0);
    EXPECT_NE(verification.result.find("certificate 1 of 1 was not checked: its RSA public exponent"),
              std::string::npos)
        << verification.result;
}

TEST(CertificateCache, TheSameDerIsReadOnce) {
    CertificateCache cache;
    const CertificateReading& first = cache.read(Bytes(test_pki().leaf.der));
    ASSERT_TRUE(first.summary);
    const std::string fingerprint = first.summary->sha256_fingerprint;
    const CertificateReading& again = cache.read(Bytes(test_pki().leaf.der));
    ASSERT_TRUE(again.summary);
    EXPECT_EQ(again.summary->sha256_fingerprint, fingerprint);
    cache.read(Bytes(test_pki().root.der));
    EXPECT_EQ(cache.parsed(), 2U);
    EXPECT_EQ(cache.reused(), 1U);
}

TEST(CertificateCache, UnreadableCertificatesAreCachedWithTheirError) {
    CertificateCache cache;
    const std::vector<std::uint8_t> garbage{0x30, 0x03, 1, 2, 3};
    EXPECT_FALSE(cache.read(Bytes(garbage)).summary);
    EXPECT_FALSE(cache.read(Bytes(garbage)).error.empty());
    EXPECT_EQ(cache.parsed(), 1U);
}

TlsMessage server_certificate_message(std::vector<std::vector<std::uint8_t>> certificates) {
    TlsMessage message;
    message.kind = TlsMessageKind::certificate;
    message.direction = Direction::server_to_client;
    message.frame = 6;
    message.certificates = std::move(certificates);
    return message;
}

TEST(TlsSummaryLimits, OnlyTheFirstCertificatesOfALongChainAreReadEachDistinctOneOnce) {
    const std::size_t sent = max_certificates_per_chain + 4;
    const std::vector<TlsMessage> messages{
        server_certificate_message(std::vector<std::vector<std::uint8_t>>(sent, test_pki().leaf.der))};
    CertificateCache cache;
    const TlsSummary summary = summarize_tls(messages, {}, cache, times::capture_2021, "");
    ASSERT_TRUE(summary.server_chain);
    EXPECT_EQ(summary.server_chain->sent, sent);
    EXPECT_EQ(summary.server_chain->certificates.size(), max_certificates_per_chain);
    EXPECT_EQ(cache.parsed(), 1U);
    EXPECT_EQ(cache.reused(), max_certificates_per_chain - 1);
}

TEST(TlsSummaryLimits, HugeExponentCopiesCostNoSignatureCheck) {
    const Issued hostile = named_like_its_issuer(huge_exponent_key());
    const std::vector<TlsMessage> messages{
        server_certificate_message(std::vector<std::vector<std::uint8_t>>(200, hostile.der))};
    TrustStore trust;
    CertificateCache cache;
    const auto start = std::chrono::steady_clock::now();
    const TlsSummary summary = summarize_tls(messages, {&trust, nullptr}, cache, times::capture_2021, "");
    const auto elapsed = std::chrono::steady_clock::now() - start;
    EXPECT_EQ(cache.parsed(), 1U);
    ASSERT_TRUE(summary.server_verification);
    EXPECT_FALSE(summary.server_verification->verified);
    EXPECT_FALSE(summary.server_chain->certificates.front().refused_key.empty());
    // One exponentiation with a 2047-bit exponent takes a few milliseconds: a
    // check for each of the 16 copies read would take longer than this.
    EXPECT_LT(elapsed, std::chrono::milliseconds(50));
}

}  // namespace
}  // namespace trustcap
