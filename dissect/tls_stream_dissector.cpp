#include "dissect/tls_stream_dissector.h"

#include <algorithm>
#include <array>
#include <utility>

#include "dissect/tls13_record_inference.h"
#include "dissect/tls_handshake_parser.h"
#include "dissect/tls_record_decrypter.h"
#include "dissect/tls_record_layer.h"

namespace trustcap {

namespace {

// A handshake buffer that grew past this is released once its message is done.
constexpr std::size_t kept_buffer_capacity = 64 * 1024;

enum class ReadStatus : std::uint8_t { reading, not_tls, lost_sync, malformed };

// What is done with a record's body as it arrives.
enum class BodyUse : std::uint8_t { skip, handshake, alert, sslv2_client_hello, sslv2_server_hello, decrypt };

constexpr std::uint16_t tls12_version = 0x0303;
constexpr std::uint8_t key_update_type = 24;

struct DirectionState {
    std::uint64_t next_offset = 0;
    std::uint64_t records_started = 0;
    std::uint64_t last_frame = 0;
    Timestamp last_time;

    std::array<std::uint8_t, non_tls_sniff_size> header{};
    std::size_t header_filled = 0;
    std::uint64_t header_first_frame = 0;

    bool in_record = false;
    std::uint8_t content_type = 0;
    std::uint16_t record_version = 0;
    std::uint32_t record_length = 0;
    std::uint32_t body_remaining = 0;
    std::uint64_t record_first_frame = 0;
    BodyUse body_use = BodyUse::skip;
    std::array<std::uint8_t, 2> alert_bytes{};
    ReadStatus status = ReadStatus::reading;  // here, in the padding after alert_bytes: a smaller state
    std::size_t alert_filled = 0;
    std::vector<std::uint8_t> sslv2_body;
    // An SSL 2.0 handshake: the records after its hello have 2- or 3-byte headers.
    bool sslv2_framing = false;
    // Handshake messages completed inside the current record: shown at its end.
    std::vector<std::size_t> awaiting_record_end;

    std::array<std::uint8_t, handshake_header_size> handshake_header{};
    std::size_t handshake_header_filled = 0;
    std::uint64_t handshake_first_frame = 0;
    std::uint32_t handshake_length = 0;
    std::uint32_t handshake_received = 0;
    bool handshake_too_long = false;
    bool handshake_damaged = false;  // a gap fell inside it: it is skipped, not reported
    std::uint64_t damaged_messages = 0;
    std::vector<std::uint8_t> handshake_body;

    bool encrypted_after_change_cipher_spec = false;
    std::uint64_t application_records = 0;
    std::uint64_t application_bytes = 0;
};

// With a key log: the keys of the records a direction protects now, and the
// record being gathered to decrypt.
struct DirectionDecryption {
    std::optional<TlsRecordDecrypter> decrypter;
    std::vector<std::uint8_t> protected_record;
    bool reading_decrypted = false;  // the handshake bytes being read came from a decrypted record
    // TLS 1.3: a record failed authentication after others of the connection
    // were read: the rest of this direction can be neither read nor told by
    // position and size, so it is left out.
    bool left_out = false;
    bool finished_in_record = false;
    bool key_update_in_record = false;
};

// What a key log adds to a connection's state: made only when one is given,
// so that without one a connection holds no more than before.
struct KeyedDecryption {
    std::shared_ptr<const TlsKeyLog> key_log;
    TlsDecryption facts;
    std::optional<TlsRandom> client_random;
    std::optional<TlsRandom> server_random;
    std::array<DirectionDecryption, 2> directions;
};

}  // namespace

struct TlsStreamDissector::State final : Tls13RecordLog {
    State(TlsDissectorLimits limits_in, std::shared_ptr<const TlsKeyLog> key_log)
        : limits(limits_in) {
        if (!key_log) return;
        keyed = std::make_unique<KeyedDecryption>();
        keyed->key_log = std::move(key_log);
    }

    TlsDissectorLimits limits;
    std::unique_ptr<KeyedDecryption> keyed;
    const TlsSessionSecrets* secrets = nullptr;  // found in the key log for this connection
    std::array<DirectionState, 2> directions;
    std::vector<TlsMessage> messages;
    std::optional<TlsLimitHit> oversized_handshakes;
    std::optional<TlsLimitHit> certificates_not_kept;
    std::optional<TlsLimitHit> messages_not_kept;
    std::optional<NotTls> not_tls;
    std::uint64_t last_evidence_frame = 0;
    std::size_t certificate_bytes_kept = 0;

