#include "report/diagnosis.h"

#include <gtest/gtest.h>

#include "report/attempts.h"
#include "test_findings.h"

namespace trustcap {
namespace {

bool says(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

StepResult step(StepName name, StepStatus status, std::vector<std::uint64_t> frames = {}, std::string detail = "") {
    return StepResult{name, status, std::move(frames), std::move(detail)};
}

Finding finding(std::string_view id, Severity severity, std::string summary) {
    return test_finding(id, severity, 1, std::move(summary));
}

FlowReport licensing_flow(std::uint64_t id = 1, std::int64_t start = 100) {
    FlowReport flow;
    flow.id = id;
    flow.client = Endpoint{*IpAddress::parse("10.20.30.40"), static_cast<std::uint16_t>(51000 + id)};
    flow.server = Endpoint{*IpAddress::parse("146.112.59.25"), 443};
    flow.kind = ServerKind::licensing;
    flow.server_name = "smartreceiver.cisco.com";
    flow.start = Timestamp{start, 0};
    flow.steps = {step(StepName::connect, StepStatus::not_applicable), step(StepName::tcp, StepStatus::pass, {1, 2, 3}),
                  step(StepName::tls, StepStatus::pass, {4, 5, 8, 9}), step(StepName::appdata, StepStatus::pass, {10, 11}),
                  step(StepName::teardown, StepStatus::pass, {12, 13, 14})};
    return flow;
}

void set(FlowReport& flow, StepName name, StepStatus status, std::vector<std::uint64_t> frames, std::string detail) {
    for (StepResult& each : flow.steps)
        if (each.name == name) each = step(name, status, std::move(frames), std::move(detail));
}

Report report_of(std::vector<FlowReport> flows, bool healthy) {
    Report report;
    report.flows = std::move(flows);
    report.attempts = group_attempts(report.flows);
    report.healthy = healthy;
    return report;
}

TEST(Diagnosis, AFailedStepIsExplainedByItsOwnFindingNotALaterOnesWarning) {
    FlowReport flow = licensing_flow();
    set(flow, StepName::tls, StepStatus::fail, {4, 6}, "the server ended the handshake with an alert");
    set(flow, StepName::appdata, StepStatus::not_applicable, {}, "no TLS session");
    set(flow, StepName::teardown, StepStatus::not_seen, {}, "no FIN or reset");
    flow.findings = {finding("capture.ended_mid_flow", Severity::warning, "The capture ends before the close"),
                     finding("tls.alert.unknown_ca", Severity::error, "The server rejected the device's certificate")};
    std::string text = diagnose_flow(flow);
    EXPECT_TRUE(says(text, "failed at step tls: the server rejected the device's certificate")) << text;
    EXPECT_FALSE(says(text, "capture ends")) << text;
}

TEST(Diagnosis, TheFirstFailedStepSpeaks) {
    FlowReport flow = licensing_flow();
    set(flow, StepName::tcp, StepStatus::fail, {1, 2}, "refused");
    set(flow, StepName::teardown, StepStatus::fail, {9}, "reset");
    flow.findings = {finding("tcp.reset", Severity::error, "The server reset the connection at frame 9"),
                     finding("tcp.rst_to_syn", Severity::error, "Connection refused: the SYN was answered with a reset")};
    EXPECT_TRUE(says(diagnose_flow(flow), "failed at step tcp: connection refused")) << diagnose_flow(flow);
}

TEST(Diagnosis, TheRootCauseFollowsTheSymptom) {
    FlowReport flow = licensing_flow();
    set(flow, StepName::tls, StepStatus::fail, {4, 6}, "alert");
    flow.findings = {finding("tls.alert.unknown_ca", Severity::error, "The device rejected the server's certificate"),
                     finding("tls.interception", Severity::error, "TLS to smartreceiver.cisco.com is intercepted by Squid")};
    EXPECT_TRUE(says(diagnose_flow(flow), "; TLS to smartreceiver.cisco.com is intercepted by Squid"))
        << diagnose_flow(flow);
}

// A wrong clock explains the rest: certificates judged out of their dates look like interception.
TEST(Diagnosis, AWrongClockIsTheRootCauseBeforeInterceptionWhateverTheirOrder) {
    FlowReport flow = licensing_flow();
    set(flow, StepName::tls, StepStatus::fail, {4, 6}, "alert");
    flow.findings = {finding("tls.alert.certificate_expired", Severity::error, "The device refused the server's certificate"),
                     finding("tls.interception", Severity::error, "TLS to smartreceiver.cisco.com is intercepted"),
                     finding("tls.clock_wrong", Severity::error, "The device's clock is wrong")};
    EXPECT_TRUE(says(diagnose_flow(flow), "certificate; the device's clock is wrong")) << diagnose_flow(flow);
}

// Of the kinds that explain the tls step, an alert speaks before TLS 1.3's inference and the rest.
TEST(Diagnosis, TheReasonForAStepIsItsMostTellingFindingNotItsFirst) {
    FlowReport flow = licensing_flow();
    set(flow, StepName::tls, StepStatus::fail, {4, 6}, "alert");
    flow.findings = {finding("tls.not_tls", Severity::error, "The server sent HTTP"),
                     finding("tcp.reset", Severity::error, "The server reset the connection"),
                     finding("tls13.client_abort", Severity::error, "The device gave up after the server's flight"),
                     finding("tls.alert.unknown_ca", Severity::error, "The server rejected the device's certificate")};
    EXPECT_TRUE(says(diagnose_flow(flow), "step tls: the server rejected the device's certificate; the device gave up"))
        << diagnose_flow(flow);
    flow.findings.pop_back();
    EXPECT_TRUE(says(diagnose_flow(flow), "step tls: the device gave up after the server's flight")) << diagnose_flow(flow);
}

TEST(Diagnosis, CannotBeJudgedIsNeverMixedWithFailed) {
    FlowReport flow = licensing_flow();
    set(flow, StepName::tls, StepStatus::unknown, {4}, "the capture ends during the TLS handshake");
    set(flow, StepName::appdata, StepStatus::not_seen, {}, "no TLS session");
    flow.findings = {finding("capture.ended_mid_flow", Severity::warning, "The capture ends before the close")};
    std::string text = diagnose_flow(flow);
    EXPECT_TRUE(says(text, "cannot be judged at step tls: the capture ends during the TLS handshake")) << text;
    EXPECT_FALSE(says(text, "failed")) << text;
}

TEST(Diagnosis, AStepTheCaptureStartedAfterIsPassedOver) {
    FlowReport flow = licensing_flow();
    set(flow, StepName::tcp, StepStatus::not_seen, {}, "the capture starts after the handshake");
    set(flow, StepName::tls, StepStatus::not_applicable, {}, "plain HTTP");
    set(flow, StepName::appdata, StepStatus::unknown, {7}, "the capture ends right after the request");
    EXPECT_TRUE(says(diagnose_flow(flow), "cannot be judged at step appdata")) << diagnose_flow(flow);
}

TEST(Diagnosis, AHealthyExchangeWithAWarningSaysItWorkedThenTheWarning) {
    FlowReport flow = licensing_flow();
    flow.healthy = true;
    flow.findings = {finding("tcp.abortive_close", Severity::warning, "The device closed the connection with a reset")};
    EXPECT_EQ("The licensing connection to smartreceiver.cisco.com worked (request at frame 10, answer at frame 11), "
              "but the device closed the connection with a reset",
              diagnose_flow(flow));
    flow.findings.clear();
    EXPECT_EQ("The licensing connection to smartreceiver.cisco.com passed every step", diagnose_flow(flow));
    set(flow, StepName::tcp, StepStatus::not_seen, {}, "the capture starts after the handshake");
    EXPECT_EQ("The licensing connection to smartreceiver.cisco.com worked (request at frame 10, answer at frame 11); "
              "the capture does not show its tcp step: the capture starts after the handshake",
              diagnose_flow(flow));
}

TEST(Diagnosis, AFailedAttemptThenASuccessfulOneIsHealthyAndTellsTheFailure) {
    FlowReport first = licensing_flow(1, 100);
    set(first, StepName::tcp, StepStatus::fail, {3, 4}, "refused");
    first.findings = {finding("tcp.rst_to_syn", Severity::error, "Connection refused (frame 4)")};
    FlowReport second = licensing_flow(2, 160);
    second.healthy = true;
    std::string text = diagnose(report_of({first, second}, true));
    EXPECT_TRUE(says(text, "worked at attempt 2 (frame 1), but 1 earlier attempt did not")) << text;
    EXPECT_TRUE(says(text, "connection refused (frame 4)")) << text;
}

TEST(Diagnosis, AHealthyReportOverSeveralServersStillTellsAnEarlierFailure) {
    FlowReport refused = licensing_flow(1, 100);
    set(refused, StepName::tcp, StepStatus::fail, {3, 4}, "refused");
    refused.findings = {finding("tcp.rst_to_syn", Severity::error, "Connection refused (frame 4)")};
    FlowReport retry = licensing_flow(2, 160);
    retry.healthy = true;
    FlowReport other = licensing_flow(3, 170);
    other.server_name = "tools.cisco.com";
    other.server = Endpoint{*IpAddress::parse("72.163.4.38"), 443};
    other.healthy = true;
    std::string text = diagnose(report_of({refused, retry, other}, true));
    EXPECT_FALSE(says(text, "passed every step.")) << text;
    EXPECT_TRUE(says(text, "1 earlier attempt did not")) << text;
}

TEST(Diagnosis, AttemptsThatAllFailedAlikeAreSaidOnce) {
    std::vector<FlowReport> flows;
    for (std::uint64_t id = 1; id <= 3; ++id) {
        FlowReport flow = licensing_flow(id, static_cast<std::int64_t>(100 + 60 * id));
        set(flow, StepName::tls, StepStatus::fail, {4 + 10 * id, 6 + 10 * id}, "alert");
        flow.findings = {finding("tls.alert.unknown_ca", Severity::error, "The server rejected the device's certificate")};
        flows.push_back(flow);
    }
    std::string text = diagnose(report_of(flows, false));
    EXPECT_TRUE(says(text, "3 attempts to smartreceiver.cisco.com, all failed the same way (first at frame 1)")) << text;

    flows[2].findings = {finding("tls.alert.handshake_failure", Severity::error, "The server sent handshake_failure")};
    std::string different = diagnose(report_of(flows, false));
    EXPECT_FALSE(says(different, "the same way")) << different;
    EXPECT_TRUE(says(different, "handshake_failure")) << different;
}

}  // namespace
}  // namespace trustcap
