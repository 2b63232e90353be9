#include "tests/dissect/openssl_conversation.h"

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <memory>
#include <stdexcept>

namespace trustcap::testing {

namespace {

struct Deleter {
    void operator()(EVP_PKEY* key) const { EVP_PKEY_free(key); }
    void operator()(X509* certificate) const { X509_free(certificate); }
    void operator()(SSL_CTX* context) const { SSL_CTX_free(context); }
    void operator()(SSL* ssl) const { SSL_free(ssl); }
};
template <typename T>
using Owned = std::unique_ptr<T, Deleter>;

void require(bool condition, const char* what) {
    if (!condition) throw std::runtime_error(what);
}

struct Identity {
    Owned<EVP_PKEY> key;
    Owned<X509> certificate;
    std::vector<std::uint8_t> der;
};

Identity make_self_signed(const char* common_name) {
    Identity identity;
    identity.key.reset(EVP_EC_gen("P-256"));
    require(identity.key != nullptr, "EVP_EC_gen");
    identity.certificate.reset(X509_new());
    X509* certificate = identity.certificate.get();
    X509_set_version(certificate, 2);
    ASN1_INTEGER_set(X509_get_serialNumber(certificate), 1);
    X509_gmtime_adj(X509_getm_notBefore(certificate), 0);
    X509_gmtime_adj(X509_getm_notAfter(certificate), 365L * 24 * 3600);
    X509_NAME* name = X509_get_subject_name(certificate);
    X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, reinterpret_cast<const unsigned char*>(common_name), -1, -1, 0);
    X509_set_issuer_name(certificate, name);
    X509_set_pubkey(certificate, identity.key.get());
    require(X509_sign(certificate, identity.key.get(), EVP_sha256()) > 0, "X509_sign");
    const int length = i2d_X509(certificate, nullptr);
    identity.der.resize(static_cast<std::size_t>(length));
    unsigned char* out = identity.der.data();
    i2d_X509(certificate, &out);
    return identity;
}

Owned<SSL_CTX> make_context(const SSL_METHOD* method, const ConversationOptions& options, const std::string& groups) {
    Owned<SSL_CTX> context(SSL_CTX_new(method));
    require(context != nullptr, "SSL_CTX_new");
    if (options.min_version) SSL_CTX_set_min_proto_version(context.get(), options.min_version);
    if (options.max_version) SSL_CTX_set_max_proto_version(context.get(), options.max_version);
    if (!groups.empty()) require(SSL_CTX_set1_groups_list(context.get(), groups.c_str()) == 1, "groups");
    if (!options.tls12_ciphers.empty()) {
        require(SSL_CTX_set_cipher_list(context.get(), options.tls12_ciphers.c_str()) == 1, "cipher list");
    }
    if (!options.tls13_ciphersuites.empty()) {
        require(SSL_CTX_set_ciphersuites(context.get(), options.tls13_ciphersuites.c_str()) == 1, "ciphersuites");
    }
    return context;
}

void use_identity(SSL_CTX* context, const Identity& identity) {
    require(SSL_CTX_use_certificate(context, identity.certificate.get()) == 1, "use certificate");
    require(SSL_CTX_use_PrivateKey(context, identity.key.get()) == 1, "use key");
}

void log_key(const SSL* ssl, const char* line) {
    auto* conversation = static_cast<Conversation*>(SSL_CTX_get_app_data(SSL_get_SSL_CTX(ssl)));
    conversation->key_log += std::string(line) + "\n";
}

int accept_any_certificate(int /*preverified*/, X509_STORE_CTX* /*store*/) { return 1; }

struct Side {
    Owned<SSL> ssl;
    BIO* incoming = nullptr;  // owned by ssl
    BIO* outgoing = nullptr;  // owned by ssl
    bool done = false;
    bool failed = false;
};

Side make_side(SSL_CTX* context) {
    Side side;
    side.ssl.reset(SSL_new(context));
    side.incoming = BIO_new(BIO_s_mem());
    side.outgoing = BIO_new(BIO_s_mem());
    SSL_set_bio(side.ssl.get(), side.incoming, side.outgoing);
    return side;
}

void flush(Side& from, Side& to, Direction direction, Conversation& conversation) {
    const auto pending = BIO_ctrl_pending(from.outgoing);
    if (pending == 0) return;
    RecordedWrite write{direction, std::vector<std::uint8_t>(pending)};
    const int read = BIO_read(from.outgoing, write.bytes.data(), static_cast<int>(pending));
    require(read == static_cast<int>(pending), "BIO_read");
    BIO_write(to.incoming, write.bytes.data(), read);
    conversation.writes.push_back(std::move(write));
}

void step_handshake(Side& side) {
    if (side.done || side.failed) return;
    const int result = SSL_do_handshake(side.ssl.get());
    if (result == 1) {
        side.done = true;
        return;
    }
    const int error = SSL_get_error(side.ssl.get(), result);
    if (error != SSL_ERROR_WANT_READ && error != SSL_ERROR_WANT_WRITE) side.failed = true;
}

std::string read_all(Side& side) {
    std::string text;
    char buffer[4096];
    for (;;) {
        const int read = SSL_read(side.ssl.get(), buffer, sizeof buffer);
        if (read <= 0) break;
        text.append(buffer, static_cast<std::size_t>(read));
    }
    return text;
}

}  // namespace

