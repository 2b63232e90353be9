// The program's behaviour at its edges: unusable inputs get one line and
// exit 2, standard input works, the filter keeps Wireshark's numbering;
// started as root it gives root up before it parses; the -o file is never
// written through a symbolic link; a signal ends the reading of a pipe with
// the report of what was read.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>

#include <filesystem>
#include <fstream>
#include <sstream>

#include <fcntl.h>
#include <pwd.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/crypto.h>
#include <pcap/pcap.h>

#include <chrono>
#include <thread>

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
    EXPECT_NE(std::string::npos, help.standard_output.find("Exit status: 0 the licensing exchange worked"));
    // epc judges nothing: its help says what its own exit status means.
    ProcessResult epc_help = run_process({trustcap_binary(), "epc", "--help"});
    EXPECT_EQ(0, epc_help.exit_status);
    EXPECT_NE(std::string::npos, epc_help.standard_output.find("Exit status: 0 the commands were printed, 2 unusable"))
        << epc_help.standard_output;
    EXPECT_EQ(std::string::npos, epc_help.standard_output.find("licensing exchange worked")) << epc_help.standard_output;
    ProcessResult version = run_process({trustcap_binary(), "--version"});
    EXPECT_EQ(0, version.exit_status);
    std::istringstream lines(version.standard_output);
    std::string trustcap_line, libpcap_line, openssl_line, extra;
    std::getline(lines, trustcap_line);
    std::getline(lines, libpcap_line);
    std::getline(lines, openssl_line);
    EXPECT_EQ("trustcap " TRUSTCAP_VERSION, trustcap_line);
    EXPECT_EQ(pcap_lib_version(), libpcap_line);
    EXPECT_EQ(OpenSSL_version(OPENSSL_VERSION), openssl_line);
    EXPECT_FALSE(std::getline(lines, extra)) << extra;
}

// Colour as ls and grep give it: on a terminal by default, never under
// NO_COLOR (no-color.org), always or never when asked.
bool coloured(const std::string& environment, const std::string& options, bool on_terminal) {
    const std::string capture = std::string(TRUSTCAP_PCAPS_DIR) + "/generated-tls/tls12-mutual-healthy.pcap";
    std::string command = environment + " \"" + trustcap_binary() + "\" " + options + " \"" + capture + "\"";
    // script(1) gives the program a terminal as its standard output.
    if (on_terminal) command = "script -qfec '" + command + "' /dev/null";
    ProcessResult run = run_process({"sh", "-c", command});
    EXPECT_LE(run.exit_status, 1) << command << ": " << run.standard_error;
    EXPECT_NE(std::string::npos, run.standard_output.find("Verdict")) << command;
    return run.standard_output.find("\x1b[") != std::string::npos;
}

TEST(CommandLine, ColoursAsAskedAndAsNoColorSays) {
    EXPECT_TRUE(coloured("", "", true));
    EXPECT_FALSE(coloured("", "", false));
    EXPECT_FALSE(coloured("NO_COLOR=1", "", true));
    EXPECT_TRUE(coloured("NO_COLOR=", "", true));  // set but empty: not a request
    EXPECT_TRUE(coloured("NO_COLOR=1", "--color=always", true));
    EXPECT_TRUE(coloured("", "--color always", false));
    EXPECT_FALSE(coloured("", "--color=never", true));
    EXPECT_FALSE(coloured("", "--no-color", true));
    // A bare --color is always, as with GNU ls; the capture after it stays the capture.
    EXPECT_TRUE(coloured("", "--color", false));
    EXPECT_TRUE(coloured("NO_COLOR=1", "--color", true));
    EXPECT_FALSE(coloured("", "--color never", true));
    EXPECT_TRUE(coloured("", "--format text --color", false));
    expect_one_line_error(run_process({trustcap_binary(), "--color=sometimes", generated + "complete-connection.pcap"}),
                          "--color");
    expect_one_line_error(
        run_process({trustcap_binary(), "--no-color", "--color=always", generated + "complete-connection.pcap"}),
        "excludes");
    // After "--" every word is a file, "--color" too.
    expect_one_line_error(run_process({trustcap_binary(), "--", "--color"}), "trustcap: --color: ");
}

