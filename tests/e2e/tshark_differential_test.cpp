// tshark is the oracle: for every capture in pcaps/, the frames trustcap
// reports (timeline, steps, findings) exist, and their addresses, ports, TCP
// flags and ICMP type/code are what tshark reads in those frames.
#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <sstream>

#include <nlohmann/json.hpp>

#include "capture_corpus.h"
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

INSTANTIATE_TEST_SUITE_P(Pcaps, TsharkDifferentialTest, ::testing::ValuesIn(usable_captures()),
                         [](const ::testing::TestParamInfo<CorpusEntry>& info) { return info.param.test_name; });

}  // namespace
}  // namespace trustcap::testing