    std::optional<Direction> server_hello_direction;
    bool hello_retry_request_seen = false;
    std::optional<std::uint16_t> negotiated_version;
    std::uint16_t cipher_suite = 0;

    Tls13RecordInference tls13_records;

    DirectionState& side(Direction direction) { return directions[static_cast<std::size_t>(index_of(direction))]; }
    std::size_t index_of_side(const DirectionState& state) const {
        return static_cast<std::size_t>(&state - directions.data());
    }
    // None without a key log.
    DirectionDecryption* keyed_side(Direction direction) {
        return keyed ? &keyed->directions[static_cast<std::size_t>(index_of(direction))] : nullptr;
    }
    [[nodiscard]] bool is_tls13() const { return negotiated_version && is_tls13_family(*negotiated_version); }

    // --- messages ---------------------------------------------------------

    static void note_limit_hit(std::optional<TlsLimitHit>& hit, std::uint64_t frame, std::uint64_t bytes) {
        if (!hit) hit = TlsLimitHit{frame, 0, 0};
        ++hit->messages;
        hit->largest_bytes = std::max(hit->largest_bytes, bytes);
    }

    std::optional<std::size_t> emit(TlsMessage message) {
        if (messages.size() >= limits.max_messages) {
            note_limit_hit(messages_not_kept, message.frame, message.length);
            return std::nullopt;
        }
        last_evidence_frame = message.frame;
        messages.push_back(std::move(message));
        return messages.size() - 1;
    }

    TlsMessage record_message(Direction direction, const DirectionState& state, TlsMessageKind kind) const {
        TlsMessage message;
        message.kind = kind;
        message.direction = direction;
        message.frame = state.last_frame;
        message.first_frame = state.record_first_frame;
        message.time = state.last_time;
        message.length = state.record_length;
        return message;
    }

    void count_application_data(DirectionState& state, std::uint32_t length) {
        ++state.application_records;
        state.application_bytes += length;
    }

    // --- byte intake ------------------------------------------------------

    void consume(Direction direction, Bytes bytes) {
        DirectionState& state = side(direction);
        ByteReader reader(bytes);
        while (!reader.empty() && state.status == ReadStatus::reading) {
            if (state.in_record) {
                read_body(direction, reader);
            } else {
                read_header(direction, reader);
            }
        }
    }

    void read_header(Direction direction, ByteReader& reader) {
        DirectionState& state = side(direction);
        if (state.sslv2_framing) {
            read_sslv2_header(direction, reader);
            return;
        }
        const bool first_record = state.records_started == 0;
        if (state.header_filled == 0) state.header_first_frame = state.last_frame;
        // A first header already found not to be TLS: read a few more bytes to name it.
        const std::size_t wanted = first_record && state.header_filled >= tls_record_header_size
                                       ? non_tls_sniff_size
                                       : tls_record_header_size;
        fill_header(state, reader, wanted);
        if (state.header_filled < wanted) return;
        if (wanted == non_tls_sniff_size) {
            give_up_as_not_tls(direction);
            return;
        }
        const Bytes header(state.header.data(), tls_record_header_size);
        if (plausible_record_header(header)) {
            start_record(direction);
        } else if (first_record && plausible_sslv2_client_hello(header)) {
            start_sslv2_hello(direction, BodyUse::sslv2_client_hello);
        } else if (first_record && plausible_sslv2_server_hello(header)) {
            start_sslv2_hello(direction, BodyUse::sslv2_server_hello);
        } else if (first_record) {
            // Not TLS already; the bytes still to come only name it better.
            const NonTlsContent content = classify_non_tls(header);
            note_not_tls(direction, content, non_tls_content_name(content));
        } else {
            note_not_tls(direction, NonTlsContent::damaged_record_header, describe_record_header(header));
            stop(state, ReadStatus::malformed);
        }
    }

    static void fill_header(DirectionState& state, ByteReader& reader, std::size_t wanted) {
        const auto taken = *reader.take(std::min(wanted - state.header_filled, reader.remaining()));
        std::copy(taken.begin(), taken.end(), state.header.begin() + static_cast<std::ptrdiff_t>(state.header_filled));
        state.header_filled += taken.size();
    }