// A capture compressed with gzip, as a file or through a pipe, is judged as
// the capture itself: the same report but for the file's name.
TEST(CommandLine, GzipCapturesAreJudgedAsTheCaptureTheyHold) {
    const std::string capture = std::string(TRUSTCAP_PCAPS_DIR) + "/generated-tls/tls13-healthy.pcap";
    const std::string ca = std::string(TRUSTCAP_PCAPS_DIR) + "/generated-tls/lab-root-ca.pem";
    const fs::path compressed = scratch_file("capture.pcap.gz");
    ASSERT_EQ(0, run_process({"sh", "-c", "gzip -c \"$0\" > \"$1\"", capture, compressed.string()}).exit_status);
    ProcessResult plain = run_process({trustcap_binary(), "--format", "json", "--ca-bundle", ca, capture});
    ProcessResult from_file = run_process({trustcap_binary(), "--format", "json", "--ca-bundle", ca, compressed.string()});
    ProcessResult from_pipe = run_process(
        {"sh", "-c", "gzip -c \"$1\" | \"$0\" --format json --ca-bundle \"$2\" -", trustcap_binary(), capture, ca});
    fs::remove(compressed);
    ASSERT_EQ(0, plain.exit_status) << plain.standard_error;
    Json expected = Json::parse(plain.standard_output);
    expected["capture"].erase("file");
    for (const ProcessResult* run : {&from_file, &from_pipe}) {
        ASSERT_EQ(0, run->exit_status) << run->standard_error;
        Json report = Json::parse(run->standard_output);
        report["capture"].erase("file");
        EXPECT_EQ(expected, report);
    }
}

