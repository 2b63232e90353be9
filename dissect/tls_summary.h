#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "dissect/certificate_cache.h"
#include "dissect/certificate_verifier.h"
#include "dissect/tls_message.h"
#include "dissect/x509_certificate.h"

namespace trustcap {

// The certificates one side sent, read and (for the server) verified.
struct CertificateChain {
    std::uint64_t frame = 0;  // the Certificate message's frame
    std::size_t sent = 0;     // certificates in the message; the first max_certificates_per_chain are read
    std::vector<CertificateSummary> certificates;
    std::vector<std::string> unreadable;  // why a certificate could not be parsed
    bool decrypted = false;  // read from a record decrypted with a key log (TLS 1.3)
};

// What a TLS connection's messages say, in one place.
struct TlsSummary {
    std::optional<std::uint16_t> version;  // negotiated (Server Hello), else offered
    std::optional<std::uint16_t> cipher_suite;
    std::string server_name;  // SNI
    std::vector<std::string> alpn;
    bool client_certificate_requested = false;
    std::optional<CertificateChain> server_chain;
    std::optional<CertificateChain> client_chain;
    std::optional<ChainVerification> server_verification;  // against the general trust store
    // Against the anchors a licensing server's chain must lead to (Cisco's
    // public CAs and the user's --ca-bundle), when that store was given.
    std::optional<ChainVerification> licensing_verification;
};

// The trust stores a server chain is verified against; either may be null.
struct TrustStores {
    const TrustStore* general = nullptr;    // the system's bundle and --ca-bundle: every server
    const TrustStore* licensing = nullptr;  // Cisco's licensing CAs and --ca-bundle: Cisco's licensing servers
};

// Reads the certificates (OpenSSL; through `certificates`, so that a
// certificate seen before is not read again) and verifies the server's chain
// against each of `trust` at `capture_time`, checking its names against `host_name`.
TlsSummary summarize_tls(const std::vector<TlsMessage>& messages, TrustStores trust,
                         CertificateCache& certificates, std::int64_t capture_time, const std::string& host_name);

}  // namespace trustcap
