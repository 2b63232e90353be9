#include "report/tcp_checks.h"

#include <gtest/gtest.h>

#include "tcp_flow_fixtures.h"

namespace trustcap {
namespace {

using namespace testing;

// assess_tcp, and the status the judge of attempts asks without the texts:
// they must agree on every flow.
TcpAssessment assess(const TcpFlow& flow) {
    TcpAssessment result = assess_tcp(flow);
    EXPECT_EQ(result.handshake.status, tcp_handshake_status(flow)) << "the text-free status disagrees";
    return result;
}

TEST(TcpChecks, SynSynAckAckPasses) {
    TcpFlow flow = base_flow();
    established(flow);
    TcpAssessment result = assess(flow);
    EXPECT_EQ(StepStatus::pass, result.handshake.status);
    EXPECT_EQ((Frames{1, 2, 3}), result.handshake.frames);
    EXPECT_TRUE(result.findings.empty());
}

TEST(TcpChecks, SynAckCapturedBeforeItsSynStillListsSynFirst) {
    TcpFlow flow = base_flow();
    established(flow);
    client(flow).syn_frames = {2};
    server(flow).syn_frames = {1};
    TcpAssessment result = assess(flow);
    EXPECT_EQ(StepStatus::pass, result.handshake.status);
    EXPECT_EQ((Frames{2, 1, 3}), result.handshake.frames);
}

TEST(TcpChecks, RetransmittedSynsWithoutAnswerAreNoSynack) {
    TcpFlow flow = base_flow();
    client(flow).syn_frames = {1, 2, 3};
    client(flow).packets = 3;
    flow.last_time = Timestamp{103, 0};
    flow.watched_until = Timestamp{103, 0};
    TcpAssessment result = assess(flow);
    EXPECT_EQ(StepStatus::fail, result.handshake.status);
    EXPECT_EQ((Frames{1, 2, 3}), result.handshake.frames);
    EXPECT_EQ(std::vector<std::string>{"tcp.no_synack"}, ids(result.findings));
    EXPECT_NE(std::string::npos, only(result.findings, "tcp.no_synack").summary.find("3 SYNs (2 retransmissions)"));
}

TEST(TcpChecks, ALoneSynLongUnansweredIsNoSynack) {
    TcpFlow flow = base_flow();
    client(flow).syn_frames = {1};
    client(flow).packets = 1;
    flow.last_frame = 1;
    flow.watched_until = Timestamp{103, 0};
    TcpAssessment result = assess(flow);
    EXPECT_EQ(StepStatus::fail, result.handshake.status);
    EXPECT_EQ(std::vector<std::string>{"tcp.no_synack"}, ids(result.findings));
}

TEST(TcpChecks, ASynInTheCapturesLastSecondsIsUnknown) {
    TcpFlow flow = base_flow();
    client(flow).syn_frames = {7};
    client(flow).packets = 1;
    flow.first_frame = 7;
    flow.last_frame = 7;
    flow.watched_until = Timestamp{100, 500'000'000};
    TcpAssessment result = assess(flow);
    EXPECT_EQ(StepStatus::unknown, result.handshake.status);
    EXPECT_EQ(Frames{7}, result.handshake.frames);
    EXPECT_EQ(std::vector<std::string>{"capture.ended_mid_flow"}, ids(result.findings));
    EXPECT_EQ(Severity::warning, result.findings[0].severity);
}

TEST(TcpChecks, ResetAcknowledgingTheSynIsRefused) {
    TcpFlow flow = base_flow();
    client(flow).syn_frames = {1};
    client(flow).packets = 1;
    server(flow).resets = {reset_at(2)};
    server(flow).packets = 1;
    TcpAssessment result = assess(flow);
    EXPECT_EQ(StepStatus::fail, result.handshake.status);
    EXPECT_EQ((Frames{1, 2}), result.handshake.frames);
    EXPECT_EQ((Frames{1, 2}), only(result.findings, "tcp.rst_to_syn").frames);
}

TEST(TcpChecks, ResetToTheSynWithAnotherTtlThanTheSynAckIsForged) {
    TcpFlow flow = base_flow();
    client(flow).syn_frames = {1};
    client(flow).packets = 1;
    server(flow).resets = {reset_at(2, 64)};
    server(flow).first_ttl = 52;
    server(flow).packets = 2;
    TcpAssessment result = assess(flow);
    EXPECT_EQ(Severity::error, only(result.findings, "tcp.reset_injected").severity);
}

TEST(TcpChecks, ForgedResetRacingTheSynAckIsIgnoredAndTheHandshakePasses) {
    TcpFlow flow = base_flow();
    established(flow);
    client(flow).syn_frames = {1};
    server(flow).syn_frames = {3};
    flow.handshake_ack_frame = 4;
    TcpReset forged = reset_at(2, 64);
    forged.outlived = true;
    forged.outlived_at = 3;
    server(flow).resets = {forged};
    TcpAssessment result = assess(flow);
    EXPECT_EQ(StepStatus::pass, result.handshake.status);
    EXPECT_EQ((Frames{1, 3, 4}), result.handshake.frames);
    const Finding& ignored = only(result.findings, "tcp.reset_injected");
    EXPECT_EQ(Severity::warning, ignored.severity);
    EXPECT_EQ(Frames{2}, ignored.frames);
    EXPECT_NE(std::string::npos, ignored.explanation.find("went on at frame 3"));
    EXPECT_NE(std::string::npos, ignored.explanation.find("TTL is 64"));
}

TEST(TcpChecks, OutOfWindowResetIsIgnored) {
    TcpFlow flow = base_flow();
    established(flow);
    TcpReset stale = reset_at(6);
    stale.acceptable = false;
    client(flow).resets = {stale};
    TcpAssessment result = assess(flow);
    EXPECT_EQ(StepStatus::pass, result.handshake.status);
    EXPECT_NE(std::string::npos,
              only(result.findings, "tcp.reset_injected").explanation.find("outside the receiver's window"));
}

TEST(TcpChecks, AStaleResetRightBeforeTheSameSidesClosingResetIsNotNews) {
    TcpFlow flow = base_flow();
    established(flow);
    TcpReset stale = reset_at(19, 64);
    stale.acceptable = false;
    client(flow).resets = {stale, reset_at(20, 64)};
    EXPECT_TRUE(assess(flow).findings.empty());

    client(flow).resets[0].ttl = 250;  // another sender after all
    EXPECT_EQ(std::vector<std::string>{"tcp.reset_injected"}, ids(assess(flow).findings));
}

TEST(TcpChecks, DeviceResettingItsOwnAttemptSaysWhatWasCaptured) {
    TcpFlow flow = base_flow();
    client(flow).syn_frames = {1};
    client(flow).packets = 2;
    client(flow).resets = {reset_at(2, 64)};
    client(flow).rst_packets = 1;
    TcpAssessment alone = assess(flow);
    EXPECT_EQ(StepStatus::fail, alone.handshake.status);
    EXPECT_NE(std::string::npos, only(alone.findings, "tcp.reset").explanation.find("Nothing from the server"));

    TcpReset ignored = reset_at(3);
    ignored.acceptable = false;
    server(flow).resets = {ignored};
    server(flow).packets = 1;
    TcpAssessment with_server = assess(flow);
    EXPECT_EQ(std::string::npos, only(with_server.findings, "tcp.reset").explanation.find("Nothing from the server"));
}

TEST(TcpChecks, TheDeviceResettingTheSynAckIsAFindingAndItsTtlIsChecked) {
    TcpFlow flow = base_flow();
    client(flow).syn_frames = {1};
    client(flow).packets = 2;
    client(flow).first_ttl = 64;
    server(flow).syn_frames = {2};
    server(flow).packets = 1;
    client(flow).resets = {reset_at(3, 64)};
    TcpAssessment result = assess(flow);
    EXPECT_EQ(StepStatus::fail, result.handshake.status);
    EXPECT_EQ((Frames{1, 2, 3}), result.handshake.frames);
    EXPECT_EQ(std::vector<std::string>{"tcp.reset"}, ids(result.findings));

    client(flow).resets = {reset_at(3, 250)};
    EXPECT_EQ((std::vector<std::string>{"tcp.reset", "tcp.reset_injected"}), ids(assess(flow).findings));
}

TEST(TcpChecks, IcmpAdministrativelyProhibitedNamesTheFilter) {
    TcpFlow flow = base_flow();
    client(flow).syn_frames = {1};
    client(flow).packets = 1;
    flow.icmp_errors.push_back({2, *IpAddress::parse("10.20.30.1"), false, 3, 13});
    TcpAssessment result = assess(flow);
    EXPECT_EQ(StepStatus::fail, result.handshake.status);
    const Finding& finding = only(result.findings, "tcp.icmp_unreachable");
    EXPECT_EQ(Frames{2}, finding.frames);
    EXPECT_NE(std::string::npos, finding.summary.find("Communication administratively filtered"));
    EXPECT_NE(std::string::npos, finding.explanation.find("filters"));
}

TEST(TcpChecks, CaptureStartingMidFlowIsNotSeen) {
    TcpFlow flow = base_flow();
    flow.roles_from_syn = false;
    client(flow).packets = 4;
    server(flow).packets = 4;
    flow.last_frame = 8;
    TcpAssessment result = assess(flow);
    EXPECT_EQ(StepStatus::not_seen, result.handshake.status);
    EXPECT_TRUE(result.handshake.frames.empty());
}

TEST(TcpChecks, OnlyTheDevicesPacketsIsOneSidedAndNeverPasses) {
    TcpFlow flow = base_flow();
    client(flow).syn_frames = {1};
    client(flow).packets = 5;
    client(flow).first_data_frame = 3;
    flow.last_frame = 5;
    TcpAssessment result = assess(flow);
    EXPECT_TRUE(result.one_sided);
    EXPECT_EQ(StepStatus::unknown, result.handshake.status);
    EXPECT_EQ("only one direction was captured", result.handshake.detail);
    EXPECT_EQ(Frames{1}, only(result.findings, "capture.one_sided").frames);
    std::vector<std::string> found = ids(result.findings);
    EXPECT_EQ(0, std::count(found.begin(), found.end(), "tcp.no_synack"));
}

TEST(TcpChecks, OnlyTheServersPacketsIsOneSidedAndItsHandshakeUnknown) {
    TcpFlow flow = base_flow();
    server(flow).packets = 4;
    server(flow).first_data_frame = 1;
    flow.last_frame = 4;
    TcpAssessment result = assess(flow);
    EXPECT_TRUE(result.one_sided);
    EXPECT_EQ(StepStatus::unknown, result.handshake.status);
    EXPECT_EQ("only one direction was captured", result.handshake.detail);
}

TEST(TcpChecks, CutPacketsAndMissingBytesAreReported) {
    TcpFlow flow = base_flow();
    established(flow);
    server(flow).cut_packets = 3;
    server(flow).cut_frames = {5, 6, 7};
    server(flow).missing_data_frames = {7};
    TcpAssessment result = assess(flow);
    EXPECT_EQ((Frames{5, 6, 7}), only(result.findings, "capture.truncated_packets").frames);
    EXPECT_EQ(Frames{7}, only(result.findings, "capture.missing_segments").frames);
}

}  // namespace
}  // namespace trustcap
