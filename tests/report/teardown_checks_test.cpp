#include "report/teardown_checks.h"

#include <gtest/gtest.h>

#include "tcp_flow_fixtures.h"

namespace trustcap {
namespace {

using namespace testing;

TeardownContext after_exchange() { return TeardownContext{StepStatus::pass, true, false}; }
TeardownContext before_answer() { return TeardownContext{StepStatus::pass, false, false}; }

TEST(TeardownChecks, BothFinsAndTheLastAckPass) {
    TcpFlow flow = base_flow();
    established(flow);
    client(flow).fin_frame = 6;
    client(flow).fin_acked_frame = 7;
    server(flow).fin_frame = 7;
    server(flow).fin_acked_frame = 8;
    TeardownAssessment result = assess_teardown(flow, after_exchange());
    EXPECT_EQ(StepStatus::pass, result.teardown.status);
    EXPECT_EQ((Frames{6, 7, 8}), result.teardown.frames);
    EXPECT_TRUE(result.findings.empty());
}

TEST(TeardownChecks, BothFinsWithoutTheLastAckStillPass) {
    TcpFlow flow = base_flow();
    established(flow);
    client(flow).fin_frame = 6;
    server(flow).fin_frame = 7;
    client(flow).fin_acked_frame = 7;
    TeardownAssessment result = assess_teardown(flow, after_exchange());
    EXPECT_EQ(StepStatus::pass, result.teardown.status);
    EXPECT_EQ((Frames{6, 7}), result.teardown.frames);
    EXPECT_TRUE(result.findings.empty());
}

TEST(TeardownChecks, ResetAfterBothFinsIsAnAbortiveCloseNotAFailure) {
    TcpFlow flow = base_flow();
    established(flow);
    client(flow).fin_frame = 6;
    server(flow).fin_frame = 7;
    server(flow).fin_acked_frame = 8;
    client(flow).resets = {reset_at(9, 64)};
    TeardownAssessment result = assess_teardown(flow, after_exchange());
    EXPECT_EQ(StepStatus::pass, result.teardown.status);
    EXPECT_EQ((Frames{6, 9}), result.teardown.frames);
    const Finding& abortive = only(result.findings, "tcp.abortive_close");
    EXPECT_EQ(Severity::warning, abortive.severity);
    EXPECT_EQ(Frames{9}, abortive.frames);
    EXPECT_NE(std::string::npos, abortive.summary.find("device"));
}

TEST(TeardownChecks, ServerResetAfterTheDevicesFinIsAnAbortiveClose) {
    TcpFlow flow = base_flow();
    established(flow);
    client(flow).fin_frame = 6;
    server(flow).resets = {reset_at(7)};
    TeardownAssessment result = assess_teardown(flow, before_answer());
    EXPECT_EQ(StepStatus::pass, result.teardown.status);
    EXPECT_EQ((Frames{6, 7}), result.teardown.frames);
    EXPECT_NE(std::string::npos, only(result.findings, "tcp.abortive_close").summary.find("after the device's FIN"));
}

TEST(TeardownChecks, AnAbortiveCloseWithoutAnExchangeClaimsNoExchange) {
    TcpFlow flow = base_flow();
    established(flow);
    client(flow).fin_frame = 6;
    server(flow).resets = {reset_at(7)};
    TeardownAssessment without = assess_teardown(flow, before_answer());
    EXPECT_EQ(std::string::npos, only(without.findings, "tcp.abortive_close").explanation.find("exchange itself was over"));
    TeardownAssessment with = assess_teardown(flow, after_exchange());
    EXPECT_NE(std::string::npos, only(with.findings, "tcp.abortive_close").explanation.find("exchange itself was over"));
}

TEST(TeardownChecks, ResetAfterTheAnswerIsAnAbortiveClose) {
    TcpFlow flow = base_flow();
    established(flow);
    client(flow).first_data_frame = 4;
    server(flow).first_data_frame = 5;
    client(flow).resets = {reset_at(9, 64)};
    TeardownAssessment result = assess_teardown(flow, after_exchange());
    EXPECT_EQ(StepStatus::pass, result.teardown.status);
    EXPECT_EQ(Frames{9}, result.teardown.frames);
    EXPECT_EQ(std::vector<std::string>{"tcp.abortive_close"}, ids(result.findings));
}

TEST(TeardownChecks, ResetBeforeTheAnswerFailsAndSaysWhoAndAfterWhat) {
    TcpFlow flow = base_flow();
    established(flow);
    client(flow).first_data_frame = 4;
    client(flow).payload_bytes = 517;
    server(flow).first_data_frame = 5;
    server(flow).payload_bytes = 1200;
    server(flow).resets = {reset_at(9)};
    TeardownAssessment result = assess_teardown(flow, before_answer());
    EXPECT_EQ(StepStatus::fail, result.teardown.status);
    EXPECT_EQ(Frames{9}, result.teardown.frames);
    const Finding& reset = only(result.findings, "tcp.reset");
    EXPECT_EQ(Severity::error, reset.severity);
    EXPECT_NE(std::string::npos, reset.summary.find("The server reset"));
    EXPECT_NE(std::string::npos, reset.summary.find("517 bytes from the device and 1200 bytes from the server"));
}

TEST(TeardownChecks, ALoneResetInventsNoHandshake) {
    TcpFlow flow = base_flow();
    flow.roles_from_syn = false;
    client(flow).resets = {reset_at(1, 64)};
    client(flow).packets = 1;
    TeardownAssessment result = assess_teardown(flow, TeardownContext{StepStatus::not_seen, false, false});
    EXPECT_EQ(std::string::npos, only(result.findings, "tcp.reset").summary.find("handshake"));
}

TEST(TeardownChecks, ResetWithAnotherTtlBeforeTheAnswerIsForged) {
    TcpFlow flow = base_flow();
    established(flow);
    server(flow).resets = {reset_at(9, 64)};
    TeardownAssessment result = assess_teardown(flow, before_answer());
    EXPECT_EQ(StepStatus::fail, result.teardown.status);
    EXPECT_EQ(Severity::error, only(result.findings, "tcp.reset_injected").severity);
    EXPECT_NE(std::string::npos, only(result.findings, "tcp.reset").summary.find("A middlebox, in the server's name,"));
}

TEST(TeardownChecks, IgnoredResetsDoNotCloseTheConnection) {
    TcpFlow flow = base_flow();
    established(flow);
    TcpReset ignored = reset_at(6, 64);
    ignored.acceptable = false;
    server(flow).resets = {ignored};
    TeardownAssessment result = assess_teardown(flow, after_exchange());
    EXPECT_EQ(StepStatus::not_seen, result.teardown.status);
    EXPECT_EQ(std::vector<std::string>{"capture.ended_mid_flow"}, ids(result.findings));
}

TEST(TeardownChecks, OpenAtTheEndIsEndedMidFlow) {
    TcpFlow flow = base_flow();
    established(flow);
    TeardownAssessment result = assess_teardown(flow, after_exchange());
    EXPECT_EQ(StepStatus::not_seen, result.teardown.status);
    EXPECT_EQ(Frames{5}, only(result.findings, "capture.ended_mid_flow").frames);
}

TEST(TeardownChecks, FailedHandshakeHasNoTeardown) {
    TcpFlow flow = base_flow();
    TeardownAssessment result = assess_teardown(flow, TeardownContext{StepStatus::fail, false, false});
    EXPECT_EQ(StepStatus::not_applicable, result.teardown.status);
}

TEST(TeardownChecks, OneSidedCloseIsUnknown) {
    TcpFlow flow = base_flow();
    established(flow);
    client(flow).fin_frame = 6;
    TeardownAssessment result = assess_teardown(flow, TeardownContext{StepStatus::unknown, false, true});
    EXPECT_EQ(StepStatus::unknown, result.teardown.status);
    EXPECT_TRUE(result.findings.empty());
}

}  // namespace
}  // namespace trustcap
