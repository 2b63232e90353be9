// trustcap with several captures: each capture's report as trustcap gives it
// alone, in the order given, then a summary, and the worst exit status.
#include <gtest/gtest.h>

#include <signal.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>

#include <nlohmann/json.hpp>

#include "capture_corpus.h"
#include "process.h"

namespace trustcap::testing {
namespace {

namespace fs = std::filesystem;
using Json = nlohmann::json;

const fs::path pcaps = fs::path(TRUSTCAP_PCAPS_DIR);

class SeveralCapturesTest : public ::testing::Test {
protected:
    void SetUp() override {
        std::string pattern = (fs::temp_directory_path() / "trustcap-several-XXXXXX").string();
        ASSERT_NE(mkdtemp(pattern.data()), nullptr);
        root_ = pattern;
        fs::create_directories(root_ / "fleet" / "site-b");
        fs::copy_file(pcaps / "lab" / "tls13-healthy.pcap", root_ / "fleet" / "a-healthy.pcap");
        fs::copy_file(pcaps / "lab" / "syn-reset.pcap", root_ / "fleet" / "site-b" / "reset.pcap");
        fs::copy_file(pcaps / "lab" / "dns-nxdomain.pcap", root_ / "fleet" / "b-nxdomain.pcap");
        std::ofstream(root_ / "fleet" / "notes.txt") << "not a capture\n";
        std::ofstream(root_ / "broken.pcap") << "not a capture either\n";
    }
    void TearDown() override { fs::remove_all(root_); }

    [[nodiscard]] std::string fleet() const { return (root_ / "fleet").string(); }
    [[nodiscard]] std::string in_fleet(const std::string& name) const { return (root_ / "fleet" / name).string(); }
    [[nodiscard]] std::string broken() const { return (root_ / "broken.pcap").string(); }

