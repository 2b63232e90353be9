#include "report/tls_checks.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "tests/report/tcp_flow_fixtures.h"

namespace trustcap {
namespace {

using testing::client;
using testing::Frames;
using testing::ids;
using testing::only;
using testing::server;
using ByteVector = std::vector<std::uint8_t>;

constexpr Direction from_device = Direction::client_to_server;
constexpr Direction from_server = Direction::server_to_client;
constexpr std::int64_t hello_second = 100;

// --- hand-assembled TLS -----------------------------------------------------

ByteVector concat(std::initializer_list<ByteVector> parts) {
    ByteVector bytes;
    for (const auto& part : parts) bytes.insert(bytes.end(), part.begin(), part.end());
    return bytes;
}

ByteVector u16(std::size_t value) { return {static_cast<std::uint8_t>(value >> 8), static_cast<std::uint8_t>(value)}; }

ByteVector record(std::uint8_t type, const ByteVector& body) { return concat({{type, 3, 3}, u16(body.size()), body}); }

ByteVector handshake(std::uint8_t type, const ByteVector& body) {
    return concat({{type, 0}, u16(body.size()), body});
}

ByteVector client_hello() {
    const std::string name = "smartreceiver.cisco.com";
    const ByteVector host(name.begin(), name.end());
    const ByteVector sni = concat({u16(0), u16(host.size() + 5), u16(host.size() + 3), {0}, u16(host.size()), host});
    return record(22, handshake(1, concat({u16(0x0303), ByteVector(32, 0xAB), {0}, u16(2), {0xC0, 0x2F}, {1, 0},
                                           u16(sni.size()), sni})));
}

ByteVector server_hello() {
    return record(22, handshake(2, concat({u16(0x0303), ByteVector(32, 0x11), {0}, u16(0xC02F), {0}, u16(0)})));
}

ByteVector alert(std::uint8_t level, std::uint8_t description) { return record(21, {level, description}); }

ByteVector finished_flight() { return concat({record(20, {1}), record(22, ByteVector(40, 0x5A))}); }

// One TLS connection's bytes, each call one frame.
struct Connection {
    TcpFlow flow = testing::base_flow();
    TlsStreamDissector tls;
    std::array<std::uint64_t, 2> offsets{};

    Connection() {
        testing::established(flow);
        flow.server.port = 443;
    }

    void send(Direction direction, std::uint64_t frame, std::int64_t second, const ByteVector& bytes) {
        auto& offset = offsets[static_cast<std::size_t>(index_of(direction))];
        tls.on_data(direction, offset, bytes, frame, Timestamp{second, 0});
        offset += bytes.size();
        flow.side(direction).payload_bytes += bytes.size();
        flow.last_frame = std::max(flow.last_frame, frame);
        flow.last_time = Timestamp{second, 0};
    }

    void fin(Direction direction, std::uint64_t frame, std::int64_t second) {
        flow.side(direction).fin_frame = frame;
        FlowPacket packet;
        packet.frame = frame;
        packet.time = Timestamp{second, 0};
        packet.direction = direction;
        flow.timeline.push_back(packet);
        flow.last_frame = std::max(flow.last_frame, frame);
        flow.last_time = packet.time;
    }

    TlsAssessment judge(const HttpExchange* tunnel = nullptr) { return judge_facts(facts_of(tls), tunnel); }
    TlsAssessment judge_facts(const TlsFacts& facts, const HttpExchange* tunnel = nullptr) {
        CertificateCache certificates;
        summary = summarize_tls(facts.messages, {}, certificates, 0, "");
        return assess_tls(TlsContext{flow, facts, summary, StepStatus::pass, false, true, tunnel});
    }