    // SSLv2 record header: 2 bytes with the high bit set, else 3 (with padding).
    void read_sslv2_header(Direction direction, ByteReader& reader) {
        DirectionState& state = side(direction);
        if (state.header_filled == 0) state.header_first_frame = state.last_frame;
        fill_header(state, reader, 2);
        if (state.header_filled < 2) return;
        const bool three_byte_header = (state.header[0] & 0x80U) == 0;
        if (three_byte_header) {
            fill_header(state, reader, 3);
            if (state.header_filled < 3) return;
        }
        state.in_record = true;
        ++state.records_started;
        state.content_type = 0;
        state.record_length = static_cast<std::uint32_t>(sslv2_record_length(state.header));
        state.body_remaining = state.record_length;
        state.record_first_frame = state.header_first_frame;
        state.header_filled = 0;
        state.body_use = BodyUse::skip;
        if (state.body_remaining == 0) finish_record(direction);
    }

    void note_not_tls(Direction direction, NonTlsContent content, std::string looks_like) {
        if (not_tls) return;
        const bool after_records = content == NonTlsContent::damaged_record_header;
        not_tls = NotTls{direction, content, side(direction).header_first_frame, std::move(looks_like), after_records};
    }

    void give_up_as_not_tls(Direction direction) {
        DirectionState& state = side(direction);
        if (not_tls && not_tls->direction == direction && !not_tls->after_records) {
            not_tls->content = classify_non_tls(Bytes(state.header.data(), state.header_filled));
            not_tls->looks_like = non_tls_content_name(not_tls->content);
        }
        stop(state, ReadStatus::not_tls);
    }

    void stop(DirectionState& state, ReadStatus status) {
        state.status = status;
        state.in_record = false;
        std::vector<std::uint8_t>().swap(state.handshake_body);
        std::vector<std::uint8_t>().swap(state.sslv2_body);
        if (keyed) std::vector<std::uint8_t>().swap(keyed->directions[index_of_side(state)].protected_record);
    }

    void start_record(Direction direction) {
        DirectionState& state = side(direction);
        const TlsRecordHeader header = read_record_header(Bytes(state.header.data(), tls_record_header_size));
        state.in_record = true;
        ++state.records_started;
        state.content_type = header.content_type;
        state.record_version = header.version;
        state.record_length = header.length;
        state.body_remaining = state.record_length;
        state.record_first_frame = state.header_first_frame;
        state.header_filled = 0;
        state.alert_filled = 0;
        state.body_use = BodyUse::skip;
        if (decrypts(direction)) {
            state.body_use = BodyUse::decrypt;
            keyed_side(direction)->protected_record.clear();
        } else if (!state.encrypted_after_change_cipher_spec) {
            if (state.content_type == static_cast<std::uint8_t>(TlsContentType::handshake)) {
                state.body_use = BodyUse::handshake;
            }
            if (state.content_type == static_cast<std::uint8_t>(TlsContentType::alert)) state.body_use = BodyUse::alert;
        }
        if (state.body_remaining == 0) finish_record(direction);
    }

    // The first two bytes are the length; msg_type and the next two header
    // bytes (version, or session_id_hit and certificate_type) are read.
    void start_sslv2_hello(Direction direction, BodyUse use) {
        DirectionState& state = side(direction);
        const Bytes header(state.header.data(), tls_record_header_size);
        const std::size_t length = sslv2_record_length(header);
        state.in_record = true;
        ++state.records_started;
        if (use == BodyUse::sslv2_client_hello) state.record_version = sslv2_client_hello_version(header);
        state.record_length = static_cast<std::uint32_t>(length);
        state.body_remaining = static_cast<std::uint32_t>(length - 3);
        state.record_first_frame = state.header_first_frame;
        state.header_filled = 0;
        state.body_use = use;
        state.sslv2_body.clear();
    }

    void read_body(Direction direction, ByteReader& reader) {
        DirectionState& state = side(direction);
        const Bytes chunk = *reader.take(std::min<std::size_t>(state.body_remaining, reader.remaining()));
        state.body_remaining -= static_cast<std::uint32_t>(chunk.size());
        switch (state.body_use) {
            case BodyUse::skip: break;
            case BodyUse::handshake: read_handshake_bytes(direction, chunk); break;
            case BodyUse::alert: {
                const std::size_t count = std::min(chunk.size(), state.alert_bytes.size() - state.alert_filled);
                std::copy_n(chunk.begin(), count, state.alert_bytes.begin() + static_cast<std::ptrdiff_t>(state.alert_filled));
                state.alert_filled += count;
                break;
            }
            case BodyUse::sslv2_client_hello:
            case BodyUse::sslv2_server_hello:
                state.sslv2_body.insert(state.sslv2_body.end(), chunk.begin(), chunk.end());
                break;
            case BodyUse::decrypt: {
                std::vector<std::uint8_t>& record = keyed_side(direction)->protected_record;
                record.insert(record.end(), chunk.begin(), chunk.end());
                break;
            }
        }
        if (state.body_remaining == 0 && state.status == ReadStatus::reading) finish_record(direction);
    }

