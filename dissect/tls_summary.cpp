#include "dissect/tls_summary.h"

#include <algorithm>

namespace trustcap {
namespace {

CertificateChain read_chain(const TlsMessage& message, CertificateCache& cache) {
    CertificateChain chain;
    chain.frame = message.frame;
    chain.sent = message.certificates.size();
    chain.decrypted = message.decrypted;
    for (std::size_t i = 0; i < std::min(chain.sent, max_certificates_per_chain); ++i) {
        const CertificateReading& reading = cache.read(message.certificates[i]);
        if (reading.summary) {
            chain.certificates.push_back(*reading.summary);
        } else {
            chain.unreadable.push_back("certificate " + std::to_string(i + 1) + ": " + reading.error);
        }
    }
    return chain;
}

}  // namespace

TlsSummary summarize_tls(const std::vector<TlsMessage>& messages, TrustStores trust,
                         CertificateCache& certificates, std::int64_t capture_time, const std::string& host_name) {
    TlsSummary summary;
    const TlsMessage* server_certificate = nullptr;
    for (const TlsMessage& message : messages) {
        bool from_client = message.direction == Direction::client_to_server;
        switch (message.kind) {
            case TlsMessageKind::client_hello:
                if (message.client_hello && summary.server_name.empty() && summary.alpn.empty()) {
                    summary.server_name = message.client_hello->server_name;
                    summary.alpn = message.client_hello->alpn;
                    if (!summary.version) summary.version = message.client_hello->legacy_version;
                }
                break;
            case TlsMessageKind::sslv2_client_hello:
                if (message.client_hello && !summary.version) summary.version = message.client_hello->legacy_version;
                break;
            case TlsMessageKind::sslv2_server_hello:
                if (message.server_hello) summary.version = message.server_hello->legacy_version;
                break;
            case TlsMessageKind::server_hello:
                if (message.server_hello) {
                    summary.version = message.server_hello->version();
                    summary.cipher_suite = message.server_hello->cipher_suite;
                }
                break;
            case TlsMessageKind::certificate_request: summary.client_certificate_requested = true; break;
            case TlsMessageKind::certificate:
                if (from_client && !summary.client_chain) {
                    summary.client_chain = read_chain(message, certificates);
                } else if (!from_client && !summary.server_chain) {
                    summary.server_chain = read_chain(message, certificates);
                    server_certificate = &message;
                }
                break;
            default: break;
        }
    }
    if (!server_certificate || server_certificate->certificates.empty()) return summary;
    if (trust.general)
        summary.server_verification = trust.general->verify(server_certificate->certificates, capture_time, host_name);
    if (trust.licensing)
        summary.licensing_verification =
            trust.licensing->verify(server_certificate->certificates, capture_time, host_name);
    return summary;
}

}  // namespace trustcap
