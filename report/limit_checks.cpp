#include "report/limit_checks.h"

#include "dissect/certificate_verifier.h"
#include "dissect/http_message.h"
#include "dissect/public_key_limits.h"

namespace trustcap {
namespace {

std::string kib(std::size_t bytes) { return std::to_string(bytes / 1024) + " KiB"; }

std::string side_of(Direction direction) { return direction == Direction::client_to_server ? "device" : "server"; }

Finding limit_finding(const TcpFlow& flow, FindingKind kind, std::string summary, std::string explanation,
                      std::uint64_t frame) {
    return Finding{kind, flow.id, std::move(summary), std::move(explanation),
                   {frame}, {}};
}

void assess_tls_limits(const TcpFlow& flow, const TlsFacts& tls, std::vector<Finding>& findings) {
    const TlsDissectorLimits limits;
    if (const auto& hit = tls.oversized_handshake_messages) {
        findings.push_back(limit_finding(
            flow, FindingKind::tls_handshake_message_too_large,
            std::to_string(hit->messages) + " TLS handshake message(s) longer than trustcap's limit of " +
                kib(limits.max_handshake_message_bytes) + " were not read (the first ends in frame " +
                std::to_string(hit->first_frame) + ", the longest is " + std::to_string(hit->largest_bytes) +
                " bytes)",
            "The length field allows 16 MiB, but OpenSSL refuses a certificate chain over 100 KiB and no other "
            "handshake message comes near it: the peer is broken or hostile. Only the message's type and length "
            "are reported.",
            hit->first_frame));
    }
    if (const auto& hit = tls.certificates_not_kept) {
        findings.push_back(limit_finding(
            flow, FindingKind::tls_certificate_bytes_limit,
            "The certificates of " + std::to_string(hit->messages) + " Certificate message(s) from frame " +
                std::to_string(hit->first_frame) + " on were not read: the connection passed trustcap's limit of " +
                kib(limits.max_certificate_bytes) + " of certificates",
            "A connection carries one or two chains of a few KiB; this one sent many more. The certificates "
            "read before the limit are reported.",
            hit->first_frame));
    }
    if (const auto& hit = tls.messages_not_kept) {
        findings.push_back(limit_finding(
            flow, FindingKind::tls_message_limit,
            std::to_string(hit->messages) + " TLS messages from frame " + std::to_string(hit->first_frame) +
                " on were counted, not kept: the connection passed trustcap's limit of " +
                std::to_string(limits.max_messages) + " messages",
            "A handshake takes a dozen messages and application data is counted, not kept, so this many clear "
            "messages (alerts, renegotiations, heartbeats) is unusual. The messages before the limit are reported.",
            hit->first_frame));
    }
}

void assess_chain(const TcpFlow& flow, const CertificateChain& chain, const char* whose,
                  std::vector<Finding>& findings) {
    if (chain.sent > max_certificates_per_chain) {
        findings.push_back(limit_finding(
            flow, FindingKind::tls_chain_too_long,
            std::string("The ") + whose + "'s Certificate message in frame " + std::to_string(chain.frame) +
                " holds " + std::to_string(chain.sent) + " certificates; only the first " +
                std::to_string(max_certificates_per_chain) + " were read and verified (trustcap's limit)",
            "Public hierarchies are two to four certificates deep; a chain this long is a misconfiguration or an "
            "attempt to make its reader spend time on signature checks.",
            chain.frame));
    }
    std::size_t refused = 0;
    const CertificateSummary* first = nullptr;
    std::size_t first_position = 0;
    for (std::size_t i = 0; i < chain.certificates.size(); ++i) {
        if (chain.certificates[i].refused_key.empty()) continue;
        if (refused++ == 0) {
            first = &chain.certificates[i];
            first_position = i + 1;
        }
    }
    if (first == nullptr) return;
    findings.push_back(limit_finding(
        flow, FindingKind::tls_certificate_key_refused,
        std::string("The ") + whose + "'s chain in frame " + std::to_string(chain.frame) + " holds " +
            std::to_string(refused) + (refused == 1 ? " certificate" : " certificates") +
            " whose key trustcap refused to use; certificate " + std::to_string(first_position) + " (" +
            first->subject + "): " + first->refused_key,
        "Each signature check with such a key costs a modular exponentiation as large as the sender chose. "
        "trustcap checks no signature with it, as Go refuses RSA moduli over " +
            std::to_string(public_key_limits::max_rsa_modulus_bits) + " bits and Chrome exponents over " +
            std::to_string(public_key_limits::max_rsa_exponent_bits) +
            " bits: no mainstream TLS client accepts this certificate, and its self-signature and chain were not "
            "verified.",
        chain.frame));
}

void assess_http_limits(const TcpFlow& flow, const ConnectionFacts& connection, std::vector<Finding>& findings) {
    const auto& hit = connection.http_head_too_long;
    if (!hit) return;
    findings.push_back(limit_finding(
        flow, FindingKind::http_head_too_long,
        "The " + side_of(hit->direction) + "'s HTTP head passed trustcap's limit of " + kib(max_http_head_bytes) +
            " in frame " + std::to_string(hit->frame) + " without ending; the rest of that direction was not read",
        "Proxies refuse heads past 8 to 64 KiB and a CONNECT and its answer take a few hundred bytes: the peer "
        "is broken or not speaking HTTP.",
        hit->frame));
}

}  // namespace

std::vector<Finding> assess_dissection_limits(const TcpFlow& flow, const ConnectionFacts& connection,
                                              const TlsSummary& tls) {
    std::vector<Finding> findings;
    assess_http_limits(flow, connection, findings);
    assess_tls_limits(flow, connection.tls, findings);
    if (tls.server_chain) assess_chain(flow, *tls.server_chain, "server", findings);
    if (tls.client_chain) assess_chain(flow, *tls.client_chain, "device", findings);
    return findings;
}

}  // namespace trustcap
