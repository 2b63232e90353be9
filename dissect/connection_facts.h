#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

#include "dissect/connection_dissector.h"
#include "dissect/tls_message.h"
#include "dissect/tls_stream_dissector.h"

namespace trustcap {

// What a finished connection's dissectors found, as a value: the judge reads
// this, so a dissector is freed as soon as its connection is finished.
struct TlsDirectionFacts {
    bool lost_sync = false;             // a gap made the rest unreadable as records
    bool malformed = false;             // bytes that cannot be a record header, after valid records
    std::uint64_t damaged_messages = 0;  // handshake messages a gap fell into
    std::uint64_t bytes_received = 0;
    std::uint64_t application_records = 0;
    std::uint64_t application_bytes = 0;
};

struct TlsFacts {
    std::vector<TlsMessage> messages;
    std::uint64_t messages_dropped = 0;
    std::optional<TlsLimitHit> oversized_handshake_messages;
    std::optional<TlsLimitHit> certificates_not_kept;
    std::optional<TlsLimitHit> messages_not_kept;
    std::optional<NotTls> not_tls;
    std::array<TlsDirectionFacts, 2> directions;  // by Direction
    std::shared_ptr<const TlsDecryption> decryption;  // with a key log

    [[nodiscard]] const TlsDirectionFacts& side(Direction direction) const {
        return directions[static_cast<std::size_t>(direction)];
    }
};

struct ConnectionFacts {
    TlsFacts tls;
    bool carries_tls = false;
    bool lost_interest = false;
    bool of_interest = false;
    std::optional<HttpExchange> http;  // the first HTTP exchange (a CONNECT, or plain HTTP)
    std::vector<HttpExchange> later_http;
    std::uint64_t later_http_not_kept = 0;
    std::optional<std::uint64_t> answers_unread_after;
    std::optional<HttpHeadTooLong> http_head_too_long;

    // What keeping these facts costs.
    [[nodiscard]] std::size_t held_bytes() const;
};

ConnectionFacts facts_of(const ConnectionDissector& connection);
TlsFacts facts_of(const TlsStreamDissector& tls);
// The same, moved out of a dissector that is done with.
ConnectionFacts facts_of(ConnectionDissector&& connection);
TlsFacts facts_of(TlsStreamDissector&& tls);

}  // namespace trustcap
