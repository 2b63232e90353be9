#include "dissect/tls_stream_dissector.h"

#include <algorithm>
#include <array>
#include <cstdio>
#include <cstring>
#include <string_view>

// How TLS 1.3 records are classified. After a Server Hello selecting 0x0304
// every record of content type 23 is encrypted; trustcap names it by position
// and size and sets TlsMessage::inferred. "Client" is the side that sent the
// Client Hello, "server" the side that sent the Server Hello; "before" is the
// order in which records complete in the calls this dissector receives (the
// capture's order). One TlsMessage per record throughout.
//   1. A record whose payload is exactly 2 + 1 + tag bytes (19 with a 16-byte
//      AEAD tag, 11 with TLS_AES_128_CCM_8_SHA256) is an encrypted alert.
//   2. Server records before the client's first encrypted record are
//      tls13_server_handshake_flight (EncryptedExtensions .. Finished).
//   3. The client's first encrypted record opens its handshake flight. The
//      flight is up to three records sent back to back (no server record in
//      between): [Certificate], [CertificateVerify], Finished. It ends with the
//      first record the size of a lone Finished: 4-byte handshake header +
//      verify_data (48 bytes for TLS_AES_256_GCM_SHA384, else 32) + 1 type
//      byte + tag, i.e. 53 or 69 bytes with a 16-byte tag. When the flight ends
//      without such a record (a server record arrives, or a fourth record
//      comes), only its first record stays in the flight (a stack that put
//      Certificate, CertificateVerify and Finished in one record) and the
//      others become application data, retroactively.
//   4. After the client's flight, server records are tls13_post_handshake
//      (NewSessionTicket) while the server has sent no application data, at
//      most 4 of them, and each either comes before the client's first
//      application-data record (the server has nothing to answer yet), or
//      - the first one: is at most 1024 bytes (NewSessionTicket records are
//        typically 100–300 bytes; OpenSSL's embed the client certificate,
//        ~600 bytes with an EC one, and licensing responses are larger);
//      - a later one: has the size of the previous one (a server's tickets
//        share one format, so the same size).
//      This is a guess: a response under 1 KiB sent with no ticket before it
//      is mislabelled tls13_post_handshake.
//   5. Everything else is application_data (and counts as application data).
// Wireshark shows all of these as "Application Data".

