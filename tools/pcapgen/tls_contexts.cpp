#include "tls_contexts.h"

#include "capture_clock.h"

#include <cstddef>
#include <stdexcept>

namespace pcapgen {

namespace {

constexpr const char* tls12_cipher = "ECDHE-RSA-AES128-GCM-SHA256";
// TLS 1.0 and 1.1 need SHA-1, which OpenSSL 3 allows only at security level 0.
constexpr const char* legacy_tls_cipher = "ECDHE-RSA-AES128-SHA:@SECLEVEL=0";
constexpr const char* tls13_cipher_suite = "TLS_AES_128_GCM_SHA256";
constexpr const char* key_exchange_group = "X25519";

int refuse_expired_as_unknown_ca(int preverify_ok, X509_STORE_CTX* store)
{
    if (preverify_ok == 0 && X509_STORE_CTX_get_error(store) == X509_V_ERR_CERT_HAS_EXPIRED) {
        // OpenSSL answers this verification error with the unknown_ca alert.
        X509_STORE_CTX_set_error(store, X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY);
    }
    return preverify_ok;
}

// Session tickets carry the session's start; OpenSSL takes it from the clock, the capture wants its own (the
// time certificates are judged at).
int stamp_session_with_capture_time(SSL* ssl, void*)
{
    SSL_SESSION_set_time(SSL_get_session(ssl), static_cast<long>(X509_VERIFY_PARAM_get_time(SSL_get0_param(ssl))));
    return 1;
}

struct ProtocolVersionRange {
    int minimum;
    int maximum;
};

ProtocolVersionRange protocol_versions(TlsVersion version)
{
    switch (version) {
    case TlsVersion::tls12:
        return {TLS1_2_VERSION, TLS1_2_VERSION};
    case TlsVersion::tls13:
        return {TLS1_3_VERSION, TLS1_3_VERSION};
    case TlsVersion::tls10_to_tls11:
        return {TLS1_VERSION, TLS1_1_VERSION};
    }
    throw std::invalid_argument("unknown TLS version");
}

SslCtxPtr make_context(const SSL_METHOD* method, const TlsEndpointSettings& settings)
{
    SslCtxPtr context(require_openssl(SSL_CTX_new(method), "SSL_CTX_new"));
    SSL_CTX* const raw = context.get();
    const ProtocolVersionRange versions = protocol_versions(settings.version);
    require_openssl(SSL_CTX_set_min_proto_version(raw, versions.minimum), "SSL_CTX_set_min_proto_version");
    require_openssl(SSL_CTX_set_max_proto_version(raw, versions.maximum), "SSL_CTX_set_max_proto_version");
    require_openssl(SSL_CTX_set_cipher_list(
                        raw, settings.version == TlsVersion::tls10_to_tls11 ? legacy_tls_cipher : tls12_cipher),
                    "SSL_CTX_set_cipher_list");
    require_openssl(SSL_CTX_set_ciphersuites(raw, tls13_cipher_suite), "SSL_CTX_set_ciphersuites");
    require_openssl(SSL_CTX_set1_groups_list(raw, key_exchange_group), "SSL_CTX_set1_groups_list");
    require_openssl(SSL_CTX_set_num_tickets(raw, static_cast<std::size_t>(settings.session_tickets)), "SSL_CTX_set_num_tickets");
    // Send the chain as configured; without this OpenSSL would add the trusted root from the verify store.
    SSL_CTX_set_mode(raw, SSL_MODE_NO_AUTO_CHAIN);

    if (settings.identity != nullptr) {
        require_openssl(SSL_CTX_use_certificate(raw, settings.identity->certificate.get()),
                        "SSL_CTX_use_certificate");
        require_openssl(SSL_CTX_use_PrivateKey(raw, settings.identity->key.get()), "SSL_CTX_use_PrivateKey");
        for (const X509Ptr& intermediate : settings.identity->chain) {
            require_openssl(static_cast<int>(SSL_CTX_add1_chain_cert(raw, intermediate.get())),
                            "SSL_CTX_add1_chain_cert");
        }
    }
    if (settings.trusted_root != nullptr) {
        require_openssl(X509_STORE_add_cert(SSL_CTX_get_cert_store(raw), const_cast<X509*>(settings.trusted_root)),
                        "X509_STORE_add_cert");
    }
    X509_VERIFY_PARAM_set_time(SSL_CTX_get0_param(raw), static_cast<time_t>(settings.capture_time));
    return context;
}

}  // namespace

SslCtxPtr make_client_context(const TlsEndpointSettings& settings)
{
    SslCtxPtr context = make_context(TLS_client_method(), settings);
    SSL_CTX_set_verify(context.get(), SSL_VERIFY_PEER,
                       settings.refuse_expired_peer_as_unknown_ca ? refuse_expired_as_unknown_ca : nullptr);
    return context;
}

SslCtxPtr make_server_context(const TlsEndpointSettings& settings)
{
    if (settings.identity == nullptr) {
        throw std::invalid_argument("a TLS server needs a certificate");
    }
    SslCtxPtr context = make_context(TLS_server_method(), settings);
    SSL_CTX_set_verify(context.get(),
                       settings.request_client_certificate ? SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT
                                                           : SSL_VERIFY_NONE,
                       settings.refuse_expired_peer_as_unknown_ca ? refuse_expired_as_unknown_ca : nullptr);
    if (settings.request_client_certificate && settings.trusted_root != nullptr) {
        require_openssl(SSL_CTX_add_client_CA(context.get(), const_cast<X509*>(settings.trusted_root)),
                        "SSL_CTX_add_client_CA");
    }
    require_openssl(SSL_CTX_set_session_ticket_cb(context.get(), stamp_session_with_capture_time, nullptr, nullptr),
                    "SSL_CTX_set_session_ticket_cb");
    static constexpr unsigned char session_id_context[] = "trustcap-lab";
    require_openssl(SSL_CTX_set_session_id_context(context.get(), session_id_context, sizeof session_id_context - 1),
                    "SSL_CTX_set_session_id_context");
    return context;
}

}  // namespace pcapgen
