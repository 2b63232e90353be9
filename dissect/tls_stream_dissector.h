#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "capture/byte_reader.h"
#include "capture/stream_consumer.h"
#include "dissect/tls_key_log.h"
#include "dissect/tls_message.h"
#include "dissect/tls_record_layer.h"

namespace trustcap {

// What one connection's dissector keeps at most. Past a limit it keeps less
// and says so (TlsLimitHit); it never buffers more.
struct TlsDissectorLimits {
    // A handshake message's length field is 24 bits (16 MiB). OpenSSL refuses a
    // peer's Certificate message over 100 KiB (SSL_CTX_set_max_cert_list) and
    // every other message is far smaller, so anything a stock peer would accept
    // is read; larger messages are skipped, not buffered.
    std::size_t max_handshake_message_bytes = 256 * 1024;
    // A handshake is a dozen messages and alerts; a long session's records are
    // counted (application_records), not kept. More messages are counted only.
    std::size_t max_messages = 512;
    // Certificate messages' bytes kept per connection (both directions, every
    // renegotiation): four messages at the largest size read.
    std::size_t max_certificate_bytes = 1024 * 1024;
};

// Messages of one connection a limit made the dissector keep less of.
struct TlsLimitHit {
    std::uint64_t first_frame = 0;    // where the first of them ended
    std::uint64_t messages = 0;       // how many
    std::uint64_t largest_bytes = 0;  // the longest one's length
};

// Bytes of a direction that are not TLS: its first bytes, or a record
// header after valid records (a corrupt stream).
struct NotTls {
    Direction direction = Direction::client_to_server;
    NonTlsContent content = NonTlsContent::binary;
    std::uint64_t frame = 0;  // where those bytes start
    // non_tls_content_name(content), or after valid records the header's fields:
    // "a record header that is not TLS (content type 20, version 0xFFFF, length 65281)"
    std::string looks_like;
    bool after_records = false;
};

// What a key log (--keylog) did for one connection. Messages read from
// decrypted records are marked (TlsMessage::decrypted).
struct TlsDecryption {
    bool keys_found = false;  // the key log holds secrets for this connection's Client Hello
    // Keys were found, but this version or cipher suite is not decrypted (or
    // the key log lacks the secret it needs): the records stay encrypted.
    bool not_decryptable = false;
    std::array<std::uint64_t, 2> records_decrypted{};  // by Direction
    // A record that failed authentication (wrong keys, damaged bytes): the
    // rest of that direction was not decrypted. By Direction.
    std::array<std::optional<std::uint64_t>, 2> failed_at_frame;

    [[nodiscard]] bool any_decrypted() const { return records_decrypted[0] + records_decrypted[1] > 0; }
};

// What a message holds on the heap beyond its own size, its certificates' DER bytes apart.
std::size_t held_bytes_beyond(const TlsMessage& message);

// Dissects both directions of one TLS connection from ordered stream bytes
// (a StreamConsumer fed by the TCP reassembler, or by the CONNECT tunnel).
// Pure: bytes in, TlsMessage events out, never reads past what it was given.
class TlsStreamDissector final : public StreamConsumer {
public:
    TlsStreamDissector();
    explicit TlsStreamDissector(TlsDissectorLimits limits, std::shared_ptr<const TlsKeyLog> key_log = nullptr);
    ~TlsStreamDissector() override;

    void on_data(Direction direction, std::uint64_t stream_offset, Bytes bytes, std::uint64_t frame,
                 const Timestamp& time) override;
    void on_gap(Direction direction, std::uint64_t stream_offset, std::uint64_t length, std::uint64_t frame,
                GapReason reason) override;
    // True when a message was shown in `frame` (it completed a record there).
    [[nodiscard]] bool frame_is_evidence(std::uint64_t frame) const override;
    [[nodiscard]] std::size_t held_bytes() const override;

    [[nodiscard]] const std::vector<TlsMessage>& messages() const;
    // Gives the messages up, leaving none: for a dissector that is done.
    [[nodiscard]] std::vector<TlsMessage> take_messages();
    [[nodiscard]] std::uint64_t messages_dropped() const;  // over max_messages
    // Handshake messages longer than max_handshake_message_bytes: shown by type
    // and length, their contents not read.
    [[nodiscard]] const std::optional<TlsLimitHit>& oversized_handshake_messages() const;
    // Certificate messages past max_certificate_bytes: their certificates not kept.
    [[nodiscard]] const std::optional<TlsLimitHit>& certificates_not_kept() const;
    // Messages past max_messages: counted, not kept.
    [[nodiscard]] const std::optional<TlsLimitHit>& messages_not_kept() const;
    [[nodiscard]] const std::optional<NotTls>& not_tls() const;
    // A gap made the rest of a direction unreadable as records.
    [[nodiscard]] bool lost_sync(Direction direction) const;
    // Handshake messages a gap fell into: skipped, while the records after
    // them were still read.
    [[nodiscard]] std::uint64_t damaged_messages(Direction direction) const;
    // After valid records, bytes that cannot be a TLS record header: that
    // direction was not parsed further.
    [[nodiscard]] bool malformed(Direction direction) const;
    // Stream bytes that reached this dissector from a direction.
    [[nodiscard]] std::uint64_t bytes_received(Direction direction) const;
    // Application data per direction: records and bytes (record payload lengths).
    [[nodiscard]] std::uint64_t application_records(Direction direction) const;
    [[nodiscard]] std::uint64_t application_bytes(Direction direction) const;
    // None without a key log.
    [[nodiscard]] std::optional<TlsDecryption> decryption() const;

private:
    struct State;
    std::unique_ptr<State> state_;
};

}  // namespace trustcap
