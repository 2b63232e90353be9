#include "dissect/connection_facts.h"

#include <utility>

namespace trustcap {

std::size_t ConnectionFacts::held_bytes() const {
    std::size_t bytes = sizeof(*this) + tls.messages.capacity() * sizeof(TlsMessage);
    for (const TlsMessage& message : tls.messages) {
        bytes += held_bytes_beyond(message);
        for (const std::vector<std::uint8_t>& certificate : message.certificates) bytes += certificate.capacity();
    }
    if (tls.not_tls) bytes += tls.not_tls->looks_like.capacity();
    if (http) bytes += held_bytes_beyond(*http);
    bytes += later_http.capacity() * sizeof(HttpExchange);
    for (const HttpExchange& exchange : later_http) bytes += held_bytes_beyond(exchange);
    return bytes;
}

namespace {

// All but the messages.
TlsFacts counts_of(const TlsStreamDissector& tls) {
    TlsFacts facts;
    facts.messages_dropped = tls.messages_dropped();
    facts.oversized_handshake_messages = tls.oversized_handshake_messages();
    facts.certificates_not_kept = tls.certificates_not_kept();
    facts.messages_not_kept = tls.messages_not_kept();
    facts.not_tls = tls.not_tls();
    if (auto decryption = tls.decryption()) facts.decryption = std::make_shared<const TlsDecryption>(*decryption);
    for (Direction direction : {Direction::client_to_server, Direction::server_to_client}) {
        TlsDirectionFacts& side = facts.directions[static_cast<std::size_t>(direction)];
        side.lost_sync = tls.lost_sync(direction);
        side.damaged_messages = tls.damaged_messages(direction);
        side.malformed = tls.malformed(direction);
        side.bytes_received = tls.bytes_received(direction);
        side.application_records = tls.application_records(direction);
        side.application_bytes = tls.application_bytes(direction);
    }
    return facts;
}

// All but the TLS facts and the HTTP exchanges.
ConnectionFacts flags_of(const ConnectionDissector& connection) {
    ConnectionFacts facts;
    facts.carries_tls = connection.carries_tls();
    facts.lost_interest = connection.lost_interest();
    facts.of_interest = connection.is_of_interest();
    facts.later_http_not_kept = connection.later_http_not_kept();
    facts.answers_unread_after = connection.answers_unread_after();
    facts.http_head_too_long = connection.http_head_too_long();
    return facts;
}

}  // namespace

TlsFacts facts_of(const TlsStreamDissector& tls) {
    TlsFacts facts = counts_of(tls);
    facts.messages = tls.messages();
    return facts;
}

TlsFacts facts_of(TlsStreamDissector&& tls) {
    TlsFacts facts = counts_of(tls);
    facts.messages = tls.take_messages();
    return facts;
}

ConnectionFacts facts_of(const ConnectionDissector& connection) {
    ConnectionFacts facts = flags_of(connection);
    facts.tls = facts_of(connection.tls());
    facts.http = connection.http();
    facts.later_http = connection.later_http();
    return facts;
}

ConnectionFacts facts_of(ConnectionDissector&& connection) {
    ConnectionFacts facts = flags_of(connection);
    facts.tls = facts_of(std::move(*connection.tls_));
    facts.http = std::move(connection.http_);
    facts.later_http = std::move(connection.later_http_);
    return facts;
}

}  // namespace trustcap
