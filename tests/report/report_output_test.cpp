#include <gtest/gtest.h>

#include "test_findings.h"

#include <algorithm>
#include <regex>

#include <nlohmann/json.hpp>

#include "report/diagnosis.h"
#include "report/json_writer.h"
#include "report/text_writer.h"
#include "capture/packet.h"
#include "report/time_format.h"
#include "report/timeline.h"

namespace trustcap {
namespace {

Report sample_report() {
    Report report;
    report.capture.file = "cssm.pcap";
    report.capture.link_type = "EN10MB";
    report.capture.frames = 12;
    report.capture.first_time = Timestamp{1'629'718'273, 351'000'000};
    report.capture.last_time = Timestamp{1'629'718'274, 0};
    FlowReport flow;
    flow.id = 3;
    flow.client = Endpoint{*IpAddress::parse("192.168.10.150"), 22425};
    flow.server = Endpoint{*IpAddress::parse("192.133.220.90"), 443};
    flow.start = *report.capture.first_time;
    flow.end = *report.capture.last_time;
    flow.steps = {StepResult{StepName::tcp, StepStatus::pass, {1, 2, 3}, "SYN, SYN-ACK, ACK"},
                  StepResult{StepName::teardown, StepStatus::fail, {9}, "reset by the server"}};
    Finding reset = test_finding("tcp.reset", Severity::error, 3, "The server reset the connection", "why", {9}, {"do this"});
    flow.findings = {reset};
    report.findings = {reset};
    report.flows = {flow};
    return report;
}

TEST(TimeFormat, IsoWithFilePrecision) {
    Timestamp time{1'629'718'273, 351'123'456};
    EXPECT_EQ("2021-08-23T11:31:13.351123Z", iso8601_utc(time, 6));
    EXPECT_EQ("2021-08-23T11:31:13.351123456Z", iso8601_utc(time, 9));
    EXPECT_EQ("2021-08-23 11:31:13.351 UTC", readable_utc(time));
    EXPECT_EQ("1.500000", relative_seconds(Timestamp{11, 500'000'000}, Timestamp{10, 0}, 6));
}

TEST(JsonWriter, FollowsTheContract) {
    auto json = nlohmann::json::parse(to_json(sample_report(), "9.9.9"));
    EXPECT_EQ(1, json["schema_version"]);
    EXPECT_EQ("trustcap", json["tool"]["name"]);
    EXPECT_EQ("9.9.9", json["tool"]["version"]);
    EXPECT_EQ("EN10MB", json["capture"]["link_type"]);
    EXPECT_EQ(12, json["capture"]["frames"]);
    EXPECT_EQ("2021-08-23T11:31:13.351000Z", json["capture"]["first_time"]);
    EXPECT_EQ(true, json["capture"]["complete"]);
    EXPECT_EQ("problem", json["verdict"]);
    const auto& flow = json["flows"][0];
    EXPECT_EQ(3, flow["id"]);
    EXPECT_EQ("192.168.10.150", flow["client"]["ip"]);
    EXPECT_EQ(22425, flow["client"]["port"]);
    EXPECT_TRUE(flow["proxy"].is_null());
    EXPECT_EQ("tcp", flow["steps"][0]["step"]);
    EXPECT_EQ("pass", flow["steps"][0]["status"]);
    EXPECT_EQ((std::vector<int>{1, 2, 3}), flow["steps"][0]["frames"].get<std::vector<int>>());
    EXPECT_EQ("tcp.reset", json["findings"][0]["id"]);
    EXPECT_EQ("error", json["findings"][0]["severity"]);
    EXPECT_EQ(3, json["findings"][0]["flow"]);
    EXPECT_EQ("do this", json["findings"][0]["fix"][0]);
}

TEST(JsonWriter, TextFromTheWireThatIsNotUtf8IsEscapedNotRefused) {
    Report report = sample_report();
    report.flows[0].server_name = "bad\xa2name";
    report.findings[0].summary = "CONNECT \xff\xfe";
    std::string json;
    ASSERT_NO_THROW(json = to_json(report, "1"));
    auto parsed = nlohmann::json::parse(json);
    EXPECT_EQ("bad\\xA2name", parsed["flows"][0]["server_name"]);
    EXPECT_EQ("CONNECT \\xFF\\xFE", parsed["findings"][0]["summary"]);
}

// A fix block pastes at the device's prompt: sentences are IOS XE comments, commands stay as they are.
TEST(TextWriter, WritesAFixAsABlockWhoseSentencesAreComments) {
    Report report = sample_report();
    report.flows.front().findings.front().fix = {"Check the firewall", "show license status"};
    std::string plain = to_text(report, TextOptions{false});
    EXPECT_TRUE(std::regex_search(plain, std::regex("Fix:\n +! Check the firewall\n +show license status\n"))) << plain;
}

TEST(TextWriter, AFixTwoFindingsShareIsWrittenOnce) {
    Report report = sample_report();
    Finding& reset = report.flows.front().findings.front();
    reset.fix = {"Check the firewall", "show license status"};
    Finding again = reset;
    again.id = "tcp.reset_again";
    Finding other = reset;
    other.id = "tcp.other";
    other.fix = {"show license all"};
    report.flows.front().findings = {reset, again, other};
    std::string plain = to_text(report, TextOptions{false});
    EXPECT_EQ(1, std::count(plain.begin(), plain.end(), '!')) << plain;  // the comment line, once
    EXPECT_NE(std::string::npos, plain.find("tcp.reset_again: The server reset the connection\n")) << plain;
    EXPECT_NE(std::string::npos, plain.find("Fix: as for tcp.reset above\n")) << plain;
    EXPECT_NE(std::string::npos, plain.find("show license all\n")) << plain;
}

TEST(TextWriter, BriefIsTheVerdictThenALinePerCaptureFindingAndPerFlow) {
    Report report = sample_report();
    report.diagnosis = "The server reset the licensing connection.";
    report.findings.push_back(test_finding("capture.ended_mid_flow", Severity::warning, std::nullopt, "The capture ends", "why", {}, {}));
    std::string brief = to_text(report, TextOptions{false, true});
    EXPECT_EQ("trustcap: cssm.pcap (EN10MB, 12 frames, 2021-08-23 11:31:13.351 UTC to 2021-08-23 11:31:14.000 UTC)\n"
              "Verdict: PROBLEM — 1 flow checked, 0 healthy; 0 other TCP flows not checked\n"
              "The server reset the licensing connection.\n"
              "WARNING capture.ended_mid_flow: The capture ends\n"
              "Flow 3  192.168.10.150:22425 \u2192 192.133.220.90:443  PROBLEM  " +
                  diagnose_flow(report.flows.front()) + ".\n",
              brief);
}

TEST(TextWriter, ShowsStepsFindingsAndNoColourUnlessAsked) {
    std::string plain = to_text(sample_report(), TextOptions{false});
    EXPECT_NE(std::string::npos, plain.find("Verdict: PROBLEM"));
    EXPECT_NE(std::string::npos, plain.find("192.168.10.150:22425 \u2192 192.133.220.90:443"));
    EXPECT_NE(std::string::npos, plain.find("FAIL"));
    EXPECT_NE(std::string::npos, plain.find("tcp.reset: The server reset the connection"));
    EXPECT_NE(std::string::npos, plain.find("Fix:\n"));
    EXPECT_TRUE(std::regex_search(plain, std::regex("Fix:\n +do this\n"))) << plain;
    EXPECT_EQ(std::string::npos, plain.find('\033'));
    EXPECT_NE(std::string::npos, to_text(sample_report(), TextOptions{true}).find('\033'));
}

TEST(Timeline, InfoReadsLikeWireshark) {
    TcpFlow flow;
    flow.client = Endpoint{*IpAddress::parse("10.0.0.1"), 51512};
    flow.server = Endpoint{*IpAddress::parse("10.0.0.2"), 443};
    FlowPacket syn;
    syn.frame = 1;
    syn.tcp_flags = tcp_flag::syn;
    syn.window = 64240;
    FlowPacket data;
    data.frame = 4;
    data.direction = Direction::server_to_client;
    data.tcp_flags = tcp_flag::psh | tcp_flag::ack;
    data.relative_seq = 1;
    data.relative_ack = 518;
    data.window = 501;
    data.payload_length = 1200;
    data.notes = packet_note::retransmission;
    FlowPacket icmp;
    icmp.frame = 5;
    icmp.is_icmp = true;
    icmp.icmp_sender = *IpAddress::parse("10.0.0.254");
    icmp.icmp_type = 3;
    icmp.icmp_code = 13;
    flow.timeline = {syn, data, icmp};
    auto rows = build_timeline(flow, nullptr, TlsSummary{});
    ASSERT_EQ(3u, rows.size());
    EXPECT_EQ("51512 \u2192 443 [SYN] Seq=0 Win=64240 Len=0", rows[0].info);
    EXPECT_EQ("[TCP Retransmission] 443 \u2192 51512 [PSH, ACK] Seq=1 Ack=518 Win=501 Len=1200", rows[1].info);
    EXPECT_EQ("10.0.0.2", rows[1].source.to_string());
    EXPECT_EQ("Destination unreachable (Communication administratively filtered)", rows[2].info);
    EXPECT_EQ("ICMP", rows[2].protocol);
    EXPECT_EQ("10.0.0.1", rows[2].destination.to_string());
}

// Plain HTTP on a kept-alive connection: every exchange is labelled, two requests
// sent in one segment in the order they were sent.
TEST(Timeline, LabelsEveryHttpExchangeInOrder) {
    TcpFlow flow;
    flow.client = Endpoint{*IpAddress::parse("10.20.30.40"), 51512};
    flow.server = Endpoint{*IpAddress::parse("10.50.0.20"), 8182};
    FlowPacket requests;
    requests.frame = 4;
    requests.payload_length = 100;
    FlowPacket answers;
    answers.frame = 5;
    answers.direction = Direction::server_to_client;
    answers.payload_length = 100;
    flow.timeline = {requests, answers};
    ConnectionDissector connection;
    const std::string sent = "POST /one HTTP/1.1\r\nContent-Length: 0\r\n\r\nPOST /two HTTP/1.1\r\n\r\n";
    const std::string answered = "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\nHTTP/1.1 500 Oops\r\nContent-Length: 0\r\n\r\n";
    const std::vector<std::uint8_t> sent_bytes(sent.begin(), sent.end());
    const std::vector<std::uint8_t> answered_bytes(answered.begin(), answered.end());
    connection.on_data(Direction::client_to_server, 0, sent_bytes, 4, Timestamp{});
    connection.on_data(Direction::server_to_client, 0, answered_bytes, 5, Timestamp{});
    const ConnectionFacts facts = facts_of(connection);
    auto rows = build_timeline(flow, &facts, TlsSummary{});
    ASSERT_EQ(2u, rows.size());
    EXPECT_EQ("HTTP", rows[0].protocol);
    EXPECT_EQ("POST /one HTTP/1.1, POST /two HTTP/1.1", rows[0].info);
    EXPECT_EQ("HTTP/1.1 200 OK, HTTP/1.1 500 Oops", rows[1].info);
}

}  // namespace
}  // namespace trustcap