    // --- handshake messages -----------------------------------------------

    void read_handshake_bytes(Direction direction, Bytes bytes) {
        DirectionState& state = side(direction);
        ByteReader reader(bytes);
        while (!reader.empty()) {
            if (state.handshake_header_filled < handshake_header_size) {
                if (state.handshake_header_filled == 0) state.handshake_first_frame = state.last_frame;
                const auto taken =
                    *reader.take(std::min(handshake_header_size - state.handshake_header_filled, reader.remaining()));
                std::copy(taken.begin(), taken.end(),
                          state.handshake_header.begin() + static_cast<std::ptrdiff_t>(state.handshake_header_filled));
                state.handshake_header_filled += taken.size();
                if (state.handshake_header_filled < handshake_header_size) return;
                ByteReader header(state.handshake_header);
                header.skip(1);
                state.handshake_length = *header.u24be();
                state.handshake_received = 0;
                state.handshake_too_long = state.handshake_length > limits.max_handshake_message_bytes;
            } else {
                const auto taken = *reader.take(
                    std::min<std::size_t>(state.handshake_length - state.handshake_received, reader.remaining()));
                if (!state.handshake_too_long) {
                    state.handshake_body.insert(state.handshake_body.end(), taken.begin(), taken.end());
                }
                state.handshake_received += static_cast<std::uint32_t>(taken.size());
            }
            if (state.handshake_received == state.handshake_length) finish_handshake_message(direction);
        }
    }

    void finish_handshake_message(Direction direction) {
        DirectionState& state = side(direction);
        if (state.handshake_damaged) {
            ++state.damaged_messages;
            state.handshake_damaged = false;
            state.handshake_header_filled = 0;
            state.handshake_body.clear();
            return;
        }
        TlsMessage message;
        message.direction = direction;
        message.frame = state.last_frame;
        message.first_frame = state.handshake_first_frame;
        message.time = state.last_time;
        message.length = state.handshake_length;
        message.handshake_type = state.handshake_header[0];
        message.kind = kind_of_handshake(message.handshake_type);
        if (DirectionDecryption* decryption = keyed_side(direction); decryption && decryption->reading_decrypted) {
            message.decrypted = true;
            decryption->finished_in_record |= message.kind == TlsMessageKind::finished;
            decryption->key_update_in_record |= message.handshake_type == key_update_type;
        }
        if (state.handshake_too_long) {
            note_limit_hit(oversized_handshakes, message.frame, message.length);
        } else {
            describe_handshake(direction, message, state.handshake_body);
        }
        if (auto index = emit(std::move(message))) state.awaiting_record_end.push_back(*index);

        state.handshake_header_filled = 0;
        state.handshake_body.clear();
        if (state.handshake_body.capacity() > kept_buffer_capacity) std::vector<std::uint8_t>().swap(state.handshake_body);
    }

    void describe_handshake(Direction direction, TlsMessage& message, Bytes body) {
        switch (message.kind) {
            case TlsMessageKind::client_hello:
                message.client_hello = parse_client_hello(body);
                if (keyed && !keyed->client_random) keyed->client_random = random_of(body);
                break;
            case TlsMessageKind::server_hello: {
                auto parsed = parse_server_hello(body);
                message.server_hello = parsed.hello;
                if (parsed.retry_request) {
                    message.kind = TlsMessageKind::hello_retry_request;
                    hello_retry_request_seen = true;
                } else {
                    server_hello_direction = direction;
                    negotiated_version = parsed.hello.version();
                    cipher_suite = parsed.hello.cipher_suite;
                    if (keyed && !keyed->server_random) keyed->server_random = random_of(body);
                    if (is_tls13()) start_tls13_decryption(direction);
                }
                break;
            }
            case TlsMessageKind::certificate: {
                if (certificate_bytes_kept + body.size() > limits.max_certificate_bytes) {
                    note_limit_hit(certificates_not_kept, message.frame, body.size());
                    break;
                }
                certificate_bytes_kept += body.size();
                message.certificates = parse_certificates(body, is_tls13());
                break;
            }
            default: break;
        }
    }

