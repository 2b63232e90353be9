// The program's behaviour at its edges: unusable inputs get one line and
// exit 2, standard input works, the filter keeps Wireshark's numbering.
#include <gtest/gtest.h>

#include <algorithm>

#include <filesystem>
#include <fstream>
#include <sstream>

#include <unistd.h>

#include <nlohmann/json.hpp>

#include "capture_corpus.h"
#include "process.h"

namespace trustcap::testing {
namespace {

namespace fs = std::filesystem;
using Json = nlohmann::json;

const std::string generated = std::string(TRUSTCAP_PCAPS_DIR) + "/generated/";

fs::path scratch_file(const std::string& name) {
    return fs::temp_directory_path() / ("trustcap-cli-" + std::to_string(::getpid()) + "-" + name);
}

void expect_one_line_error(const ProcessResult& run, const std::string& text) {
    EXPECT_EQ(2, run.exit_status);
    EXPECT_TRUE(run.standard_output.empty()) << run.standard_output;
    EXPECT_EQ(1, std::count(run.standard_error.begin(), run.standard_error.end(), '\n')) << run.standard_error;
    EXPECT_NE(std::string::npos, run.standard_error.find(text)) << run.standard_error;
}

TEST(CommandLine, TextFileIsUnusable) {
    fs::path path = scratch_file("running-config.txt");
    std::ofstream(path) << "hostname wlc\nlicense smart transport smart\n";
    expect_one_line_error(run_process({trustcap_binary(), path.string()}), "not a pcap or pcapng capture file");
    fs::remove(path);
}

TEST(CommandLine, EmptyFileIsUnusable) {
    fs::path path = scratch_file("empty.pcap");
    std::ofstream(path).close();
    expect_one_line_error(run_process({trustcap_binary(), path.string()}), "empty file");
    fs::remove(path);
}

TEST(CommandLine, MissingFileIsUnusable) {
    expect_one_line_error(run_process({trustcap_binary(), "/nonexistent/cssm.pcap"}), "No such file");
}

TEST(CommandLine, BadArgumentsAreUnusable) {
    expect_one_line_error(run_process({trustcap_binary(), "--port", "70000", generated + "complete-connection.pcap"}),
                          "--port");
    expect_one_line_error(run_process({trustcap_binary()}), "no capture file given");
    expect_one_line_error(run_process({trustcap_binary(), "-r", "a.pcap", "b.pcap"}), "not both");
    expect_one_line_error(run_process({trustcap_binary(), "--filter", "tcp port", generated + "complete-connection.pcap"}),
                          "invalid filter");
}

TEST(CommandLine, HelpAndVersionExitZero) {
    ProcessResult help = run_process({trustcap_binary(), "--help"});
    EXPECT_EQ(0, help.exit_status);
    EXPECT_NE(std::string::npos, help.standard_output.find("--filter"));
    ProcessResult version = run_process({trustcap_binary(), "--version"});
    EXPECT_EQ(0, version.exit_status);
    EXPECT_NE(std::string::npos, version.standard_output.find("trustcap "));
}

TEST(CommandLine, ReadsStandardInput) {
    ProcessResult run = run_process({"sh", "-c", "\"$0\" --format json - < \"$1\"", trustcap_binary(),
                                     generated + "server-reset-mid-stream.pcap"});
    ASSERT_EQ(1, run.exit_status) << run.standard_error;
    Json report = Json::parse(run.standard_output);
    EXPECT_EQ("(standard input)", report["capture"]["file"]);
    ASSERT_EQ(1u, report["flows"].size());
    std::vector<std::string> ids;
    for (const Json& finding : report["flows"][0]["findings"]) ids.push_back(finding["id"]);
    EXPECT_NE(ids.end(), std::find(ids.begin(), ids.end(), "tcp.reset")) << report["flows"][0]["findings"].dump();
}

TEST(CommandLine, AChainTheDeviceAcceptedButThisMachineCannotVerifyIsAWarning) {
    // Without the lab CA the chain does not verify here; the device completed the handshake and got its answer.
    ProcessResult run = run_process({trustcap_binary(), "--format", "json",
                                     std::string(TRUSTCAP_PCAPS_DIR) + "/generated-tls/tls12-mutual-healthy.pcap"});
    ASSERT_EQ(0, run.exit_status) << run.standard_output.substr(0, 2000);
    Json report = Json::parse(run.standard_output);
    bool warned = false;
    for (const Json& finding : report["findings"])
        if (finding["id"] == "tls.untrusted_chain") warned = finding["severity"] == "warning";
    EXPECT_TRUE(warned) << report["findings"].dump();
}

TEST(CommandLine, ReadOptionEqualsPositionalFile) {
    ProcessResult positional = run_process({trustcap_binary(), "--format", "json", generated + "syn-unanswered.pcap"});
    ProcessResult option = run_process({trustcap_binary(), "--format", "json", "-r", generated + "syn-unanswered.pcap"});
    EXPECT_EQ(positional.exit_status, option.exit_status);
    EXPECT_EQ(positional.standard_output, option.standard_output);
}

TEST(CommandLine, FilterKeepsTheFilesFrameNumbers) {
    ProcessResult run = run_process({trustcap_binary(), "--format", "json", "--port", "8443", "--filter",
                                     "tcp port 8443", generated + "port-8443-with-background.pcap"});
    ASSERT_EQ(1, run.exit_status) << run.standard_error;
    Json report = Json::parse(run.standard_output);
    ProcessResult unfiltered = run_process({trustcap_binary(), "--format", "json", "--port", "8443",
                                            generated + "port-8443-with-background.pcap"});
    Json full = Json::parse(unfiltered.standard_output);
    EXPECT_EQ(full["capture"]["frames"], report["capture"]["frames"]);
    ASSERT_EQ(1u, report["flows"].size());
    EXPECT_EQ(full["flows"][0]["steps"], report["flows"][0]["steps"]);
    EXPECT_EQ(0, report["other_tcp_flows"]);
    EXPECT_EQ(1, full["other_tcp_flows"]);
}

TEST(CommandLine, WritesTheReportToAFile) {
    fs::path path = scratch_file("report.json");
    ProcessResult run = run_process({trustcap_binary(), "--format", "json", "-o", path.string(),
                                     generated + "syn-unanswered.pcap"});
    EXPECT_EQ(1, run.exit_status);
    EXPECT_TRUE(run.standard_output.empty());
    std::ifstream in(path);
    Json report = Json::parse(in);
    EXPECT_EQ("tcp.no_synack", report["findings"][0]["id"]);
    fs::remove(path);
}

TEST(CommandLine, AnUnusableFileLeavesTheOutputFileAlone) {
    fs::path path = scratch_file("earlier-report.json");
    std::ofstream(path) << "{\"verdict\": \"healthy\"}\n";
    ProcessResult run = run_process({trustcap_binary(), "-o", path.string(), "/nonexistent/cssm.pcap"});
    EXPECT_EQ(2, run.exit_status);
    std::ifstream in(path);
    std::string kept((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    EXPECT_EQ("{\"verdict\": \"healthy\"}\n", kept);
    fs::remove(path);
}

TEST(CommandLine, TextReportIsPlainWhenNotATerminal) {
    ProcessResult run = run_process({trustcap_binary(), generated + "syn-unanswered.pcap"});
    EXPECT_EQ(1, run.exit_status);
    EXPECT_EQ(std::string::npos, run.standard_output.find('\033'));
    EXPECT_NE(std::string::npos, run.standard_output.find("tcp.no_synack"));
}

TEST(CommandLine, ReachingTheFlowLimitIsReported) {
    ProcessResult run = run_process({trustcap_binary(), "--format", "json", "--port", "8443", "--max-flows", "1",
                                     generated + "port-8443-with-background.pcap"});
    ASSERT_EQ(1, run.exit_status) << run.standard_error;
    Json report = Json::parse(run.standard_output);
    EXPECT_GT(report["capture"]["limits"]["flows_evicted"].get<int>(), 0);
    bool reported = false;
    for (const Json& finding : report["findings"]) reported |= finding["id"] == "capture.memory_limit";
    EXPECT_TRUE(reported);
}

TEST(CommandLine, CutFileGivesThePartialReport) {
    ProcessResult run = run_process(
        {trustcap_binary(), "--format", "json", "--port", "443", generated + "complete-connection-cut-file.pcap"});
    EXPECT_EQ(1, run.exit_status);
    Json report = Json::parse(run.standard_output);
    EXPECT_FALSE(report["capture"]["complete"].get<bool>());
    EXPECT_EQ(8, report["capture"]["frames"]);
    EXPECT_EQ("pass", report["flows"][0]["steps"][1]["status"]);
}

std::vector<Json> ndjson_lines(const std::string& text) {
    std::vector<Json> events;
    std::istringstream lines(text);
    for (std::string line; std::getline(lines, line);) events.push_back(Json::parse(line));
    return events;
}

// NDJSON on a file: the same events a live run streams, then the report that
// --format json writes, as one object on the last line.
TEST(CommandLine, NdjsonIsOneEventPerLineEndingWithTheReport) {
    const std::string capture = std::string(TRUSTCAP_PCAPS_DIR) + "/lab/squid-bump-tls12.pcap";
    ProcessResult events_run = run_process({trustcap_binary(), "--format", "ndjson", capture});
    ProcessResult json_run = run_process({trustcap_binary(), "--format", "json", capture});
    ASSERT_EQ(1, events_run.exit_status) << events_run.standard_error;
    std::vector<Json> events = ndjson_lines(events_run.standard_output);
    Json report = Json::parse(json_run.standard_output);
    ASSERT_EQ(report["flows"].size(), 1u);
    std::size_t flow_findings = report["flows"][0]["findings"].size();
    std::size_t capture_findings = report["findings"].size() - flow_findings;
    ASSERT_EQ(1 + flow_findings + capture_findings + 1, events.size());
    EXPECT_EQ("flow", events[0]["event"]);
    EXPECT_TRUE(events[0]["licensing"].get<bool>());
    EXPECT_EQ(report["flows"][0], events[0]["flow"]);
    for (std::size_t i = 0; i < flow_findings; ++i) {
        EXPECT_EQ("finding", events[1 + i]["event"]);
        EXPECT_EQ(report["flows"][0]["findings"][i]["id"], events[1 + i]["id"]);
    }
    EXPECT_EQ("report", events.back()["event"]);
    EXPECT_EQ(report, events.back()["report"]);
}

TEST(CommandLine, LiveFileRotationNeedsItsCompanions) {
    expect_one_line_error(run_process({trustcap_binary(), "live", "-i", "lo", "-C", "1"}), "give -w FILE");
    expect_one_line_error(run_process({trustcap_binary(), "live", "-i", "lo", "-w", "x.pcap", "-W", "3"}),
                          "give -C SIZE");
    expect_one_line_error(run_process({trustcap_binary(), "live", "-i", "lo", "-w", "x.pcap", "-C", "2x"}),
                          "-C 2x");
    expect_one_line_error(run_process({trustcap_binary(), "live", "-i", "lo", "--flow-timeout", "0"}),
                          "--flow-timeout");
}

}  // namespace
}  // namespace trustcap::testing
