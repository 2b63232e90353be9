#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "capture/byte_reader.h"

namespace trustcap {

// Certificates of one chain that are read and verified; more are counted
// only. Public hierarchies are two to four deep and servers send three or
// four; twice OpenSSL's and browsers' usual worst case still fits.
inline constexpr std::size_t max_certificates_per_chain = 16;

// Which validity window `time` fell outside of, when that was the chain's fault.
enum class ValidityProblem : std::uint8_t { none, not_yet_valid, expired };

struct ChainVerification {
    bool verified = false;        // the chain leads to a trust anchor and every certificate was valid at `time`
    int error_code = 0;           // OpenSSL's X509_V_ERR_*; 0 when verified
    int error_depth = -1;         // which certificate the error is about (0: the leaf)
    std::string result;           // OpenSSL's verification result in words ("ok", "certificate has expired", ...)
    bool chain_parsed = true;     // false: a certificate could not be parsed (error_depth says which; result says why)
    bool name_checked = false;    // a host name was given
    bool name_matches = false;    // the leaf's names cover that host name
    // Set when the only fault is a certificate outside its validity at `time`:
    // the chain leads to a trust anchor once time is not checked.
    ValidityProblem validity_problem = ValidityProblem::none;
    bool verified_apart_from_time = false;
    std::string anchor;         // subject of the trust anchor the chain led to (verified, or verified apart from time)
    std::string anchor_origin;  // where that anchor was loaded from: the label given when it was added
};

// The trust anchors a server chain is verified against: any mix of the
// system's bundle, PEM bundles the user adds (--ca-bundle) and PEM text built
// into the program. Every certificate added is an anchor, an intermediate
// too (partial chains, as IOS XE trustpoints allow).
// A --ca-bundle file as read, once, so that a pipe (--ca-bundle <(...)) can feed several stores.
struct CaBundle {
    std::string path;
    std::string bytes;
};

// The file's bytes, or nullopt and `error` (missing, a directory, unreadable, or over max_ca_bundle_bytes).
inline constexpr std::size_t max_ca_bundle_bytes = 64u << 20;
std::optional<CaBundle> read_ca_bundle(const std::string& path, std::string& error);

class TrustStore {
public:
    TrustStore();  // empty
    ~TrustStore();
    TrustStore(TrustStore&&) noexcept;
    TrustStore& operator=(TrustStore&&) noexcept;

    // The system's CA bundle (SSL_CERT_FILE, else OpenSSL's default file; on
    // Debian /etc/ssl/certs/ca-certificates.crt) is loaded now; the hashed
    // certificate directory (SSL_CERT_DIR, else /etc/ssl/certs) is consulted
    // during verification. false and `error` when the bundle gives no
    // certificate; the store stays usable.
    bool add_system_default(std::string& error);
    // Every certificate in a PEM file ("CERTIFICATE" or "TRUSTED CERTIFICATE"
    // blocks), or a single DER certificate. false and `error` when none could
    // be read or a block is malformed (certificates before it stay added).
    bool add_pem_bundle(const std::string& path, std::string& error);
    // The same for a bundle already read.
    bool add_ca_bundle(const CaBundle& bundle, std::string& error);
    // Every certificate of PEM text; `origin` names them in a verification's
    // anchor_origin. false and `error` as for add_pem_bundle.
    bool add_pem_text(std::string_view pem, const std::string& origin, std::string& error);
    // Distinct certificates loaded so far (directory lookups not counted).
    [[nodiscard]] std::size_t anchors() const;

    // Verifies `chain` (DER, leaf first, as sent; its first
    // max_certificates_per_chain certificates) at `time` (seconds since the
    // epoch: the capture's time, not now) and checks the leaf's names against
    // `host_name` when it is not empty. A certificate whose key
    // refused_public_key refuses fails the chain before any signature check.
    [[nodiscard]] ChainVerification verify(const std::vector<std::vector<std::uint8_t>>& chain, std::int64_t time,
                                           const std::string& host_name) const;

    struct Store;  // opaque: OpenSSL's store and where each anchor came from

private:
    std::unique_ptr<Store> store_;
};

}  // namespace trustcap