TEST(CommandLine, BriefGivesALinePerFlow) {
    const std::string pcaps = std::string(TRUSTCAP_PCAPS_DIR) + "/generated-tls/";
    ProcessResult run = run_process({trustcap_binary(), "--brief", "--ca-bundle", pcaps + "lab-root-ca.pem",
                                     pcaps + "syn-reset-then-healthy-retry.pcap"});
    EXPECT_EQ(0, run.exit_status) << run.standard_error;
    std::istringstream lines(run.standard_output);
    std::vector<std::string> flow_lines;
    for (std::string line; std::getline(lines, line);)
        if (line.starts_with("Flow ")) flow_lines.push_back(line);
    ASSERT_EQ(2u, flow_lines.size()) << run.standard_output;
    EXPECT_NE(std::string::npos, flow_lines[0].find("PROBLEM")) << flow_lines[0];
    EXPECT_NE(std::string::npos, flow_lines[1].find("HEALTHY")) << flow_lines[1];
    EXPECT_EQ(std::string::npos, run.standard_output.find("Findings")) << run.standard_output;
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


std::string file_text(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

bool running_as_root() { return ::geteuid() == 0; }

uid_t uid_of(const std::string& user) {
    const passwd* account = ::getpwnam(user.c_str());
    return account == nullptr ? static_cast<uid_t>(-1) : account->pw_uid;
}

uid_t owner_of(const fs::path& path) {
    struct stat status {};
    return ::stat(path.c_str(), &status) == 0 ? status.st_uid : static_cast<uid_t>(-1);
}

std::size_t lines_in(const std::string& text) { return static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n')); }

// A live run on the loopback interface: needs root (or the capture capabilities).
ProcessResult run_live_briefly(std::vector<std::string> arguments) {
    std::vector<std::string> command{trustcap_binary(), "live", "-i", "lo", "--duration", "1", "--format", "json"};
    command.insert(command.end(), arguments.begin(), arguments.end());
    return run_process(command);
}

bool cannot_capture_here(const ProcessResult& run) {
    return run.standard_error.find("lo:") != std::string::npos &&
           run.standard_error.find("ermi") != std::string::npos;  // "Permission denied", "not permitted"
}

// A symbolic link where the report goes, pointing at a file it must not empty.
struct PlantedLink {
    fs::path victim = scratch_file("victim.txt");
    fs::path link = scratch_file("report-link.json");
    PlantedLink() {
        std::ofstream(victim) << "precious\n";
        fs::create_symlink(victim, link);
    }
    ~PlantedLink() {
        fs::remove(link);
        fs::remove(victim);
    }
};

TEST(CommandLine, TheReportIsNeverWrittenThroughASymbolicLink) {
    PlantedLink planted;
    ProcessResult run = run_process({trustcap_binary(), "-o", planted.link.string(), generated + "syn-unanswered.pcap"});
    expect_one_line_error(run, "symbolic link");
    EXPECT_EQ("precious\n", file_text(planted.victim));
    EXPECT_TRUE(fs::is_symlink(planted.link));
}

TEST(CommandLine, LiveNeverWritesTheReportThroughASymbolicLink) {
    if (!running_as_root()) GTEST_SKIP() << "a live capture needs root";
    PlantedLink planted;
    // -Z root keeps the rights that could write the victim: only the link check protects it.
    for (const std::vector<std::string>& user : {std::vector<std::string>{}, std::vector<std::string>{"-Z", "root"}}) {
        std::vector<std::string> arguments{"-o", planted.link.string()};
        arguments.insert(arguments.end(), user.begin(), user.end());
        ProcessResult run = run_live_briefly(arguments);
        if (cannot_capture_here(run)) GTEST_SKIP() << run.standard_error;
        EXPECT_EQ(2, run.exit_status) << run.standard_error;
        EXPECT_NE(std::string::npos, run.standard_error.find("symbolic link")) << run.standard_error;
        EXPECT_EQ("precious\n", file_text(planted.victim));
    }
}

TEST(CommandLine, LiveOpensTheReportFileAfterGivingUpRoot) {
    if (!running_as_root()) GTEST_SKIP() << "a live capture needs root";
    fs::path report = scratch_file("live-report.json");
    ProcessResult run = run_live_briefly({"-o", report.string()});
    if (cannot_capture_here(run)) GTEST_SKIP() << run.standard_error;
    ASSERT_LE(run.exit_status, 1) << run.standard_error;
    EXPECT_EQ(uid_of("nobody"), owner_of(report));
    EXPECT_EQ("live:lo", Json::parse(file_text(report))["capture"]["file"]);
    fs::remove(report);
}

TEST(CommandLine, LiveLeavesTheReportFileAloneWhenTheCaptureCannotStart) {
    fs::path report = scratch_file("earlier-live-report.json");
    std::ofstream(report) << "{\"verdict\": \"healthy\"}\n";
    ProcessResult run = run_process({trustcap_binary(), "live", "-i", "nosuchif0", "-o", report.string()});
    EXPECT_EQ(2, run.exit_status);
    EXPECT_EQ("{\"verdict\": \"healthy\"}\n", file_text(report));
    fs::remove(report);
}

TEST(CommandLine, LiveWithZRootKeepsRootAndWarns) {
    if (!running_as_root()) GTEST_SKIP() << "-Z root means something only to root";
    fs::path report = scratch_file("live-root-report.json");
    ProcessResult run = run_live_briefly({"-Z", "root", "-o", report.string()});
    if (cannot_capture_here(run)) GTEST_SKIP() << run.standard_error;
    ASSERT_LE(run.exit_status, 1) << run.standard_error;
    EXPECT_EQ(0u, owner_of(report));
    EXPECT_EQ(1u, lines_in(run.standard_error)) << run.standard_error;
    EXPECT_NE(std::string::npos, run.standard_error.find("warning: -Z root")) << run.standard_error;
    fs::remove(report);
}

// sudo trustcap /root/cssm.pcap: the files named are opened as root, then
// trustcap becomes nobody before it parses, and writes -o as nobody.
TEST(CommandLine, StartedAsRootOnAFileItReadsRootsFilesThenGivesUpRoot) {
    if (!running_as_root()) GTEST_SKIP() << "needs root";
    fs::path capture = scratch_file("root-only.pcap");
    fs::path bundle = scratch_file("root-only-ca.pem");
    fs::copy_file(std::string(TRUSTCAP_PCAPS_DIR) + "/lab/tls12-healthy.pcap", capture);
    fs::copy_file(std::string(TRUSTCAP_PCAPS_DIR) + "/lab/lab-root-ca.pem", bundle);
    fs::permissions(capture, fs::perms::owner_read | fs::perms::owner_write);
    fs::permissions(bundle, fs::perms::owner_read | fs::perms::owner_write);
    fs::path report = scratch_file("dropped-report.json");
    ProcessResult run = run_process({trustcap_binary(), "--format", "json", "--ca-bundle", bundle.string(), "-o",
                                     report.string(), capture.string()});
    EXPECT_EQ(0, run.exit_status) << run.standard_error;
    EXPECT_TRUE(run.standard_error.empty()) << run.standard_error;
    EXPECT_EQ(uid_of("nobody"), owner_of(report));
    EXPECT_EQ("healthy", Json::parse(file_text(report))["verdict"]);
    fs::remove(report);

    ProcessResult as_daemon = run_process({trustcap_binary(), "-Z", "daemon", "-o", report.string(), capture.string()});
    EXPECT_LE(as_daemon.exit_status, 1) << as_daemon.standard_error;
    EXPECT_EQ(uid_of("daemon"), owner_of(report));
    fs::remove(report);

    // A numeric uid that no account has: its gid is the same number.
    ProcessResult as_number = run_process({trustcap_binary(), "-Z", "54321", "-o", report.string(), capture.string()});
    EXPECT_LE(as_number.exit_status, 1) << as_number.standard_error;
    EXPECT_EQ(54321u, owner_of(report));
    fs::remove(report);

    ProcessResult as_root = run_process({trustcap_binary(), "-Z", "root", "-o", report.string(), capture.string()});
    EXPECT_LE(as_root.exit_status, 1) << as_root.standard_error;
    EXPECT_EQ(0u, owner_of(report));
    EXPECT_EQ(1u, lines_in(as_root.standard_error)) << as_root.standard_error;
    EXPECT_NE(std::string::npos, as_root.standard_error.find("warning: -Z root")) << as_root.standard_error;

    // A directory only root may write to: the report, written as nobody, cannot go there, and the error says why.
    fs::path root_directory = scratch_file("root-only-directory");
    fs::create_directory(root_directory);
    fs::permissions(root_directory, fs::perms::owner_all | fs::perms::group_read | fs::perms::group_exec |
                                        fs::perms::others_read | fs::perms::others_exec);
    expect_one_line_error(
        run_process({trustcap_binary(), "-o", (root_directory / "report.txt").string(), capture.string()}),
        "Permission denied (opened as nobody once root is given up; -Z USER writes it as USER)");
    fs::remove_all(root_directory);

    expect_one_line_error(run_process({trustcap_binary(), "-Z", "no-such-user-here", capture.string()}),
                          "no user \"no-such-user-here\"");
    for (const fs::path& path : {report, capture, bundle}) fs::remove(path);
}

TEST(CommandLine, ZWithoutRootSaysItHasNoEffect) {
    std::vector<std::string> command{trustcap_binary(), "-Z", "daemon", generated + "syn-unanswered.pcap"};
    if (running_as_root()) {
        if (::access("/usr/bin/setpriv", X_OK) != 0) GTEST_SKIP() << "setpriv is needed to run as another user";
        command.insert(command.begin(), {"/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"});
    }
    ProcessResult run = run_process(command);
    EXPECT_EQ(1, run.exit_status) << run.standard_error;
    EXPECT_EQ(1u, lines_in(run.standard_error)) << run.standard_error;
    EXPECT_NE(std::string::npos, run.standard_error.find("-Z daemon has no effect")) << run.standard_error;
    EXPECT_NE(std::string::npos, run.standard_output.find("tcp.no_synack"));
}

// Opens a FIFO for writing once a reader has it open, within a few seconds.
int open_fifo_for_writing(const fs::path& fifo) {
    for (int attempt = 0; attempt < 100; ++attempt) {
        int descriptor = ::open(fifo.c_str(), O_WRONLY | O_NONBLOCK);
        if (descriptor >= 0) {
            ::fcntl(descriptor, F_SETFL, 0);
            return descriptor;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return -1;
}

std::string uid_line_of(pid_t process) {
    std::ifstream status("/proc/" + std::to_string(process) + "/status");
    for (std::string line; std::getline(status, line);)
        if (line.rfind("Uid:", 0) == 0) return line;
    return {};
}

// Whether the process has a handler for `signal_number` yet (SigCgt in
// /proc/PID/status), so a test does not signal it before it can listen.
bool catches_signal(pid_t pid, int signal_number) {
    std::ifstream status("/proc/" + std::to_string(pid) + "/status");
    for (std::string line; std::getline(status, line);) {
        if (line.rfind("SigCgt:", 0) != 0) continue;
        std::uint64_t caught = std::stoull(line.substr(7), nullptr, 16);
        return (caught >> (signal_number - 1)) & 1u;
    }
    return false;
}

void wait_until_catching(pid_t pid, int signal_number) {
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (!catches_signal(pid, signal_number) && std::chrono::steady_clock::now() < deadline)
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    ASSERT_TRUE(catches_signal(pid, signal_number)) << "trustcap never listened for signal " << signal_number;
}

Json interrupted_report(const ProcessResult& run) {
    EXPECT_LE(run.exit_status, 1) << run.standard_error;
    Json report = Json::parse(run.standard_output, nullptr, false);
    EXPECT_FALSE(report.is_discarded()) << run.standard_output << run.standard_error;
    return report;
}

// A writer that keeps the FIFO open and sends nothing more: SIGINT ends the
// reading and the report of every frame sent comes out, marked interrupted.
TEST(CommandLine, SigintEndsTheReadingOfAFifoWithTheReportOfWhatWasRead) {
    fs::path fifo = scratch_file("capture.fifo");
    ASSERT_EQ(0, ::mkfifo(fifo.c_str(), 0600));
    RunningProcess trustcap({trustcap_binary(), "--format", "json", "--port", "443", fifo.string()});
    int writer = open_fifo_for_writing(fifo);
    ASSERT_GE(writer, 0);
    std::string capture = file_text(generated + "complete-connection.pcap");
    ASSERT_EQ(static_cast<ssize_t>(capture.size()), ::write(writer, capture.data(), capture.size()));
    wait_until_catching(trustcap.pid(), SIGINT);
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
    std::string uid = uid_line_of(trustcap.pid());
    trustcap.send_signal(SIGINT);
    ProcessResult run = trustcap.wait();
    ::close(writer);
    fs::remove(fifo);

    Json report = interrupted_report(run);
    EXPECT_EQ(13, report["capture"]["frames"]);
    EXPECT_FALSE(report["capture"]["complete"].get<bool>());
    EXPECT_EQ("reading stopped by SIGINT before the end of the input", report["capture"]["damage"]);
    EXPECT_TRUE(finding_with_id(report, "capture.interrupted")) << report["findings"].dump();
    ASSERT_EQ(1u, report["flows"].size());
    EXPECT_EQ("tcp", report["flows"][0]["steps"][1]["step"]);
    EXPECT_EQ("pass", report["flows"][0]["steps"][1]["status"]);
    if (running_as_root()) {
        EXPECT_NE(std::string::npos, uid.find(std::to_string(uid_of("nobody")))) << "while reading: " << uid;
    }
}

// tcpdump -w - | trustcap - and Ctrl-C: both get the signal; what tcpdump
// flushes as it exits is still read, and the input ended as the writer meant.
TEST(CommandLine, SigtermLetsTheWriterOfStandardInputFinish) {
    std::string capture = file_text(generated + "complete-connection.pcap");
    RunningProcess trustcap({trustcap_binary(), "--format", "json", "--port", "443", "-"}, RunningProcess::Input::pipe);
    trustcap.write_input(capture.substr(0, capture.size() / 2));
    wait_until_catching(trustcap.pid(), SIGTERM);
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    trustcap.send_signal(SIGTERM);
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    trustcap.write_input(capture.substr(capture.size() / 2));
    trustcap.close_input();
    Json report = interrupted_report(trustcap.wait());
    EXPECT_EQ(13, report["capture"]["frames"]);
    EXPECT_TRUE(report["capture"]["complete"].get<bool>());
    EXPECT_FALSE(finding_with_id(report, "capture.interrupted")) << report["findings"].dump();
}

// A second signal does not wait for the writer.
TEST(CommandLine, ASecondSignalEndsTheReadingOfStandardInputAtOnce) {
    std::string capture = file_text(generated + "complete-connection.pcap");
    RunningProcess trustcap({trustcap_binary(), "--format", "json", "--port", "443", "-"}, RunningProcess::Input::pipe);
    trustcap.write_input(capture);
    wait_until_catching(trustcap.pid(), SIGINT);
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    auto signalled = std::chrono::steady_clock::now();
    trustcap.send_signal(SIGINT);
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    trustcap.send_signal(SIGINT);
    Json report = interrupted_report(trustcap.wait());
    EXPECT_LT(std::chrono::steady_clock::now() - signalled, std::chrono::milliseconds(900));
    EXPECT_EQ(13, report["capture"]["frames"]);
    EXPECT_EQ("reading stopped by SIGINT before the end of the input", report["capture"]["damage"]);
}

// tcpdump -w - without -U writes even the file header only as it exits:
// a signal before the header arrives still waits for the writer to finish.
TEST(CommandLine, ASignalBeforeTheFileHeaderStillWaitsForTheWriter) {
    std::string capture = file_text(generated + "complete-connection.pcap");
    RunningProcess trustcap({trustcap_binary(), "--format", "json", "--port", "443", "-"}, RunningProcess::Input::pipe);
    wait_until_catching(trustcap.pid(), SIGTERM);
    trustcap.send_signal(SIGTERM);
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    trustcap.write_input(capture);
    trustcap.close_input();
    Json report = interrupted_report(trustcap.wait());
    EXPECT_EQ(13, report["capture"]["frames"]);
    EXPECT_TRUE(report["capture"]["complete"].get<bool>());
}

TEST(CommandLine, ASignalWithNoFileHeaderEverSentIsAOneLineError) {
    RunningProcess trustcap({trustcap_binary(), "-"}, RunningProcess::Input::pipe);
    wait_until_catching(trustcap.pid(), SIGINT);
    trustcap.send_signal(SIGINT);
    trustcap.send_signal(SIGINT);
    ProcessResult run = trustcap.wait();
    EXPECT_EQ(2, run.exit_status);
    EXPECT_EQ("trustcap: -: reading stopped by SIGINT before the capture's file header arrived\n", run.standard_error);
    EXPECT_TRUE(run.standard_output.empty());
}

// An output that cannot be written is found before the capture is read, not
// after: here the capture never ends, and trustcap stops at once.
TEST(CommandLine, AnUnwritableOutputFileStopsBeforeTheCaptureIsRead) {
    std::string capture = file_text(generated + "complete-connection.pcap");
    RunningProcess trustcap({trustcap_binary(), "-o", "/proc/trustcap-no-such-directory/report.txt", "-"},
                            RunningProcess::Input::pipe);
    trustcap.write_input(capture);
    auto started = std::chrono::steady_clock::now();
    std::thread closer([&] {
        std::this_thread::sleep_for(std::chrono::seconds(5));
        trustcap.close_input();
    });
    ProcessResult run = trustcap.wait();
    auto waited = std::chrono::steady_clock::now() - started;
    closer.join();
    EXPECT_EQ(2, run.exit_status);
    EXPECT_LT(waited, std::chrono::seconds(4)) << "trustcap read the capture to its end first";
    EXPECT_EQ(0u, run.standard_error.find("trustcap: cannot write /proc/trustcap-no-such-directory/report.txt: "))
        << run.standard_error;
}

TEST(CommandLine, AnOutputFileThatIsTheCaptureIsRefusedAndTheCaptureKept) {
    fs::path capture = scratch_file("capture-and-report.pcap");
    fs::copy_file(generated + "complete-connection.pcap", capture, fs::copy_options::overwrite_existing);
    const std::string before = file_text(capture.string());
    ProcessResult run = run_process({trustcap_binary(), "-o", capture.string(), capture.string()});
    EXPECT_EQ(2, run.exit_status);
    EXPECT_EQ("trustcap: cannot write " + capture.string() + ": it is the capture being read\n", run.standard_error);
    EXPECT_EQ(before, file_text(capture.string()));
    fs::remove(capture);
}

}  // namespace
}  // namespace trustcap::testing
