#pragma once

#include "capture_clock.h"
#include "lab_pki.h"
#include "openssl_handles.h"

#include <cstdint>

namespace pcapgen {

// tls10_to_tls11 is an old image that offers TLS 1.0 and 1.1 only (ECDHE-RSA-AES128-SHA).
enum class TlsVersion { tls12, tls13, tls10_to_tls11 };

// One TLS endpoint of the lab. TLS 1.2 offers only ECDHE-RSA-AES128-GCM-SHA256, TLS 1.3 only
// TLS_AES_128_GCM_SHA256; both use X25519 and RSA signatures, so every handshake message has the same size on
// every run. Certificates are judged at the capture's start time.
struct TlsEndpointSettings {
    TlsVersion version = TlsVersion::tls12;
    const TlsIdentity* identity = nullptr;  // what this endpoint presents; the server must have one
    const X509* trusted_root = nullptr;     // what it verifies the peer's chain against
    // The licensing server's habit: a client certificate that has expired is refused with unknown_ca rather
    // than certificate_expired.
    bool refuse_expired_peer_as_unknown_ca = false;
    // A server that does not ask for a client certificate (an intercepting firewall) sends no CertificateRequest.
    bool request_client_certificate = true;
    // How many TLS 1.3 NewSessionTickets a server sends after the handshake (OpenSSL's own default is two).
    int session_tickets = 1;
    // When certificates are judged and session tickets stamped: the capture's start, in seconds since the epoch.
    std::int64_t capture_time = capture_start.seconds;
};

// The device's side: verifies the server's chain; sends `identity` when asked for a certificate.
SslCtxPtr make_client_context(const TlsEndpointSettings& settings);
// The server's side: requires a client certificate that verifies against `trusted_root`, unless told not to ask.
SslCtxPtr make_server_context(const TlsEndpointSettings& settings);

}  // namespace pcapgen
