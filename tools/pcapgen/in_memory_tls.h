#pragma once

#include "byte_writer.h"
#include "openssl_handles.h"
#include "tcp_conversation.h"

#include <array>
#include <map>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace pcapgen {

// A TLS client and server joined in memory. Each call lets one side act and returns the bytes that side wrote,
// in the order it wrote them; those bytes are delivered to the other side at once, since the capture shows no
// loss. The caller decides how the bytes appear on the wire.
class InMemoryTls {
public:
    // `server_name` is sent as SNI unless empty; the client checks the server's certificate against
    // `expected_host` either way, unless that is empty (a client that does not check the name at all).
    InMemoryTls(SSL_CTX* client_context, SSL_CTX* server_context, std::string_view server_name,
                std::string_view expected_host);

    // The side processes what it has received: handshake messages (answering with its next flight), then
    // application data, alerts and close_notify.
    Bytes advance(Side side);
    // One application-data write, as the records it produced.
    Bytes write(Side side, std::string_view plaintext);
    // The close_notify alert.
    Bytes close(Side side);

    [[nodiscard]] bool handshake_complete(Side side) const;
    [[nodiscard]] bool failed(Side side) const { return state(side).failure.has_value(); }
    [[nodiscard]] const std::optional<std::string>& failure(Side side) const { return state(side).failure; }
    [[nodiscard]] std::optional<std::uint8_t> alert_sent(Side side) const { return state(side).alert_sent; }
    [[nodiscard]] bool peer_closed(Side side) const { return state(side).peer_closed; }
    // The plaintext received so far, emptied by the call.
    std::string take_received(Side side);
    // A secret the side derived, by its key-log label (e.g. "CLIENT_HANDSHAKE_TRAFFIC_SECRET"); throws if none.
    [[nodiscard]] const Bytes& secret(Side side, std::string_view keylog_label) const;

private:
    struct Endpoint {
        SslPtr ssl;
        BIO* incoming = nullptr;  // owned by ssl
        BIO* outgoing = nullptr;  // owned by ssl
        std::string received;
        std::optional<std::string> failure;
        std::optional<std::uint8_t> alert_sent;
        bool peer_closed = false;
        std::map<std::string, Bytes, std::less<>> secrets;  // by key-log label
    };

    static void on_tls_event(const SSL* ssl, int where, int value);
    static void on_key_log_line(const SSL* ssl, const char* line);
    Endpoint& state(Side side) { return endpoints_[static_cast<std::size_t>(side)]; }
    [[nodiscard]] const Endpoint& state(Side side) const { return endpoints_[static_cast<std::size_t>(side)]; }
    void read_available(Side side);
    void record_failure(Side side, int result);
    // Takes what the side wrote and hands it to the other side.
    Bytes transmit(Side side);

    std::array<Endpoint, 2> endpoints_;
};

}  // namespace pcapgen
