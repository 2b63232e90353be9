#include "in_memory_tls.h"

#include <openssl/err.h>

#include <stdexcept>

namespace pcapgen {

namespace {

Side side_of(const SSL* ssl) { return SSL_is_server(ssl) == 1 ? Side::server : Side::client; }

Bytes from_hex(std::string_view hex)
{
    Bytes bytes;
    for (std::size_t index = 0; index + 1 < hex.size(); index += 2) {
        bytes.push_back(static_cast<std::uint8_t>(std::stoul(std::string(hex.substr(index, 2)), nullptr, 16)));
    }
    return bytes;
}

}  // namespace

InMemoryTls::InMemoryTls(SSL_CTX* client_context, SSL_CTX* server_context, std::string_view server_name,
                         std::string_view expected_host)
{
    for (SSL_CTX* const context : {client_context, server_context}) {
        SSL_CTX_set_keylog_callback(context, on_key_log_line);
    }
    for (const Side side : {Side::client, Side::server}) {
        Endpoint& endpoint = state(side);
        endpoint.ssl.reset(
            require_openssl(SSL_new(side == Side::client ? client_context : server_context), "SSL_new"));
        endpoint.incoming = require_openssl(BIO_new(BIO_s_mem()), "BIO_new");
        endpoint.outgoing = require_openssl(BIO_new(BIO_s_mem()), "BIO_new");
        SSL_set_bio(endpoint.ssl.get(), endpoint.incoming, endpoint.outgoing);
        require_openssl(SSL_set_ex_data(endpoint.ssl.get(), 0, this), "SSL_set_ex_data");
        SSL_set_info_callback(endpoint.ssl.get(), on_tls_event);
    }
    SSL* const client = state(Side::client).ssl.get();
    SSL_set_connect_state(client);
    SSL_set_accept_state(state(Side::server).ssl.get());
    if (!server_name.empty()) {
        const std::string name(server_name);
        require_openssl(static_cast<int>(SSL_set_tlsext_host_name(client, name.c_str())),
                        "SSL_set_tlsext_host_name");
    }
    const std::string host(expected_host);
    require_openssl(SSL_set1_host(client, host.c_str()), "SSL_set1_host");
}

void InMemoryTls::on_tls_event(const SSL* ssl, int where, int value)
{
    if ((where & SSL_CB_WRITE_ALERT) != 0) {
        auto* self = static_cast<InMemoryTls*>(SSL_get_ex_data(ssl, 0));
        self->state(side_of(ssl)).alert_sent = static_cast<std::uint8_t>(value & 0xff);
    }
}

// "LABEL <client random> <secret>", both in hex (NSS key log format).
void InMemoryTls::on_key_log_line(const SSL* ssl, const char* line)
{
    const std::string_view text(line);
    const std::size_t label_end = text.find(' ');
    const std::size_t random_end = text.find(' ', label_end + 1);
    if (label_end == std::string_view::npos || random_end == std::string_view::npos) {
        return;
    }
    auto* self = static_cast<InMemoryTls*>(SSL_get_ex_data(ssl, 0));
    self->state(side_of(ssl)).secrets[std::string(text.substr(0, label_end))] = from_hex(text.substr(random_end + 1));
}

const Bytes& InMemoryTls::secret(Side side, std::string_view keylog_label) const
{
    const auto& secrets = state(side).secrets;
    const auto found = secrets.find(keylog_label);
    if (found == secrets.end()) {
        throw std::logic_error("no " + std::string(keylog_label) + " was derived");
    }
    return found->second;
}

bool InMemoryTls::handshake_complete(Side side) const
{
    return SSL_is_init_finished(state(side).ssl.get()) == 1;
}

void InMemoryTls::record_failure(Side side, int result)
{
    Endpoint& endpoint = state(side);
    std::string reason = "SSL error " + std::to_string(SSL_get_error(endpoint.ssl.get(), result));
    while (const unsigned long code = ERR_get_error()) {
        char line[256];
        ERR_error_string_n(code, line, sizeof line);
        reason += "; ";
        reason += line;
    }
    endpoint.failure = reason;
}

void InMemoryTls::read_available(Side side)
{
    Endpoint& endpoint = state(side);
    char buffer[4096];
    while (!endpoint.peer_closed && !endpoint.failure) {
        const int count = SSL_read(endpoint.ssl.get(), buffer, sizeof buffer);
        if (count > 0) {
            endpoint.received.append(buffer, static_cast<std::size_t>(count));
            continue;
        }
        const int error = SSL_get_error(endpoint.ssl.get(), count);
        if (error == SSL_ERROR_ZERO_RETURN) {
            endpoint.peer_closed = true;
        } else if (error != SSL_ERROR_WANT_READ) {
            record_failure(side, count);
        }
        return;
    }
}

Bytes InMemoryTls::advance(Side side)
{
    Endpoint& endpoint = state(side);
    if (!endpoint.failure && !handshake_complete(side)) {
        const int result = SSL_do_handshake(endpoint.ssl.get());
        if (result != 1 && SSL_get_error(endpoint.ssl.get(), result) != SSL_ERROR_WANT_READ) {
            record_failure(side, result);
        }
    }
    if (!endpoint.failure && handshake_complete(side)) {
        read_available(side);
    }
    return transmit(side);
}

Bytes InMemoryTls::write(Side side, std::string_view plaintext)
{
    Endpoint& endpoint = state(side);
    if (!handshake_complete(side) || endpoint.failure) {
        throw std::logic_error("application data before the handshake completed");
    }
    const int written = SSL_write(endpoint.ssl.get(), plaintext.data(), static_cast<int>(plaintext.size()));
    if (written != static_cast<int>(plaintext.size())) {
        throw OpenSslError("SSL_write");
    }
    return transmit(side);
}

Bytes InMemoryTls::close(Side side)
{
    if (SSL_shutdown(state(side).ssl.get()) < 0) {
        throw OpenSslError("SSL_shutdown");
    }
    return transmit(side);
}

std::string InMemoryTls::take_received(Side side)
{
    std::string received;
    received.swap(state(side).received);
    return received;
}

Bytes InMemoryTls::transmit(Side side)
{
    BIO* const outgoing = state(side).outgoing;
    Bytes written(BIO_ctrl_pending(outgoing));
    if (!written.empty() && BIO_read(outgoing, written.data(), static_cast<int>(written.size())) !=
                                static_cast<int>(written.size())) {
        throw OpenSslError("BIO_read");
    }
    if (!written.empty() && BIO_write(state(opposite(side)).incoming, written.data(),
                                      static_cast<int>(written.size())) != static_cast<int>(written.size())) {
        throw OpenSslError("BIO_write");
    }
    return written;
}

}  // namespace pcapgen
