#include "dissect/tls_stream_dissector.h"

#include <gtest/gtest.h>
#include <openssl/ssl.h>

#include <algorithm>
#include <functional>
#include <random>
#include <string>
#include <vector>

#include "dissect/tls_names.h"
#include "tests/dissect/openssl_conversation.h"

namespace trustcap {
namespace {

using testing::Conversation;
using testing::ConversationOptions;
using testing::run_conversation;
using Kind = TlsMessageKind;
using ByteVector = std::vector<std::uint8_t>;

constexpr Direction client = Direction::client_to_server;
constexpr Direction server = Direction::server_to_client;

// --- feeding --------------------------------------------------------------

struct Frame {
    Direction direction = client;
    std::uint64_t offset = 0;
    ByteVector bytes;
    std::uint64_t number = 0;
};

// Sizes of the pieces one write is cut into.
using Splitter = std::function<std::vector<std::size_t>(const ByteVector& write)>;

std::vector<std::size_t> whole(const ByteVector& write) { return {write.size()}; }

std::vector<std::size_t> one_byte_each(const ByteVector& write) { return std::vector<std::size_t>(write.size(), 1); }

// Cuts exactly at record boundaries: one record per frame.
std::vector<std::size_t> one_record_each(const ByteVector& write) {
    std::vector<std::size_t> sizes;
    std::size_t position = 0;
    while (position + 5 <= write.size()) {
        const std::size_t length = 5 + ((std::size_t{write[position + 3]} << 8) | write[position + 4]);
        sizes.push_back(std::min(length, write.size() - position));
        position += sizes.back();
    }
    if (position < write.size()) sizes.push_back(write.size() - position);
    return sizes;
}

Splitter random_pieces(std::uint32_t seed, std::size_t largest) {
    auto generator = std::make_shared<std::mt19937>(seed);
    return [generator, largest](const ByteVector& write) {
        std::vector<std::size_t> sizes;
        std::size_t left = write.size();
        while (left > 0) {
            const std::size_t size = std::min(left, std::uniform_int_distribution<std::size_t>(1, largest)(*generator));
            sizes.push_back(size);
            left -= size;
        }
        return sizes;
    };
}

std::vector<Frame> cut(const Conversation& conversation, const Splitter& splitter) {
    std::vector<Frame> frames;
    std::array<std::uint64_t, 2> offsets{};
    for (const auto& write : conversation.writes) {
        std::size_t position = 0;
        for (std::size_t size : splitter(write.bytes)) {
            Frame frame;
            frame.direction = write.direction;
            frame.offset = offsets[static_cast<std::size_t>(index_of(write.direction))];
            frame.bytes.assign(write.bytes.begin() + static_cast<std::ptrdiff_t>(position),
                               write.bytes.begin() + static_cast<std::ptrdiff_t>(position + size));
            frame.number = frames.size() + 1;
            offsets[static_cast<std::size_t>(index_of(write.direction))] += size;
            position += size;
            frames.push_back(std::move(frame));
        }
    }
    return frames;
}

Timestamp time_of(std::uint64_t frame) { return Timestamp{static_cast<std::int64_t>(1'600'000'000 + frame), 0}; }

void feed(TlsStreamDissector& dissector, const std::vector<Frame>& frames) {
    for (const auto& frame : frames) {
        dissector.on_data(frame.direction, frame.offset, frame.bytes, frame.number, time_of(frame.number));
    }
}

std::vector<TlsMessage> dissect(const Conversation& conversation, const Splitter& splitter) {
    TlsStreamDissector dissector;
    feed(dissector, cut(conversation, splitter));
    return dissector.messages();
}

std::uint64_t frame_holding(const std::vector<Frame>& frames, Direction direction, std::uint64_t offset) {
    for (const auto& frame : frames) {
        if (frame.direction == direction && offset >= frame.offset && offset < frame.offset + frame.bytes.size()) {
            return frame.number;
        }
    }
    return 0;
}

std::vector<Kind> kinds(const std::vector<TlsMessage>& messages, Direction direction) {
    std::vector<Kind> result;
    for (const auto& message : messages) {
        if (message.direction == direction) result.push_back(message.kind);
    }
    return result;
}

std::vector<Kind> kinds(const std::vector<TlsMessage>& messages) {
    std::vector<Kind> result;
    for (const auto& message : messages) result.push_back(message.kind);
    return result;
}

// Byte offsets where each direction's records end.
std::vector<std::uint64_t> record_ends(const Conversation& conversation, Direction direction) {
    ByteVector stream;
    for (const auto& write : conversation.writes) {
        if (write.direction == direction) stream.insert(stream.end(), write.bytes.begin(), write.bytes.end());
    }
    std::vector<std::uint64_t> ends;
    std::size_t position = 0;
    while (position + 5 <= stream.size()) {
        position += 5 + ((std::size_t{stream[position + 3]} << 8) | stream[position + 4]);
        ends.push_back(position);
    }
    return ends;
}

// Feeds the conversation in many segmentations and checks they all give the
// same messages, each at the frame of the last byte of its completing record
// and with first_frame at the frame of its first byte. Fed one byte per frame,
// a frame number names one byte: that run gives each message's byte range.
std::vector<TlsMessage> check_all_segmentations(const Conversation& conversation) {
    const auto byte_frames = cut(conversation, one_byte_each);
    TlsStreamDissector byte_dissector;
    feed(byte_dissector, byte_frames);
    const auto reference = byte_dissector.messages();

    struct Span {
        std::uint64_t first_offset;
        std::uint64_t last_offset;
    };
    std::vector<Span> spans;
    for (const auto& message : reference) {
        const auto& first = byte_frames.at(message.first_frame - 1);
        const auto& last = byte_frames.at(message.frame - 1);
        EXPECT_EQ(first.direction, message.direction);
        EXPECT_EQ(last.direction, message.direction);
        EXPECT_EQ(message.time, time_of(message.frame));
        EXPECT_LE(message.first_frame, message.frame);
        spans.push_back({first.offset, last.offset});
        const auto ends = record_ends(conversation, message.direction);
        EXPECT_TRUE(std::find(ends.begin(), ends.end(), last.offset + 1) != ends.end())
            << tls_message_name(message) << " does not end where a record ends";
    }

    std::vector<Splitter> splitters = {whole, one_record_each};
    for (std::uint32_t seed = 1; seed <= 12; ++seed) splitters.push_back(random_pieces(seed, seed * 37));
    for (const auto& splitter : splitters) {
        const auto frames = cut(conversation, splitter);
        TlsStreamDissector dissector;
        feed(dissector, frames);
        const auto& messages = dissector.messages();
        EXPECT_EQ(kinds(messages), kinds(reference));
        if (messages.size() != reference.size()) continue;
        for (std::size_t i = 0; i < messages.size(); ++i) {
            EXPECT_EQ(messages[i].length, reference[i].length);
            EXPECT_EQ(messages[i].frame, frame_holding(frames, messages[i].direction, spans[i].last_offset))
                << i << ": " << tls_message_name(messages[i]);
            EXPECT_EQ(messages[i].first_frame, frame_holding(frames, messages[i].direction, spans[i].first_offset))
                << i << ": " << tls_message_name(messages[i]);
            EXPECT_EQ(messages[i].time, time_of(messages[i].frame));
        }
        EXPECT_FALSE(dissector.lost_sync(client));
        EXPECT_FALSE(dissector.lost_sync(server));
        EXPECT_FALSE(dissector.not_tls());
    }
    return dissect(conversation, whole);
}

const TlsMessage& first_of(const std::vector<TlsMessage>& messages, Kind kind, Direction direction) {
    for (const auto& message : messages) {
        if (message.kind == kind && message.direction == direction) return message;
    }
    throw std::runtime_error("no such message: " + std::to_string(static_cast<int>(kind)));
}

// --- real handshakes ------------------------------------------------------

TEST(TlsStreamDissector, Tls12WithClientCertificateAndSessionTicket) {
    ConversationOptions options;
    options.max_version = TLS1_2_VERSION;
    const auto conversation = run_conversation(options);
    ASSERT_TRUE(conversation.handshake_completed);
    const auto messages = check_all_segmentations(conversation);

    EXPECT_EQ(kinds(messages, client),
              (std::vector<Kind>{Kind::client_hello, Kind::certificate, Kind::client_key_exchange,
                                 Kind::certificate_verify, Kind::change_cipher_spec, Kind::encrypted_handshake,
                                 Kind::application_data, Kind::alert}));
    EXPECT_EQ(kinds(messages, server),
              (std::vector<Kind>{Kind::server_hello, Kind::certificate, Kind::server_key_exchange,
                                 Kind::certificate_request, Kind::server_hello_done, Kind::new_session_ticket,
                                 Kind::change_cipher_spec, Kind::encrypted_handshake, Kind::application_data}));

    const auto& hello = *first_of(messages, Kind::client_hello, client).client_hello;
    EXPECT_EQ(hello.server_name, "smartreceiver.cisco.com");
    EXPECT_EQ(hello.alpn, std::vector<std::string>{"http/1.1"});
    EXPECT_EQ(hello.legacy_version, 0x0303);
    EXPECT_FALSE(hello.cipher_suites.empty());
    EXPECT_NE(std::find(hello.extensions.begin(), hello.extensions.end(), 0), hello.extensions.end());

    const auto& server_hello = *first_of(messages, Kind::server_hello, server).server_hello;
    EXPECT_EQ(server_hello.version(), 0x0303);
    EXPECT_FALSE(server_hello.selected_version);
    EXPECT_NE(tls_cipher_suite_name(server_hello.cipher_suite).substr(0, 2), "0x");

    const auto& server_certificates = first_of(messages, Kind::certificate, server).certificates;
    ASSERT_EQ(server_certificates.size(), 1U);
    EXPECT_EQ(server_certificates[0], conversation.server_certificate_der);
    const auto& client_certificates = first_of(messages, Kind::certificate, client).certificates;
    ASSERT_EQ(client_certificates.size(), 1U);
    EXPECT_EQ(client_certificates[0], conversation.client_certificate_der);

    const auto& close = first_of(messages, Kind::alert, client);
    EXPECT_TRUE(close.alert->encrypted);
    EXPECT_EQ(tls_message_name(close), "Encrypted Alert");
    EXPECT_EQ(tls_message_name(first_of(messages, Kind::encrypted_handshake, client)), "Encrypted Handshake Message");

    TlsStreamDissector dissector;
    feed(dissector, cut(conversation, whole));
    EXPECT_EQ(dissector.application_records(client), 1U);
    EXPECT_EQ(dissector.application_records(server), 1U);
    EXPECT_EQ(dissector.application_bytes(client), first_of(messages, Kind::application_data, client).length);
    EXPECT_EQ(dissector.application_bytes(server), first_of(messages, Kind::application_data, server).length);
    for (const auto& message : messages) EXPECT_FALSE(message.inferred);
}

TEST(TlsStreamDissector, Tls12EachDirectionInOneCall) {
    ConversationOptions options;
    options.max_version = TLS1_2_VERSION;
    const auto conversation = run_conversation(options);
    const auto interleaved = dissect(conversation, whole);
    TlsStreamDissector dissector;
    for (Direction direction : {server, client}) {
        ByteVector stream;
        for (const auto& write : conversation.writes) {
            if (write.direction == direction) stream.insert(stream.end(), write.bytes.begin(), write.bytes.end());
        }
        dissector.on_data(direction, 0, stream, index_of(direction) + 1, time_of(1));
    }
    EXPECT_EQ(kinds(dissector.messages(), client), kinds(interleaved, client));
    EXPECT_EQ(kinds(dissector.messages(), server), kinds(interleaved, server));
}

TEST(TlsStreamDissector, Tls13MutualClassifiesEncryptedRecords) {
    ConversationOptions options;
    options.min_version = TLS1_3_VERSION;
    const auto conversation = run_conversation(options);
    ASSERT_TRUE(conversation.handshake_completed);
    const auto messages = check_all_segmentations(conversation);

    EXPECT_EQ(kinds(messages, client),
              (std::vector<Kind>{Kind::client_hello, Kind::change_cipher_spec, Kind::tls13_client_handshake_flight,
                                 Kind::tls13_client_handshake_flight, Kind::tls13_client_handshake_flight,
                                 Kind::application_data, Kind::alert}));
    EXPECT_EQ(kinds(messages, server),
              (std::vector<Kind>{Kind::server_hello, Kind::change_cipher_spec, Kind::tls13_server_handshake_flight,
                                 Kind::tls13_server_handshake_flight, Kind::tls13_server_handshake_flight,
                                 Kind::tls13_server_handshake_flight, Kind::tls13_server_handshake_flight,
                                 Kind::tls13_post_handshake, Kind::tls13_post_handshake, Kind::application_data}));

    const auto& hello = *first_of(messages, Kind::client_hello, client).client_hello;
    EXPECT_NE(std::find(hello.supported_versions.begin(), hello.supported_versions.end(), 0x0304),
              hello.supported_versions.end());
    const auto& server_hello = *first_of(messages, Kind::server_hello, server).server_hello;
    EXPECT_EQ(server_hello.selected_version, 0x0304);
    EXPECT_EQ(server_hello.legacy_version, 0x0303);
    EXPECT_EQ(tls_version_name(server_hello.version()), "TLSv1.3");

    const auto& close = first_of(messages, Kind::alert, client);
    EXPECT_TRUE(close.alert->encrypted);
    EXPECT_TRUE(close.inferred);
    EXPECT_EQ(close.length, 19U);
    for (const auto& message : messages) {
        const bool encrypted_record = message.kind != Kind::client_hello && message.kind != Kind::server_hello &&
                                      message.kind != Kind::change_cipher_spec;
        EXPECT_EQ(message.inferred, encrypted_record) << tls_message_name(message);
    }
    TlsStreamDissector dissector;
    feed(dissector, cut(conversation, whole));
    EXPECT_EQ(dissector.application_records(client), 1U);
    EXPECT_EQ(dissector.application_records(server), 1U);
}

TEST(TlsStreamDissector, Tls13FinishedSizeFollowsTheCipherSuite) {
    for (const char* suite : {"TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256"}) {
        ConversationOptions options;
        options.min_version = TLS1_3_VERSION;
        options.client_certificate = false;
        options.tls13_ciphersuites = suite;
        const auto conversation = run_conversation(options);
        const auto messages = dissect(conversation, whole);
        EXPECT_EQ(kinds(messages, client),
                  (std::vector<Kind>{Kind::client_hello, Kind::change_cipher_spec, Kind::tls13_client_handshake_flight,
                                     Kind::application_data, Kind::alert}))
            << suite;
        EXPECT_EQ(tls_cipher_suite_name(first_of(messages, Kind::server_hello, server).server_hello->cipher_suite),
                  suite);
    }
}

TEST(TlsStreamDissector, Tls13RequestSentWithFinishedStillFindsTickets) {
    ConversationOptions options;
    options.min_version = TLS1_3_VERSION;
    options.request_with_finished = true;
    const auto conversation = run_conversation(options);
    const auto messages = check_all_segmentations(conversation);
    EXPECT_EQ(kinds(messages, client),
              (std::vector<Kind>{Kind::client_hello, Kind::change_cipher_spec, Kind::tls13_client_handshake_flight,
                                 Kind::tls13_client_handshake_flight, Kind::tls13_client_handshake_flight,
                                 Kind::application_data, Kind::alert}));
    const auto server_kinds = kinds(messages, server);
    ASSERT_GE(server_kinds.size(), 3U);
    EXPECT_EQ(std::vector<Kind>(server_kinds.end() - 3, server_kinds.end()),
              (std::vector<Kind>{Kind::tls13_post_handshake, Kind::tls13_post_handshake, Kind::application_data}));
}

TEST(TlsStreamDissector, Tls13HelloRetryRequestContinuesInClear) {
    ConversationOptions options;
    options.min_version = TLS1_3_VERSION;
    options.client_groups = "P-256:X25519";
    options.server_groups = "X25519";
    const auto conversation = run_conversation(options);
    ASSERT_TRUE(conversation.handshake_completed);
    const auto messages = check_all_segmentations(conversation);
    const auto client_kinds = kinds(messages, client);
    EXPECT_EQ(std::vector<Kind>(client_kinds.begin(), client_kinds.begin() + 6),
              (std::vector<Kind>{Kind::client_hello, Kind::change_cipher_spec, Kind::client_hello,
                                 Kind::tls13_client_handshake_flight, Kind::tls13_client_handshake_flight,
                                 Kind::tls13_client_handshake_flight}));
    const auto server_kinds = kinds(messages, server);
    EXPECT_EQ(std::vector<Kind>(server_kinds.begin(), server_kinds.begin() + 4),
              (std::vector<Kind>{Kind::hello_retry_request, Kind::change_cipher_spec, Kind::server_hello,
                                 Kind::tls13_server_handshake_flight}));
    EXPECT_EQ(tls_message_name(messages[1]), "Hello Retry Request");
    EXPECT_EQ(first_of(messages, Kind::hello_retry_request, server).server_hello->selected_version, 0x0304);
}

TEST(TlsStreamDissector, Tls13ServerRequiresCertificateEncryptedAlert) {
    ConversationOptions options;
    options.min_version = TLS1_3_VERSION;
    options.client_has_certificate = false;
    const auto conversation = run_conversation(options);
    ASSERT_FALSE(conversation.handshake_completed);
    const auto messages = check_all_segmentations(conversation);
    EXPECT_EQ(kinds(messages, client),
              (std::vector<Kind>{Kind::client_hello, Kind::change_cipher_spec, Kind::tls13_client_handshake_flight,
                                 Kind::tls13_client_handshake_flight}));
    const auto& alert = messages.back();
    EXPECT_EQ(alert.direction, server);
    EXPECT_EQ(alert.kind, Kind::alert);
    EXPECT_TRUE(alert.alert->encrypted);
    EXPECT_TRUE(alert.inferred);
    EXPECT_EQ(tls_message_name(alert), "Encrypted Alert (inferred from its size)");
}

TEST(TlsStreamDissector, FatalAlertInClearTls12) {
    ConversationOptions options;
    options.max_version = TLS1_2_VERSION;
    options.client_trusts_server = false;
    const auto conversation = run_conversation(options);
    const auto messages = check_all_segmentations(conversation);
    const auto& alert = messages.back();
    EXPECT_EQ(alert.direction, client);
    ASSERT_TRUE(alert.alert);
    EXPECT_FALSE(alert.alert->encrypted);
    EXPECT_EQ(alert.alert->level, 2);
    EXPECT_EQ(alert.alert->description, 48);
    EXPECT_EQ(tls_message_name(alert), "Alert (Level: Fatal, Description: Unknown CA)");
    EXPECT_EQ(tls_alert_id(alert.alert->description), "unknown_ca");
}

TEST(TlsStreamDissector, FatalAlertInClearTls13) {
    ConversationOptions options;
    options.min_version = TLS1_3_VERSION;
    options.client_trusts_server = false;
    const auto conversation = run_conversation(options);
    const auto messages = check_all_segmentations(conversation);
    const auto& alert = messages.back();
    ASSERT_TRUE(alert.alert);
    EXPECT_FALSE(alert.alert->encrypted);
    EXPECT_FALSE(alert.inferred);
    EXPECT_EQ(alert.alert->description, 48);
}

// --- hand-assembled records -----------------------------------------------

ByteVector record(std::uint8_t type, const ByteVector& body, std::uint16_t version = 0x0303) {
    ByteVector bytes = {type, static_cast<std::uint8_t>(version >> 8), static_cast<std::uint8_t>(version),
                        static_cast<std::uint8_t>(body.size() >> 8), static_cast<std::uint8_t>(body.size())};
    bytes.insert(bytes.end(), body.begin(), body.end());
    return bytes;
}

ByteVector handshake(std::uint8_t type, const ByteVector& body) {
    ByteVector bytes = {type, static_cast<std::uint8_t>(body.size() >> 16), static_cast<std::uint8_t>(body.size() >> 8),
                        static_cast<std::uint8_t>(body.size())};
    bytes.insert(bytes.end(), body.begin(), body.end());
    return bytes;
}

ByteVector concat(std::initializer_list<ByteVector> parts) {
    ByteVector bytes;
    for (const auto& part : parts) bytes.insert(bytes.end(), part.begin(), part.end());
    return bytes;
}

ByteVector u16(std::size_t value) { return {static_cast<std::uint8_t>(value >> 8), static_cast<std::uint8_t>(value)}; }

ByteVector extension(std::uint16_t type, const ByteVector& data) { return concat({u16(type), u16(data.size()), data}); }

ByteVector client_hello_body(const ByteVector& extensions, std::uint16_t version = 0x0303) {
    return concat({u16(version), ByteVector(32, 0xAB), {0}, u16(4), {0xC0, 0x2F, 0x13, 0x01}, {1, 0},
                   u16(extensions.size()), extensions});
}

ByteVector sni(const std::string& name) {
    ByteVector host(name.begin(), name.end());
    return extension(0, concat({u16(host.size() + 3), {0}, u16(host.size()), host}));
}

ByteVector server_hello_body() {
    return concat({u16(0x0303), ByteVector(32, 0x11), {0}, u16(0xC02F), {0}, u16(0)});
}

struct Feeder {
    TlsStreamDissector dissector;
    std::array<std::uint64_t, 2> offsets{};
    std::uint64_t frame = 0;

    Feeder() = default;
    explicit Feeder(TlsDissectorLimits limits) : dissector(limits) {}

    void send(Direction direction, const ByteVector& bytes) {
        ++frame;
        auto& offset = offsets[static_cast<std::size_t>(index_of(direction))];
        dissector.on_data(direction, offset, bytes, frame, time_of(frame));
        offset += bytes.size();
    }
    void gap(Direction direction, std::uint64_t length) {
        auto& offset = offsets[static_cast<std::size_t>(index_of(direction))];
        dissector.on_gap(direction, offset, length, frame, GapReason::not_captured);
        offset += length;
    }
};

ByteVector slice(const ByteVector& bytes, std::size_t from, std::size_t to) {
    return {bytes.begin() + static_cast<std::ptrdiff_t>(from), bytes.begin() + static_cast<std::ptrdiff_t>(to)};
}

TEST(TlsStreamDissectorFrames, HandshakeMessageSplitAcrossRecordsAndFrames) {
    const ByteVector message = handshake(1, client_hello_body(sni("smartreceiver.cisco.com")));
    const ByteVector first_record = record(22, slice(message, 0, 30));
    const ByteVector second_record = record(22, slice(message, 30, message.size()));
    const ByteVector stream = concat({first_record, second_record});
    Feeder feeder;
    feeder.send(client, slice(stream, 0, 20));                        // frame 1
    feeder.send(client, slice(stream, 20, first_record.size() + 3));  // frame 2
    feeder.send(client, slice(stream, first_record.size() + 3, stream.size()));  // frame 3
    const auto& messages = feeder.dissector.messages();
    ASSERT_EQ(messages.size(), 1U);
    EXPECT_EQ(messages[0].kind, Kind::client_hello);
    EXPECT_EQ(messages[0].first_frame, 1U);
    EXPECT_EQ(messages[0].frame, 3U);
    EXPECT_EQ(messages[0].client_hello->server_name, "smartreceiver.cisco.com");
    EXPECT_EQ(messages[0].client_hello->cipher_suites, (std::vector<std::uint16_t>{0xC02F, 0x1301}));
}

TEST(TlsStreamDissectorHostile, ServerNameBytesOutsidePrintableAsciiAreEscaped) {
    const ByteVector message = handshake(1, client_hello_body(sni(std::string("evil\x1b[2J\xa2.example"))));
    Feeder feeder;
    feeder.send(client, record(22, message));
    const auto& messages = feeder.dissector.messages();
    ASSERT_EQ(messages.size(), 1U);
    EXPECT_EQ(messages[0].client_hello->server_name, "evil\\x1B[2J\\xA2.example");
}

TEST(TlsStreamDissectorFrames, MessagesInOneRecordShowWhereTheRecordEnds) {
    const ByteVector hello = handshake(2, server_hello_body());
    const ByteVector done = handshake(14, {});
    const ByteVector stream = record(22, concat({hello, done}));
    Feeder feeder;
    feeder.send(server, slice(stream, 0, 5 + hello.size() + 1));  // Server Hello complete here
    feeder.send(server, slice(stream, 5 + hello.size() + 1, stream.size()));
    const auto& messages = feeder.dissector.messages();
    ASSERT_EQ(messages.size(), 2U);
    EXPECT_EQ(messages[0].kind, Kind::server_hello);
    EXPECT_EQ(messages[0].first_frame, 1U);
    EXPECT_EQ(messages[0].frame, 2U);
    EXPECT_EQ(messages[1].kind, Kind::server_hello_done);
    EXPECT_EQ(messages[1].first_frame, 1U);
    EXPECT_EQ(messages[1].frame, 2U);
    EXPECT_TRUE(feeder.dissector.frame_is_evidence(2));
}

TEST(TlsStreamDissectorFrames, SeveralRecordsInOneSegment) {
    Feeder feeder;
    feeder.send(server, concat({record(22, handshake(2, server_hello_body())), record(20, {1}),
                                record(22, ByteVector(40, 0x77)), record(23, ByteVector(100, 0x55))}));
    EXPECT_EQ(kinds(feeder.dissector.messages()),
              (std::vector<Kind>{Kind::server_hello, Kind::change_cipher_spec, Kind::encrypted_handshake,
                                 Kind::application_data}));
    EXPECT_EQ(feeder.dissector.application_bytes(server), 100U);
}

TEST(TlsStreamDissectorLegacy, Sslv2ClientHelloThenTlsRecords) {
    // SSLv2 CLIENT-HELLO offering TLS 1.0 with two TLS suites and one SSLv2 suite.
    const ByteVector specs = {0x00, 0x00, 0x2F, 0x00, 0x00, 0x35, 0x01, 0x00, 0x80};
    const ByteVector body = concat({{1, 0x03, 0x01}, u16(specs.size()), u16(0), u16(16), specs, ByteVector(16, 0x42)});
    const ByteVector hello = concat({{static_cast<std::uint8_t>(0x80 | (body.size() >> 8)),
                                      static_cast<std::uint8_t>(body.size())},
                                     body});
    Feeder feeder;
    feeder.send(client, slice(hello, 0, 3));
    feeder.send(client, slice(hello, 3, hello.size()));
    feeder.send(server, record(22, handshake(2, server_hello_body()), 0x0301));
    feeder.send(client, record(21, {1, 0}, 0x0301));
    const auto& messages = feeder.dissector.messages();
    ASSERT_EQ(messages.size(), 3U);
    EXPECT_EQ(messages[0].kind, Kind::sslv2_client_hello);
    EXPECT_EQ(messages[0].frame, 2U);
    EXPECT_EQ(messages[0].first_frame, 1U);
    EXPECT_EQ(messages[0].client_hello->legacy_version, 0x0301);
    EXPECT_EQ(messages[0].client_hello->cipher_suites, (std::vector<std::uint16_t>{0x002F, 0x0035}));
    EXPECT_EQ(tls_message_name(messages[0]), "Client Hello");
    EXPECT_EQ(messages[2].kind, Kind::alert);
    EXPECT_EQ(tls_message_name(messages[2]), "Alert (Level: Warning, Description: Close Notify)");
    EXPECT_FALSE(feeder.dissector.not_tls());
}

TEST(TlsStreamDissectorLegacy, Ssl3RecordsAndHelloWithoutExtensions) {
    const ByteVector hello_body = concat({u16(0x0300), ByteVector(32, 1), {0}, u16(2), {0x00, 0x0A}, {1, 0}});
    Feeder feeder;
    feeder.send(client, record(22, handshake(1, hello_body), 0x0300));
    const auto& messages = feeder.dissector.messages();
    ASSERT_EQ(messages.size(), 1U);
    EXPECT_EQ(messages[0].client_hello->legacy_version, 0x0300);
    EXPECT_EQ(messages[0].client_hello->cipher_suites, std::vector<std::uint16_t>{0x000A});
    EXPECT_TRUE(messages[0].client_hello->extensions.empty());
}

TEST(TlsStreamDissectorLegacy, Tls13CertificateFormatInClear) {
    const ByteVector der = {0x30, 0x03, 0x02, 0x01, 0x05};
    const ByteVector entry = concat({{0, 0, static_cast<std::uint8_t>(der.size())}, der, u16(0)});
    const ByteVector body = concat({{0}, {0, 0, static_cast<std::uint8_t>(entry.size() * 2)}, entry, entry});
    Feeder feeder;
    feeder.send(server, record(22, handshake(11, body)));
    const auto& messages = feeder.dissector.messages();
    ASSERT_EQ(messages.size(), 1U);
    EXPECT_EQ(messages[0].certificates, (std::vector<ByteVector>{der, der}));
}

// --- not TLS --------------------------------------------------------------

std::optional<NotTls> not_tls_of(const std::string& text, Direction direction = client) {
    Feeder feeder;
    const ByteVector bytes(text.begin(), text.end());
    for (std::size_t i = 0; i < bytes.size(); i += 3) {
        feeder.send(direction, slice(bytes, i, std::min(bytes.size(), i + 3)));
    }
    EXPECT_TRUE(feeder.dissector.messages().empty());
    return feeder.dissector.not_tls();
}

TEST(TlsStreamDissectorNotTls, NamesWhatTheBytesLookLike) {
    EXPECT_EQ(not_tls_of("GET /cslu/v1/pi HTTP/1.1\r\n")->looks_like, "HTTP request");
    EXPECT_EQ(not_tls_of("CONNECT smartreceiver.cisco.com:443 HTTP/1.1\r\n")->looks_like, "HTTP request");
    EXPECT_EQ(not_tls_of("POST /SmartTransport HTTP/1.1\r\n")->looks_like, "HTTP request");
    EXPECT_EQ(not_tls_of("HTTP/1.1 407 Proxy Authentication Required\r\n", server)->looks_like, "HTTP response");
    EXPECT_EQ(not_tls_of("SSH-2.0-OpenSSH_9.2\r\n", server)->looks_like, "SSH");
    EXPECT_EQ(not_tls_of("220 mail.example.com ESMTP\r\n", server)->looks_like, "SMTP/FTP banner");
    EXPECT_EQ(not_tls_of("220-FTP server ready\r\n", server)->looks_like, "SMTP/FTP banner");
    EXPECT_EQ(not_tls_of("hello there, licensing\n")->looks_like, "plain text");
    EXPECT_EQ(not_tls_of(std::string("\x00\x01\x02\x03\xFF\xFE\x10\x20\x30", 9))->looks_like, "unknown binary data");
    const auto http = not_tls_of("HTTP/1.1 200 OK\r\n\r\n", server);
    EXPECT_EQ(http->direction, server);
    EXPECT_EQ(http->frame, 1U);
}

// The judge decides by the kind, never by the words.
TEST(TlsStreamDissectorNotTls, ClassifiesWhatTheBytesAre) {
    EXPECT_EQ(not_tls_of("GET / HTTP/1.1\r\n")->content, NonTlsContent::http_request);
    EXPECT_EQ(not_tls_of("HTTP/1.1 200 OK\r\n", server)->content, NonTlsContent::http_response);
    EXPECT_EQ(not_tls_of("SSH-2.0-OpenSSH_9.2\r\n", server)->content, NonTlsContent::ssh);
    EXPECT_EQ(not_tls_of("220 mail.example.com ESMTP\r\n", server)->content, NonTlsContent::numbered_banner);
    EXPECT_EQ(not_tls_of("hello there, licensing\n")->content, NonTlsContent::plain_text);
    EXPECT_EQ(not_tls_of(std::string("\x00\x01\x02\x03\xFF\xFE\x10\x20\x30", 9))->content, NonTlsContent::binary);
    for (NonTlsContent content : {NonTlsContent::http_request, NonTlsContent::binary})
        EXPECT_EQ(not_tls_of(content == NonTlsContent::binary ? std::string("\x00\x01\x02\x03\xFF\xFE\x10\x20\x30", 9)
                                                              : std::string("GET / HTTP/1.1\r\n"))
                      ->looks_like,
                  non_tls_content_name(content));
}

TEST(TlsStreamDissectorNotTls, ReportedOnceAndStopsThatDirection) {
    Feeder feeder;
    const std::string request = "GET / HTTP/1.1\r\n\r\n";
    feeder.send(client, ByteVector(request.begin(), request.end()));
    const std::string response = "HTTP/1.1 200 OK\r\n\r\n";
    feeder.send(server, ByteVector(response.begin(), response.end()));
    feeder.send(client, record(22, handshake(1, client_hello_body({}))));
    ASSERT_TRUE(feeder.dissector.not_tls());
    EXPECT_EQ(feeder.dissector.not_tls()->looks_like, "HTTP request");
    EXPECT_EQ(feeder.dissector.not_tls()->direction, client);
    EXPECT_TRUE(feeder.dissector.messages().empty());
}

TEST(TlsStreamDissectorNotTls, GarbageAfterValidRecordsIsMalformed) {
    Feeder feeder;
    feeder.send(client, record(22, handshake(1, client_hello_body({}))));
    feeder.send(client, ByteVector{'G', 'E', 'T', ' ', '/', ' ', 'H'});
    feeder.send(client, record(21, {2, 40}));
    EXPECT_EQ(feeder.dissector.messages().size(), 1U);
    EXPECT_TRUE(feeder.dissector.malformed(client));
    EXPECT_FALSE(feeder.dissector.lost_sync(client));
    ASSERT_TRUE(feeder.dissector.not_tls());
    EXPECT_TRUE(feeder.dissector.not_tls()->after_records);
    EXPECT_EQ(feeder.dissector.not_tls()->content, NonTlsContent::damaged_record_header);
    EXPECT_EQ(feeder.dissector.not_tls()->frame, 2U);
    EXPECT_EQ(feeder.dissector.not_tls()->looks_like,
              "a record header that is not TLS (content type 71, version 0x4554, length 8239)");
}

// A corrupt Change Cipher Spec header after a Client Key Exchange in one segment.
TEST(TlsStreamDissectorNotTls, CorruptRecordHeaderNamesItsFields) {
    Feeder feeder;
    feeder.send(client, record(22, handshake(1, client_hello_body({}))));
    feeder.send(client, concat({record(22, handshake(16, ByteVector(4, 7))), {20, 0xFF, 0xFF, 0xFF, 0x01, 0x01}}));
    ASSERT_TRUE(feeder.dissector.not_tls());
    EXPECT_EQ(feeder.dissector.not_tls()->direction, client);
    EXPECT_EQ(feeder.dissector.not_tls()->frame, 2U);
    EXPECT_EQ(feeder.dissector.not_tls()->looks_like,
              "a record header that is not TLS (content type 20, version 0xFFFF, length 65281)");
}

// Fewer bytes than the sniffing wants: a first record header that cannot be
// TLS is reported at once, not when more bytes would have come.
TEST(TlsStreamDissectorNotTls, ShortAnswerThatIsNotARecordIsReportedAtOnce) {
    Feeder feeder;
    feeder.send(client, record(22, handshake(1, client_hello_body({}))));
    feeder.send(server, ByteVector{0, 0, 0, 0, 2, 0, 40});
    ASSERT_TRUE(feeder.dissector.not_tls());
    EXPECT_EQ(feeder.dissector.not_tls()->direction, server);
    EXPECT_EQ(feeder.dissector.not_tls()->frame, 2U);
    EXPECT_FALSE(feeder.dissector.not_tls()->after_records);
    EXPECT_EQ(feeder.dissector.not_tls()->looks_like, "unknown binary data");
}

ByteVector sslv2_record(const ByteVector& body) {
    return concat({{static_cast<std::uint8_t>(0x80 | (body.size() >> 8)), static_cast<std::uint8_t>(body.size())}, body});
}

// SSL 2.0 end to end: CLIENT-HELLO (version 0x0002), SERVER-HELLO, then the
// client's CLIENT-MASTER-KEY with a 2-byte header and an encrypted record with
// a 3-byte header. None of it is "not TLS".
TEST(TlsStreamDissectorLegacy, Sslv2HandshakeIsRecognisedToTheEnd) {
    const ByteVector specs = {0x01, 0x00, 0x80, 0x07, 0x00, 0xC0};
    const ByteVector client_hello =
        sslv2_record(concat({{1, 0x00, 0x02}, u16(specs.size()), u16(0), u16(16), specs, ByteVector(16, 0x42)}));
    const ByteVector certificate(40, 0x30);
    const ByteVector server_hello = sslv2_record(concat(
        {{4, 0, 1}, u16(0x0002), u16(certificate.size()), u16(3), u16(16), certificate, {0x07, 0x00, 0xC0},
         ByteVector(16, 0x24)}));
    const ByteVector master_key = sslv2_record(concat({{2, 0x07, 0x00, 0xC0}, u16(0), u16(8), u16(0), ByteVector(8, 9)}));
    const ByteVector padded = concat({{0x00, 0x10, 0x04}, ByteVector(16, 0x55)});
    Feeder feeder;
    feeder.send(client, client_hello);
    feeder.send(server, slice(server_hello, 0, 4));
    feeder.send(server, slice(server_hello, 4, server_hello.size()));
    feeder.send(client, concat({master_key, padded}));
    feeder.send(server, sslv2_record(ByteVector(24, 0x66)));
    EXPECT_FALSE(feeder.dissector.not_tls());
    EXPECT_FALSE(feeder.dissector.malformed(client));
    EXPECT_FALSE(feeder.dissector.malformed(server));
    const auto& messages = feeder.dissector.messages();
    ASSERT_EQ(messages.size(), 2U);
    EXPECT_EQ(messages[0].kind, Kind::sslv2_client_hello);
    EXPECT_EQ(messages[0].client_hello->legacy_version, 0x0002);
    EXPECT_EQ(messages[1].kind, Kind::sslv2_server_hello);
    EXPECT_EQ(messages[1].direction, server);
    EXPECT_EQ(messages[1].frame, 3U);
    EXPECT_EQ(messages[1].server_hello->legacy_version, 0x0002);
    EXPECT_EQ(tls_message_name(messages[1]), "Server Hello");
    EXPECT_EQ(feeder.dissector.bytes_received(client), client_hello.size() + master_key.size() + padded.size());
}

// TLS 1.3 draft 23 (0x7F17 in supported_versions): its records after the
// Server Hello are encrypted like TLS 1.3's.
TEST(TlsStreamDissectorLegacy, Tls13DraftEncryptedRecordsAreClassifiedAsTls13) {
    const ByteVector draft_server_hello =
        concat({u16(0x0303), ByteVector(32, 0x11), {0}, u16(0x1301), {0}, u16(6), extension(43, u16(0x7F17))});
    Feeder feeder;
    feeder.send(client, record(22, handshake(1, client_hello_body(extension(43, concat({{2}, u16(0x7F17)}))))));
    feeder.send(server, concat({record(22, handshake(2, draft_server_hello)), record(20, {1}),
                                record(23, ByteVector(900, 1)), record(23, ByteVector(53, 2))}));
    feeder.send(client, concat({record(20, {1}), record(23, ByteVector(53, 3))}));
    EXPECT_EQ(kinds(feeder.dissector.messages(), server),
              (std::vector<Kind>{Kind::server_hello, Kind::change_cipher_spec, Kind::tls13_server_handshake_flight,
                                 Kind::tls13_server_handshake_flight}));
    EXPECT_EQ(kinds(feeder.dissector.messages(), client),
              (std::vector<Kind>{Kind::client_hello, Kind::change_cipher_spec, Kind::tls13_client_handshake_flight}));
    EXPECT_EQ(feeder.dissector.application_records(client), 0U);
}

// --- gaps -----------------------------------------------------------------

TEST(TlsStreamDissectorGaps, GapInsideApplicationDataKeepsSync) {
    ConversationOptions options;
    options.max_version = TLS1_2_VERSION;
    options.response = "HTTP/1.1 200 OK\r\n\r\n" + std::string(20000, 'x');  // two records
    const auto conversation = run_conversation(options);
    const auto expected = dissect(conversation, whole);

    // Drops 1000 bytes from the middle of the server's first application-data record.
    TlsStreamDissector dissector;
    std::uint64_t frame = 0;
    std::array<std::uint64_t, 2> offsets{};
    for (const auto& write : conversation.writes) {
        auto& offset = offsets[static_cast<std::size_t>(index_of(write.direction))];
        const bool response = write.direction == server && write.bytes.size() > 16384 && write.bytes[0] == 23;
        if (!response) {
            ++frame;
            dissector.on_data(write.direction, offset, write.bytes, frame, time_of(frame));
        } else {
            ++frame;
            dissector.on_data(server, offset, slice(write.bytes, 0, 2000), frame, time_of(frame));
            dissector.on_gap(server, offset + 2000, 1000, frame, GapReason::not_captured);
            ++frame;
            dissector.on_data(server, offset + 3000, slice(write.bytes, 3000, write.bytes.size()), frame,
                              time_of(frame));
        }
        offset += write.bytes.size();
    }
    EXPECT_FALSE(dissector.lost_sync(server));
    EXPECT_EQ(kinds(dissector.messages()), kinds(expected));
    EXPECT_EQ(dissector.application_records(server), 2U);
}

TEST(TlsStreamDissectorGaps, MissingBytesWithoutGapCallInsideApplicationData) {
    Feeder feeder;
    const ByteVector data = record(23, ByteVector(500, 9));
    feeder.send(client, slice(data, 0, 100));
    feeder.offsets[0] += 200;  // bytes 100..300 never delivered
    feeder.send(client, slice(data, 300, data.size()));
    feeder.send(client, record(23, ByteVector(10, 9)));
    EXPECT_FALSE(feeder.dissector.lost_sync(client));
    EXPECT_EQ(feeder.dissector.application_records(client), 2U);
}

TEST(TlsStreamDissectorGaps, GapInsideAHandshakeMessageLosesOnlyThatMessage) {
    const ByteVector stream = concat({record(22, concat({handshake(2, server_hello_body()), handshake(14, {})})),
                                      record(23, ByteVector(30, 1))});
    Feeder feeder;
    feeder.send(server, slice(stream, 0, 20));
    feeder.gap(server, 10);  // inside the Server Hello's body
    feeder.send(server, slice(stream, 30, stream.size()));
    EXPECT_FALSE(feeder.dissector.lost_sync(server));
    EXPECT_EQ(feeder.dissector.damaged_messages(server), 1U);
    const auto& messages = feeder.dissector.messages();
    ASSERT_EQ(messages.size(), 2U);
    EXPECT_EQ(messages[0].kind, Kind::server_hello_done);
    EXPECT_EQ(messages[1].kind, Kind::application_data);
}

TEST(TlsStreamDissectorGaps, GapAcrossHandshakeMessagesLosesSync) {
    const ByteVector hello = handshake(2, server_hello_body());
    const ByteVector stream = concat({record(22, concat({hello, handshake(14, {})})), record(23, ByteVector(30, 1))});
    Feeder feeder;
    feeder.send(server, slice(stream, 0, 20));
    feeder.gap(server, hello.size());  // from inside the Server Hello into the next message
    feeder.send(server, slice(stream, 20 + hello.size(), stream.size()));
    EXPECT_TRUE(feeder.dissector.lost_sync(server));
    EXPECT_FALSE(feeder.dissector.lost_sync(client));
    EXPECT_TRUE(feeder.dissector.messages().empty());
}

TEST(TlsStreamDissectorGaps, GapOverARecordHeaderLosesSync) {
    const ByteVector first = record(23, ByteVector(30, 1));
    Feeder feeder;
    feeder.send(client, first);
    feeder.gap(client, 3);
    feeder.send(client, ByteVector{0, 5, 1, 2, 3, 4, 5});
    EXPECT_TRUE(feeder.dissector.lost_sync(client));
    EXPECT_EQ(feeder.dissector.application_records(client), 1U);
}

TEST(TlsStreamDissectorGaps, GapCoveringTheEndOfAnApplicationRecord) {
    Feeder feeder;
    const ByteVector data = record(23, ByteVector(100, 9));
    feeder.send(client, slice(data, 0, 50));
    feeder.gap(client, 55);  // the record's last 55 bytes
    feeder.send(client, record(21, {1, 0}));
    EXPECT_FALSE(feeder.dissector.lost_sync(client));
    ASSERT_EQ(feeder.dissector.messages().size(), 2U);
    EXPECT_EQ(feeder.dissector.messages()[0].kind, Kind::application_data);
    EXPECT_EQ(feeder.dissector.messages()[0].frame, 1U);
    EXPECT_EQ(feeder.dissector.messages()[1].kind, Kind::alert);
}

// --- truncated and hostile records ----------------------------------------

TEST(TlsStreamDissectorHostile, RecordLongerThanTheDataEmitsNothing) {
    Feeder feeder;
    feeder.send(client, slice(record(22, handshake(1, client_hello_body({}))), 0, 40));
    EXPECT_TRUE(feeder.dissector.messages().empty());
    EXPECT_FALSE(feeder.dissector.not_tls());
}

TEST(TlsStreamDissectorHostile, ZeroLengthRecords) {
    Feeder feeder;
    feeder.send(client, concat({record(22, {}), record(23, {}), record(20, {}), record(21, {}), record(24, {})}));
    EXPECT_EQ(kinds(feeder.dissector.messages()),
              (std::vector<Kind>{Kind::application_data, Kind::change_cipher_spec, Kind::alert, Kind::heartbeat}));
    EXPECT_TRUE(feeder.dissector.messages()[2].alert->encrypted);  // after CCS, and not 2 bytes anyway
    EXPECT_EQ(feeder.dissector.application_records(client), 1U);
    EXPECT_EQ(feeder.dissector.application_bytes(client), 0U);
}

TEST(TlsStreamDissectorHostile, AlertOfWrongLengthIsNotReadAsClear) {
    Feeder feeder;
    feeder.send(server, concat({record(21, {2}), record(21, {2, 48, 7})}));
    const auto& messages = feeder.dissector.messages();
    ASSERT_EQ(messages.size(), 2U);
    EXPECT_TRUE(messages[0].alert->encrypted);
    EXPECT_TRUE(messages[1].alert->encrypted);
}

TEST(TlsStreamDissectorHostile, HandshakeLengthPointingPastTheRecordContinuesInTheNext) {
    // A 3-byte length of 1000 in a 10-byte record: the message would need later records.
    Feeder feeder;
    feeder.send(client, record(22, {1, 0, 0x03, 0xE8, 0, 0, 0, 0, 0, 0}));
    feeder.send(client, record(23, ByteVector(10, 1)));
    EXPECT_EQ(kinds(feeder.dissector.messages()), std::vector<Kind>{Kind::application_data});
}

TEST(TlsStreamDissectorHostile, LyingLengthsInsideAClientHello) {
    ByteVector lying_sni = concat({u16(0), u16(200), u16(300), {0}, u16(250), {'a', 'b'}});
    ByteVector extensions = concat({lying_sni, extension(43, {4, 0x03, 0x04, 0x03, 0x03})});
    ByteVector body = client_hello_body(extensions);
    Feeder feeder;
    feeder.send(client, record(22, handshake(1, body)));
    ASSERT_EQ(feeder.dissector.messages().size(), 1U);
    const auto& hello = *feeder.dissector.messages()[0].client_hello;
    EXPECT_EQ(hello.legacy_version, 0x0303);
    EXPECT_EQ(hello.cipher_suites.size(), 2U);
    EXPECT_TRUE(hello.server_name.empty());

    // Extensions block longer than the message, cipher suites length odd and too long.
    ByteVector broken = concat({u16(0x0303), ByteVector(32, 0), {0}, u16(5), {0xC0, 0x2F, 0x13}});
    feeder.send(client, record(22, handshake(1, broken)));
    ByteVector short_random = {0x03, 0x03, 1, 2, 3};
    feeder.send(client, record(22, handshake(1, short_random)));
    feeder.send(server, record(22, handshake(2, short_random)));
    feeder.send(server, record(22, handshake(11, {0, 0, 9, 0, 0, 20, 1, 2})));
    EXPECT_EQ(feeder.dissector.messages().size(), 5U);
    EXPECT_TRUE(feeder.dissector.messages()[4].certificates.empty());
}

TEST(TlsStreamDissectorHostile, OversizedHandshakeMessageIsReportedWithoutDetails) {
    TlsDissectorLimits limits;
    limits.max_handshake_message_bytes = 100;
    Feeder feeder(limits);
    const ByteVector big = handshake(1, client_hello_body(sni(std::string(300, 'a'))));
    feeder.send(client, record(22, big));
    feeder.send(client, record(21, {2, 40}));
    const auto& messages = feeder.dissector.messages();
    ASSERT_EQ(messages.size(), 2U);
    EXPECT_EQ(messages[0].kind, Kind::client_hello);
    EXPECT_EQ(messages[0].length, big.size() - 4);
    EXPECT_FALSE(messages[0].client_hello);
    EXPECT_EQ(messages[1].alert->description, 40);
    const auto& hit = feeder.dissector.oversized_handshake_messages();
    ASSERT_TRUE(hit);
    EXPECT_EQ(hit->first_frame, 1U);
    EXPECT_EQ(hit->messages, 1U);
    EXPECT_EQ(hit->largest_bytes, big.size() - 4);
}

TEST(TlsStreamDissectorHostile, MessagesWithinTheLimitsReportNoLimitHit) {
    Feeder feeder;
    feeder.send(client, record(22, handshake(1, client_hello_body(sni("smartreceiver.cisco.com")))));
    feeder.send(server, record(22, handshake(2, server_hello_body())));
    EXPECT_FALSE(feeder.dissector.oversized_handshake_messages());
    EXPECT_FALSE(feeder.dissector.certificates_not_kept());
    EXPECT_FALSE(feeder.dissector.messages_not_kept());
}

TEST(TlsStreamDissectorHostile, CertificatesPastTheByteLimitAreNotKeptAndReported) {
    TlsDissectorLimits limits;
    limits.max_certificate_bytes = 40;
    Feeder feeder(limits);
    // certificate_list of one 20-byte entry: 26 bytes of body each time.
    const ByteVector one_entry = concat({{0, 0, 23}, {0, 0, 20}, ByteVector(20, 0x30)});
    feeder.send(server, record(22, handshake(11, one_entry)));
    feeder.send(server, record(22, handshake(11, one_entry)));
    feeder.send(server, record(22, handshake(11, one_entry)));
    const auto& messages = feeder.dissector.messages();
    ASSERT_EQ(messages.size(), 3U);
    EXPECT_EQ(messages[0].certificates.size(), 1U);
    EXPECT_TRUE(messages[1].certificates.empty());
    const auto& hit = feeder.dissector.certificates_not_kept();
    ASSERT_TRUE(hit);
    EXPECT_EQ(hit->first_frame, 2U);
    EXPECT_EQ(hit->messages, 2U);
    EXPECT_EQ(hit->largest_bytes, one_entry.size());
}

TEST(TlsStreamDissectorHostile, RecordLengthBeyondTheLimitIsMalformed) {
    Feeder feeder;
    feeder.send(client, record(23, {1}));
    feeder.send(client, ByteVector{23, 3, 3, 0xFF, 0xFF, 0});
    EXPECT_TRUE(feeder.dissector.malformed(client));
}

TEST(TlsStreamDissectorHostile, MessageCapCountsTheRest) {
    TlsDissectorLimits limits;
    limits.max_messages = 3;
    Feeder feeder(limits);
    for (int i = 0; i < 10; ++i) feeder.send(client, record(23, ByteVector(20, 1)));
    EXPECT_EQ(feeder.dissector.messages().size(), 3U);
    EXPECT_EQ(feeder.dissector.messages_dropped(), 7U);
    ASSERT_TRUE(feeder.dissector.messages_not_kept());
    EXPECT_EQ(feeder.dissector.messages_not_kept()->first_frame, 4U);
    EXPECT_EQ(feeder.dissector.application_records(client), 10U);
    EXPECT_EQ(feeder.dissector.application_bytes(client), 200U);
}

TEST(TlsStreamDissectorHostile, DeterministicFuzz) {
    std::vector<ByteVector> seeds;
    for (int max_version : {TLS1_2_VERSION, TLS1_3_VERSION}) {
        ConversationOptions options;
        options.max_version = max_version;
        for (const auto& write : run_conversation(options).writes) seeds.push_back(write.bytes);
    }
    std::mt19937 random(20240601);
    auto below = [&](std::size_t bound) { return std::uniform_int_distribution<std::size_t>(0, bound - 1)(random); };
    for (int round = 0; round < 3000; ++round) {
        TlsDissectorLimits limits;
        limits.max_messages = 1 + below(64);
        limits.max_handshake_message_bytes = 16 + below(4096);
        TlsStreamDissector dissector(limits);
        std::array<std::uint64_t, 2> offsets{};
        std::uint64_t frame = 0;
        const std::size_t writes = 1 + below(12);
        for (std::size_t w = 0; w < writes; ++w) {
            ByteVector bytes;
            switch (below(4)) {
                case 0: {
                    bytes.resize(below(300));
                    for (auto& byte : bytes) byte = static_cast<std::uint8_t>(below(256));
                    break;
                }
                case 1: {  // a plausible header, then anything
                    bytes = {static_cast<std::uint8_t>(20 + below(5)), 3, static_cast<std::uint8_t>(below(5)),
                             static_cast<std::uint8_t>(below(256)), static_cast<std::uint8_t>(below(256))};
                    for (std::size_t i = below(400); i > 0; --i) bytes.push_back(static_cast<std::uint8_t>(below(256)));
                    break;
                }
                default: {  // a real write, mutated
                    bytes = seeds[below(seeds.size())];
                    for (std::size_t flips = below(8); flips > 0 && !bytes.empty(); --flips) {
                        bytes[below(bytes.size())] ^= static_cast<std::uint8_t>(1 + below(255));
                    }
                    if (!bytes.empty() && below(3) == 0) bytes.resize(below(bytes.size()));
                    break;
                }
            }
            const Direction direction = below(2) == 0 ? client : server;
            auto& offset = offsets[static_cast<std::size_t>(index_of(direction))];
            std::size_t position = 0;
            while (position < bytes.size()) {
                const std::size_t size = std::min(bytes.size() - position, 1 + below(200));
                if (below(20) == 0) {
                    dissector.on_gap(direction, offset, size, frame, GapReason::cut_by_snaplen);
                } else {
                    ++frame;
                    dissector.on_data(direction, offset, slice(bytes, position, position + size), frame,
                                      time_of(frame));
                }
                offset += size;
                position += size;
            }
        }
        ASSERT_LE(dissector.messages().size(), limits.max_messages);
        for (const auto& message : dissector.messages()) {
            ASSERT_LE(message.first_frame, message.frame);
            ASSERT_LE(message.frame, frame);
            (void)tls_message_name(message);
        }
    }
}

}  // namespace
}  // namespace trustcap
