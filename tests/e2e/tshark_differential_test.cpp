// tshark is the oracle: for every capture in pcaps/, the frames trustcap
// reports (timeline, steps, findings) exist, and their addresses, ports, TCP
// flags and ICMP type/code are what tshark reads in those frames.
#include <gtest/gtest.h>

#include <fstream>
#include <algorithm>
#include <map>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

#include "capture_corpus.h"
#include "crafted_capture.h"
#include "process.h"

namespace trustcap::testing {
namespace {

using Json = nlohmann::json;

struct TsharkFrame {
    std::vector<std::string> ip_sources;  // outermost first; ICMP errors add the quoted header's
    std::vector<std::string> ip_destinations;
    std::vector<std::string> tcp_source_ports;
    std::vector<std::string> tcp_destination_ports;
    std::vector<std::string> tcp_flags;
    std::string icmp_type;
    std::string icmp_code;
};

std::vector<std::string> split(const std::string& text, char separator) {
    std::vector<std::string> parts;
    std::string part;
    std::istringstream in(text);
    while (std::getline(in, part, separator)) parts.push_back(part);
    if (!text.empty() && text.back() == separator) parts.emplace_back();
    return parts;
}

std::vector<std::string> values(const std::string& a, const std::string& b = "") {
    std::vector<std::string> list;
    for (const std::string& field : {a, b})
        for (const std::string& value : split(field, ','))
            if (!value.empty()) list.push_back(value);
    return list;
}

std::map<std::uint64_t, TsharkFrame> read_with_tshark(const std::filesystem::path& capture) {
    ProcessResult run = run_process({"tshark", "-n", "-r", capture.string(), "-T", "fields", "-E", "occurrence=a",
                                     "-E", "aggregator=,", "-e", "frame.number", "-e", "ip.src", "-e", "ipv6.src",
                                     "-e", "ip.dst", "-e", "ipv6.dst", "-e", "tcp.srcport", "-e", "tcp.dstport", "-e",
                                     "tcp.flags", "-e", "icmp.type", "-e", "icmp.code", "-e", "icmpv6.type", "-e",
                                     "icmpv6.code"});
    EXPECT_NE(127, run.exit_status) << "tshark is not installed; the test setup installs it";
    std::map<std::uint64_t, TsharkFrame> frames;
    std::istringstream lines(run.standard_output);
    std::string line;
    while (std::getline(lines, line)) {
        std::vector<std::string> field = split(line, '\t');
        field.resize(12);
        TsharkFrame frame;
        frame.ip_sources = values(field[1], field[2]);
        frame.ip_destinations = values(field[3], field[4]);
        frame.tcp_source_ports = values(field[5]);
        frame.tcp_destination_ports = values(field[6]);
        frame.tcp_flags = values(field[7]);
        frame.icmp_type = !field[8].empty() ? split(field[8], ',').front() : split(field[10] + ",", ',').front();
        frame.icmp_code = !field[9].empty() ? split(field[9], ',').front() : split(field[11] + ",", ',').front();
        frames[std::stoull(field[0])] = frame;
    }
    return frames;
}

bool contains(const std::vector<std::string>& list, const std::string& value) {
    return std::find(list.begin(), list.end(), value) != list.end();
}

// tshark writes IPv6 addresses compressed, as inet_ntop does; both sides agree.
void expect_tcp_row_matches(const Json& row, const TsharkFrame& frame) {
    std::string where = "frame " + std::to_string(row.at("frame").get<std::uint64_t>());
    ASSERT_FALSE(frame.ip_sources.empty()) << where << ": tshark sees no IP";
    // Inside tunnels the analyzed packet is the innermost one: the last values.
    EXPECT_EQ(frame.ip_sources.back(), row.at("src")) << where;
    EXPECT_EQ(frame.ip_destinations.back(), row.at("dst")) << where;
    ASSERT_FALSE(frame.tcp_source_ports.empty()) << where << ": tshark sees no TCP";
    EXPECT_EQ(frame.tcp_source_ports.back(), std::to_string(row.at("src_port").get<int>())) << where;
    EXPECT_EQ(frame.tcp_destination_ports.back(), std::to_string(row.at("dst_port").get<int>())) << where;
    ASSERT_FALSE(frame.tcp_flags.empty()) << where;
    if (row.contains("tcp_flags")) {
        EXPECT_EQ(std::stoi(frame.tcp_flags.back(), nullptr, 16) & 0xff, row.at("tcp_flags").get<int>()) << where;
    }
}

void expect_icmp_row_matches(const Json& row, const TsharkFrame& frame) {
    std::string where = "frame " + std::to_string(row.at("frame").get<std::uint64_t>());
    EXPECT_TRUE(contains(frame.ip_sources, row.at("src"))) << where << ": ICMP sender " << row.at("src");
    ASSERT_FALSE(frame.icmp_type.empty()) << where << ": tshark sees no ICMP";
    EXPECT_EQ(frame.icmp_type, std::to_string(row.at("icmp_type").get<int>())) << where;
    EXPECT_EQ(frame.icmp_code, std::to_string(row.at("icmp_code").get<int>())) << where;
}

// Packets and payload bytes per TCP stream and sender, as tshark counts them
// (ICMP errors quote TCP headers; those frames are not the stream's).
struct StreamSide {
    std::uint64_t packets = 0;
    std::uint64_t payload_bytes = 0;
};
struct TsharkStreams {
    std::map<std::uint64_t, std::string> stream_of_frame;  // frame -> "stream/sender ip/sender port"
    std::map<std::string, StreamSide> sides;
};

TsharkStreams count_streams_with_tshark(const std::filesystem::path& capture) {
    ProcessResult run = run_process({"tshark", "-n", "-r", capture.string(), "-Y", "tcp && !icmp && !icmpv6", "-T",
                                     "fields", "-E", "occurrence=l", "-e", "frame.number", "-e", "tcp.stream", "-e",
                                     "ip.src", "-e", "ipv6.src", "-e", "tcp.srcport", "-e", "tcp.len"});
    TsharkStreams streams;
    std::istringstream lines(run.standard_output);
    std::string line;
    while (std::getline(lines, line)) {
        std::vector<std::string> field = split(line, '\t');
        field.resize(6);
        std::string key = field[1] + "/" + (field[2].empty() ? field[3] : field[2]) + "/" + field[4];
        streams.stream_of_frame[std::stoull(field[0])] = key;
        StreamSide& side = streams.sides[key];
        ++side.packets;
        side.payload_bytes += field[5].empty() ? 0 : std::stoull(field[5]);
    }
    return streams;
}

void expect_flow_counts_match(const Json& flow, const TsharkStreams& streams) {
    for (const char* role : {"client", "server"}) {
        const Json& counted = flow.at("tcp").at(role);
        if (counted.at("packets") == 0) continue;
        std::string sender = flow.at(role).at("ip").get<std::string>() + "/" +
                             std::to_string(flow.at(role).at("port").get<int>());
        std::string key;
        for (const Json& row : flow.at("timeline")) {
            auto found = streams.stream_of_frame.find(row.at("frame").get<std::uint64_t>());
            if (found == streams.stream_of_frame.end()) continue;
            std::string stream = found->second.substr(0, found->second.find('/'));
            key = stream + "/" + sender;
            break;
        }
        ASSERT_FALSE(key.empty()) << "flow " << flow.at("id") << ": no tshark stream";
        auto side = streams.sides.find(key);
        ASSERT_NE(side, streams.sides.end()) << key;
        EXPECT_EQ(side->second.packets, counted.at("packets").get<std::uint64_t>()) << key << " packets";
        EXPECT_EQ(side->second.payload_bytes, counted.at("payload_bytes").get<std::uint64_t>()) << key << " bytes";
    }
}

class TsharkDifferentialTest : public ::testing::TestWithParam<CorpusEntry> {};

TEST_P(TsharkDifferentialTest, ReportedFramesAgreeWithTshark) {
    const CorpusEntry& entry = GetParam();
    ProcessResult run = run_trustcap_as_expected(entry);
    ASSERT_NE(2, run.exit_status) << run.standard_error;
    Json report = Json::parse(run.standard_output);
    std::map<std::uint64_t, TsharkFrame> frames = read_with_tshark(entry.capture);

    EXPECT_EQ(frames.size(), report.at("capture").at("frames").get<std::size_t>()) << "frame count";
    std::size_t rows_checked = 0;
    for (const Json& flow : report.at("flows")) {
        for (const Json& row : flow.at("timeline")) {
            auto found = frames.find(row.at("frame").get<std::uint64_t>());
            ASSERT_NE(found, frames.end()) << "trustcap names frame " << row.at("frame") << ", tshark has no such frame";
            if (row.contains("icmp_type")) {
                expect_icmp_row_matches(row, found->second);
            } else {
                expect_tcp_row_matches(row, found->second);
            }
            ++rows_checked;
        }
        for (const Json& step : flow.at("steps")) {
            for (const Json& frame : step.at("frames")) {
                EXPECT_TRUE(frames.contains(frame.get<std::uint64_t>())) << frame;
            }
        }
    }
    for (const Json& finding : report.at("findings")) {
        for (const Json& frame : finding.at("frames")) {
            EXPECT_TRUE(frames.contains(frame.get<std::uint64_t>())) << frame;
        }
    }
    if (!report.at("flows").empty()) {
        EXPECT_GT(rows_checked, 0u);
    }
}

// Captures trustcap rejects as unusable by design have no frames to compare.
std::vector<CorpusEntry> usable_captures() {
    std::vector<CorpusEntry> usable;
    for (const CorpusEntry& entry : capture_corpus()) {
        if (expected_verdict(entry).at("exit_status") != 2) usable.push_back(entry);
    }
    return usable;
}

TEST_P(TsharkDifferentialTest, PacketAndByteCountsPerFlowAgreeWithTshark) {
    const CorpusEntry& entry = GetParam();
    ProcessResult run = run_trustcap_as_expected(entry);
    Json report = Json::parse(run.standard_output);
    TsharkStreams streams = count_streams_with_tshark(entry.capture);
    for (const Json& flow : report.at("flows")) expect_flow_counts_match(flow, streams);
}

std::set<std::uint64_t> frames_tshark_selects(const std::filesystem::path& capture, const std::string& filter) {
    ProcessResult run = run_process({"tshark", "-n", "-r", capture.string(), "-Y", filter, "-T", "fields", "-e",
                                     "frame.number"});
    // A capture cut short still gives its frames, with exit status 2.
    EXPECT_TRUE(run.exit_status == 0 || run.exit_status == 2) << filter << ": " << run.standard_error;
    std::set<std::uint64_t> frames;
    std::istringstream lines(run.standard_output);
    std::string line;
    while (std::getline(lines, line)) frames.insert(std::stoull(line));
    return frames;
}

std::set<std::uint64_t> tcp_timeline_frames(const Json& flow) {
    std::set<std::uint64_t> frames;
    for (const Json& row : flow.at("timeline"))
        if (row.at("protocol") == "TCP") frames.insert(row.at("frame").get<std::uint64_t>());
    return frames;
}

// Each flow's tcp.stream is the one tshark gives every TCP packet of its
// timeline (a flow without one starts where numbering stopped, or later);
// its conversation filter selects those packets in tshark; the first
// finding's frame filter selects exactly its frames.
TEST_P(TsharkDifferentialTest, WiresharkStreamsAndFiltersSelectWhatTheReportSays) {
    const CorpusEntry& entry = GetParam();
    // More flows than the expected report lists: every connection to the usual ports.
    ProcessResult run = run_trustcap_as_expected(entry, {"--all-flows", "--port", "443", "--port", "80"});
    Json report = Json::parse(run.standard_output);
    const Json arguments = expected_verdict(entry).value("args", Json::array());
    const bool filtered = std::find(arguments.begin(), arguments.end(), "--filter") != arguments.end();
    EXPECT_EQ(!filtered, report.at("capture").at("wireshark_streams").at("numbered").get<bool>());
    TsharkStreams streams = count_streams_with_tshark(entry.capture);
    const Json& stopped_at = report.at("capture").at("wireshark_streams").at("stopped_at_frame");
    for (const Json& flow : report.at("flows")) {
        const Json& wireshark = flow.at("wireshark");
        std::set<std::uint64_t> frames = tcp_timeline_frames(flow);
        if (wireshark.at("stream").is_null()) {
            ASSERT_FALSE(stopped_at.is_null()) << "flow " << flow.at("id") << " has no stream, yet numbering never stopped";
            EXPECT_LE(stopped_at.get<std::uint64_t>(), flow.at("first_frame").get<std::uint64_t>());
            frames.clear();
        }
        for (std::uint64_t frame : frames) {
            auto found = streams.stream_of_frame.find(frame);
            ASSERT_NE(found, streams.stream_of_frame.end()) << "frame " << frame << " is in no tshark stream";
            EXPECT_EQ(found->second.substr(0, found->second.find('/')), wireshark.at("stream").dump())
                << "flow " << flow.at("id") << ", frame " << frame;
        }
        if (!wireshark.at("stream").is_null()) {
            EXPECT_EQ("tcp.stream eq " + wireshark.at("stream").dump(), wireshark.at("stream_filter"));
        }
        frames = tcp_timeline_frames(flow);
        if (frames.empty()) continue;
        std::set<std::uint64_t> selected =
            frames_tshark_selects(entry.capture, wireshark.at("conversation_filter").get<std::string>());
        EXPECT_TRUE(std::includes(selected.begin(), selected.end(), frames.begin(), frames.end()))
            << wireshark.at("conversation_filter");
    }
    for (const Json& finding : report.at("findings")) {
        if (finding.at("frames").empty()) {
            EXPECT_TRUE(finding.at("wireshark_filter").is_null());
            continue;
        }
        std::set<std::uint64_t> frames = finding.at("frames").get<std::set<std::uint64_t>>();
        EXPECT_EQ(frames, frames_tshark_selects(entry.capture, finding.at("wireshark_filter").get<std::string>()))
            << finding.at("id");
        break;
    }
}

// Port reuse whose new SYN-ACK was captured before its SYN: Wireshark keeps
// that SYN-ACK in the earlier stream and starts the new one at the SYN; the
// flow is named by its SYN's stream.
TEST(WiresharkStreams, AFlowWhoseSynAckCameFirstOnAReusedPortIsNamedByItsSynsStream) {
    ScratchDirectory scratch("trustcap-stream-reorder");
    ClassicCapture capture = read_classic_capture(std::filesystem::path(TRUSTCAP_PCAPS_DIR) / "generated" / "port-reuse.pcap");
    ASSERT_EQ(26U, capture.records.size());
    std::swap(capture.records[13], capture.records[14]);  // the second connection's SYN and SYN-ACK
    const std::filesystem::path reordered = scratch.path() / "reordered.pcap";
    write_classic_capture(reordered, capture);

    ProcessResult run = run_process({trustcap_binary(), "--format", "json", "--port", "443", reordered.string()});
    Json report = Json::parse(run.standard_output);
    ASSERT_EQ(2U, report.at("flows").size());
    TsharkStreams streams = count_streams_with_tshark(reordered);
    ASSERT_EQ("0/146.112.59.25/443", streams.stream_of_frame.at(14));
    ASSERT_EQ("1/10.20.30.40/51512", streams.stream_of_frame.at(15));
    EXPECT_EQ(0, report.at("flows")[0].at("wireshark").at("stream"));
    EXPECT_EQ(1, report.at("flows")[1].at("wireshark").at("stream"));
}

INSTANTIATE_TEST_SUITE_P(Pcaps, TsharkDifferentialTest, ::testing::ValuesIn(usable_captures()),
                         [](const ::testing::TestParamInfo<CorpusEntry>& info) { return info.param.test_name; });

}  // namespace
}  // namespace trustcap::testing
