#include "tools/analysis/analysis_session.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "capture/capture_file.h"

namespace trustcap {
namespace {

const std::string pcaps = TRUSTCAP_SOURCE_DIR "/pcaps/generated-tls/";

AnalysisOptions lab_options() {
    AnalysisOptions options;
    options.ca_bundles = {pcaps + "lab-root-ca.pem"};
    options.number_wireshark_streams = true;
    return options;
}

// Feeds a capture's frames to `session`; the number fed.
std::uint64_t feed(AnalysisSession& session, CaptureFile& file) {
    RawFrame frame;
    std::uint64_t fed = 0;
    while (file.next(frame) == CaptureFile::ReadStatus::frame) {
        session.add(frame);
        ++fed;
    }
    return fed;
}

struct SessionRun {
    std::unique_ptr<CaptureFile> file;
    std::unique_ptr<AnalysisSession> session;
};

SessionRun open_run(const std::string& capture, const AnalysisOptions& options) {
    SessionRun run;
    std::string error;
    run.file = CaptureFile::open(pcaps + capture, error);
    EXPECT_TRUE(run.file) << error;
    if (!run.file) return run;
    run.session = AnalysisSession::create(options, error);
    EXPECT_TRUE(run.session) << error;
    return run;
}

std::vector<std::string> ids_of(const std::vector<Finding>& findings) {
    std::vector<std::string> ids;
    for (const Finding& finding : findings) ids.push_back(finding.id);
    return ids;
}

TEST(AnalysisSession, JudgesTheFramesItIsFedIntoAReport) {
    SessionRun run = open_run("tls12-expired-device-certificate.pcap", lab_options());
    ASSERT_TRUE(run.session);
    EXPECT_EQ(16u, feed(*run.session, *run.file));
    EXPECT_EQ(16u, run.session->progress().frames);
    EXPECT_EQ(1u, run.session->progress().tcp_flows);

    CaptureSummary capture;
    capture.frames = 16;
    Report report = run.session->finish(capture);
    ASSERT_EQ(1u, report.flows.size());
    const FlowReport& flow = report.flows.front();
    EXPECT_EQ(ServerKind::licensing, flow.kind);
    EXPECT_EQ("smartreceiver.cisco.com", flow.server_name);
    EXPECT_EQ((std::vector<std::string>{"tls.alert.unknown_ca", "tls.client_cert_expired"}), ids_of(flow.findings));
    EXPECT_EQ(0u, flow.wireshark_stream);
    EXPECT_FALSE(report.healthy);
    EXPECT_NE(std::string::npos, report.diagnosis.find("failed at step tls")) << report.diagnosis;
}

TEST(AnalysisSession, WithoutTheLabCaTheSameServerChainIsNotTrusted) {
    AnalysisOptions options = lab_options();
    options.ca_bundles.clear();
    SessionRun run = open_run("tls12-mutual-healthy.pcap", options);
    ASSERT_TRUE(run.session);
    feed(*run.session, *run.file);
    Report report = run.session->finish(CaptureSummary{});
    ASSERT_EQ(1u, report.flows.size());
    std::vector<std::string> ids = ids_of(report.flows.front().findings);
    EXPECT_NE(ids.end(), std::find(ids.begin(), ids.end(), "tls.untrusted_chain")) << "the lab CA is not Cisco's";
}

TEST(AnalysisSession, HandsEachFlowToTheListenerAsItFinishes) {
    SessionRun run = open_run("tls12-unknown-ca-three-attempts.pcap", lab_options());
    ASSERT_TRUE(run.session);
    std::vector<std::uint64_t> judged;
    run.session->judge_flows_as_they_finish(FlowCompletionTimes{}, [&](const FlowReport& flow, bool licensing) {
        EXPECT_TRUE(licensing);
        EXPECT_FALSE(flow.healthy);
        judged.push_back(flow.id);
    });
    feed(*run.session, *run.file);
    Report report = run.session->finish(CaptureSummary{});
    EXPECT_EQ(3u, report.flows.size());
    EXPECT_EQ(3u, run.session->progress().licensing_flows_judged);
    EXPECT_EQ(0u, run.session->progress().licensing_flows_healthy);
    std::sort(judged.begin(), judged.end());
    EXPECT_EQ(3u, judged.size());
    EXPECT_TRUE(std::adjacent_find(judged.begin(), judged.end()) == judged.end()) << "a flow judged twice";
}

// With only the server's half captured, what the dissectors read is half a
// conversation: the server's alert is not judged as the reason TLS failed.
TEST(AnalysisSession, AOneSidedCaptureJudgesNoStepFromTheHalfItHas) {
    SessionRun run = open_run("tls12-server-unknown-ca.pcap", lab_options());
    ASSERT_TRUE(run.session);
    const std::vector<std::uint8_t> server_address{146, 112, 59, 25};
    RawFrame frame;
    std::uint64_t fed = 0;
    while (run.file->next(frame) == CaptureFile::ReadStatus::frame) {
        // Ethernet, IPv4: the source address at bytes 26 to 29.
        if (frame.data.size() < 30 || !std::equal(server_address.begin(), server_address.end(), frame.data.begin() + 26))
            continue;
        run.session->add(frame);
        ++fed;
    }
    ASSERT_GT(fed, 3u);
    Report report = run.session->finish(CaptureSummary{});
    ASSERT_EQ(1u, report.flows.size());
    const FlowReport& flow = report.flows.front();
    EXPECT_EQ((std::vector<std::string>{"capture.one_sided"}), ids_of(flow.findings));
    ASSERT_EQ(5u, flow.steps.size());
    EXPECT_EQ(StepStatus::unknown, flow.steps[2].status) << flow.steps[2].detail;
    EXPECT_EQ("only one direction was captured", flow.steps[2].detail);
}

TEST(AnalysisSession, RefusesACaBundleItCannotRead) {
    AnalysisOptions options;
    options.ca_bundles = {pcaps + "no-such-bundle.pem"};
    std::string error;
    EXPECT_FALSE(AnalysisSession::create(options, error));
    EXPECT_NE(std::string::npos, error.find("no-such-bundle.pem")) << error;
}

}  // namespace
}  // namespace trustcap
