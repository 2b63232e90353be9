#include "report/event_writer.h"

#include <gtest/gtest.h>

#include "test_findings.h"

#include <nlohmann/json.hpp>

#include <sstream>
#include <string>
#include <vector>

#include "report/diagnosis.h"
#include "report/time_format.h"

namespace trustcap {
namespace {

FlowReport failed_flow() {
    FlowReport flow;
    flow.id = 3;
    flow.client = Endpoint{*IpAddress::parse("192.168.10.150"), 22425};
    flow.server = Endpoint{*IpAddress::parse("192.133.220.90"), 443};
    flow.kind = ServerKind::licensing;
    flow.server_name = "smartreceiver.cisco.com";
    flow.identified_by = NamingSource::sni;
    flow.start = Timestamp{1'629'718'273, 351'000'000};
    flow.end = Timestamp{1'629'718'274, 250'000'000};
    flow.steps = {StepResult{StepName::tcp, StepStatus::pass, {1, 2, 3}, "SYN, SYN-ACK, ACK"},
                  StepResult{StepName::tls, StepStatus::fail, {7}, "fatal alert from the server"}};
    flow.findings = {test_finding("tls.alert", Severity::error, 3, "The server sent a fatal TLS alert: Unknown CA", "why",
                             {7}, {"import the CA"}),
                     test_finding("capture.one_sided", Severity::warning, 3, "Only one side was captured", "why", {}, {})};
    flow.healthy = false;
    return flow;
}

Report sample_report() {
    Report report;
    report.capture.file = "live:eth0";
    report.capture.link_type = "EN10MB";
    report.capture.frames = 12;
    report.capture.kernel_drops = 4;
    FlowReport flow = failed_flow();
    Finding drops = test_finding("capture.kernel_drops", Severity::warning, std::nullopt, "The kernel dropped 4 packets", "why", {}, {});
    report.findings = {drops, flow.findings[0], flow.findings[1]};
    report.flows = {flow};
    report.healthy = false;
    report.diagnosis = diagnose(report);
    return report;
}

// The lines written, each checked to end with a newline.
std::vector<std::string> lines_of(const std::string& text) {
    std::vector<std::string> lines;
    std::size_t start = 0;
    while (start < text.size()) {
        std::size_t end = text.find('\n', start);
        EXPECT_NE(std::string::npos, end) << "unterminated last line: " << text.substr(start);
        if (end == std::string::npos) end = text.size();
        lines.push_back(text.substr(start, end - start));
        start = end + 1;
    }
    return lines;
}

std::vector<nlohmann::json> events_of(const std::string& text) {
    std::vector<nlohmann::json> events;
    for (const std::string& line : lines_of(text)) {
        nlohmann::json event;
        EXPECT_NO_THROW(event = nlohmann::json::parse(line)) << line;
        EXPECT_TRUE(event.is_object()) << line;
        events.push_back(event);
    }
    return events;
}

TEST(EventWriter, FlowEventThenOneEventPerFinding) {
    FlowReport flow = failed_flow();
    std::ostringstream out;
    write_flow_events(out, flow, true, 6);

    auto events = events_of(out.str());
    ASSERT_EQ(1u + flow.findings.size(), events.size());
    EXPECT_EQ("flow", events[0]["event"]);
    EXPECT_EQ(true, events[0]["licensing"]);
    EXPECT_EQ(3, events[0]["flow"]["id"]);
    EXPECT_EQ("192.168.10.150", events[0]["flow"]["client"]["ip"]);
    EXPECT_EQ("smartreceiver.cisco.com", events[0]["flow"]["server_name"]);
    EXPECT_EQ(false, events[0]["flow"]["healthy"]);
    EXPECT_EQ("2021-08-23T11:31:13.351000Z", events[0]["flow"]["start_time"]);
    EXPECT_EQ("fail", events[0]["flow"]["steps"][1]["status"]);
    EXPECT_EQ(2u, events[0]["flow"]["findings"].size());

    EXPECT_EQ("finding", events[1]["event"]);
    EXPECT_EQ("tls.alert", events[1]["id"]);
    EXPECT_EQ("error", events[1]["severity"]);
    EXPECT_EQ(3, events[1]["flow"]);
    EXPECT_EQ("import the CA", events[1]["fix"][0]);
    EXPECT_EQ("finding", events[2]["event"]);
    EXPECT_EQ("capture.one_sided", events[2]["id"]);
    EXPECT_EQ("warning", events[2]["severity"]);
}

TEST(EventWriter, FlowEventCarriesTheLicensingFlagAsGiven) {
    std::ostringstream out;
    write_flow_events(out, failed_flow(), false, 9);
    auto events = events_of(out.str());
    ASSERT_EQ(3u, events.size());
    EXPECT_EQ(false, events[0]["licensing"]);
    EXPECT_EQ("2021-08-23T11:31:13.351000000Z", events[0]["flow"]["start_time"]);
}

TEST(EventWriter, FlowWithoutFindingsIsOneLine) {
    FlowReport flow = failed_flow();
    flow.findings.clear();
    std::ostringstream out;
    write_flow_events(out, flow, true, 6);
    auto events = events_of(out.str());
    ASSERT_EQ(1u, events.size());
    EXPECT_EQ("flow", events[0]["event"]);
}

TEST(EventWriter, ReportEventsAreCaptureWideFindingsThenTheWholeReport) {
    Report report = sample_report();
    std::ostringstream out;
    write_report_events(out, report, "9.9.9");

    auto events = events_of(out.str());
    ASSERT_EQ(2u, events.size());
    EXPECT_EQ("finding", events[0]["event"]);
    EXPECT_EQ("capture.kernel_drops", events[0]["id"]);
    EXPECT_TRUE(events[0]["flow"].is_null());

    EXPECT_EQ("report", events[1]["event"]);
    const auto& whole = events[1]["report"];
    EXPECT_EQ("problem", whole["verdict"]);
    EXPECT_EQ("9.9.9", whole["tool"]["version"]);
    EXPECT_EQ(report.diagnosis, whole["diagnosis"]);
    EXPECT_EQ(4, whole["capture"]["kernel_drops"]);
    ASSERT_EQ(1u, whole["flows"].size());
    EXPECT_EQ(3, whole["flows"][0]["id"]);
    EXPECT_EQ("2021-08-23T11:31:13.351000Z", whole["flows"][0]["start_time"]);  // the capture's precision
    ASSERT_EQ(3u, whole["findings"].size());
    EXPECT_EQ("capture.kernel_drops", whole["findings"][0]["id"]);
    EXPECT_EQ("tls.alert", whole["findings"][1]["id"]);
    EXPECT_EQ("capture.one_sided", whole["findings"][2]["id"]);
}

TEST(EventWriter, HealthyReportWithoutCaptureFindingsIsOneReportLine) {
    Report report = sample_report();
    report.flows[0].findings.clear();
    report.flows[0].healthy = true;
    report.findings.clear();
    report.healthy = true;
    std::ostringstream out;
    write_report_events(out, report, "1");
    auto events = events_of(out.str());
    ASSERT_EQ(1u, events.size());
    EXPECT_EQ("report", events[0]["event"]);
    EXPECT_EQ("healthy", events[0]["report"]["verdict"]);
    EXPECT_TRUE(events[0]["report"]["findings"].empty());
}

TEST(EventWriter, TextThatIsNotUtf8IsEscapedNotRefused) {
    FlowReport flow = failed_flow();
    flow.findings[0].summary = "CONNECT \xff\xfe host";
    flow.server_name = "bad\xa2name";
    std::ostringstream flow_out;
    ASSERT_NO_THROW(write_flow_events(flow_out, flow, true, 6));
    auto flow_events = events_of(flow_out.str());
    ASSERT_EQ(3u, flow_events.size());
    EXPECT_EQ("bad\\xA2name", flow_events[0]["flow"]["server_name"]);
    EXPECT_EQ("CONNECT \\xFF\\xFE host", flow_events[1]["summary"]);

    Report report = sample_report();
    report.findings[0].summary = "dropped \xc3 here";
    std::ostringstream report_out;
    ASSERT_NO_THROW(write_report_events(report_out, report, "1"));
    auto report_events = events_of(report_out.str());
    ASSERT_EQ(2u, report_events.size());
    EXPECT_EQ("dropped \\xC3 here", report_events[0]["summary"]);
    EXPECT_EQ("dropped \\xC3 here", report_events[1]["report"]["findings"][0]["summary"]);
}

TEST(EventWriter, FlowLineSaysWhoWhatAndWhy) {
    FlowReport flow = failed_flow();
    std::ostringstream out;
    write_flow_line(out, flow, 6);
    std::string text = out.str();

    auto lines = lines_of(text);
    ASSERT_EQ(1u, lines.size());
    const std::string& line = lines[0];
    EXPECT_EQ(0u, line.find(iso8601_utc(flow.end, 6))) << line;
    EXPECT_NE(std::string::npos, line.find("flow 3 ")) << line;
    EXPECT_NE(std::string::npos, line.find("192.168.10.150:22425 \u2192 192.133.220.90:443")) << line;
    EXPECT_NE(std::string::npos, line.find("PROBLEM")) << line;
    EXPECT_EQ(std::string::npos, line.find("HEALTHY")) << line;
    std::string sentence = diagnose_flow(flow);
    EXPECT_NE(std::string::npos, sentence.find("failed at step tls")) << sentence;
    EXPECT_NE(std::string::npos, line.find(sentence + ".")) << line;
}

TEST(EventWriter, HealthyFlowLine) {
    FlowReport flow = failed_flow();
    flow.steps[1].status = StepStatus::pass;
    flow.findings.clear();
    flow.healthy = true;
    std::ostringstream out;
    write_flow_line(out, flow, 6);
    auto lines = lines_of(out.str());
    ASSERT_EQ(1u, lines.size());
    EXPECT_NE(std::string::npos, lines[0].find("HEALTHY")) << lines[0];
    EXPECT_EQ(std::string::npos, lines[0].find("PROBLEM")) << lines[0];
    EXPECT_NE(std::string::npos, lines[0].find(diagnose_flow(flow) + ".")) << lines[0];
}

}  // namespace
}  // namespace trustcap