    // --- records ----------------------------------------------------------

    void finish_record(Direction direction) {
        DirectionState& state = side(direction);
        state.in_record = false;
        if (state.body_use == BodyUse::decrypt && finish_protected_record(direction)) return;
        for (std::size_t index : state.awaiting_record_end) {
            messages[index].frame = state.last_frame;
            messages[index].time = state.last_time;
            last_evidence_frame = state.last_frame;
        }
        state.awaiting_record_end.clear();

        if (state.body_use == BodyUse::sslv2_client_hello) {
            TlsMessage message = record_message(direction, state, TlsMessageKind::sslv2_client_hello);
            message.handshake_type = sslv2_message_client_hello;
            message.client_hello = parse_sslv2_client_hello(state.record_version, state.sslv2_body);
            state.sslv2_framing = state.record_version == sslv2_version;
            std::vector<std::uint8_t>().swap(state.sslv2_body);
            emit(std::move(message));
            return;
        }
        if (state.body_use == BodyUse::sslv2_server_hello) {
            TlsMessage message = record_message(direction, state, TlsMessageKind::sslv2_server_hello);
            message.handshake_type = sslv2_message_server_hello;
            message.server_hello = parse_sslv2_server_hello(state.sslv2_body);
            negotiated_version = message.server_hello->legacy_version;
            state.sslv2_framing = true;
            std::vector<std::uint8_t>().swap(state.sslv2_body);
            emit(std::move(message));
            return;
        }
        switch (static_cast<TlsContentType>(state.content_type)) {
            case TlsContentType::handshake:
                if (state.encrypted_after_change_cipher_spec) {
                    emit(record_message(direction, state, TlsMessageKind::encrypted_handshake));
                }
                break;
            case TlsContentType::change_cipher_spec: finish_change_cipher_spec(direction); break;
            case TlsContentType::alert: finish_alert(direction); break;
            case TlsContentType::application_data: finish_application_data(direction); break;
            case TlsContentType::heartbeat: emit(record_message(direction, state, TlsMessageKind::heartbeat)); break;
        }
    }

    void finish_change_cipher_spec(Direction direction) {
        DirectionState& state = side(direction);
        emit(record_message(direction, state, TlsMessageKind::change_cipher_spec));
        // In TLS 1.3 (and after a Hello Retry Request) CCS is only for middlebox
        // compatibility: the records after it are not encrypted handshake records.
        const bool tls13_compatibility = is_tls13() || hello_retry_request_seen;
        if (tls13_compatibility) return;
        state.encrypted_after_change_cipher_spec = true;
        state.handshake_header_filled = 0;
        state.handshake_body.clear();
        start_tls12_decryption(direction);
    }

    void finish_alert(Direction direction) {
        DirectionState& state = side(direction);
        TlsMessage message = record_message(direction, state, TlsMessageKind::alert);
        TlsAlert alert;
        if (!state.encrypted_after_change_cipher_spec && state.record_length == state.alert_bytes.size()) {
            alert.level = state.alert_bytes[0];
            alert.description = state.alert_bytes[1];
        } else {
            alert.encrypted = true;
        }
        message.alert = alert;
        emit(std::move(message));
    }

    void finish_application_data(Direction direction) {
        DirectionState& state = side(direction);
        if (const DirectionDecryption* decryption = keyed_side(direction); decryption && decryption->left_out) return;
        if (is_tls13() && server_hello_direction) {
            tls13_records.classify(direction, state.record_length, *server_hello_direction, cipher_suite, *this);
            return;
        }
        count_application_data(state, state.record_length);
        emit(record_message(direction, state, TlsMessageKind::application_data));
    }

    // --- decryption with a key log ------------------------------------------

    static std::optional<TlsRandom> random_of(Bytes hello_body) {
        ByteReader reader(hello_body);
        auto random = reader.skip(2) ? reader.take(tls_random_size) : std::nullopt;
        if (!random) return std::nullopt;
        TlsRandom value{};
        std::copy(random->begin(), random->end(), value.begin());
        return value;
    }

    [[nodiscard]] bool decrypts(Direction direction) {
        const DirectionDecryption* decryption = keyed_side(direction);
        if (!decryption || !decryption->decrypter) return false;
        const DirectionState& state = side(direction);
        if (is_tls13()) return state.content_type == static_cast<std::uint8_t>(TlsContentType::application_data);
        return state.encrypted_after_change_cipher_spec;
    }

