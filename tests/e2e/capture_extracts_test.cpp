// --annotate and --export-flow, checked with tshark: which frames each file
// holds (by their times and lengths in the original), and which comments.
#include <gtest/gtest.h>

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "capture_corpus.h"
#include "process.h"

namespace trustcap::testing {
namespace {

namespace fs = std::filesystem;
using Json = nlohmann::json;

const std::string pcaps = TRUSTCAP_PCAPS_DIR;

// A file in the shared temporary directory, where trustcap may write once it is no longer root.
fs::path scratch_file(const std::string& name) {
    return fs::temp_directory_path() / ("trustcap-extracts-" + std::to_string(::getpid()) + "-" + name);
}

struct TsharkFrame {
    std::string time;  // frame.time_epoch: tells the frames of a generated capture apart
    std::string length;
    std::string stream;
    std::string comment;
};

// Frame number -> what tshark reads in it, for the frames `filter` selects.
std::map<std::uint64_t, TsharkFrame> read_frames(const fs::path& capture, const std::string& filter = "") {
    std::vector<std::string> arguments{"tshark", "-n", "-2", "-r", capture.string()};  // two passes: a fragment knows where it is reassembled
    if (!filter.empty()) arguments.insert(arguments.end(), {"-Y", filter});
    arguments.insert(arguments.end(), {"-T", "fields", "-e", "frame.number", "-e", "frame.time_epoch", "-e",
                                       "frame.len", "-e", "tcp.stream", "-e", "frame.comment"});
    ProcessResult run = run_process(arguments);
    EXPECT_EQ(0, run.exit_status) << run.standard_error;
    std::map<std::uint64_t, TsharkFrame> frames;
    std::istringstream lines(run.standard_output);
    std::string line;
    while (std::getline(lines, line)) {
        std::vector<std::string> fields;
        std::istringstream in(line);
        for (std::string field; std::getline(in, field, '\t');) fields.push_back(field);
        fields.resize(5);
        frames[std::stoull(fields[0])] = TsharkFrame{fields[1], fields[2], fields[3], fields[4]};
    }
    return frames;
}

std::vector<std::pair<std::string, std::string>> times_and_lengths(const std::map<std::uint64_t, TsharkFrame>& frames) {
    std::vector<std::pair<std::string, std::string>> list;
    for (const auto& [number, frame] : frames) list.emplace_back(frame.time, frame.length);
    return list;
}

TEST(CaptureExtracts, AnnotatedCaptureHasEveryFrameAndACommentOnEachEvidenceFrame) {
    const std::string capture = pcaps + "/generated-tls/tls12-unknown-ca-three-attempts.pcap";
    const fs::path annotated = scratch_file("annotated.pcapng");
    ProcessResult run = run_process({trustcap_binary(), "--format", "json", "--annotate", annotated.string(), capture});
    ASSERT_EQ(1, run.exit_status) << run.standard_error;
    Json report = Json::parse(run.standard_output);

    std::map<std::uint64_t, std::set<std::string>> expected_ids;
    for (const Json& finding : report.at("findings"))
        for (const Json& frame : finding.at("frames")) expected_ids[frame.get<std::uint64_t>()].insert(finding.at("id"));
    ASSERT_FALSE(expected_ids.empty());

    const auto original = read_frames(capture);
    const auto written = read_frames(annotated);
    EXPECT_EQ(times_and_lengths(original), times_and_lengths(written));
    for (const auto& [number, frame] : written) {
        auto ids = expected_ids.find(number);
        if (ids == expected_ids.end()) {
            EXPECT_EQ("", frame.comment) << "frame " << number;
            continue;
        }
        for (const std::string& id : ids->second)
            EXPECT_NE(std::string::npos, frame.comment.find("trustcap: " + id + " (")) << "frame " << number;
    }
    // Wireshark's Expert Information lists each commented frame.
    ProcessResult expert = run_process({"tshark", "-n", "-r", annotated.string(), "-q", "-z", "expert,comment"});
    EXPECT_NE(std::string::npos, expert.standard_output.find("Comments (" + std::to_string(expected_ids.size()) + ")"))
        << expert.standard_output;
    fs::remove(annotated);
}

TEST(CaptureExtracts, OnlyLicensingKeepsTheLicensingFlowAndTheEvidenceAndNamesTheOriginalFrames) {
    const std::string capture = pcaps + "/generated/port-8443-with-background.pcap";
    const fs::path annotated = scratch_file("licensing.pcapng");
    ProcessResult run = run_process({trustcap_binary(), "--format", "json", "--port", "8443", "--annotate",
                                     annotated.string(), "--only-licensing", capture});
    ASSERT_NE(2, run.exit_status) << run.standard_error;
    Json report = Json::parse(run.standard_output);
    ASSERT_EQ(1U, report.at("flows").size());
    const std::string stream = report.at("flows")[0].at("wireshark").at("stream_filter");

    const auto licensing = read_frames(capture, stream);
    const auto written = read_frames(annotated);
    EXPECT_EQ(times_and_lengths(licensing), times_and_lengths(written));
    ASSERT_LT(licensing.size(), read_frames(capture).size()) << "the capture has other traffic to leave out";

    const Json& finding = report.at("findings")[0];
    const std::uint64_t evidence = finding.at("frames")[0];
    const auto position = std::distance(licensing.begin(), licensing.find(evidence)) + 1;
    const std::string comment = written.at(static_cast<std::uint64_t>(position)).comment;
    EXPECT_NE(std::string::npos, comment.find("trustcap: " + finding.at("id").get<std::string>())) << comment;
    EXPECT_NE(std::string::npos, comment.find("[frame " + std::to_string(evidence) + " of the original capture]"))
        << comment;
    fs::remove(annotated);
}

// Three attempts on three port pairs, two connections on one reused pair, and
// connections whose datagrams were fragmented (Wireshark gives the stream
// only to the frame that completes a datagram: its fragments are those
// reassembled in it).
TEST(CaptureExtracts, AnExportedFlowHoldsExactlyTheFramesOfItsWiresharkStream) {
    for (const auto& [capture, flows] : {std::pair{pcaps + "/generated-tls/tls12-unknown-ca-three-attempts.pcap", 3U},
                                         std::pair{pcaps + "/generated/port-reuse.pcap", 2U},
                                         std::pair{pcaps + "/generated/complete-connection-ipv4-fragments.pcap", 1U},
                                         std::pair{pcaps + "/generated/complete-connection-ipv6-fragments.pcap", 1U}}) {
        Json report = Json::parse(
            run_process({trustcap_binary(), "--format", "json", "--port", "443", capture}).standard_output);
        ASSERT_EQ(flows, report.at("flows").size()) << capture;
        for (const Json& flow : report.at("flows")) {
            const std::string id = flow.at("id").dump();
            const fs::path exported = scratch_file("flow-" + id + ".pcap");
            ProcessResult run =
                run_process({trustcap_binary(), "--port", "443", "--export-flow", id, exported.string(), capture});
            ASSERT_NE(2, run.exit_status) << run.standard_error;
            const std::string stream = flow.at("wireshark").at("stream_filter");
            std::string reassembled;
            for (const auto& [number, frame] : read_frames(capture, stream))
                reassembled += (reassembled.empty() ? "" : ", ") + std::to_string(number);
            ASSERT_FALSE(reassembled.empty());
            const auto expected = read_frames(capture, stream + " or ip.reassembled_in in {" + reassembled +
                                                           "} or ipv6.reassembled.in in {" + reassembled + "}");
            EXPECT_EQ(times_and_lengths(expected), times_and_lengths(read_frames(exported))) << capture << " flow " << id;
            fs::remove(exported);
        }
    }
}

std::string file_text(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
}

// Files in the temporary directory whose names start with `prefix`.
std::size_t files_named(const std::string& prefix) {
    std::size_t count = 0;
    for (const auto& entry : fs::directory_iterator(fs::temp_directory_path()))
        count += entry.path().filename().string().starts_with(prefix) ? 1 : 0;
    return count;
}

TEST(CaptureExtracts, AFlowTheReportDoesNotListIsRefusedAndLeavesTheFileThatWasThere) {
    const fs::path exported = scratch_file("missing-flow.pcap");
    std::ofstream(exported) << "an earlier export";
    ProcessResult run = run_process({trustcap_binary(), "--export-flow", "9", exported.string(),
                                     pcaps + "/generated-tls/tls12-server-unknown-ca.pcap"});
    EXPECT_EQ(2, run.exit_status);
    EXPECT_EQ("trustcap: --export-flow 9: the report lists no such flow (it lists 1)\n", run.standard_error);
    EXPECT_EQ("an earlier export", file_text(exported));
    EXPECT_EQ(0U, files_named("." + exported.filename().string())) << "a temporary file was left";
    fs::remove(exported);

    ProcessResult fresh = run_process({trustcap_binary(), "--export-flow", "9", exported.string(),
                                       pcaps + "/generated-tls/tls12-server-unknown-ca.pcap"});
    EXPECT_EQ(2, fresh.exit_status);
    EXPECT_FALSE(fs::exists(exported));
}

TEST(CaptureExtracts, ASymbolicLinkAtTheOutputIsReplacedNotWrittenThrough) {
    const fs::path target = scratch_file("link-target.txt");
    const fs::path link = scratch_file("annotated-link.pcapng");
    std::ofstream(target) << "not to be overwritten";
    fs::create_symlink(target, link);
    // As the link's owner: in the sticky temporary directory only the owner may replace it.
    std::vector<std::string> as_owner;
    if (::geteuid() == 0) as_owner = {"-Z", "root"};
    std::vector<std::string> arguments{trustcap_binary()};
    arguments.insert(arguments.end(), as_owner.begin(), as_owner.end());
    arguments.insert(arguments.end(), {"--annotate", link.string(),
                                       pcaps + "/generated-tls/tls12-server-unknown-ca.pcap"});
    ProcessResult run = run_process(arguments);
    EXPECT_EQ(1, run.exit_status) << run.standard_error;
    EXPECT_EQ("not to be overwritten", file_text(target));
    EXPECT_FALSE(fs::is_symlink(link));
    EXPECT_EQ(13U, read_frames(link).size());
    fs::remove(link);
    fs::remove(target);
}

TEST(CaptureExtracts, TwoOutputsThatAreOneFileAreRefused) {
    const fs::path report = scratch_file("same.out");
    const std::string same = (report.parent_path() / "." / report.filename()).string();
    ProcessResult run = run_process({trustcap_binary(), "-o", report.string(), "--annotate", same,
                                     pcaps + "/generated-tls/tls12-server-unknown-ca.pcap"});
    EXPECT_EQ(2, run.exit_status);
    EXPECT_EQ("trustcap: --annotate " + same + ": the report is written there already (-o)\n", run.standard_error);
    EXPECT_FALSE(fs::exists(report));
}

// A pcapng file tells its time resolution only with its interface block.
TEST(CaptureExtracts, NanosecondTimesOfAPcapngCaptureAreKept) {
    const fs::path capture = scratch_file("nanosecond.pcapng");
    ProcessResult converted = run_process({"editcap", "-F", "pcapng",
                                           pcaps + "/generated/complete-connection-nanosecond.pcap", capture.string()});
    ASSERT_EQ(0, converted.exit_status) << converted.standard_error;
    const fs::path annotated = scratch_file("nanosecond-annotated.pcapng");
    const fs::path exported = scratch_file("nanosecond-flow.pcap");
    ProcessResult run = run_process({trustcap_binary(), "--port", "443", "--annotate", annotated.string(),
                                     "--export-flow", "1", exported.string(), capture.string()});
    ASSERT_NE(2, run.exit_status) << run.standard_error;
    const auto original = read_frames(capture);
    ASSERT_NE("000", original.begin()->second.time.substr(original.begin()->second.time.size() - 3))
        << "the capture has nanoseconds to lose";
    EXPECT_EQ(times_and_lengths(original), times_and_lengths(read_frames(annotated)));
    EXPECT_EQ(times_and_lengths(original), times_and_lengths(read_frames(exported)));
    for (const fs::path& path : {capture, annotated, exported}) fs::remove(path);
}

TEST(CaptureExtracts, AnOutputThatCannotBeWrittenIsToldBeforeTheAnalysisAndLeavesTheReportFile) {
    const fs::path report = scratch_file("kept-report.txt");
    std::ofstream(report) << "an earlier report";
    const fs::path directory = scratch_file("a-directory");
    fs::create_directory(directory);
    const std::string capture = pcaps + "/generated-tls/tls12-server-unknown-ca.pcap";
    for (const auto& [arguments, message] :
         {std::pair{std::vector<std::string>{"--annotate", "/nonexistent-directory/a.pcapng"},
                    "cannot write /nonexistent-directory/a.pcapng: " + std::string(std::strerror(ENOENT))},
          std::pair{std::vector<std::string>{"--export-flow", "1", directory.string()},
                    "cannot write " + directory.string() + ": it is a directory"}}) {
        std::vector<std::string> command{trustcap_binary(), "-o", report.string()};
        command.insert(command.end(), arguments.begin(), arguments.end());
        command.push_back(capture);
        ProcessResult run = run_process(command);
        EXPECT_EQ(2, run.exit_status);
        EXPECT_EQ("trustcap: " + message + "\n", run.standard_error);
        EXPECT_EQ("an earlier report", file_text(report));
    }
    for (const auto& arguments : {std::vector<std::string>{"--annotate", ""},
                                  std::vector<std::string>{"--export-flow", "1", ""}}) {
        std::vector<std::string> command{trustcap_binary()};
        command.insert(command.end(), arguments.begin(), arguments.end());
        command.push_back(capture);
        ProcessResult run = run_process(command);
        EXPECT_EQ(2, run.exit_status);
        EXPECT_NE(std::string::npos, run.standard_error.find(": give the file to write")) << run.standard_error;
    }
    fs::remove(report);
    fs::remove(directory);
}

TEST(CaptureExtracts, StandardInputAndTheCaptureItselfAreRefusedAsExtracts) {
    const std::string capture = pcaps + "/generated-tls/tls12-server-unknown-ca.pcap";
    const auto size_before = fs::file_size(capture);
    ProcessResult onto_input = run_process({trustcap_binary(), "--annotate", capture, capture});
    EXPECT_EQ(2, onto_input.exit_status);
    EXPECT_EQ("trustcap: cannot write " + capture + ": it is the capture being read\n", onto_input.standard_error);
    EXPECT_EQ(size_before, fs::file_size(capture));

    ProcessResult from_pipe = run_process({trustcap_binary(), "--export-flow", "1", scratch_file("x.pcap").string(), "-"});
    EXPECT_EQ(2, from_pipe.exit_status);
    EXPECT_EQ("trustcap: --annotate and --export-flow read the capture twice: give a file, not standard input\n",
              from_pipe.standard_error);

    const fs::path fifo = scratch_file("capture.fifo");
    ASSERT_EQ(0, ::mkfifo(fifo.c_str(), 0600));
    ProcessResult from_fifo = run_process({trustcap_binary(), "--annotate", scratch_file("y.pcapng").string(), fifo});
    EXPECT_EQ(2, from_fifo.exit_status);
    EXPECT_EQ("trustcap: " + fifo.string() +
                  ": --annotate and --export-flow read the capture a second time: give a regular file, not a pipe or "
                  "a device\n",
              from_fifo.standard_error);
    fs::remove(fifo);
}

// Frame number -> its encapsulation as tshark names it, for the frames `filter` selects.
std::map<std::uint64_t, std::string> encapsulations(const fs::path& capture, const std::string& filter = "") {
    std::vector<std::string> arguments{"tshark", "-n", "-r", capture.string()};
    if (!filter.empty()) arguments.insert(arguments.end(), {"-Y", filter});
    arguments.insert(arguments.end(), {"-T", "fields", "-e", "frame.number", "-e", "frame.encap_type"});
    ProcessResult run = run_process(arguments);
    EXPECT_EQ(0, run.exit_status) << run.standard_error;
    std::map<std::uint64_t, std::string> encapsulation;
    std::istringstream lines(run.standard_output);
    for (std::string line; std::getline(lines, line);) {
        const auto tab = line.find('\t');
        encapsulation[std::stoull(line.substr(0, tab))] = line.substr(tab + 1);
    }
    return encapsulation;
}

std::vector<std::string> values_of(const std::map<std::uint64_t, std::string>& numbered) {
    std::vector<std::string> values;
    for (const auto& [number, value] : numbered) values.push_back(value);
    return values;
}

TEST(CaptureExtracts, InterfacesOfDifferentLinkTypesAreKeptInTheAnnotatedCaptureAndTheExportedFlow) {
    const fs::path capture = pcaps + "/merged/unknown-ca-with-zeek-tls13-over-sll2.pcapng";
    const fs::path annotated = scratch_file("merged.pcapng");
    const fs::path exported = scratch_file("merged-flow-2.pcap");
    ProcessResult run = run_process({trustcap_binary(), "--all-flows", "--ca-bundle",
                                     pcaps + "/generated-tls/lab-root-ca.pem", "--annotate", annotated.string(),
                                     "--export-flow", "2", exported.string(), capture.string()});
    ASSERT_EQ(1, run.exit_status) << run.standard_error;

    EXPECT_EQ(times_and_lengths(read_frames(capture)), times_and_lengths(read_frames(annotated)));
    const std::map<std::uint64_t, std::string> original = encapsulations(capture);
    ASSERT_EQ(19u, original.size());
    EXPECT_EQ(original, encapsulations(annotated)) << "each frame keeps its interface's link type";
    const std::map<std::uint64_t, TsharkFrame> annotated_frames = read_frames(annotated);
    EXPECT_NE(std::string::npos, annotated_frames.at(19).comment.find("capture.ended_mid_flow"))
        << "a comment on a frame of the second interface";

    EXPECT_EQ(times_and_lengths(read_frames(capture, "frame.interface_id == 1")),
              times_and_lengths(read_frames(exported)));
    EXPECT_EQ(values_of(encapsulations(capture, "frame.interface_id == 1")), values_of(encapsulations(exported)));
    fs::remove(annotated);
    fs::remove(exported);
}

TEST(CaptureExtracts, AFlowCapturedOnInterfacesOfDifferentLinkTypesIsNotExportedToPcap) {
    const fs::path merged = scratch_file("one-flow-two-link-types.pcapng");
    ProcessResult merge = run_process({"mergecap", "-w", merged.string(), pcaps + "/generated/complete-connection.pcap",
                                       pcaps + "/generated/complete-connection-linux-sll.pcap"});
    ASSERT_EQ(0, merge.exit_status) << merge.standard_error;
    const fs::path exported = scratch_file("one-flow.pcap");
    ProcessResult run =
        run_process({trustcap_binary(), "--port", "443", "--export-flow", "1", exported.string(), merged.string()});
    EXPECT_EQ(2, run.exit_status);
    EXPECT_NE(std::string::npos, run.standard_error.find("flow 1 was captured on interfaces of different link types"))
        << run.standard_error;
    EXPECT_FALSE(fs::exists(exported));
    fs::remove(merged);
}

}  // namespace
}  // namespace trustcap::testing