    fs::path root_;
};

ProcessResult trustcap(std::vector<std::string> arguments) {
    arguments.insert(arguments.begin(), trustcap_binary());
    return run_process(arguments);
}

TEST_F(SeveralCapturesTest, EachCaptureHasItsOwnReportInTheJsonDocument) {
    ProcessResult run = trustcap({"--format", "json", broken(), fleet()});
    ASSERT_EQ(run.exit_status, 2) << run.standard_error;
    Json document = Json::parse(run.standard_output);
    const std::vector<std::string> order{broken(), in_fleet("a-healthy.pcap"), in_fleet("b-nxdomain.pcap"),
                                         in_fleet("site-b/reset.pcap")};
    ASSERT_EQ(document.at("captures").size(), order.size());
    for (std::size_t i = 0; i < order.size(); ++i) {
        const Json& entry = document.at("captures").at(i);
        EXPECT_EQ(entry.at("file"), order[i]);
        if (i == 0) {
            EXPECT_EQ(entry.at("exit_status"), 2);
            EXPECT_EQ(entry.at("verdict"), "NOT READ");
            EXPECT_EQ(entry.at("error"), "not a pcap or pcapng capture file (unknown file format)");
            EXPECT_FALSE(entry.contains("report"));
            continue;
        }
        // The report is the one the capture gets alone, whole.
        ProcessResult alone = trustcap({"--format", "json", order[i]});
        EXPECT_EQ(entry.at("exit_status"), alone.exit_status) << order[i];
        Json report = Json::parse(alone.standard_output);
        EXPECT_EQ(entry.at("report"), report) << order[i];
        EXPECT_EQ(entry.at("verdict"), alone.exit_status == 0 ? "HEALTHY" : "PROBLEM");
        EXPECT_EQ(entry.at("diagnosis"), report.at("diagnosis"));
    }
    EXPECT_EQ(document.at("captures").at(1).at("devices"), "10.99.1.2");
    EXPECT_EQ(document.at("captures").at(2).at("devices"), "");  // a DNS failure: no connection was made
    EXPECT_EQ(document.at("summary"), (Json{{"captures", 4}, {"healthy", 1}, {"problem", 2}, {"not_read", 1},
                                           {"skipped_in_folders", 1}, {"exit_status", 2}}));
    EXPECT_NE(run.standard_error.find(broken() + ": not a pcap or pcapng capture file"), std::string::npos);
}

TEST_F(SeveralCapturesTest, TheExitStatusIsTheWorstOfTheCaptures) {
    EXPECT_EQ(trustcap({in_fleet("a-healthy.pcap"), in_fleet("a-healthy.pcap")}).exit_status, 0);
    EXPECT_EQ(trustcap({in_fleet("a-healthy.pcap"), in_fleet("site-b/reset.pcap")}).exit_status, 1);
    EXPECT_EQ(trustcap({fleet(), broken()}).exit_status, 2);
}

TEST_F(SeveralCapturesTest, TheOutputIsTheSameWhateverTheNumberOfJobs) {
    ProcessResult one = trustcap({"-j", "1", fleet(), broken(), in_fleet("a-healthy.pcap")});
    for (const char* jobs : {"2", "4"}) {
        ProcessResult several = trustcap({"-j", jobs, fleet(), broken(), in_fleet("a-healthy.pcap")});
        EXPECT_EQ(several.standard_output, one.standard_output) << jobs << " jobs";
        EXPECT_EQ(several.standard_error, one.standard_error) << jobs << " jobs";
        EXPECT_EQ(several.exit_status, one.exit_status);
    }
}

TEST_F(SeveralCapturesTest, TextGivesBriefReportsThenTheSummaryTable) {
    ProcessResult run = trustcap({"--width", "0", fleet()});
    ASSERT_EQ(run.exit_status, 1);
    std::vector<std::string> lines = lines_of(run.standard_output);
    ProcessResult brief = trustcap({"--brief", "--width", "0", in_fleet("a-healthy.pcap")});
    EXPECT_EQ(run.standard_output.substr(0, brief.standard_output.size()), brief.standard_output);
    const auto summary = std::find(lines.begin(), lines.end(),
                                   "Summary: 3 captures, 1 healthy, 2 with a problem, 0 not read; 1 file in the "
                                   "folders not a capture, left out");
    ASSERT_NE(summary, lines.end()) << run.standard_output;
    ASSERT_EQ(lines.end() - summary, 5);
    EXPECT_TRUE(summary[1].starts_with("File ") && summary[1].find("  Device  ") != std::string::npos &&
                summary[1].ends_with("  Verdict  Diagnosis")) << summary[1];
    const std::string healthy_row = in_fleet("a-healthy.pcap");
    EXPECT_TRUE(summary[2].starts_with(healthy_row)) << summary[2];
    EXPECT_NE(summary[2].find("  10.99.1.2  HEALTHY  The licensing connection to smartreceiver.cisco.com passed "
                              "every step."), std::string::npos) << summary[2];
    EXPECT_NE(summary[3].find(" -  "), std::string::npos);
    EXPECT_NE(summary[3].find("PROBLEM  The DNS server 10.99.3.53 says smartreceiver.cisco.com does not exist"),
              std::string::npos) << summary[3];
    EXPECT_NE(summary[4].find("PROBLEM  The licensing connection to smartreceiver.cisco.com failed at step tcp"),
              std::string::npos) << summary[4];

    ProcessResult full = trustcap({"--full", "--width", "200", fleet()});
    ProcessResult alone = trustcap({"--width", "200", in_fleet("a-healthy.pcap")});
    EXPECT_EQ(full.standard_output.substr(0, alone.standard_output.size()), alone.standard_output);
}

TEST_F(SeveralCapturesTest, NdjsonIsOneStreamWithALineBeforeEachCapture) {
    ProcessResult run = trustcap({"--format", "ndjson", fleet()});
    ASSERT_EQ(run.exit_status, 1);
    std::string expected;
    for (const char* name : {"a-healthy.pcap", "b-nxdomain.pcap", "site-b/reset.pcap"}) {
        ProcessResult alone = trustcap({"--format", "ndjson", in_fleet(name)});
        Json report = Json::parse(lines_of(alone.standard_output).back()).at("report");
        Json capture{{"event", "capture"},  {"file", in_fleet(name)},
                     {"exit_status", alone.exit_status}, {"verdict", alone.exit_status == 0 ? "HEALTHY" : "PROBLEM"},
                     {"devices", report.at("flows").empty() ? "" : "10.99.1.2"}, {"diagnosis", report.at("diagnosis")}};
        expected += capture.dump() + "\n" + alone.standard_output;
    }
    std::vector<std::string> lines = lines_of(run.standard_output);
    ASSERT_FALSE(lines.empty());
    EXPECT_EQ(Json::parse(lines.back()).at("event"), "summary");
    std::string stream = run.standard_output.substr(0, run.standard_output.size() - lines.back().size() - 1);
    // Key order aside, line by line the same.
    std::vector<std::string> got = lines_of(stream);
    std::vector<std::string> wanted = lines_of(expected);
    ASSERT_EQ(got.size(), wanted.size());
    for (std::size_t i = 0; i < got.size(); ++i) EXPECT_EQ(Json::parse(got[i]), Json::parse(wanted[i])) << i;
}

TEST_F(SeveralCapturesTest, OptionsForOneCaptureAreRefused) {
    for (const std::vector<std::string>& options :
         {std::vector<std::string>{"--format", "html"}, {"--annotate", (root_ / "out.pcapng").string()},
          {"--export-flow", "1", (root_ / "out.pcap").string()}}) {
        std::vector<std::string> arguments = options;
        arguments.push_back(fleet());
        ProcessResult run = trustcap(arguments);
        EXPECT_EQ(run.exit_status, 2) << options[0];
        EXPECT_TRUE(run.standard_output.empty());
    }
    EXPECT_EQ(trustcap({"-", "-"}).exit_status, 2);
}

TEST_F(SeveralCapturesTest, TheReportIsNeverWrittenOverACaptureBeingRead) {
    const std::string capture = in_fleet("site-b/reset.pcap");
    const auto size = fs::file_size(capture);
    ProcessResult run = trustcap({"-o", capture, fleet()});
    EXPECT_EQ(run.exit_status, 2);
    EXPECT_EQ(run.standard_error, "trustcap: cannot write " + capture + ": it is one of the captures being read\n");
    EXPECT_EQ(fs::file_size(capture), size);
}

TEST_F(SeveralCapturesTest, AStopLeavesTheCapturesNotStartedUnread) {
    // A FIFO without a writer holds its reader until a signal ends the run.
    const std::string fifo = (root_ / "waiting.pcap").string();
    ASSERT_EQ(mkfifo(fifo.c_str(), 0600), 0);
    RunningProcess run({trustcap_binary(), "-j", "1", "--format", "json", fifo, in_fleet("a-healthy.pcap")});
    ::usleep(500'000);
    run.send_signal(SIGTERM);
    ProcessResult result = run.wait();
    Json document = Json::parse(result.standard_output);
    ASSERT_EQ(document.at("captures").size(), 2u);
    EXPECT_EQ(document.at("captures").at(1).at("error"), "not read: SIGTERM stopped the run");
    EXPECT_EQ(result.exit_status, 2);
}

std::vector<std::string> timeline_rows(const std::string& report) {
    std::vector<std::string> rows;
    bool in_timeline = false;
    for (const std::string& line : lines_of(report)) {
        if (line.starts_with("  No.     Time")) in_timeline = true;
        if (line.empty() || line.starts_with("Flow ")) in_timeline = false;
        if (in_timeline) rows.push_back(line);
    }
    return rows;
}

// --width: no line of the text report is wider, but the timeline's rows, the
// commands of a fix and a Wireshark filter, which are never cut; the
// timeline's rows are the same as unwrapped.
TEST(TextWidth, NoLineOfAnyCaptureIsWiderThanAsked) {
    constexpr std::size_t width = 72;
    for (const CorpusEntry& entry : capture_corpus()) {
        std::vector<std::string> arguments{trustcap_binary(), "--width", std::to_string(width)};
        for (const auto& argument : expected_verdict(entry).value("args", Json::array()))
            arguments.push_back(expand_argument(argument.get<std::string>()));
        arguments.push_back(entry.capture.string());
        ProcessResult run = run_process(arguments);
        arguments[2] = "0";
        ProcessResult unwrapped = run_process(arguments);
        EXPECT_EQ(timeline_rows(run.standard_output), timeline_rows(unwrapped.standard_output)) << entry.capture;
        bool in_timeline = false;
        bool in_fix = false;
        std::string previous;
        for (const std::string& line : lines_of(run.standard_output)) {
            const std::string trimmed = line.substr(std::min(line.find_first_not_of(' '), line.size()));
            if (line.starts_with("  Timeline (")) in_timeline = true;
            if (line.empty() || line.starts_with("Flow ")) in_timeline = false;
            if (trimmed.starts_with("Fix:")) in_fix = true;
            if (trimmed.starts_with("ERROR ") || trimmed.starts_with("WARNING ") || trimmed.starts_with("INFO ") ||
                trimmed.starts_with("Timeline"))
                in_fix = false;
            std::size_t columns = 0;
            for (unsigned char c : line) columns += (c & 0xc0) != 0x80 ? 1 : 0;
            const bool command = in_fix && !trimmed.starts_with("!") && !trimmed.starts_with("Fix:");
            const bool filter = line.find("Wireshark: ") != std::string::npos || previous.ends_with("Wireshark:");
            // A word wider than the line (a certificate's name, a path) has a line to itself.
            const std::string words = trimmed.starts_with("! ") ? trimmed.substr(2) : trimmed;
            const bool one_word = words.find(' ') == std::string::npos;
            if (columns > width && !in_timeline && !command && !filter && !one_word)
                ADD_FAILURE() << entry.capture.filename() << ": " << columns << " columns: " << line;
            previous = line;
        }
    }
}

}  // namespace
}  // namespace trustcap::testing
