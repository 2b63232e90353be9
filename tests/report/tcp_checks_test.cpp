#include "report/tcp_checks.h"

#include <gtest/gtest.h>

#include <algorithm>

namespace trustcap {
namespace {

using Frames = std::vector<std::uint64_t>;

TcpFlow base_flow() {
    TcpFlow flow;
    flow.id = 1;
    flow.client = Endpoint{*IpAddress::parse("10.20.30.40"), 51512};
    flow.server = Endpoint{*IpAddress::parse("146.112.59.25"), 443};
    flow.roles_from_syn = true;
    flow.first_frame = 1;
    flow.first_time = Timestamp{100, 0};
    return flow;
}

FlowDirection& client(TcpFlow& flow) { return flow.side(Direction::client_to_server); }
FlowDirection& server(TcpFlow& flow) { return flow.side(Direction::server_to_client); }

void established(TcpFlow& flow) {
    client(flow).syn_frames = {1};
    client(flow).packets = 3;
    server(flow).syn_frames = {2};
    server(flow).packets = 2;
    flow.handshake_ack_frame = 3;
    flow.last_frame = 5;
}

std::vector<std::string> ids(const TcpAssessment& assessment) {
    std::vector<std::string> result;
    for (const Finding& finding : assessment.findings) result.push_back(finding.id);
    return result;
}

const Finding& only(const TcpAssessment& assessment, const std::string& id) {
    auto found = std::find_if(assessment.findings.begin(), assessment.findings.end(),
                              [&](const Finding& f) { return f.id == id; });
    EXPECT_NE(found, assessment.findings.end()) << id;
    return *found;
}

TEST(TcpChecks, CompleteConnectionPassesBothSteps) {
    TcpFlow flow = base_flow();
    established(flow);
    client(flow).fin_frame = 6;
    client(flow).fin_acked_frame = 7;
    server(flow).fin_frame = 7;
    server(flow).fin_acked_frame = 8;
    TcpAssessment result = assess_tcp(flow);
    EXPECT_EQ(StepStatus::pass, result.handshake.status);
    EXPECT_EQ((Frames{1, 2, 3}), result.handshake.frames);
    EXPECT_EQ(StepStatus::pass, result.teardown.status);
    EXPECT_EQ((Frames{6, 7, 8}), result.teardown.frames);
    EXPECT_TRUE(result.findings.empty());
}

TEST(TcpChecks, SynsWithoutAnswerAreNoSynack) {
    TcpFlow flow = base_flow();
    client(flow).syn_frames = {1, 2, 3};
    client(flow).packets = 3;
    flow.last_time = Timestamp{103, 0};
    TcpAssessment result = assess_tcp(flow);
    EXPECT_EQ(StepStatus::fail, result.handshake.status);
    EXPECT_EQ((Frames{1, 2, 3}), result.handshake.frames);
    EXPECT_EQ(StepStatus::not_applicable, result.teardown.status);
    EXPECT_EQ(std::vector<std::string>{"tcp.no_synack"}, ids(result));
    EXPECT_NE(std::string::npos, only(result, "tcp.no_synack").summary.find("3 SYNs (2 retransmissions)"));
}

TEST(TcpChecks, ResetAnsweringTheSynIsRefused) {
    TcpFlow flow = base_flow();
    client(flow).syn_frames = {1};
    client(flow).packets = 1;
    server(flow).rst_frames = {2};
    server(flow).packets = 1;
    TcpAssessment result = assess_tcp(flow);
    EXPECT_EQ(StepStatus::fail, result.handshake.status);
    EXPECT_EQ((Frames{1, 2}), result.handshake.frames);
    EXPECT_EQ((Frames{1, 2}), only(result, "tcp.rst_to_syn").frames);
    EXPECT_EQ(StepStatus::not_applicable, result.teardown.status);
}

TEST(TcpChecks, IcmpAdministrativelyProhibitedNamesTheFilter) {
    TcpFlow flow = base_flow();
    client(flow).syn_frames = {1};
    client(flow).packets = 1;
    flow.icmp_errors.push_back({2, *IpAddress::parse("10.20.30.1"), false, 3, 13});
    TcpAssessment result = assess_tcp(flow);
    EXPECT_EQ(StepStatus::fail, result.handshake.status);
    const Finding& finding = only(result, "tcp.icmp_unreachable");
    EXPECT_EQ(Frames{2}, finding.frames);
    EXPECT_NE(std::string::npos, finding.summary.find("Communication administratively filtered"));
    EXPECT_NE(std::string::npos, finding.explanation.find("filters"));
}

TEST(TcpChecks, ServerResetMidStreamSaysWhoAndAfterWhat) {
    TcpFlow flow = base_flow();
    established(flow);
    client(flow).first_data_frame = 4;
    client(flow).payload_bytes = 517;
    server(flow).first_data_frame = 5;
    server(flow).payload_bytes = 1200;
    server(flow).rst_frames = {9};
    TcpAssessment result = assess_tcp(flow);
    EXPECT_EQ(StepStatus::pass, result.handshake.status);
    EXPECT_EQ(StepStatus::fail, result.teardown.status);
    EXPECT_EQ(Frames{9}, result.teardown.frames);
    const Finding& reset = only(result, "tcp.reset");
    EXPECT_NE(std::string::npos, reset.summary.find("The server reset"));
    EXPECT_NE(std::string::npos, reset.summary.find("517 bytes from the device and 1200 bytes from the server"));
}

TEST(TcpChecks, ResetAfterBothFinsIsStillAGracefulClose) {
    TcpFlow flow = base_flow();
    established(flow);
    client(flow).fin_frame = 6;
    client(flow).fin_acked_frame = 7;
    server(flow).fin_frame = 7;
    server(flow).fin_acked_frame = 8;
    client(flow).rst_frames = {9};
    TcpAssessment result = assess_tcp(flow);
    EXPECT_EQ(StepStatus::pass, result.teardown.status);
    EXPECT_TRUE(result.findings.empty());
}

TEST(TcpChecks, OpenAtTheEndIsEndedMidFlow) {
    TcpFlow flow = base_flow();
    established(flow);
    TcpAssessment result = assess_tcp(flow);
    EXPECT_EQ(StepStatus::not_seen, result.teardown.status);
    EXPECT_EQ(Frames{5}, only(result, "capture.ended_mid_flow").frames);
}

TEST(TcpChecks, CaptureStartingMidFlowIsNotSeen) {
    TcpFlow flow = base_flow();
    flow.roles_from_syn = false;
    client(flow).packets = 4;
    server(flow).packets = 4;
    flow.last_frame = 8;
    TcpAssessment result = assess_tcp(flow);
    EXPECT_EQ(StepStatus::not_seen, result.handshake.status);
    EXPECT_TRUE(result.handshake.frames.empty());
}

TEST(TcpChecks, OnlyTheDevicesPacketsIsOneSidedAndNeverPasses) {
    TcpFlow flow = base_flow();
    client(flow).syn_frames = {1};
    client(flow).packets = 5;
    client(flow).first_data_frame = 3;
    flow.last_frame = 5;
    TcpAssessment result = assess_tcp(flow);
    EXPECT_TRUE(result.one_sided);
    EXPECT_EQ(StepStatus::unknown, result.handshake.status);
    EXPECT_EQ(StepStatus::unknown, result.teardown.status);
    EXPECT_EQ(Frames{1}, only(result, "capture.one_sided").frames);
    std::vector<std::string> found = ids(result);
    EXPECT_EQ(0, std::count(found.begin(), found.end(), "tcp.no_synack"));
}

TEST(TcpChecks, CutPacketsAndMissingBytesAreReported) {
    TcpFlow flow = base_flow();
    established(flow);
    server(flow).cut_packets = 3;
    server(flow).cut_frames = {5, 6, 7};
    server(flow).missing_data_frames = {7};
    TcpAssessment result = assess_tcp(flow);
    EXPECT_EQ((Frames{5, 6, 7}), only(result, "capture.truncated_packets").frames);
    EXPECT_EQ(Frames{7}, only(result, "capture.missing_segments").frames);
}

}  // namespace
}  // namespace trustcap