Conversation run_conversation(const ConversationOptions& options) {
    Conversation conversation;
    const Identity server_identity = make_self_signed("smartreceiver.cisco.com");
    const Identity client_identity = make_self_signed("UDI_PID:C9800-CL-K9 UDI_SN:9ABCDEF0123");
    conversation.server_certificate_der = server_identity.der;
    conversation.client_certificate_der = client_identity.der;

    auto server_context = make_context(TLS_server_method(), options, options.server_groups);
    auto client_context = make_context(TLS_client_method(), options, options.client_groups);
    use_identity(server_context.get(), server_identity);
    if (!options.encrypt_then_mac) SSL_CTX_set_options(client_context.get(), SSL_OP_NO_ENCRYPT_THEN_MAC);
    SSL_CTX_set_app_data(client_context.get(), &conversation);
    SSL_CTX_set_keylog_callback(client_context.get(), log_key);
    if (options.client_certificate) {
        SSL_CTX_set_verify(server_context.get(), SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT,
                           accept_any_certificate);
        if (options.client_has_certificate) use_identity(client_context.get(), client_identity);
    }
    if (!options.session_tickets) {
        SSL_CTX_set_options(server_context.get(), SSL_OP_NO_TICKET);
        SSL_CTX_set_num_tickets(server_context.get(), 0);
    }
    SSL_CTX_set_verify(client_context.get(), options.client_trusts_server ? SSL_VERIFY_NONE : SSL_VERIFY_PEER, nullptr);

    Side client = make_side(client_context.get());
    Side server = make_side(server_context.get());
    SSL_set_connect_state(client.ssl.get());
    SSL_set_accept_state(server.ssl.get());
    if (!options.server_name.empty()) SSL_set_tlsext_host_name(client.ssl.get(), options.server_name.c_str());
    static const unsigned char alpn[] = "\x08http/1.1";
    SSL_set_alpn_protos(client.ssl.get(), alpn, sizeof alpn - 1);

    bool request_sent = false;
    for (int round = 0; round < 20 && !(client.done && server.done); ++round) {
        const bool client_was_done = client.done;
        step_handshake(client);
        if (!client_was_done && client.done && options.request_with_finished) {
            SSL_write(client.ssl.get(), options.request.data(), static_cast<int>(options.request.size()));
            request_sent = true;
        }
        flush(client, server, Direction::client_to_server, conversation);
        step_handshake(server);
        flush(server, client, Direction::server_to_client, conversation);
        if (client.failed || server.failed) {
            step_handshake(client);  // let the other side read the alert
            flush(client, server, Direction::client_to_server, conversation);
            break;
        }
    }
    conversation.handshake_completed = client.done && server.done;
    if (!conversation.handshake_completed) return conversation;

    if (!request_sent) {
        SSL_write(client.ssl.get(), options.request.data(), static_cast<int>(options.request.size()));
        flush(client, server, Direction::client_to_server, conversation);
    }
    read_all(server);
    SSL_write(server.ssl.get(), options.response.data(), static_cast<int>(options.response.size()));
    flush(server, client, Direction::server_to_client, conversation);
    read_all(client);
    if (options.close_notify) {
        SSL_shutdown(client.ssl.get());
        flush(client, server, Direction::client_to_server, conversation);
    }
    ERR_clear_error();
    return conversation;
}

}  // namespace trustcap::testing
