#include "report/licensing_trust_anchors.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "dissect/certificate_verifier.h"
#include "dissect/x509_certificate.h"

#include <openssl/pem.h>
#include <openssl/x509.h>

namespace trustcap {
namespace {

// The DER of the only certificate in `pem`.
std::vector<std::uint8_t> der_of(std::string_view pem) {
    BIO* input = BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size()));
    X509* certificate = PEM_read_bio_X509(input, nullptr, nullptr, nullptr);
    BIO_free(input);
    if (certificate == nullptr) return {};
    unsigned char* der = nullptr;
    const int length = i2d_X509(certificate, &der);
    std::vector<std::uint8_t> bytes(der, der + (length > 0 ? length : 0));
    OPENSSL_free(der);
    X509_free(certificate);
    return bytes;
}

// The built-in roots are the published ones: their SHA-256 fingerprints as
// the CAs and Mozilla's root store publish them.
TEST(LicensingTrustAnchors, AreThePublishedRoots) {
    const auto anchors = licensing_trust_anchors();
    ASSERT_EQ(anchors.size(), 2u);
    struct Published {
        const char* subject;
        const char* sha256;
    };
    const Published published[] = {
        {"CN=IdenTrust Commercial Root CA 1,O=IdenTrust,C=US",
         "5D:56:49:9B:E4:D2:E0:8B:CF:CA:D0:8A:3E:38:72:3D:50:50:3B:DE:70:69:48:E4:2F:55:60:30:19:E5:28:AE"},
        {"CN=QuoVadis Root CA 2,O=QuoVadis Limited,C=BM",
         "85:A0:DD:7D:D7:20:AD:B7:FF:05:F8:3D:54:2B:20:9D:C7:FF:45:28:F7:D6:77:B1:83:89:FE:A5:E5:C4:9E:86"},
    };
    for (std::size_t index = 0; index < anchors.size(); ++index) {
        const std::vector<std::uint8_t> der = der_of(anchors[index].pem);
        ASSERT_FALSE(der.empty()) << anchors[index].name;
        std::string error;
        const auto certificate = summarize_certificate(Bytes(der), error);
        ASSERT_TRUE(certificate) << error;
        EXPECT_EQ(certificate->subject, published[index].subject);
        EXPECT_EQ(certificate->sha256_fingerprint, published[index].sha256);
        EXPECT_TRUE(certificate->self_signed);
    }
}

TEST(LicensingTrustAnchors, LoadIntoATrustStore) {
    TrustStore store;
    for (const LicensingTrustAnchor& anchor : licensing_trust_anchors()) {
        std::string error;
        EXPECT_TRUE(store.add_pem_text(anchor.pem, std::string(anchor.name), error)) << error;
    }
    EXPECT_EQ(store.anchors(), 2u);
}

}  // namespace
}  // namespace trustcap
