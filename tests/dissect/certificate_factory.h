#pragma once

// Test certificates made with OpenSSL: keys, a root CA, an intermediate and
// leaves, with validity windows at fixed times.

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <memory>
#include <stdexcept>
#include <string>
#include <unistd.h>
#include <vector>

namespace trustcap::testing {

namespace times {
constexpr std::int64_t y2015 = 1420070400;       // 2015-01-01T00:00:00Z
constexpr std::int64_t y2018 = 1514764800;       // 2018-01-01
constexpr std::int64_t mid_2020 = 1590969600;    // 2020-06-01
constexpr std::int64_t y2021 = 1609459200;       // 2021-01-01
constexpr std::int64_t capture_2021 = 1629718273;  // 2021-08-23T11:31:13Z
constexpr std::int64_t y2022 = 1640995200;       // 2022-01-01
constexpr std::int64_t mid_2023 = 1685577600;    // 2023-06-01
constexpr std::int64_t y2029 = 1861920000;       // 2029-01-01
constexpr std::int64_t y2030 = 1893456000;       // 2030-01-01
constexpr std::int64_t mid_2031 = 1938038400;    // 2031-06-01
constexpr std::int64_t y2032 = 1956528000;       // 2032-01-01
constexpr std::int64_t y2040 = 2208988800;       // 2040-01-01
constexpr std::int64_t march_2055 = 2688724800;  // 2055-03-15T12:00:00Z (GeneralizedTime)
}  // namespace times

struct FreeKey {
    void operator()(EVP_PKEY* key) const noexcept { EVP_PKEY_free(key); }
};
struct FreeCertificate {
    void operator()(X509* certificate) const noexcept { X509_free(certificate); }
};
using Key = std::shared_ptr<EVP_PKEY>;

inline Key make_ec_key() { return Key(EVP_EC_gen("P-256"), FreeKey{}); }
inline Key make_rsa_key() { return Key(EVP_RSA_gen(2048), FreeKey{}); }

struct NameEntry {
    std::string field;  // "C", "O", "CN", ...
    std::string value;
    int type = MBSTRING_UTF8;  // a V_ASN1_* type stores the bytes unchecked
};

// Built fluently: CertificateSpec().named({{"CN", "x"}}).valid(from, to).alt_names("DNS:x").
struct CertificateSpec {
    std::vector<NameEntry> subject;  // in DER order: country first, common name last
    std::int64_t not_before = 0;
    std::int64_t not_after = 0;
    std::uint64_t serial = 1;
    bool is_ca = false;
    std::string key_usage = "critical,digitalSignature";
    std::string subject_alt_names;  // OpenSSL config syntax: "DNS:a.example,IP:192.0.2.1"; empty: none

    CertificateSpec& named(std::vector<NameEntry> entries) {
        subject = std::move(entries);
        return *this;
    }
    CertificateSpec& valid(std::int64_t from, std::int64_t until) {
        not_before = from;
        not_after = until;
        return *this;
    }
    CertificateSpec& with_serial(std::uint64_t number) {
        serial = number;
        return *this;
    }
    CertificateSpec& certificate_authority() {
        is_ca = true;
        return *this;
    }
    CertificateSpec& with_key_usage(std::string usage) {
        key_usage = std::move(usage);
        return *this;
    }
    CertificateSpec& alt_names(std::string names) {
        subject_alt_names = std::move(names);
        return *this;
    }
};

struct Issued {
    std::shared_ptr<X509> certificate;
    Key key;
    std::vector<std::uint8_t> der;

    [[nodiscard]] std::string pem() const {
        std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new(BIO_s_mem()), &BIO_free);
        PEM_write_bio_X509(bio.get(), certificate.get());
        char* data = nullptr;
        const long length = BIO_get_mem_data(bio.get(), &data);
        return std::string(data, static_cast<std::size_t>(length));
    }
};

namespace detail {

inline void require(bool ok, const char* what) {
    if (!ok) throw std::runtime_error(std::string("test certificate: ") + what);
}

inline void add_extension(X509* certificate, X509* issuer, int nid, const std::string& value) {
    X509V3_CTX context;
    X509V3_set_ctx_nodb(&context);
    X509V3_set_ctx(&context, issuer, certificate, nullptr, nullptr, 0);
    X509_EXTENSION* extension = X509V3_EXT_nconf_nid(nullptr, &context, nid, value.c_str());
    require(extension != nullptr, "extension");
    const int added = X509_add_ext(certificate, extension, -1);
    X509_EXTENSION_free(extension);
    require(added == 1, "add extension");
}

inline std::vector<std::uint8_t> to_der(X509* certificate) {
    const int length = i2d_X509(certificate, nullptr);
    require(length > 0, "i2d length");
    std::vector<std::uint8_t> der(static_cast<std::size_t>(length));
    unsigned char* cursor = der.data();
    require(i2d_X509(certificate, &cursor) == length, "i2d");
    return der;
}

}  // namespace detail