namespace trustcap {

namespace {

constexpr std::size_t record_header_size = 5;
constexpr std::size_t max_record_length = (1U << 14) + 2048;
constexpr std::size_t handshake_header_size = 4;
// Bytes looked at to say what a stream that is not TLS looks like.
constexpr std::size_t sniff_size = 8;
constexpr std::size_t minimum_sslv2_client_hello_length = 9;
// msg_type, session_id_hit, certificate_type, version and three 2-byte lengths.
constexpr std::size_t minimum_sslv2_server_hello_length = 11;
constexpr std::uint16_t sslv2_version = 0x0002;
constexpr std::uint8_t sslv2_message_client_hello = 1;  // SSL 2.0 message types, as Wireshark shows them
constexpr std::uint8_t sslv2_message_server_hello = 4;
constexpr std::size_t max_tls13_client_flight_records = 3;
constexpr std::size_t max_tls13_post_handshake_records = 4;
constexpr std::uint32_t max_tls13_ticket_record_length = 1024;
// Tickets that carry the client's certificate chain; full-size data records are larger.
constexpr std::uint32_t max_tls13_ticket_with_certificate_length = 6144;
// A handshake buffer that grew past this is released once its message is done.
constexpr std::size_t kept_buffer_capacity = 64 * 1024;

enum class ContentType : std::uint8_t {
    change_cipher_spec = 20,
    alert = 21,
    handshake = 22,
    application_data = 23,
    heartbeat = 24,
};

enum class HandshakeType : std::uint8_t {
    client_hello = 1,
    server_hello = 2,
    new_session_ticket = 4,
    certificate = 11,
    server_key_exchange = 12,
    certificate_request = 13,
    server_hello_done = 14,
    certificate_verify = 15,
    client_key_exchange = 16,
    finished = 20,
};

enum class Extension : std::uint16_t {
    server_name = 0,
    alpn = 16,
    supported_versions = 43,
};

// RFC 8446 4.1.3: SHA-256 of "HelloRetryRequest".
constexpr std::array<std::uint8_t, 32> hello_retry_request_random = {
    0xCF, 0x21, 0xAD, 0x74, 0xE5, 0x9A, 0x61, 0x11, 0xBE, 0x1D, 0x8C, 0x02, 0x1E, 0x65, 0xB8, 0x91,
    0xC2, 0xA2, 0x11, 0x16, 0x7A, 0xBB, 0x8C, 0x5E, 0x07, 0x9E, 0x09, 0xE2, 0xC8, 0xA8, 0x33, 0x9C};

bool is_content_type(std::uint8_t value) {
    return value >= static_cast<std::uint8_t>(ContentType::change_cipher_spec) &&
           value <= static_cast<std::uint8_t>(ContentType::heartbeat);
}

std::uint16_t u16_at(Bytes bytes, std::size_t offset) {
    return static_cast<std::uint16_t>((bytes[offset] << 8) | bytes[offset + 1]);
}

bool plausible_record_header(Bytes header) {
    return is_content_type(header[0]) && header[1] == 3 && header[2] <= 4 && u16_at(header, 3) <= max_record_length;
}

// The 2-byte-header SSLv2 record carrying a CLIENT-HELLO (msg_type 1) with an
// SSL 2.0 or SSL 3.0/TLS version: how old clients offered TLS.
bool plausible_sslv2_client_hello(Bytes header) {
    const std::size_t length = (std::size_t{header[0] & 0x7FU} << 8) | header[1];
    const std::uint16_t version = u16_at(header, 3);
    const bool known_version = version == 0x0002 || (header[3] == 3 && header[4] <= 4);
    return (header[0] & 0x80U) != 0 && header[2] == 1 && known_version && length >= minimum_sslv2_client_hello_length;
}

// The 2-byte-header SSLv2 record carrying a SERVER-HELLO (msg_type 4):
// session_id_hit and certificate_type are 0 or 1.
bool plausible_sslv2_server_hello(Bytes header) {
    const std::size_t length = (std::size_t{header[0] & 0x7FU} << 8) | header[1];
    return (header[0] & 0x80U) != 0 && header[2] == 4 && header[3] <= 1 && header[4] <= 1 &&
           length >= minimum_sslv2_server_hello_length;
}

std::string describe_record_header(Bytes header) {
    std::array<char, 8> version{};
    std::snprintf(version.data(), version.size(), "0x%04X", static_cast<unsigned>(u16_at(header, 1)));
    return "a record header that is not TLS (content type " + std::to_string(header[0]) + ", version " +
           version.data() + ", length " + std::to_string(u16_at(header, 3)) + ")";
}

bool starts_with(Bytes bytes, std::string_view prefix) {
    return bytes.size() >= prefix.size() && std::memcmp(bytes.data(), prefix.data(), prefix.size()) == 0;
}

bool is_digit(std::uint8_t byte) { return byte >= '0' && byte <= '9'; }

std::string describe_non_tls(Bytes first_bytes) {
    static constexpr std::array<std::string_view, 7> http_methods = {"GET ",     "POST ",    "PUT ",   "HEAD ",
                                                                     "CONNECT ", "OPTIONS ", "DELETE "};
    for (auto method : http_methods) {
        if (starts_with(first_bytes, method)) return "HTTP request";
    }
    if (starts_with(first_bytes, "HTTP/")) return "HTTP response";
    if (starts_with(first_bytes, "SSH-")) return "SSH";
    if (first_bytes.size() >= 4 && is_digit(first_bytes[0]) && is_digit(first_bytes[1]) && is_digit(first_bytes[2]) &&
        (first_bytes[3] == ' ' || first_bytes[3] == '-')) {
        return "SMTP/FTP banner";
    }
    const bool printable = std::all_of(first_bytes.begin(), first_bytes.end(), [](std::uint8_t byte) {
        return (byte >= 0x20 && byte < 0x7F) || byte == '\r' || byte == '\n' || byte == '\t';
    });
    return printable ? "plain text" : "unknown binary data";
}

// Reads a field with a length prefix of `prefix_size` bytes (1, 2 or 3).
std::optional<Bytes> take_vector(ByteReader& reader, int prefix_size) {
    std::optional<std::uint32_t> length;
    if (prefix_size == 1) length = reader.u8();
    if (prefix_size == 2) length = reader.u16be();
    if (prefix_size == 3) length = reader.u24be();
    if (!length) return std::nullopt;
    return reader.take(*length);
}

// Host names and protocol names are ASCII; anything else is shown escaped
// (\xNN) so hostile bytes cannot reach a terminal or break a JSON string.
std::string as_text(Bytes bytes) {
    static constexpr char hex[] = "0123456789ABCDEF";
    std::string text;
    text.reserve(bytes.size());
    for (std::uint8_t byte : bytes) {
        if (byte >= 0x20 && byte < 0x7f && byte != '\\') {
            text.push_back(static_cast<char>(byte));
        } else {
            text += {'\\', 'x', hex[byte >> 4], hex[byte & 0x0f]};
        }
    }
    return text;
}

void parse_server_name(Bytes data, TlsClientHello& hello) {
    ByteReader extension(data);
    auto list = take_vector(extension, 2);
    if (!list) return;
    ByteReader names(*list);
    while (!names.empty()) {
        auto name_type = names.u8();
        auto name = take_vector(names, 2);
        if (!name_type || !name) return;
        if (*name_type == 0) {
            hello.server_name = as_text(*name);
            return;
        }
    }
}

void parse_alpn(Bytes data, TlsClientHello& hello) {
    ByteReader extension(data);
    auto list = take_vector(extension, 2);
    if (!list) return;
    ByteReader protocols(*list);
    while (auto protocol = take_vector(protocols, 1)) hello.alpn.push_back(as_text(*protocol));
}

void parse_client_supported_versions(Bytes data, TlsClientHello& hello) {
    ByteReader extension(data);
    auto list = take_vector(extension, 1);
    if (!list) return;
    ByteReader versions(*list);
    while (auto version = versions.u16be()) hello.supported_versions.push_back(*version);
}

// Keeps whatever was readable: a lying length ends parsing, not the message.
TlsClientHello parse_client_hello(Bytes body) {
    TlsClientHello hello;
    ByteReader reader(body);
    auto version = reader.u16be();
    if (!version) return hello;
    hello.legacy_version = *version;
    if (!reader.skip(32) || !take_vector(reader, 1)) return hello;  // random, session id
    auto suites = take_vector(reader, 2);
    if (!suites) return hello;
    ByteReader suite_reader(*suites);
    hello.cipher_suites.reserve(suites->size() / 2);
    while (auto suite = suite_reader.u16be()) hello.cipher_suites.push_back(*suite);
    if (!take_vector(reader, 1)) return hello;  // compression methods
    auto extensions = take_vector(reader, 2);
    if (!extensions) return hello;
    ByteReader extension_reader(*extensions);
    while (!extension_reader.empty()) {
        auto type = extension_reader.u16be();
        auto data = take_vector(extension_reader, 2);
        if (!type || !data) break;
        hello.extensions.push_back(*type);
        switch (static_cast<Extension>(*type)) {
            case Extension::server_name: parse_server_name(*data, hello); break;
            case Extension::alpn: parse_alpn(*data, hello); break;
            case Extension::supported_versions: parse_client_supported_versions(*data, hello); break;
        }
    }
    return hello;
}

struct ParsedServerHello {
    TlsServerHello hello;
    bool retry_request = false;
};

ParsedServerHello parse_server_hello(Bytes body) {
    ParsedServerHello parsed;
    ByteReader reader(body);
    auto version = reader.u16be();
    if (!version) return parsed;
    parsed.hello.legacy_version = *version;
    auto random = reader.take(32);
    if (!random) return parsed;
    parsed.retry_request = std::equal(random->begin(), random->end(), hello_retry_request_random.begin());
    auto cipher = take_vector(reader, 1) ? reader.u16be() : std::nullopt;
    if (!cipher) return parsed;
    parsed.hello.cipher_suite = *cipher;
    if (!reader.u8()) return parsed;  // compression method
    auto extensions = take_vector(reader, 2);
    if (!extensions) return parsed;
    ByteReader extension_reader(*extensions);
    while (!extension_reader.empty()) {
        auto type = extension_reader.u16be();
        auto data = take_vector(extension_reader, 2);
        if (!type || !data) break;
        if (static_cast<Extension>(*type) == Extension::supported_versions && data->size() == 2) {
            parsed.hello.selected_version = u16_at(*data, 0);
        }
    }
    return parsed;
}

using CertificateList = std::vector<std::vector<std::uint8_t>>;

// TLS <= 1.2: certificate_list<3-byte length> of 3-byte-length DER entries.
std::optional<CertificateList> parse_tls12_certificates(Bytes body) {
    ByteReader reader(body);
    auto list = take_vector(reader, 3);
    if (!list || !reader.empty()) return std::nullopt;
    CertificateList certificates;
    ByteReader entries(*list);
    while (!entries.empty()) {
        auto der = take_vector(entries, 3);
        if (!der) return std::nullopt;
        certificates.emplace_back(der->begin(), der->end());
    }
    return certificates;
}

// TLS 1.3: request context, then entries of DER and per-entry extensions.
std::optional<CertificateList> parse_tls13_certificates(Bytes body) {
    ByteReader reader(body);
    if (!take_vector(reader, 1)) return std::nullopt;
    auto list = take_vector(reader, 3);
    if (!list || !reader.empty()) return std::nullopt;
    CertificateList certificates;
    ByteReader entries(*list);
    while (!entries.empty()) {
        auto der = take_vector(entries, 3);
        if (!der || !take_vector(entries, 2)) return std::nullopt;
        certificates.emplace_back(der->begin(), der->end());
    }
    return certificates;
}

CertificateList parse_certificates(Bytes body, bool tls13_format_first) {
    auto certificates = tls13_format_first ? parse_tls13_certificates(body) : parse_tls12_certificates(body);
    if (!certificates) certificates = tls13_format_first ? parse_tls12_certificates(body) : parse_tls13_certificates(body);
    return certificates.value_or(CertificateList{});
}

// SSLv2 CLIENT-HELLO after msg_type and version: three 2-byte lengths, then
// 3-byte cipher specs (a TLS suite is 0x00XXXX), session id and challenge.
TlsClientHello parse_sslv2_client_hello(std::uint16_t version, Bytes body) {
    TlsClientHello hello;
    hello.legacy_version = version;
    ByteReader reader(body);
    auto specs_length = reader.u16be();
    if (!specs_length || !reader.skip(4)) return hello;
    auto specs = reader.take(*specs_length);
    if (!specs) return hello;
    ByteReader spec_reader(*specs);
    while (auto spec = spec_reader.u24be()) {
        if (*spec <= 0xFFFF) hello.cipher_suites.push_back(static_cast<std::uint16_t>(*spec));
    }
    return hello;
}

TlsMessageKind kind_of_handshake(std::uint8_t type) {
    switch (static_cast<HandshakeType>(type)) {
        case HandshakeType::client_hello: return TlsMessageKind::client_hello;
        case HandshakeType::server_hello: return TlsMessageKind::server_hello;
        case HandshakeType::new_session_ticket: return TlsMessageKind::new_session_ticket;
        case HandshakeType::certificate: return TlsMessageKind::certificate;
        case HandshakeType::server_key_exchange: return TlsMessageKind::server_key_exchange;
        case HandshakeType::certificate_request: return TlsMessageKind::certificate_request;
        case HandshakeType::server_hello_done: return TlsMessageKind::server_hello_done;
        case HandshakeType::certificate_verify: return TlsMessageKind::certificate_verify;
        case HandshakeType::client_key_exchange: return TlsMessageKind::client_key_exchange;
        case HandshakeType::finished: return TlsMessageKind::finished;
    }
    return TlsMessageKind::other_handshake;
}

enum class ReadStatus : std::uint8_t { reading, not_tls, lost_sync, malformed };

// What is done with a record's body as it arrives.
enum class BodyUse : std::uint8_t { skip, handshake, alert, sslv2_client_hello, sslv2_server_hello };

struct DirectionState {
    ReadStatus status = ReadStatus::reading;
    std::uint64_t next_offset = 0;
    std::uint64_t records_started = 0;
    std::uint64_t last_frame = 0;
    Timestamp last_time;