    // The secrets the key log holds for this connection, looked up once.
    const TlsSessionSecrets* find_secrets() {
        if (!keyed || !keyed->client_random) return nullptr;
        if (!secrets) secrets = keyed->key_log->find(*keyed->client_random);
        if (secrets) keyed->facts.keys_found = true;
        return secrets;
    }

    void start_tls13_decryption(Direction server) {
        const TlsSessionSecrets* found = find_secrets();
        if (!found) return;
        auto& from_server = keyed_side(server)->decrypter;
        auto& from_client = keyed_side(opposite(server))->decrypter;
        from_server = TlsRecordDecrypter::tls13(cipher_suite, found->server_handshake_traffic_secret);
        from_client = TlsRecordDecrypter::tls13(cipher_suite, found->client_handshake_traffic_secret);
        if (!from_server && !from_client) keyed->facts.not_decryptable = true;
    }

    void start_tls12_decryption(Direction direction) {
        const TlsSessionSecrets* found = find_secrets();
        if (!found || !server_hello_direction) return;
        auto& decrypter = keyed_side(direction)->decrypter;
        if (negotiated_version == tls12_version && keyed->server_random)
            decrypter = TlsRecordDecrypter::tls12(cipher_suite, found->master_secret, *keyed->client_random,
                                                  *keyed->server_random, direction != *server_hello_direction);
        if (!decrypter) keyed->facts.not_decryptable = true;
    }

    // TLS 1.3: the application traffic keys follow a direction's Finished.
    void switch_to_application_keys(Direction direction) {
        const bool from_server = server_hello_direction && direction == *server_hello_direction;
        const auto& secret =
            from_server ? secrets->server_application_traffic_secret : secrets->client_application_traffic_secret;
        keyed_side(direction)->decrypter = TlsRecordDecrypter::tls13(cipher_suite, secret);
    }

    // Reads a record gathered to decrypt. False when it failed authentication:
    // it is then taken as an encrypted record, and so is the rest of its
    // direction. In TLS 1.3, where encrypted records are told by their order,
    // that is so only while nothing of the connection was read (the other
    // direction is then not decrypted either, as without keys); after that the
    // rest of the direction is left out.
    bool finish_protected_record(Direction direction) {
        DirectionState& state = side(direction);
        DirectionDecryption& decryption = *keyed_side(direction);
        const auto index = static_cast<std::size_t>(index_of(direction));
        const TlsRecordHeader header{state.content_type, state.record_version,
                                     static_cast<std::uint16_t>(state.record_length)};
        auto record = decryption.decrypter->decrypt(header, decryption.protected_record);
        std::vector<std::uint8_t>().swap(decryption.protected_record);
        if (!record) {
            keyed->facts.failed_at_frame[index] = state.last_frame;
            decryption.decrypter.reset();
            state.body_use = BodyUse::skip;
            if (!is_tls13()) return false;
            if (keyed->facts.any_decrypted()) {
                decryption.left_out = true;
                return true;
            }
            keyed_side(opposite(direction))->decrypter.reset();
            return false;
        }
        ++keyed->facts.records_decrypted[index];
        auto emit_decrypted = [&](TlsMessageKind kind, std::optional<TlsAlert> alert = std::nullopt) {
            TlsMessage message = record_message(direction, state, kind);
            message.decrypted = true;
            message.alert = alert;
            emit(std::move(message));
        };
        switch (static_cast<TlsContentType>(record->content_type)) {
            case TlsContentType::handshake: read_decrypted_handshake(direction, record->plaintext); break;
            case TlsContentType::alert: {
                TlsAlert alert{.encrypted = record->plaintext.size() != 2};
                if (!alert.encrypted) {
                    alert.level = record->plaintext[0];
                    alert.description = record->plaintext[1];
                }
                emit_decrypted(TlsMessageKind::alert, alert);
                break;
            }
            case TlsContentType::application_data:
                count_application_data(state, state.record_length);
                emit_decrypted(TlsMessageKind::application_data);
                break;
            case TlsContentType::heartbeat: emit_decrypted(TlsMessageKind::heartbeat); break;
            case TlsContentType::change_cipher_spec: break;
        }
        return true;
    }