// Signed by `issuer`, or by itself when `issuer` is null.
inline Issued issue(const CertificateSpec& spec, Key key, const Issued* issuer = nullptr) {
    using detail::require;
    std::shared_ptr<X509> certificate(X509_new(), FreeCertificate{});
    X509* cert = certificate.get();
    require(cert != nullptr, "X509_new");
    require(X509_set_version(cert, X509_VERSION_3) == 1, "version");
    require(ASN1_INTEGER_set_uint64(X509_get_serialNumber(cert), spec.serial) == 1, "serial");
    require(ASN1_TIME_set(X509_getm_notBefore(cert), static_cast<time_t>(spec.not_before)) != nullptr, "notBefore");
    require(ASN1_TIME_set(X509_getm_notAfter(cert), static_cast<time_t>(spec.not_after)) != nullptr, "notAfter");
    X509_NAME* subject = X509_get_subject_name(cert);
    for (const NameEntry& entry : spec.subject) {
        require(X509_NAME_add_entry_by_txt(subject, entry.field.c_str(), entry.type,
                                           reinterpret_cast<const unsigned char*>(entry.value.data()),
                                           static_cast<int>(entry.value.size()), -1, 0) == 1,
                "name entry");
    }
    X509* signer = issuer != nullptr ? issuer->certificate.get() : cert;
    require(X509_set_issuer_name(cert, X509_get_subject_name(signer)) == 1, "issuer name");
    require(X509_set_pubkey(cert, key.get()) == 1, "public key");

    detail::add_extension(cert, signer, NID_basic_constraints, spec.is_ca ? "critical,CA:TRUE" : "critical,CA:FALSE");
    detail::add_extension(cert, signer, NID_key_usage, spec.is_ca ? "critical,keyCertSign,cRLSign" : spec.key_usage);
    detail::add_extension(cert, signer, NID_subject_key_identifier, "hash");
    if (issuer != nullptr) detail::add_extension(cert, signer, NID_authority_key_identifier, "keyid:always");
    if (!spec.is_ca) detail::add_extension(cert, signer, NID_ext_key_usage, "serverAuth,clientAuth");
    if (!spec.subject_alt_names.empty()) {
        detail::add_extension(cert, signer, NID_subject_alt_name, spec.subject_alt_names);
    }
    EVP_PKEY* signing_key = issuer != nullptr ? issuer->key.get() : key.get();
    require(X509_sign(cert, signing_key, EVP_sha256()) > 0, "sign");
    return Issued{certificate, key, detail::to_der(cert)};
}

// The usual three: an RSA root, an EC intermediate, an EC leaf for
// smartreceiver.cisco.com valid through 2021. Made once; RSA keys are slow.
struct TestPki {
    Issued root;
    Issued intermediate;
    Issued leaf;
};

inline const TestPki& test_pki() {
    static const TestPki pki = [] {
        Issued root = issue(CertificateSpec()
                                .named({{"C", "US"}, {"O", "Test Trust Services"}, {"CN", "Test Root CA"}})
                                .valid(times::y2015, times::y2040)
                                .with_serial(1)
                                .certificate_authority(),
                            make_rsa_key());
        Issued intermediate = issue(CertificateSpec()
                                        .named({{"C", "US"}, {"O", "Test Trust Services"}, {"CN", "Test Issuing CA"}})
                                        .valid(times::y2018, times::y2030)
                                        .with_serial(2)
                                        .certificate_authority(),
                                    make_ec_key(), &root);
        Issued leaf = issue(CertificateSpec()
                                .named({{"C", "US"}, {"O", "Cisco Systems Inc."}, {"CN", "smartreceiver.cisco.com"}})
                                .valid(times::y2021, times::y2022)
                                .with_serial(0x0A1B2C3D4E5FULL)
                                .alt_names("DNS:smartreceiver.cisco.com,IP:192.0.2.10,IP:2001:db8::10"),
                            make_ec_key(), &intermediate);
        return TestPki{std::move(root), std::move(intermediate), std::move(leaf)};
    }();
    return pki;
}

// A file removed when the test ends.
class TemporaryFile {
public:
    explicit TemporaryFile(const std::string& contents) {
        std::string pattern = (std::filesystem::temp_directory_path() / "trustcap-test-XXXXXX").string();
        const int descriptor = mkstemp(pattern.data());
        detail::require(descriptor >= 0, "mkstemp");
        close(descriptor);
        path_ = pattern;
        std::ofstream(path_, std::ios::binary) << contents;
    }
    explicit TemporaryFile(const std::vector<std::uint8_t>& bytes)
        : TemporaryFile(std::string(bytes.begin(), bytes.end())) {}
    ~TemporaryFile() {
        std::error_code ignored;
        std::filesystem::remove(path_, ignored);
    }
    TemporaryFile(const TemporaryFile&) = delete;
    TemporaryFile& operator=(const TemporaryFile&) = delete;

    [[nodiscard]] const std::string& path() const { return path_; }

private:
    std::string path_;
};

}  // namespace trustcap::testing