    std::array<std::uint8_t, sniff_size> header{};
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

enum class ClientFlight : std::uint8_t { not_started, in_progress, done };

// A record classified before the records after it could confirm it.
struct TentativeRecord {
    std::optional<std::size_t> message_index;
    std::uint32_t length = 0;
};

struct ClientFlightRecord {
    std::optional<std::size_t> message_index;
    std::uint32_t length = 0;
};

}  // namespace

struct TlsStreamDissector::State {
    explicit State(TlsDissectorLimits limits_in) : limits(limits_in) {}

    TlsDissectorLimits limits;
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

    ClientFlight client_flight = ClientFlight::not_started;
    std::vector<ClientFlightRecord> client_flight_records;
    bool server_application_data_seen = false;
    std::size_t post_handshake_records = 0;
    std::uint32_t last_post_handshake_length = 0;
    std::optional<TentativeRecord> first_server_data;  // the server's first record taken as data
    bool server_second_record_seen = false;

    DirectionState& side(Direction direction) { return directions[static_cast<std::size_t>(index_of(direction))]; }
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
        const std::size_t wanted = first_record && state.header_filled >= record_header_size ? sniff_size
                                                                                             : record_header_size;
        fill_header(state, reader, wanted);
        if (state.header_filled < wanted) return;
        if (wanted == sniff_size) {
            give_up_as_not_tls(direction);
            return;
        }
        const Bytes header(state.header.data(), record_header_size);
        if (plausible_record_header(header)) {
            start_record(direction);
        } else if (first_record && plausible_sslv2_client_hello(header)) {
            start_sslv2_hello(direction, BodyUse::sslv2_client_hello);
        } else if (first_record && plausible_sslv2_server_hello(header)) {
            start_sslv2_hello(direction, BodyUse::sslv2_server_hello);
        } else if (first_record) {
            // Not TLS already; the bytes still to come only name it better.
            note_not_tls(direction, describe_non_tls(header), false);
        } else {
            note_not_tls(direction, describe_record_header(header), true);
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
        const std::uint32_t length_mask = three_byte_header ? 0x3FU : 0x7FU;
        state.in_record = true;
        ++state.records_started;
        state.content_type = 0;
        state.record_length = ((state.header[0] & length_mask) << 8U) | state.header[1];
        state.body_remaining = state.record_length;
        state.record_first_frame = state.header_first_frame;
        state.header_filled = 0;
        state.body_use = BodyUse::skip;
        if (state.body_remaining == 0) finish_record(direction);
    }

