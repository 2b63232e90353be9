// A SYN flood or a scan of any size stays within bounded memory and a
// bounded report: the capture is written here, at run time.
#include <gtest/gtest.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>

#include <unistd.h>

#include <nlohmann/json.hpp>

#include "capture_corpus.h"
#include "process.h"

namespace trustcap::testing {
namespace {

namespace fs = std::filesystem;
using Json = nlohmann::json;

void put16(std::string& out, std::uint16_t value) {
    out.push_back(static_cast<char>(value >> 8));
    out.push_back(static_cast<char>(value & 0xff));
}

void put32(std::string& out, std::uint32_t value) {
    put16(out, static_cast<std::uint16_t>(value >> 16));
    put16(out, static_cast<std::uint16_t>(value & 0xffff));
}

void put32_little(std::string& out, std::uint32_t value) {
    for (int shift = 0; shift < 32; shift += 8) out.push_back(static_cast<char>((value >> shift) & 0xff));
}

std::uint16_t checksum(const std::string& bytes, std::uint32_t sum = 0) {
    for (std::size_t i = 0; i + 1 < bytes.size(); i += 2)
        sum += static_cast<std::uint32_t>(static_cast<std::uint8_t>(bytes[i]) << 8 | static_cast<std::uint8_t>(bytes[i + 1]));
    while (sum >> 16) sum = (sum & 0xffff) + (sum >> 16);
    return static_cast<std::uint16_t>(~sum & 0xffff);
}

// `count` SYNs to 192.0.2.10:443, each from its own address and port, 10 000
// a second, none answered: an Ethernet pcap.
fs::path write_syn_flood(std::uint32_t count) {
    fs::path path = fs::temp_directory_path() / ("trustcap-flood-" + std::to_string(::getpid()) + ".pcap");
    std::ofstream file(path, std::ios::binary);
    std::string header;
    for (std::uint32_t word : {0xa1b2c3d4u, 0x00040002u, 0u, 0u, 65535u, 1u}) put32_little(header, word);
    file << header;
    const std::string target{'\xc0', '\x00', '\x02', '\x0a'};
    for (std::uint32_t i = 0; i < count; ++i) {
        std::string source{'\x0a', static_cast<char>(i >> 16), static_cast<char>(i >> 8), static_cast<char>(i)};
        std::uint16_t port = static_cast<std::uint16_t>(1024 + i % 60'000);
        std::string tcp;
        put16(tcp, port);
        put16(tcp, 443);
        put32(tcp, i * 2'654'435'761u);
        put32(tcp, 0);
        put16(tcp, 0x5002);  // 20-byte header, SYN
        put16(tcp, 64'240);
        put32(tcp, 0);  // checksum, urgent pointer
        std::string pseudo = source + target + std::string{'\0', '\x06', '\0', '\x14'} + tcp;
        std::uint16_t tcp_sum = checksum(pseudo);
        tcp[16] = static_cast<char>(tcp_sum >> 8);
        tcp[17] = static_cast<char>(tcp_sum & 0xff);
        std::string ip{'\x45', '\0'};
        put16(ip, 40);
        put16(ip, static_cast<std::uint16_t>(i));
        put16(ip, 0);
        ip += std::string{'\x40', '\x06', '\0', '\0'} + source + target;
        std::uint16_t ip_sum = checksum(ip);
        ip[10] = static_cast<char>(ip_sum >> 8);
        ip[11] = static_cast<char>(ip_sum & 0xff);
        std::string frame = std::string("\x00\x11\x22\x33\x44\x55\x66\x77\x88\x99\xaa\xbb\x08\x00", 14) + ip + tcp;
        std::uint64_t microseconds = std::uint64_t{i} * 100;
        std::string record;
        put32_little(record, static_cast<std::uint32_t>(1'700'000'000 + microseconds / 1'000'000));
        put32_little(record, static_cast<std::uint32_t>(microseconds % 1'000'000));
        put32_little(record, static_cast<std::uint32_t>(frame.size()));
        put32_little(record, static_cast<std::uint32_t>(frame.size()));
        file << record << frame;
    }
    return path;
}

class SynFloodTest : public ::testing::Test {
protected:
    static void SetUpTestSuite() { capture_ = new fs::path(write_syn_flood(flood_size)); }
    static void TearDownTestSuite() {
        fs::remove(*capture_);
        delete capture_;
    }
    static constexpr std::uint32_t flood_size = 100'000;
    static fs::path* capture_;
};

fs::path* SynFloodTest::capture_ = nullptr;

// Before the bound, 100 000 SYNs took 560 MB and wrote 290 MB of JSON (one
// full record per attempt); with --max-flows 1000, still 300 MB.
TEST_F(SynFloodTest, IsSummarisedInBoundedMemoryAndOutput) {
    ProcessResult run =
        run_process({trustcap_binary(), "--format", "json", "--max-memory", "64", capture_->string()});
    ASSERT_EQ(1, run.exit_status) << run.standard_error;
    if (peak_memory_is_the_programs) {
        EXPECT_LT(run.peak_memory_kib, 256u * 1024);
    }
    EXPECT_LT(run.standard_output.size(), 256u * 1024);
    Json report = Json::parse(run.standard_output);
    EXPECT_EQ(16u, report.at("flows").size());  // the first attempts, listed in full
    const Json& summary = report.at("summarised_attempts");
    ASSERT_TRUE(summary.is_object()) << report.at("diagnosis");
    // The last 3 s of SYNs were not waited on long enough to call them unanswered.
    EXPECT_EQ(70'000u - 16u, summary.at("count"));
    EXPECT_EQ(summary.at("count"), summary.at("no_answer"));
    EXPECT_EQ(17u, summary.at("first_frame"));
    EXPECT_EQ(70'000u, summary.at("last_frame"));
    ASSERT_EQ(1u, summary.at("targets").size());
    EXPECT_EQ("192.0.2.10", summary.at("targets")[0].at("ip"));
    EXPECT_EQ(1u, summary.at("distinct_targets"));
    EXPECT_FALSE(summary.at("distinct_devices_exact"));
    EXPECT_TRUE(finding_with_id(report, "capture.attempts_summarised"));
}

TEST_F(SynFloodTest, MaxFlowsBoundsMemoryNotOnlyTheFlowTable) {
    ProcessResult run =
        run_process({trustcap_binary(), "--format", "json", "--max-flows", "1000", capture_->string()});
    ASSERT_EQ(1, run.exit_status) << run.standard_error;
    if (peak_memory_is_the_programs) {
        EXPECT_LT(run.peak_memory_kib, 48u * 1024);
    }
    EXPECT_LT(run.standard_output.size(), 64u * 1024);
}

TEST_F(SynFloodTest, AMemoryBudgetBoundsTheFlowsStateAndSaysWhereItWasSpent) {
    ProcessResult run =
        run_process({trustcap_binary(), "--format", "json", "--max-memory", "16", capture_->string()});
    ASSERT_EQ(1, run.exit_status) << run.standard_error;
    if (peak_memory_is_the_programs) {
        EXPECT_LT(run.peak_memory_kib, 40u * 1024);
    }
    Json report = Json::parse(run.standard_output);
    const Json& memory = report.at("capture").at("limits").at("memory");
    EXPECT_EQ(16u << 20, memory.at("limit_bytes"));
    EXPECT_LE(memory.at("peak_bytes").get<std::size_t>(), (16u << 20) + 64 * 1024);
    EXPECT_GT(memory.at("peak_bytes").get<std::size_t>(), 15u << 20);
    ASSERT_TRUE(memory.at("first_reached_frame").is_number()) << memory;
    EXPECT_GT(memory.at("flows_evicted").get<std::uint64_t>(), 50'000u);
    EXPECT_EQ(0u, report.at("capture").at("limits").at("flows_evicted"));  // not the --max-flows cap
    const Json* finding = finding_with_id(report, "capture.memory_limit");
    ASSERT_TRUE(finding);
    EXPECT_NE(std::string::npos, finding->at("summary").get<std::string>().find("the budget of 16 MiB"));
    EXPECT_EQ(Json::array({memory.at("first_reached_frame")}), finding->at("frames"));

    ProcessResult ample =
        run_process({trustcap_binary(), "--format", "json", "--max-memory", "512", capture_->string()});
    Json ample_report = Json::parse(ample.standard_output);
    const Json& unspent = ample_report.at("capture").at("limits").at("memory");
    EXPECT_TRUE(unspent.at("first_reached_frame").is_null());
    EXPECT_EQ(512u << 20, unspent.at("limit_bytes"));
}

// The default budget keeps trustcap within 64 MiB whatever the capture holds.
// Here it is spent before the first SYN has waited 3 s for its answer: the
// attempts are let go, oldest first, without being called unanswered, and the
// report says so and how to give it the memory to judge them.
TEST_F(SynFloodTest, TheDefaultBudgetLetsTheOldestAttemptsGoAndSaysSo) {
    ProcessResult run = run_process({trustcap_binary(), "--format", "json", capture_->string()});
    ASSERT_EQ(1, run.exit_status) << run.standard_error;
    if (peak_memory_is_the_programs) {
        EXPECT_LT(run.peak_memory_kib, 64u * 1024);
    }
    Json report = Json::parse(run.standard_output);
    const Json& memory = report.at("capture").at("limits").at("memory");
    EXPECT_EQ(32u << 20, memory.at("limit_bytes"));
    EXPECT_TRUE(memory.at("first_reached_frame").is_number()) << memory;
    EXPECT_GT(memory.at("flows_evicted").get<std::uint64_t>(), 50'000u);
    EXPECT_EQ(0u, memory.at("flows_dropped"));
    EXPECT_TRUE(report.at("flows").empty());
    const Json* finding = finding_with_id(report, "capture.memory_limit");
    ASSERT_TRUE(finding);
    EXPECT_NE(std::string::npos, finding->at("fix").dump().find("--max-memory")) << *finding;
}

TEST_F(SynFloodTest, TextAndEventStreamStayBoundedToo) {
    ProcessResult text = run_process({trustcap_binary(), "--max-flows", "1000", capture_->string()});
    EXPECT_LT(text.standard_output.size(), 64u * 1024);
    ProcessResult events =
        run_process({trustcap_binary(), "--format", "ndjson", "--max-memory", "64", capture_->string()});
    EXPECT_LT(events.standard_output.size(), 256u * 1024);
    EXPECT_NE(std::string::npos, events.standard_output.find("\"summarised_attempts\":{\"count\":69984"));
    ProcessResult full_text = run_process({trustcap_binary(), "--max-memory", "64", capture_->string()});
    EXPECT_NE(std::string::npos, full_text.standard_output.find("Attempts not listed: 69984 (frames 17 to 70000)"))
        << full_text.standard_output.substr(0, 2000);
}

}  // namespace
}  // namespace trustcap::testing
