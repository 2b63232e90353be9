#include "dissect/certificate_verifier.h"

#include <gtest/gtest.h>
#include <cstdio>
#include <thread>
#include <unistd.h>
#include <sys/stat.h>

#include <filesystem>
#include <string>
#include <vector>

#include "tests/dissect/certificate_factory.h"

namespace trustcap {
namespace {

using testing::CertificateSpec;
using testing::issue;
using testing::make_ec_key;
using testing::TemporaryFile;
using testing::test_pki;
namespace times = testing::times;

using Chain = std::vector<std::vector<std::uint8_t>>;

constexpr const char* licensing_host = "smartreceiver.cisco.com";

Chain sent_chain() { return {test_pki().leaf.der, test_pki().intermediate.der}; }

// A store that trusts the test root, loaded from a PEM bundle file.
TrustStore store_trusting_test_root() {
    const TemporaryFile bundle(test_pki().root.pem());
    TrustStore store;
    std::string error;
    EXPECT_TRUE(store.add_pem_bundle(bundle.path(), error)) << error;
    return store;
}

TEST(CertificateVerifier, VerifiesAtATimeInsideEveryValidityWindow) {
    const TrustStore store = store_trusting_test_root();
    EXPECT_EQ(store.anchors(), 1u);
    const ChainVerification verification = store.verify(sent_chain(), times::capture_2021, licensing_host);
    EXPECT_TRUE(verification.verified);
    EXPECT_EQ(verification.error_code, 0);
    EXPECT_EQ(verification.error_depth, -1);
    EXPECT_EQ(verification.result, "ok");
    EXPECT_TRUE(verification.chain_parsed);
    EXPECT_TRUE(verification.name_checked);
    EXPECT_TRUE(verification.name_matches);
}

TEST(CertificateVerifier, JudgesAtTheCaptureTimeNotToday) {
    const TrustStore store = store_trusting_test_root();
    // The same chain: valid when a 2021 capture was taken, expired by 2023.
    EXPECT_TRUE(store.verify(sent_chain(), times::capture_2021, licensing_host).verified);
    const ChainVerification later = store.verify(sent_chain(), times::mid_2023, licensing_host);
    EXPECT_FALSE(later.verified);
    EXPECT_EQ(later.error_code, X509_V_ERR_CERT_HAS_EXPIRED);
    EXPECT_EQ(later.result, "certificate has expired");
    EXPECT_EQ(later.error_depth, 0);
    EXPECT_TRUE(later.name_matches);
}

TEST(CertificateVerifier, ReportsNotYetValid) {
    const ChainVerification verification =
        store_trusting_test_root().verify(sent_chain(), times::mid_2020, licensing_host);
    EXPECT_FALSE(verification.verified);
    EXPECT_EQ(verification.error_code, X509_V_ERR_CERT_NOT_YET_VALID);
    EXPECT_EQ(verification.result, "certificate is not yet valid");
    EXPECT_EQ(verification.error_depth, 0);
}

TEST(CertificateVerifier, ReportsAnExpiredIntermediateAtItsDepth) {
    const auto& pki = test_pki();
    const auto late_leaf = issue(CertificateSpec()
                                     .named({{"CN", licensing_host}})
                                     .valid(times::y2029, times::y2032)
                                     .alt_names("DNS:smartreceiver.cisco.com"),
                                 make_ec_key(), &pki.intermediate);
    const ChainVerification verification =
        store_trusting_test_root().verify({late_leaf.der, pki.intermediate.der}, times::mid_2031, licensing_host);
    EXPECT_EQ(verification.result, "certificate has expired");
    EXPECT_EQ(verification.error_depth, 1);
}

TEST(CertificateVerifier, ReportsAnUnknownIssuerWithoutTheRoot) {
    const TrustStore empty;
    EXPECT_EQ(empty.anchors(), 0u);
    const ChainVerification verification = empty.verify(sent_chain(), times::capture_2021, licensing_host);
    EXPECT_FALSE(verification.verified);
    EXPECT_EQ(verification.error_code, X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY);
    EXPECT_EQ(verification.result, "unable to get local issuer certificate");
    EXPECT_EQ(verification.error_depth, 1);
    EXPECT_TRUE(verification.name_matches);
}

TEST(CertificateVerifier, ReportsAMissingIntermediate) {
    const ChainVerification verification =
        store_trusting_test_root().verify({test_pki().leaf.der}, times::capture_2021, licensing_host);
    EXPECT_FALSE(verification.verified);
    EXPECT_EQ(verification.result, "unable to get local issuer certificate");
    EXPECT_EQ(verification.error_depth, 0);
}

TEST(CertificateVerifier, ReportsAnUntrustedRootSentInTheChain) {
    const auto& pki = test_pki();
    const ChainVerification verification =
        TrustStore().verify({pki.leaf.der, pki.intermediate.der, pki.root.der}, times::capture_2021, licensing_host);
    EXPECT_EQ(verification.error_code, X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN);
    EXPECT_EQ(verification.result, "self-signed certificate in certificate chain");
    EXPECT_EQ(verification.error_depth, 2);
}

TEST(CertificateVerifier, ReportsASelfSignedLeafNotInTheStore) {
    const auto self_signed = issue(CertificateSpec()
                                       .named({{"CN", "ssm-onprem.example"}})
                                       .valid(times::y2021, times::y2022)
                                       .with_key_usage("critical,digitalSignature,keyCertSign")
                                       .alt_names("DNS:ssm-onprem.example"),
                                   make_ec_key());
    const ChainVerification verification =
        store_trusting_test_root().verify({self_signed.der}, times::capture_2021, "ssm-onprem.example");
    EXPECT_FALSE(verification.verified);
    EXPECT_EQ(verification.error_code, X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT);
    EXPECT_EQ(verification.result, "self-signed certificate");
    EXPECT_EQ(verification.error_depth, 0);
    EXPECT_TRUE(verification.name_matches);
}

TEST(CertificateVerifier, TrustsASelfSignedLeafTheUserAdded) {
    const auto self_signed = issue(CertificateSpec()
                                       .named({{"CN", "ssm-onprem.example"}})
                                       .valid(times::y2021, times::y2022)
                                       .with_key_usage("critical,digitalSignature,keyCertSign")
                                       .alt_names("DNS:ssm-onprem.example"),
                                   make_ec_key());
    const TemporaryFile bundle(self_signed.pem());
    TrustStore store;
    std::string error;
    ASSERT_TRUE(store.add_pem_bundle(bundle.path(), error)) << error;
    EXPECT_TRUE(store.verify({self_signed.der}, times::capture_2021, "ssm-onprem.example").verified);
}

TEST(CertificateVerifier, ReportsABrokenSignature) {
    Chain chain = sent_chain();
    chain[0].back() ^= 0x01;  // the last byte is inside the signature
    const ChainVerification verification =
        store_trusting_test_root().verify(chain, times::capture_2021, licensing_host);
    EXPECT_FALSE(verification.verified);
    EXPECT_TRUE(verification.chain_parsed);
    EXPECT_EQ(verification.error_depth, 0);
    EXPECT_EQ(verification.error_code, X509_V_ERR_CERT_SIGNATURE_FAILURE) << verification.result;
}

TEST(CertificateVerifier, ChecksTheHostNameIndependentlyOfTheChain) {
    const TrustStore store = store_trusting_test_root();
    const ChainVerification other_host = store.verify(sent_chain(), times::capture_2021, "tools.cisco.com");
    EXPECT_TRUE(other_host.verified);
    EXPECT_TRUE(other_host.name_checked);
    EXPECT_FALSE(other_host.name_matches);

    const ChainVerification no_host = store.verify(sent_chain(), times::capture_2021, "");
    EXPECT_FALSE(no_host.name_checked);
    EXPECT_FALSE(no_host.name_matches);

    EXPECT_TRUE(store.verify(sent_chain(), times::capture_2021, "SmartReceiver.Cisco.com.").name_matches);
    EXPECT_TRUE(store.verify(sent_chain(), times::capture_2021, "192.0.2.10").name_matches);
    EXPECT_TRUE(store.verify(sent_chain(), times::capture_2021, "2001:db8::10").name_matches);
    EXPECT_FALSE(store.verify(sent_chain(), times::capture_2021, "192.0.2.11").name_matches);
    EXPECT_TRUE(TrustStore().verify(sent_chain(), times::capture_2021, licensing_host).name_matches);
}

TEST(CertificateVerifier, MatchesAWildcardOnlyOneLabelDeep) {
    const auto& pki = test_pki();
    const auto wildcard = issue(
        CertificateSpec().named({{"CN", "*.cisco.com"}}).valid(times::y2021, times::y2022).alt_names("DNS:*.cisco.com"),
        make_ec_key(), &pki.intermediate);
    const TrustStore store = store_trusting_test_root();
    const Chain chain{wildcard.der, pki.intermediate.der};
    EXPECT_TRUE(store.verify(chain, times::capture_2021, licensing_host).verified);
    EXPECT_TRUE(store.verify(chain, times::capture_2021, licensing_host).name_matches);
    EXPECT_FALSE(store.verify(chain, times::capture_2021, "cisco.com").name_matches);
    EXPECT_FALSE(store.verify(chain, times::capture_2021, "a.smartreceiver.cisco.com").name_matches);
    EXPECT_FALSE(store.verify(chain, times::capture_2021, "smartreceiver.cisco.com.evil.example").name_matches);
}

TEST(CertificateVerifier, SaysWhichCertificateCouldNotBeParsed) {
    const TrustStore store = store_trusting_test_root();
    const std::vector<std::uint8_t> garbage{0x30, 0x03, 0x02, 0x01};
    const ChainVerification verification =
        store.verify({test_pki().leaf.der, garbage, test_pki().intermediate.der}, times::capture_2021, licensing_host);
    EXPECT_FALSE(verification.verified);
    EXPECT_FALSE(verification.chain_parsed);
    EXPECT_EQ(verification.error_depth, 1);
    EXPECT_NE(verification.error_code, 0);
    EXPECT_EQ(verification.result.rfind("certificate 2 of 3 in the chain could not be parsed: ", 0), 0u)
        << verification.result;
    EXPECT_TRUE(verification.name_checked);
    EXPECT_TRUE(verification.name_matches);
}

TEST(CertificateVerifier, RejectsEmptyTruncatedAndGarbageLeaves) {
    const TrustStore store = store_trusting_test_root();
    const auto& leaf = test_pki().leaf.der;
    const std::vector<std::vector<std::uint8_t>> leaves{
        {},
        {0xDE, 0xAD, 0xBE, 0xEF},
        std::vector<std::uint8_t>(leaf.begin(), leaf.begin() + static_cast<std::ptrdiff_t>(leaf.size() / 2)),
    };
    for (const auto& bad_leaf : leaves) {
        const ChainVerification verification =
            store.verify({bad_leaf, test_pki().intermediate.der}, times::capture_2021, licensing_host);
        EXPECT_FALSE(verification.verified);
        EXPECT_FALSE(verification.chain_parsed);
        EXPECT_EQ(verification.error_depth, 0);
        EXPECT_EQ(verification.result.rfind("certificate 1 of 2 in the chain could not be parsed: ", 0), 0u)
            << verification.result;
        EXPECT_FALSE(verification.name_matches);
    }
}

TEST(CertificateVerifier, AcceptsTrailingBytesAfterACertificate) {
    Chain chain = sent_chain();
    chain[1].push_back(0x00);
    EXPECT_TRUE(store_trusting_test_root().verify(chain, times::capture_2021, licensing_host).verified);
}

TEST(CertificateVerifier, AnEmptyChainIsNotVerified) {
    const ChainVerification verification = store_trusting_test_root().verify({}, times::capture_2021, licensing_host);
    EXPECT_FALSE(verification.verified);
    EXPECT_NE(verification.error_code, 0);
    EXPECT_FALSE(verification.result.empty());
}

TEST(TrustStore, LoadsEveryCertificateOfABundleOnce) {
    const auto& pki = test_pki();
    const TemporaryFile bundle("# comment lines between blocks are fine\n" + pki.root.pem() + pki.intermediate.pem() +
                               pki.root.pem());
    TrustStore store;
    std::string error;
    EXPECT_TRUE(store.add_pem_bundle(bundle.path(), error)) << error;
    EXPECT_EQ(store.anchors(), 2u);
}

TEST(TrustStore, LoadsASingleDerCertificate) {
    const TemporaryFile der_file(test_pki().root.der);
    TrustStore store;
    std::string error;
    EXPECT_TRUE(store.add_pem_bundle(der_file.path(), error)) << error;
    EXPECT_EQ(store.anchors(), 1u);
    EXPECT_TRUE(store.verify(sent_chain(), times::capture_2021, licensing_host).verified);
}

TEST(TrustStore, ABundleReadOnceFeedsSeveralStores) {
    const TemporaryFile bundle_file(test_pki().root.pem());
    std::string error;
    const std::optional<CaBundle> bundle = read_ca_bundle(bundle_file.path(), error);
    ASSERT_TRUE(bundle) << error;
    TrustStore general;
    TrustStore licensing;
    EXPECT_TRUE(general.add_ca_bundle(*bundle, error)) << error;
    EXPECT_TRUE(licensing.add_ca_bundle(*bundle, error)) << error;
    EXPECT_EQ(general.anchors(), 1u);
    EXPECT_EQ(licensing.anchors(), 1u);
    const TemporaryFile der_file(test_pki().root.der);
    const std::optional<CaBundle> der = read_ca_bundle(der_file.path(), error);
    ASSERT_TRUE(der) << error;
    TrustStore from_der;
    EXPECT_TRUE(from_der.add_ca_bundle(*der, error)) << error;
    EXPECT_EQ(from_der.anchors(), 1u);
    EXPECT_FALSE(read_ca_bundle("/nonexistent/trustcap/bundle.pem", error));
    EXPECT_EQ(error, "cannot open /nonexistent/trustcap/bundle.pem: No such file or directory");
}

// --ca-bundle <(...): a pipe is read once, and a DER certificate from it is still found.
TEST(TrustStore, LoadsADerCertificateFromAPipe) {
    const std::filesystem::path fifo =
        std::filesystem::temp_directory_path() / ("trustcap-ca-" + std::to_string(::getpid()) + ".fifo");
    ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
    const std::vector<std::uint8_t> der = test_pki().root.der;
    std::thread writer([&] {
        std::FILE* out = std::fopen(fifo.c_str(), "wb");
        if (out == nullptr) return;
        std::fwrite(der.data(), 1, der.size(), out);
        std::fclose(out);
    });
    TrustStore store;
    std::string error;
    const bool added = store.add_pem_bundle(fifo.string(), error);
    writer.join();
    std::filesystem::remove(fifo);
    EXPECT_TRUE(added) << error;
    EXPECT_EQ(store.anchors(), 1u);
}

TEST(TrustStore, ExplainsAMissingFile) {
    TrustStore store;
    std::string error;
    EXPECT_FALSE(store.add_pem_bundle("/nonexistent/trustcap/bundle.pem", error));
    EXPECT_EQ(error, "cannot open /nonexistent/trustcap/bundle.pem: No such file or directory");
    EXPECT_EQ(store.anchors(), 0u);
}

TEST(TrustStore, ExplainsAFileWithoutCertificates) {
    const TemporaryFile not_a_bundle("just some text\n");
    TrustStore store;
    std::string error;
    EXPECT_FALSE(store.add_pem_bundle(not_a_bundle.path(), error));
    EXPECT_EQ(error, not_a_bundle.path() + " holds no PEM or DER certificate");

    EXPECT_FALSE(store.add_pem_bundle(std::filesystem::temp_directory_path().string(), error));
    EXPECT_NE(error.find("it is a directory"), std::string::npos) << error;
}

TEST(TrustStore, ExplainsAMalformedBlockAndKeepsWhatCameBefore) {
    const TemporaryFile bundle(test_pki().root.pem() +
                               "-----BEGIN CERTIFICATE-----\nnot base64 at all!\n-----END CERTIFICATE-----\n");
    TrustStore store;
    std::string error;
    EXPECT_FALSE(store.add_pem_bundle(bundle.path(), error));
    EXPECT_NE(error.find("certificate 2 is malformed"), std::string::npos) << error;
    EXPECT_EQ(store.anchors(), 1u);
}

TEST(TrustStore, LoadsTheSystemBundle) {
    if (!std::filesystem::exists("/etc/ssl/certs/ca-certificates.crt")) {
        GTEST_SKIP() << "/etc/ssl/certs/ca-certificates.crt is absent (install Debian's ca-certificates)";
    }
    TrustStore store;
    std::string error;
    EXPECT_TRUE(store.add_system_default(error)) << error;
    EXPECT_GT(store.anchors(), 0u);
    // Public roots do not vouch for the test PKI.
    EXPECT_EQ(store.verify(sent_chain(), times::capture_2021, licensing_host).result,
              "unable to get local issuer certificate");
}

TEST(TrustStore, MovesWithItsAnchors) {
    TrustStore moved = store_trusting_test_root();
    TrustStore target;
    target = std::move(moved);
    EXPECT_EQ(target.anchors(), 1u);
    EXPECT_TRUE(target.verify(sent_chain(), times::capture_2021, licensing_host).verified);
}


TEST(TrustStore, NamesTheAnchorAChainLedToAndWhereItCameFrom) {
    const TemporaryFile bundle(test_pki().root.pem());
    TrustStore store;
    std::string error;
    ASSERT_TRUE(store.add_pem_bundle(bundle.path(), error)) << error;
    const ChainVerification verification = store.verify(sent_chain(), times::capture_2021, licensing_host);
    EXPECT_TRUE(verification.verified);
    EXPECT_EQ(verification.anchor, "CN=Test Root CA,O=Test Trust Services,C=US");
    EXPECT_EQ(verification.anchor_origin, "--ca-bundle " + bundle.path());
}

// IOS XE trustpoints may hold an intermediate alone; so may --ca-bundle.
TEST(TrustStore, AnIntermediateAloneIsATrustAnchor) {
    TrustStore store;
    std::string error;
    ASSERT_TRUE(store.add_pem_text(test_pki().intermediate.pem(), "the test intermediate", error)) << error;
    const ChainVerification verification = store.verify(sent_chain(), times::capture_2021, licensing_host);
    EXPECT_TRUE(verification.verified) << verification.result;
    EXPECT_EQ(verification.anchor, "CN=Test Issuing CA,O=Test Trust Services,C=US");
    EXPECT_EQ(verification.anchor_origin, "the test intermediate");
}

TEST(TrustStore, SaysWhenTheTimeIsTheChainsOnlyFault) {
    const TrustStore store = store_trusting_test_root();
    const ChainVerification early = store.verify(sent_chain(), times::mid_2020, licensing_host);
    EXPECT_FALSE(early.verified);
    EXPECT_TRUE(early.verified_apart_from_time);
    EXPECT_EQ(early.validity_problem, ValidityProblem::not_yet_valid);
    EXPECT_EQ(early.anchor, "CN=Test Root CA,O=Test Trust Services,C=US");

    const ChainVerification late = store.verify(sent_chain(), times::mid_2023, licensing_host);
    EXPECT_TRUE(late.verified_apart_from_time);
    EXPECT_EQ(late.validity_problem, ValidityProblem::expired);

    const ChainVerification in_time = store.verify(sent_chain(), times::capture_2021, licensing_host);
    EXPECT_FALSE(in_time.verified_apart_from_time) << "only set for a chain that failed on its dates";
    EXPECT_EQ(in_time.validity_problem, ValidityProblem::none);
}

TEST(TrustStore, AnExpiredChainWithoutItsRootIsNotTrustedApartFromTime) {
    const ChainVerification verification = TrustStore().verify(sent_chain(), times::mid_2023, licensing_host);
    EXPECT_FALSE(verification.verified);
    EXPECT_FALSE(verification.verified_apart_from_time);
    EXPECT_EQ(verification.validity_problem, ValidityProblem::none);
    EXPECT_TRUE(verification.anchor.empty());
}

TEST(TrustStore, AddsPemTextAndExplainsTextWithoutCertificates) {
    TrustStore store;
    std::string error;
    EXPECT_FALSE(store.add_pem_text("no certificate here", "built-in text", error));
    EXPECT_EQ(error, "built-in text holds no PEM or DER certificate");
    EXPECT_EQ(store.anchors(), 0u);
}

}  // namespace
}  // namespace trustcap