    void note_not_tls(Direction direction, std::string looks_like, bool after_records) {
        if (not_tls) return;
        not_tls = NotTls{direction, side(direction).header_first_frame, std::move(looks_like), after_records};
    }

    void give_up_as_not_tls(Direction direction) {
        DirectionState& state = side(direction);
        if (not_tls && not_tls->direction == direction && !not_tls->after_records)
            not_tls->looks_like = describe_non_tls(Bytes(state.header.data(), state.header_filled));
        stop(state, ReadStatus::not_tls);
    }

    void stop(DirectionState& state, ReadStatus status) {
        state.status = status;
        state.in_record = false;
        std::vector<std::uint8_t>().swap(state.handshake_body);
        std::vector<std::uint8_t>().swap(state.sslv2_body);
    }

    void start_record(Direction direction) {
        DirectionState& state = side(direction);
        state.in_record = true;
        ++state.records_started;
        state.content_type = state.header[0];
        state.record_version = u16_at(Bytes(state.header.data(), record_header_size), 1);
        state.record_length = u16_at(Bytes(state.header.data(), record_header_size), 3);
        state.body_remaining = state.record_length;
        state.record_first_frame = state.header_first_frame;
        state.header_filled = 0;
        state.alert_filled = 0;
        state.body_use = BodyUse::skip;
        if (!state.encrypted_after_change_cipher_spec) {
            if (state.content_type == static_cast<std::uint8_t>(ContentType::handshake)) state.body_use = BodyUse::handshake;
            if (state.content_type == static_cast<std::uint8_t>(ContentType::alert)) state.body_use = BodyUse::alert;
        }
        if (state.body_remaining == 0) finish_record(direction);
    }