    void read_decrypted_handshake(Direction direction, Bytes plaintext) {
        DirectionState& state = side(direction);
        DirectionDecryption& decryption = *keyed_side(direction);
        decryption.reading_decrypted = true;
        decryption.finished_in_record = false;
        decryption.key_update_in_record = false;
        read_handshake_bytes(direction, plaintext);
        decryption.reading_decrypted = false;
        for (std::size_t index : state.awaiting_record_end) {
            messages[index].frame = state.last_frame;
            messages[index].time = state.last_time;
            last_evidence_frame = state.last_frame;
        }
        state.awaiting_record_end.clear();
        if (!is_tls13() || !decryption.decrypter) return;
        if (decryption.finished_in_record && secrets) {
            switch_to_application_keys(direction);
        } else if (decryption.key_update_in_record && !decryption.decrypter->update_traffic_secret()) {
            decryption.decrypter.reset();
        }
    }

    // --- what the TLS 1.3 inference adds and corrects ---------------------

    std::optional<std::size_t> add_inferred_record(Direction direction, TlsMessageKind kind) override {
        DirectionState& state = side(direction);
        if (kind == TlsMessageKind::application_data) count_application_data(state, state.record_length);
        TlsMessage message = record_message(direction, state, kind);
        message.inferred = true;
        if (kind == TlsMessageKind::alert) message.alert = TlsAlert{.encrypted = true};
        return emit(std::move(message));
    }

    void reclassify_as_application_data(Direction direction, std::optional<std::size_t> message,
                                        std::uint32_t length) override {
        count_application_data(side(direction), length);
        if (message) messages[*message].kind = TlsMessageKind::application_data;
    }

    void reclassify_as_post_handshake(Direction direction, std::size_t message, std::uint32_t length) override {
        DirectionState& state = side(direction);
        messages[message].kind = TlsMessageKind::tls13_post_handshake;
        --state.application_records;
        state.application_bytes -= length;
    }

    [[nodiscard]] std::uint64_t application_records(Direction direction) const override {
        return directions[static_cast<std::size_t>(index_of(direction))].application_records;
    }

    // --- gaps -------------------------------------------------------------