    TlsSummary summary;
};

// Client Hello 6; the test adds the rest.
void send_hello(Connection& connection) { connection.send(from_device, 6, hello_second, client_hello()); }

// The rest of a TLS 1.2 handshake and one request and answer.
void complete_exchange(Connection& connection) {
    connection.send(from_server, 8, hello_second, server_hello());
    connection.send(from_device, 12, hello_second + 1, finished_flight());
    connection.send(from_server, 14, hello_second + 1, finished_flight());
    connection.send(from_device, 15, hello_second + 1, record(23, ByteVector(100, 1)));
    connection.send(from_server, 16, hello_second + 2, record(23, ByteVector(200, 2)));
}

// --- alerts ------------------------------------------------------------------

TEST(TlsChecksAlerts, WarningAlertDoesNotEndTheHandshake) {
    Connection connection;
    send_hello(connection);
    connection.send(from_server, 7, hello_second, alert(1, 112));
    complete_exchange(connection);
    TlsAssessment result = connection.judge();
    EXPECT_EQ(result.handshake.status, StepStatus::pass);
    EXPECT_EQ(result.handshake.frames, (Frames{6, 8, 12, 14}));
    EXPECT_EQ(result.appdata.status, StepStatus::pass);
    const Finding& warning = only(result.findings, "tls.alert.unrecognized_name");
    EXPECT_EQ(warning.severity, Severity::warning);
    EXPECT_EQ(warning.frames, Frames{7});
    EXPECT_EQ(warning.summary, "The server sent a warning TLS alert: Unrecognized Name (frame 7); the handshake went on");
    EXPECT_EQ(warning.explanation.find("ended"), std::string::npos) << warning.explanation;
}

TEST(TlsChecksAlerts, WarningThatSaysNothingIsNoFinding) {
    Connection connection;
    send_hello(connection);
    connection.send(from_server, 7, hello_second, alert(1, 90));  // user_canceled
    complete_exchange(connection);
    TlsAssessment result = connection.judge();
    EXPECT_EQ(result.handshake.status, StepStatus::pass);
    EXPECT_TRUE(result.findings.empty()) << ids(result.findings).front();
}

TEST(TlsChecksAlerts, WarningThenTheSendersCloseFailsTheStep) {
    Connection connection;
    send_hello(connection);
    connection.send(from_server, 7, hello_second, alert(1, 112));
    connection.fin(from_server, 8, hello_second);
    TlsAssessment result = connection.judge();
    EXPECT_EQ(result.handshake.status, StepStatus::fail);
    EXPECT_EQ(result.handshake.frames, (Frames{6, 7}));
    const Finding& finding = only(result.findings, "tls.alert.unrecognized_name");
    EXPECT_EQ(finding.severity, Severity::error);
    EXPECT_NE(finding.explanation.find("then closed the connection (frame 8)"), std::string::npos)
        << finding.explanation;
}

TEST(TlsChecksAlerts, FatalAlertEndsTheHandshake) {
    Connection connection;
    send_hello(connection);
    connection.send(from_server, 7, hello_second, alert(2, 40));
    TlsAssessment result = connection.judge();
    EXPECT_EQ(result.handshake.status, StepStatus::fail);
    EXPECT_EQ(result.handshake.frames, (Frames{6, 7}));
    EXPECT_EQ(only(result.findings, "tls.alert.handshake_failure").severity, Severity::error);
}

// After Change Cipher Spec an alert is encrypted: its own kind, not an inferred TLS 1.3 alert.
TEST(TlsChecksAlerts, AnEncryptedAlertEndsTheHandshakeUnderItsOwnId) {
    Connection connection;
    send_hello(connection);
    connection.send(from_server, 8, hello_second, server_hello());
    connection.send(from_device, 12, hello_second + 1, finished_flight());
    connection.send(from_server, 14, hello_second + 1, concat({record(20, {1}), record(21, ByteVector(26, 0x7E))}));
    TlsAssessment result = connection.judge();
    EXPECT_EQ(result.handshake.status, StepStatus::fail);
    const Finding& encrypted = only(result.findings, "tls.encrypted_alert");
    EXPECT_EQ(FindingKind::tls_encrypted_alert, encrypted.kind);
    EXPECT_EQ(encrypted.frames, (Frames{14}));
    EXPECT_EQ((std::vector<std::string>{"tls.encrypted_alert"}), ids(result.findings));
}

// The same alert as a key log lets the dissector read it: named, and said to be decrypted.
TEST(TlsChecksAlerts, ADecryptedAlertIsNamedAndSaysSo) {
    Connection connection;
    send_hello(connection);
    connection.send(from_server, 8, hello_second, server_hello());
    connection.send(from_device, 12, hello_second + 1, finished_flight());
    connection.send(from_server, 14, hello_second + 1, concat({record(20, {1}), record(21, ByteVector(26, 0x7E))}));
    TlsFacts facts = facts_of(connection.tls);
    for (TlsMessage& message : facts.messages) {
        if (message.kind != TlsMessageKind::alert) continue;
        message.decrypted = true;
        message.alert = TlsAlert{.encrypted = false, .level = 2, .description = 51};  // fatal decrypt_error
    }
    TlsAssessment result = connection.judge_facts(facts);
    EXPECT_EQ(result.handshake.status, StepStatus::fail);
    EXPECT_EQ(result.handshake.frames, (Frames{6, 14}));
    const Finding& named = only(result.findings, "tls.alert.decrypt_error");
    EXPECT_EQ(named.frames, (Frames{14}));
    EXPECT_NE(named.summary.find("frame 14, decrypted with the key log)"), std::string::npos) << named.summary;
    EXPECT_EQ((std::vector<std::string>{"tls.alert.decrypt_error"}), ids(result.findings));
}

// --- a Client Hello that gets no answer ------------------------------------

TEST(TlsChecksUnansweredHello, DeviceGivesUpAfterSilence) {
    Connection connection;
    send_hello(connection);
    connection.fin(from_device, 8, hello_second + 20);
    TlsAssessment result = connection.judge();
    EXPECT_EQ(result.handshake.status, StepStatus::fail);
    EXPECT_EQ(result.handshake.frames, (Frames{6, 8}));
    EXPECT_EQ(result.appdata.status, StepStatus::not_applicable);
    const Finding& finding = only(result.findings, "tls.client_hello_unanswered");
    EXPECT_EQ(finding.severity, Severity::error);
    EXPECT_EQ(finding.frames, (Frames{6, 8}));
    EXPECT_EQ(finding.summary,
              "The device's Client Hello (frame 6) got no answer from the server in 20.0 s, then the device gave up "
              "(FIN, frame 8)");
    EXPECT_NE(finding.explanation.find("firewall or IPS"), std::string::npos);
    EXPECT_NE(finding.explanation.find("\"Connection timed out\""), std::string::npos);
    ASSERT_FALSE(finding.fix.empty());
    ASSERT_GE(finding.fix.size(), 2u);
    EXPECT_EQ(finding.fix[1], "telnet smartreceiver.cisco.com 443 /source-interface <interface>");
    for (const std::string& fix : finding.fix) EXPECT_NE(fix.rfind("ping", 0), 0U) << fix;
}

TEST(TlsChecksUnansweredHello, ThroughAProxyTunnelNamesTheProxysFarSide) {
    Connection connection;
    send_hello(connection);
    connection.flow.server.port = 3128;
    connection.fin(from_device, 8, hello_second + 20);
    HttpExchange connect;
    connect.request.method = "CONNECT";
    connect.request.target = "smartreceiver.cisco.com:443";
    connect.response = HttpResponseHead{"HTTP/1.1", 200, "Connection established", "", std::nullopt};
    TlsAssessment result = connection.judge(&connect);
    EXPECT_EQ(result.handshake.frames, (Frames{6, 8}));
    const Finding& finding = only(result.findings, "tls.client_hello_unanswered");
    EXPECT_EQ(finding.summary,
              "The device's Client Hello (frame 6) got no answer through the proxy tunnel in 20.0 s, then the device "
              "gave up (FIN, frame 8)");
    EXPECT_NE(finding.explanation.find("far side never answered"), std::string::npos);
    EXPECT_EQ(finding.fix[0].rfind("show running-config | include license smart proxy", 0), 0U) << finding.fix[0];
}

TEST(TlsChecksUnansweredHello, CaptureEndingSoonAfterTheHelloCannotTell) {
    Connection connection;
    send_hello(connection);
    connection.flow.watched_until = Timestamp{hello_second + 2, 0};
    TlsAssessment result = connection.judge();
    EXPECT_EQ(result.handshake.status, StepStatus::unknown);
    EXPECT_EQ(result.handshake.frames, Frames{6});
    EXPECT_TRUE(result.findings.empty());
}

TEST(TlsChecksUnansweredHello, CaptureEndingLongAfterTheHelloIsSilence) {
    Connection connection;
    send_hello(connection);
    connection.flow.watched_until = Timestamp{hello_second + 30, 0};
    TlsAssessment result = connection.judge();
    EXPECT_EQ(result.handshake.status, StepStatus::fail);
    EXPECT_EQ(result.handshake.frames, Frames{6});
    EXPECT_EQ(only(result.findings, "tls.client_hello_unanswered").summary,
              "The device's Client Hello (frame 6) got no answer from the server in 30.0 s, until the capture ended");
}

TEST(TlsChecksUnansweredHello, ServerClosingFirstIsNotSilence) {
    Connection connection;
    send_hello(connection);
    connection.fin(from_server, 7, hello_second + 1);
    connection.fin(from_device, 8, hello_second + 1);
    TlsAssessment result = connection.judge();
    EXPECT_EQ(result.handshake.status, StepStatus::fail);
    EXPECT_EQ(result.handshake.frames, (Frames{6, 7}));
    EXPECT_TRUE(result.findings.empty());
}

TEST(TlsChecksUnansweredHello, AnyByteFromTheServerIsAnAnswer) {
    Connection connection;
    send_hello(connection);
    connection.send(from_server, 7, hello_second + 1, ByteVector{22, 3, 3});
    connection.fin(from_device, 8, hello_second + 20);
    TlsAssessment result = connection.judge();
    EXPECT_EQ(result.handshake.status, StepStatus::fail);
    EXPECT_EQ(result.handshake.frames, (Frames{6, 8}));
    EXPECT_TRUE(result.findings.empty());
}

// --- bytes that are not TLS ------------------------------------------------

TEST(TlsChecksNotTls, CorruptRecordAfterTheHelloShowsBothFrames) {
    Connection connection;
    send_hello(connection);
    connection.send(from_server, 7, hello_second, concat({server_hello(), {20, 0xFF, 0xFF, 0xFF, 0x01, 0x01}}));
    TlsAssessment result = connection.judge();
    EXPECT_EQ(result.handshake.status, StepStatus::fail);
    EXPECT_EQ(result.handshake.frames, (Frames{6, 7}));
    const Finding& finding = only(result.findings, "tls.not_tls");
    EXPECT_EQ(finding.frames, Frames{7});
    EXPECT_EQ(finding.summary,
              "After valid TLS records the server sent a record header that is not TLS (content type 20, version "
              "0xFFFF, length 65281) (frame 7)");
}

TEST(TlsChecksNotTls, ServerSpeakingFirstToASilentDeviceIsNoTlsConnection) {
    Connection connection;
    const std::string text = "GET / HTTP/1.1\r\n\r\n";
    connection.send(from_server, 2, hello_second, ByteVector(text.begin(), text.end()));
    TlsAssessment result = connection.judge();
    EXPECT_EQ(result.handshake.status, StepStatus::not_applicable);
    EXPECT_EQ(result.appdata.status, StepStatus::not_seen);
    EXPECT_TRUE(result.findings.empty());
}

}  // namespace
}  // namespace trustcap