    // The first two bytes are the length; msg_type and the next two header
    // bytes (version, or session_id_hit and certificate_type) are read.
    void start_sslv2_hello(Direction direction, BodyUse use) {
        DirectionState& state = side(direction);
        const std::size_t length = (std::size_t{state.header[0] & 0x7FU} << 8) | state.header[1];
        state.in_record = true;
        ++state.records_started;
        state.record_version = u16_at(Bytes(state.header.data(), record_header_size), 3);
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
            case TlsMessageKind::client_hello: message.client_hello = parse_client_hello(body); break;
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
            ByteReader body(state.sslv2_body);
            message.server_hello = TlsServerHello{};
            message.server_hello->legacy_version = body.u16be().value_or(sslv2_version);
            negotiated_version = message.server_hello->legacy_version;
            state.sslv2_framing = true;
            std::vector<std::uint8_t>().swap(state.sslv2_body);
            emit(std::move(message));
            return;
        }
        switch (static_cast<ContentType>(state.content_type)) {
            case ContentType::handshake:
                if (state.encrypted_after_change_cipher_spec) {
                    emit(record_message(direction, state, TlsMessageKind::encrypted_handshake));
                }
                break;
            case ContentType::change_cipher_spec: finish_change_cipher_spec(direction); break;
            case ContentType::alert: finish_alert(direction); break;
            case ContentType::application_data: finish_application_data(direction); break;
            case ContentType::heartbeat: emit(record_message(direction, state, TlsMessageKind::heartbeat)); break;
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
        if (is_tls13() && server_hello_direction) {
            classify_tls13_record(direction);
            return;
        }
        count_application_data(state, state.record_length);
        emit(record_message(direction, state, TlsMessageKind::application_data));
    }

