#include "report/capture_loss_checks.h"

#include <gtest/gtest.h>

#include "test_findings.h"

#include <optional>
#include <string>
#include <tuple>
#include <vector>

#include "tcp_flow_fixtures.h"

namespace trustcap {
namespace {

using Frames = std::vector<std::uint64_t>;

// Whole values, so that "nothing changed" compares every member.
auto fields(const StepResult& step) { return std::tuple(step.name, step.status, step.frames, step.detail); }
auto fields(const Finding& finding) {
    return std::tuple(finding.id, finding.severity, finding.flow, finding.summary, finding.explanation, finding.frames,
                      finding.fix);
}
template <typename T>
auto all_fields(const std::vector<T>& values) {
    std::vector<decltype(fields(values.front()))> result;
    for (const T& value : values) result.push_back(fields(value));
    return result;
}

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

// A connection open from 100 s to 104 s, judged (watched until) at 110 s.
TcpFlow open_flow() {
    TcpFlow flow;
    flow.id = 7;
    flow.client = Endpoint{*IpAddress::parse("10.20.30.40"), 51512};
    flow.server = Endpoint{*IpAddress::parse("146.112.59.25"), 443};
    flow.roles_from_syn = true;
    flow.first_frame = 1;
    flow.first_time = Timestamp{100, 0};
    flow.last_frame = 3;
    flow.last_time = Timestamp{104, 0};
    flow.watched_until = Timestamp{110, 0};
    return flow;
}

// The client sent its SYN three times (frames 1-3) and no SYN-ACK was captured.
TcpFlow unanswered_syns() {
    TcpFlow flow = open_flow();
    FlowDirection& client = flow.side(Direction::client_to_server);
    client.syn_frames = {1, 2, 3};
    client.packets = 3;
    client.initial_seq = 1000;
    return flow;
}

FlowReport report_of(const TcpFlow& flow) {
    FlowReport report;
    report.id = flow.id;
    report.client = flow.client;
    report.server = flow.server;
    report.kind = ServerKind::licensing;
    report.start = flow.first_time;
    report.end = flow.last_time;
    return report;
}

FlowReport no_synack_report(const TcpFlow& flow) {
    FlowReport report = report_of(flow);
    report.steps = {StepResult{StepName::tcp, StepStatus::fail, {1, 2, 3}, "no SYN-ACK from the server"},
                    StepResult{StepName::tls, StepStatus::not_seen, {}, "no TCP connection"},
                    StepResult{StepName::teardown, StepStatus::not_applicable, {}, ""}};
    report.findings = {
        test_finding("tcp.no_synack", Severity::error, flow.id, "The server never answered the SYN", "Nothing came back.",
                {1, 2, 3}, {"check the route"}),
        test_finding("proxy.bypassed", Severity::error, flow.id, "The device went around the proxy", "Direct.", {1},
                {"ip http client proxy-server"}),
        test_finding("capture.one_sided", Severity::warning, flow.id, "Only one side was captured", "One side.", {}, {})};
    return report;
}

const Finding* find(const FlowReport& report, const std::string& id) {
    for (const Finding& finding : report.findings)
        if (finding.id == id) return &finding;
    return nullptr;
}

TEST(CaptureLossChecks, DropsWhileOpenMakeAStepThatFailedForWantOfAPacketUnknown) {
    TcpFlow flow = unanswered_syns();
    FlowReport report = no_synack_report(flow);
    const FlowReport before = report;

    account_for_capture_loss(report, FlowEvidence{&flow, nullptr, {}}, {CaptureLoss{{101, 0}, {102, 0}, 37}});

    ASSERT_EQ(3u, report.steps.size());
    const StepResult& tcp = report.steps[0];
    EXPECT_EQ(StepName::tcp, tcp.name);
    EXPECT_EQ(StepStatus::unknown, tcp.status);
    EXPECT_EQ((Frames{1, 2, 3}), tcp.frames);
    EXPECT_TRUE(contains(tcp.detail, "drops")) << tcp.detail;
    EXPECT_TRUE(contains(tcp.detail, "no SYN-ACK from the server")) << tcp.detail;
    // Steps that did not fail stay as they were.
    EXPECT_EQ(fields(before.steps[1]), fields(report.steps[1]));
    EXPECT_EQ(fields(before.steps[2]), fields(report.steps[2]));

    ASSERT_EQ(4u, report.findings.size());
    const Finding& no_synack = report.findings[0];
    EXPECT_EQ("tcp.no_synack", no_synack.id);
    EXPECT_EQ(Severity::warning, no_synack.severity);
    EXPECT_TRUE(contains(no_synack.explanation, "Nothing came back.")) << no_synack.explanation;
    EXPECT_TRUE(contains(no_synack.explanation, "37 packets")) << no_synack.explanation;
    EXPECT_EQ((Frames{1, 2, 3}), no_synack.frames);
    // A finding that does not rest on a missing packet keeps its severity.
    EXPECT_EQ(fields(before.findings[1]), fields(report.findings[1]));
    EXPECT_EQ(fields(before.findings[2]), fields(report.findings[2]));

    const Finding& drops = report.findings[3];
    EXPECT_EQ("capture.drops_hide_step", drops.id);
    EXPECT_EQ(Severity::warning, drops.severity);
    EXPECT_EQ(std::optional<std::uint64_t>{7}, drops.flow);
    EXPECT_TRUE(contains(drops.summary, "37 packets")) << drops.summary;
    EXPECT_TRUE(contains(drops.summary, "step tcp")) << drops.summary;
    EXPECT_FALSE(drops.explanation.empty());
    EXPECT_FALSE(drops.fix.empty());
}

TEST(CaptureLossChecks, DropsBeforeTheFirstPacketOrAfterJudgingChangeNothing) {
    TcpFlow flow = unanswered_syns();
    for (const CaptureLoss& loss : {CaptureLoss{{90, 0}, {99, 500'000'000}, 50},
                                    CaptureLoss{{110, 500'000'000}, {115, 0}, 50}}) {
        FlowReport report = no_synack_report(flow);
        const FlowReport before = report;
        account_for_capture_loss(report, FlowEvidence{&flow, nullptr, {}}, {loss});
        EXPECT_EQ(all_fields(before.steps), all_fields(report.steps)) << loss.from.seconds;
        EXPECT_EQ(all_fields(before.findings), all_fields(report.findings)) << loss.from.seconds;
    }
}

TEST(CaptureLossChecks, NoLossChangesNothing) {
    TcpFlow flow = unanswered_syns();
    FlowReport report = no_synack_report(flow);
    const FlowReport before = report;
    account_for_capture_loss(report, FlowEvidence{&flow, nullptr, {}}, {});
    account_for_capture_loss(report, FlowEvidence{&flow, nullptr, {}}, {CaptureLoss{{101, 0}, {102, 0}, 0}});
    EXPECT_EQ(all_fields(before.steps), all_fields(report.steps));
    EXPECT_EQ(all_fields(before.findings), all_fields(report.findings));
}

TEST(CaptureLossChecks, LossWindowsThatOverlapTheFlowOnlyInPartCount) {
    TcpFlow flow = unanswered_syns();
    // Straddling the first packet; after the last packet but before judging; straddling the judging.
    for (const CaptureLoss& loss : {CaptureLoss{{95, 0}, {100, 500'000'000}, 5},
                                    CaptureLoss{{106, 0}, {108, 0}, 5},
                                    CaptureLoss{{109, 0}, {120, 0}, 5}}) {
        FlowReport report = no_synack_report(flow);
        account_for_capture_loss(report, FlowEvidence{&flow, nullptr, {}}, {loss});
        EXPECT_EQ(StepStatus::unknown, report.steps[0].status) << loss.from.seconds;
        EXPECT_NE(nullptr, find(report, "capture.drops_hide_step")) << loss.from.seconds;
    }
}

TEST(CaptureLossChecks, LossesAreSummedOverTheWindowsThatOverlap) {
    TcpFlow flow = unanswered_syns();
    FlowReport report = no_synack_report(flow);
    account_for_capture_loss(report, FlowEvidence{&flow, nullptr, {}},
                             {CaptureLoss{{80, 0}, {90, 0}, 1000},  // before the flow: not counted
                              CaptureLoss{{99, 0}, {101, 0}, 3},
                              CaptureLoss{{102, 0}, {103, 0}, 4},
                              CaptureLoss{{107, 0}, {111, 0}, 5},
                              CaptureLoss{{111, 0}, {112, 0}, 2000}});  // after judging: not counted
    const Finding* drops = find(report, "capture.drops_hide_step");
    ASSERT_NE(nullptr, drops);
    EXPECT_TRUE(contains(drops->summary, "lost 12 packets")) << drops->summary;
    EXPECT_TRUE(contains(report.findings[0].explanation, "lost 12 packets")) << report.findings[0].explanation;
}

TEST(CaptureLossChecks, OneLostPacketIsSingular) {
    TcpFlow flow = unanswered_syns();
    FlowReport report = no_synack_report(flow);
    account_for_capture_loss(report, FlowEvidence{&flow, nullptr, {}}, {CaptureLoss{{101, 0}, {102, 0}, 1}});
    const Finding* drops = find(report, "capture.drops_hide_step");
    ASSERT_NE(nullptr, drops);
    EXPECT_TRUE(contains(drops->summary, "lost 1 packet ")) << drops->summary;
}

TEST(CaptureLossChecks, AFailureShownByACapturedResetStands) {
    TcpFlow flow = unanswered_syns();
    flow.side(Direction::server_to_client).resets = {testing::reset_at(4)};
    flow.side(Direction::server_to_client).rst_packets = 1;
    FlowReport report = report_of(flow);
    report.steps = {StepResult{StepName::tcp, StepStatus::fail, {1, 4}, "reset by the server"}};
    report.findings = {test_finding("tcp.rst_to_syn", Severity::error, flow.id, "The server refused the connection",
                               "RST.", {4}, {"open the port"}),
                       test_finding("tcp.no_synack", Severity::error, flow.id, "No SYN-ACK", "None.", {1}, {})};
    const FlowReport before = report;

    account_for_capture_loss(report, FlowEvidence{&flow, nullptr, {}}, {CaptureLoss{{101, 0}, {102, 0}, 9}});

    EXPECT_EQ(all_fields(before.steps), all_fields(report.steps));
    EXPECT_EQ(all_fields(before.findings), all_fields(report.findings));
    EXPECT_EQ(nullptr, find(report, "capture.drops_hide_step"));
}

TEST(CaptureLossChecks, AFailureShownByACapturedIcmpErrorStands) {
    TcpFlow flow = unanswered_syns();
    flow.icmp_errors = {IcmpError{5, *IpAddress::parse("10.20.30.1"), false, 3, 13}};
    FlowReport report = report_of(flow);
    report.steps = {StepResult{StepName::tcp, StepStatus::fail, {1, 5}, "administratively filtered"}};
    report.findings = {test_finding("tcp.icmp_unreachable", Severity::error, flow.id, "A router refused", "ICMP.", {5}, {})};
    const FlowReport before = report;

    account_for_capture_loss(report, FlowEvidence{&flow, nullptr, {}}, {CaptureLoss{{101, 0}, {102, 0}, 9}});

    EXPECT_EQ(all_fields(before.steps), all_fields(report.steps));
    EXPECT_EQ(all_fields(before.findings), all_fields(report.findings));
}

TEST(CaptureLossChecks, OnlyTheStepsWithoutACapturedFailureBecomeUnknown) {
    TcpFlow flow = open_flow();
    flow.side(Direction::client_to_server).syn_frames = {1};
    flow.side(Direction::server_to_client).syn_frames = {2};
    flow.handshake_ack_frame = 3;
    flow.side(Direction::server_to_client).resets = {testing::reset_at(9)};
    FlowReport report = report_of(flow);
    report.steps = {StepResult{StepName::tcp, StepStatus::pass, {1, 2, 3}, "SYN, SYN-ACK, ACK"},
                    StepResult{StepName::appdata, StepStatus::fail, {4}, "no response to the request"},
                    StepResult{StepName::teardown, StepStatus::fail, {9}, "reset by the server"}};
    const FlowReport before = report;

    account_for_capture_loss(report, FlowEvidence{&flow, nullptr, {}}, {CaptureLoss{{101, 0}, {102, 0}, 2}});

    EXPECT_EQ(fields(before.steps[0]), fields(report.steps[0]));
    EXPECT_EQ(StepStatus::unknown, report.steps[1].status);
    EXPECT_EQ(fields(before.steps[2]), fields(report.steps[2]));
    const Finding* drops = find(report, "capture.drops_hide_step");
    ASSERT_NE(nullptr, drops);
    EXPECT_TRUE(contains(drops->summary, "step appdata")) << drops->summary;
    EXPECT_FALSE(contains(drops->summary, "teardown")) << drops->summary;
    EXPECT_FALSE(contains(drops->summary, "tcp")) << drops->summary;
}

TEST(CaptureLossChecks, PassingStepsAreNeverTouched) {
    TcpFlow flow = open_flow();
    flow.side(Direction::client_to_server).syn_frames = {1};
    flow.side(Direction::server_to_client).syn_frames = {2};
    flow.handshake_ack_frame = 3;
    FlowReport report = report_of(flow);
    report.steps = {StepResult{StepName::tcp, StepStatus::pass, {1, 2, 3}, "SYN, SYN-ACK, ACK"},
                    StepResult{StepName::tls, StepStatus::pass, {4, 5}, "TLSv1.2"},
                    StepResult{StepName::appdata, StepStatus::pass, {6, 7}, "request and response"},
                    StepResult{StepName::teardown, StepStatus::not_seen, {}, "the capture ended first"}};
    report.findings = {test_finding("capture.ended_mid_flow", Severity::warning, flow.id, "Ended mid-flow", "Cut.", {}, {})};
    report.healthy = true;
    const FlowReport before = report;

    account_for_capture_loss(report, FlowEvidence{&flow, nullptr, {}}, {CaptureLoss{{50, 0}, {200, 0}, 400}});

    EXPECT_EQ(all_fields(before.steps), all_fields(report.steps));
    EXPECT_EQ(all_fields(before.findings), all_fields(report.findings));
}

// A connection that got through TCP (frames 1-3), then frame 4 from the device.
TcpFlow connected_flow() {
    TcpFlow flow = open_flow();
    flow.side(Direction::client_to_server).syn_frames = {1};
    flow.side(Direction::server_to_client).syn_frames = {2};
    flow.handshake_ack_frame = 3;
    return flow;
}

TEST(CaptureLossChecks, BytesThatAreNotTlsStand) {
    TcpFlow flow = connected_flow();
    FlowReport report = report_of(flow);
    report.steps = {StepResult{StepName::tcp, StepStatus::pass, {1, 2, 3}, "SYN, SYN-ACK, ACK"},
                    StepResult{StepName::tls, StepStatus::fail, {4}, "the device sent unknown binary data, not TLS"}};
    report.findings = {test_finding("tls.not_tls", Severity::error, flow.id, "Not TLS (frame 4)", "", {4}, {})};
    const FlowReport before = report;
    account_for_capture_loss(report, FlowEvidence{&flow, nullptr, {}}, {CaptureLoss{{101, 0}, {102, 0}, 9}});
    EXPECT_EQ(all_fields(before.steps), all_fields(report.steps));
    EXPECT_EQ(all_fields(before.findings), all_fields(report.findings));
}

TEST(CaptureLossChecks, AHandshakeEndedByAFinStands) {
    TcpFlow flow = connected_flow();
    flow.side(Direction::server_to_client).fin_frame = 6;
    FlowReport report = report_of(flow);
    report.steps = {StepResult{StepName::tls, StepStatus::fail, {4, 6}, "the handshake stopped: FIN from the server"}};
    const FlowReport before = report;
    account_for_capture_loss(report, FlowEvidence{&flow, nullptr, {}}, {CaptureLoss{{101, 0}, {102, 0}, 9}});
    EXPECT_EQ(all_fields(before.steps), all_fields(report.steps));
    EXPECT_TRUE(report.findings.empty());
}

TEST(CaptureLossChecks, AnAnswerMissingBeforeAFinMayBeAmongTheLostPackets) {
    TcpFlow flow = connected_flow();
    flow.side(Direction::client_to_server).fin_frame = 9;
    FlowReport report = report_of(flow);
    report.steps = {StepResult{StepName::appdata, StepStatus::fail, {8, 9}, "no answer before the device closed"}};
    report.findings = {test_finding("app.no_response", Severity::error, flow.id, "No answer", "", {8, 9}, {})};
    account_for_capture_loss(report, FlowEvidence{&flow, nullptr, {}}, {CaptureLoss{{101, 0}, {102, 0}, 9}});
    EXPECT_EQ(StepStatus::unknown, report.steps[0].status);
    EXPECT_EQ(Severity::warning, report.findings[0].severity);
    ASSERT_NE(nullptr, find(report, "capture.drops_hide_step"));
}

}  // namespace
}  // namespace trustcap