    // Keeps reading when the missing bytes lie inside a record body that was
    // being skipped anyway: only its length mattered, and that is known.
    void skip_gap(Direction direction, std::uint64_t length) {
        DirectionState& state = side(direction);
        const bool inside_record = state.in_record && length <= state.body_remaining;
        if (inside_record && state.body_use == BodyUse::decrypt) {
            // A record with a hole cannot be decrypted, nor the ones after it
            // (a key change in it would be missed): the direction goes on as
            // if there were no keys.
            DirectionDecryption& decryption = *keyed_side(direction);
            decryption.decrypter.reset();
            std::vector<std::uint8_t>().swap(decryption.protected_record);
            state.body_use = BodyUse::skip;
        }
        const bool inside_skipped_body = inside_record && state.body_use == BodyUse::skip;
        // A hole inside one handshake message whose length is known: that
        // message is lost, but the messages and records after it can still
        // be found (as Wireshark does).
        const bool inside_handshake_message =
            inside_record && state.body_use == BodyUse::handshake &&
            state.handshake_header_filled == handshake_header_size &&
            length <= state.handshake_length - state.handshake_received;
        if (inside_handshake_message) {
            state.handshake_damaged = true;
            state.handshake_body.clear();
            state.handshake_received += static_cast<std::uint32_t>(length);
            state.body_remaining -= static_cast<std::uint32_t>(length);
            state.next_offset += length;
            if (state.handshake_received == state.handshake_length) finish_handshake_message(direction);
            if (state.body_remaining == 0) finish_record(direction);
            return;
        }
        if (!inside_skipped_body) {
            stop(state, ReadStatus::lost_sync);
            return;
        }
        state.body_remaining -= static_cast<std::uint32_t>(length);
        state.next_offset += length;
        if (state.body_remaining == 0) finish_record(direction);
    }
};

TlsStreamDissector::TlsStreamDissector() : TlsStreamDissector(TlsDissectorLimits{}) {}

TlsStreamDissector::TlsStreamDissector(TlsDissectorLimits limits, std::shared_ptr<const TlsKeyLog> key_log)
    : state_(std::make_unique<State>(limits, std::move(key_log))) {}

TlsStreamDissector::~TlsStreamDissector() = default;

void TlsStreamDissector::on_data(Direction direction, std::uint64_t stream_offset, Bytes bytes, std::uint64_t frame,
                                 const Timestamp& time) {
    DirectionState& state = state_->side(direction);
    if (state.status != ReadStatus::reading) return;
    const std::uint64_t end = stream_offset + bytes.size();
    if (end <= state.next_offset) return;  // already seen
    if (stream_offset > state.next_offset) {
        state_->skip_gap(direction, stream_offset - state.next_offset);
        if (state.status != ReadStatus::reading) return;
    }
    bytes = bytes.subspan(static_cast<std::size_t>(state.next_offset - stream_offset));
    state.next_offset = end;
    state.last_frame = frame;
    state.last_time = time;
    state_->consume(direction, bytes);
}

void TlsStreamDissector::on_gap(Direction direction, std::uint64_t stream_offset, std::uint64_t length,
                                std::uint64_t /*frame*/, GapReason /*reason*/) {
    DirectionState& state = state_->side(direction);
    if (state.status != ReadStatus::reading) return;
    const std::uint64_t end = stream_offset + length;
    if (end <= state.next_offset) return;
    if (stream_offset > state.next_offset) {
        state_->stop(state, ReadStatus::lost_sync);  // bytes before the gap never came either
        return;
    }
    state_->skip_gap(direction, end - state.next_offset);
}

bool TlsStreamDissector::frame_is_evidence(std::uint64_t frame) const {
    return frame != 0 && frame == state_->last_evidence_frame;
}

std::size_t TlsStreamDissector::held_bytes() const {
    const State& state = *state_;
    std::size_t bytes = sizeof(*this) + sizeof(State) + state.messages.capacity() * sizeof(TlsMessage) +
                        state.certificate_bytes_kept + state.tls13_records.held_bytes();
    for (const DirectionState& direction : state.directions)
        bytes += direction.handshake_body.capacity() + direction.sslv2_body.capacity() +
                 direction.awaiting_record_end.capacity() * sizeof(std::size_t);
    for (const TlsMessage& message : state.messages) bytes += held_bytes_beyond(message);
    if (state.keyed) {
        bytes += sizeof(KeyedDecryption);
        for (const DirectionDecryption& direction : state.keyed->directions)
            bytes += direction.protected_record.capacity();
    }
    return bytes;
}

std::size_t held_bytes_beyond(const TlsMessage& message) {
    std::size_t bytes = message.certificates.capacity() * sizeof(std::vector<std::uint8_t>);
    if (const auto& hello = message.client_hello) {
        bytes += hello->server_name.capacity() + hello->alpn.capacity() * sizeof(std::string) +
                 (hello->supported_versions.capacity() + hello->cipher_suites.capacity() + hello->extensions.capacity()) *
                     sizeof(std::uint16_t);
        for (const std::string& protocol : hello->alpn) bytes += protocol.capacity();
    }
    return bytes;
}

const std::vector<TlsMessage>& TlsStreamDissector::messages() const { return state_->messages; }

std::vector<TlsMessage> TlsStreamDissector::take_messages() { return std::exchange(state_->messages, {}); }

std::uint64_t TlsStreamDissector::messages_dropped() const {
    return state_->messages_not_kept ? state_->messages_not_kept->messages : 0;
}

const std::optional<TlsLimitHit>& TlsStreamDissector::oversized_handshake_messages() const {
    return state_->oversized_handshakes;
}

const std::optional<TlsLimitHit>& TlsStreamDissector::certificates_not_kept() const {
    return state_->certificates_not_kept;
}

const std::optional<TlsLimitHit>& TlsStreamDissector::messages_not_kept() const { return state_->messages_not_kept; }

const std::optional<NotTls>& TlsStreamDissector::not_tls() const { return state_->not_tls; }

bool TlsStreamDissector::lost_sync(Direction direction) const {
    return state_->side(direction).status == ReadStatus::lost_sync;
}

std::uint64_t TlsStreamDissector::damaged_messages(Direction direction) const {
    return state_->side(direction).damaged_messages;
}

bool TlsStreamDissector::malformed(Direction direction) const {
    return state_->side(direction).status == ReadStatus::malformed;
}

std::uint64_t TlsStreamDissector::bytes_received(Direction direction) const {
    return state_->side(direction).next_offset;
}

std::uint64_t TlsStreamDissector::application_records(Direction direction) const {
    return state_->side(direction).application_records;
}

std::uint64_t TlsStreamDissector::application_bytes(Direction direction) const {
    return state_->side(direction).application_bytes;
}

std::optional<TlsDecryption> TlsStreamDissector::decryption() const {
    if (!state_->keyed) return std::nullopt;
    return state_->keyed->facts;
}

}  // namespace trustcap