    // --- TLS 1.3 (rules at the top of this file) --------------------------

    [[nodiscard]] std::uint32_t aead_tag_length() const { return cipher_suite == 0x1305 ? 8 : 16; }
    [[nodiscard]] std::uint32_t finished_record_length() const {
        const std::uint32_t verify_data = cipher_suite == 0x1302 ? 48 : 32;
        return static_cast<std::uint32_t>(handshake_header_size) + verify_data + 1 + aead_tag_length();
    }
    [[nodiscard]] std::uint32_t encrypted_alert_length() const { return 2 + 1 + aead_tag_length(); }

    void classify_tls13_record(Direction direction) {
        DirectionState& state = side(direction);
        const std::uint32_t length = state.record_length;
        const bool from_server = direction == *server_hello_direction;
        if (length == encrypted_alert_length()) {
            if (!from_server && client_flight == ClientFlight::in_progress) end_client_flight_without_finished();
            TlsMessage message = record_message(direction, state, TlsMessageKind::alert);
            message.inferred = true;
            message.alert = TlsAlert{.encrypted = true};
            emit(std::move(message));
            return;
        }
        if (from_server) {
            classify_tls13_server_record(direction);
        } else {
            classify_tls13_client_record(direction);
        }
    }

    void classify_tls13_client_record(Direction direction) {
        DirectionState& state = side(direction);
        const std::uint32_t length = state.record_length;
        if (client_flight == ClientFlight::in_progress &&
            client_flight_records.size() >= max_tls13_client_flight_records) {
            end_client_flight_without_finished();
        }
        if (client_flight == ClientFlight::done) {
            emit_tls13(direction, TlsMessageKind::application_data);
            return;
        }
        client_flight = ClientFlight::in_progress;
        client_flight_records.push_back({emit_tls13(direction, TlsMessageKind::tls13_client_handshake_flight), length});
        if (length == finished_record_length()) client_flight = ClientFlight::done;
    }

    void classify_tls13_server_record(Direction direction) {
        DirectionState& state = side(direction);
        const std::uint32_t length = state.record_length;
        if (client_flight == ClientFlight::not_started) {
            emit_tls13(direction, TlsMessageKind::tls13_server_handshake_flight);
            return;
        }
        if (client_flight == ClientFlight::in_progress) end_client_flight_without_finished();
        const bool client_sent_data = side(opposite(direction)).application_records > 0;
        const bool looks_like_ticket = !client_sent_data || (post_handshake_records == 0
                                                                 ? length <= max_tls13_ticket_record_length
                                                                 : length == last_post_handshake_length);
        if (!server_application_data_seen && post_handshake_records < max_tls13_post_handshake_records &&
            looks_like_ticket) {
            ++post_handshake_records;
            last_post_handshake_length = length;
            emit_tls13(direction, TlsMessageKind::tls13_post_handshake);
            return;
        }
        // Servers send their tickets in a row of equal-sized records; tickets
        // carrying the client's certificate exceed the size limit above, so a
        // first large record is application data only until its twin shows up.
        if (first_server_data && !server_second_record_seen) {
            server_second_record_seen = true;
            if (length == first_server_data->length && length <= max_tls13_ticket_with_certificate_length &&
                first_server_data->message_index) {
                relabel_as_ticket(direction, *first_server_data);
                ++post_handshake_records;
                last_post_handshake_length = length;
                emit_tls13(direction, TlsMessageKind::tls13_post_handshake);
                return;
            }
        }
        if (!server_application_data_seen && post_handshake_records == 0)
            first_server_data = TentativeRecord{emit_tls13(direction, TlsMessageKind::application_data), length};
        else
            emit_tls13(direction, TlsMessageKind::application_data);
        server_application_data_seen = true;
    }

    void relabel_as_ticket(Direction direction, const TentativeRecord& record) {
        DirectionState& state = side(direction);
        messages[*record.message_index].kind = TlsMessageKind::tls13_post_handshake;
        --state.application_records;
        state.application_bytes -= record.length;
        server_application_data_seen = false;
    }

    std::optional<std::size_t> emit_tls13(Direction direction, TlsMessageKind kind) {
        DirectionState& state = side(direction);
        if (kind == TlsMessageKind::application_data) count_application_data(state, state.record_length);
        TlsMessage message = record_message(direction, state, kind);
        message.inferred = true;
        return emit(std::move(message));
    }

    // The flight ended without a record the size of a lone Finished: its first
    // record held the whole flight, the records after it were application data.
    void end_client_flight_without_finished() {
        client_flight = ClientFlight::done;
        if (!server_hello_direction) return;
        DirectionState& client = side(opposite(*server_hello_direction));
        for (std::size_t i = 1; i < client_flight_records.size(); ++i) {
            const ClientFlightRecord& member = client_flight_records[i];
            count_application_data(client, member.length);
            if (member.message_index) messages[*member.message_index].kind = TlsMessageKind::application_data;
        }
    }

    // --- gaps -------------------------------------------------------------

    // Keeps reading when the missing bytes lie inside a record body that was
    // being skipped anyway: only its length mattered, and that is known.
    void skip_gap(Direction direction, std::uint64_t length) {
        DirectionState& state = side(direction);
        const bool inside_record = state.in_record && length <= state.body_remaining;
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

TlsStreamDissector::TlsStreamDissector(TlsDissectorLimits limits) : state_(std::make_unique<State>(limits)) {}

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
                        state.certificate_bytes_kept +
                        state.client_flight_records.capacity() * sizeof(ClientFlightRecord);
    for (const DirectionState& direction : state.directions)
        bytes += direction.handshake_body.capacity() + direction.sslv2_body.capacity() +
                 direction.awaiting_record_end.capacity() * sizeof(std::size_t);
    for (const TlsMessage& message : state.messages) {
        bytes += message.certificates.capacity() * sizeof(std::vector<std::uint8_t>);
        if (const auto& hello = message.client_hello) {
            bytes += hello->server_name.capacity() + hello->alpn.capacity() * sizeof(std::string) +
                     (hello->supported_versions.capacity() + hello->cipher_suites.capacity() +
                      hello->extensions.capacity()) * sizeof(std::uint16_t);
            for (const std::string& protocol : hello->alpn) bytes += protocol.capacity();
        }
    }
    return bytes;
}

const std::vector<TlsMessage>& TlsStreamDissector::messages() const { return state_->messages; }

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

}  // namespace trustcap
