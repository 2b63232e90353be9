#include "capture/packet_file_writer.h"

#include <gtest/gtest.h>
#include <pcap/pcap.h>
#include <stdlib.h>

#include <array>
#include <cstdint>
#include <filesystem>
#include <set>
#include <string>
#include <type_traits>
#include <vector>

namespace trustcap {
namespace {

namespace fs = std::filesystem;

static_assert(!std::is_copy_constructible_v<PacketFileWriter> && !std::is_copy_assignable_v<PacketFileWriter>);

constexpr std::int64_t first_second = 1'700'000'000;
constexpr std::size_t frame_size = 100;
constexpr std::uint64_t pcap_file_header_size = 24;
constexpr std::uint64_t record_size = 16 + frame_size;

struct ReadPacket {
    std::int64_t seconds = 0;
    std::int64_t fraction = 0;
    std::uint32_t captured_length = 0;
    std::uint32_t original_length = 0;
    std::vector<std::uint8_t> data;
};

std::vector<ReadPacket> read_packets(const fs::path& path, int precision = PCAP_TSTAMP_PRECISION_MICRO) {
    std::array<char, PCAP_ERRBUF_SIZE> errbuf{};
    pcap_t* file = pcap_open_offline_with_tstamp_precision(path.c_str(), precision, errbuf.data());
    EXPECT_NE(file, nullptr) << path << ": " << errbuf.data();
    if (file == nullptr) return {};
    EXPECT_EQ(pcap_datalink(file), DLT_EN10MB);
    std::vector<ReadPacket> packets;
    pcap_pkthdr* header = nullptr;
    const u_char* data = nullptr;
    int result = 0;
    while ((result = pcap_next_ex(file, &header, &data)) == 1)
        packets.push_back({header->ts.tv_sec, header->ts.tv_usec, header->caplen, header->len,
                           std::vector<std::uint8_t>(data, data + header->caplen)});
    EXPECT_EQ(result, PCAP_ERROR_BREAK) << path << ": " << pcap_geterr(file);
    pcap_close(file);
    return packets;
}

std::vector<std::int64_t> seconds_of(const std::vector<ReadPacket>& packets) {
    std::vector<std::int64_t> seconds;
    for (const ReadPacket& packet : packets) seconds.push_back(packet.seconds - first_second);
    return seconds;
}

std::vector<std::int64_t> range(std::int64_t first, std::int64_t last) {
    std::vector<std::int64_t> numbers;
    for (std::int64_t number = first; number <= last; ++number) numbers.push_back(number);
    return numbers;
}

class PacketFileWriterTest : public testing::Test {
protected:
    void SetUp() override {
        std::string pattern = (fs::temp_directory_path() / "trustcap-writer-XXXXXX").string();
        ASSERT_NE(mkdtemp(pattern.data()), nullptr);
        directory_ = pattern;
        handle_ = pcap_open_dead(DLT_EN10MB, 65535);
        ASSERT_NE(handle_, nullptr);
    }
    void TearDown() override {
        writer_.reset();
        if (handle_) pcap_close(handle_);
        if (!directory_.empty()) fs::remove_all(directory_);
    }

    PacketFileWriter& open_writer(std::uint64_t size_limit_bytes = 0, unsigned file_count = 0) {
        std::string error;
        writer_ = PacketFileWriter::open(handle_, {path(), size_limit_bytes, file_count}, error);
        EXPECT_NE(writer_, nullptr) << error;
        EXPECT_EQ(error, "");
        return *writer_;
    }

    // Frame n is 100 bytes of n, captured at second n after first_second.
    void write_frames(PacketFileWriter& writer, std::int64_t first, std::int64_t last) {
        for (std::int64_t n = first; n <= last; ++n) {
            std::vector<std::uint8_t> data(frame_size, static_cast<std::uint8_t>(n));
            RawFrame frame;
            frame.number = static_cast<std::uint64_t>(n) + 1;
            frame.time = {first_second + n, 123'456'789};
            frame.captured_length = static_cast<std::uint32_t>(data.size());
            frame.original_length = 1500;
            frame.data = data;
            ASSERT_TRUE(writer.write(frame)) << "frame " << n << ": " << writer.error();
        }
    }

    [[nodiscard]] std::string path(const std::string& suffix = "") const {
        return (directory_ / ("capture.pcap" + suffix)).string();
    }
    [[nodiscard]] std::set<std::string> files_in_directory() const {
        std::set<std::string> names;
        for (const auto& entry : fs::directory_iterator(directory_)) names.insert(entry.path().filename().string());
        return names;
    }

    fs::path directory_;
    pcap_t* handle_ = nullptr;
    std::unique_ptr<PacketFileWriter> writer_;
};

TEST_F(PacketFileWriterTest, WithoutSizeLimitWritesOneFileAtThePath) {
    PacketFileWriter& writer = open_writer();
    write_frames(writer, 0, 4);
    writer_.reset();

    EXPECT_EQ(files_in_directory(), std::set<std::string>{"capture.pcap"});
    EXPECT_EQ(fs::file_size(path()), pcap_file_header_size + 5 * record_size);
    std::vector<ReadPacket> packets = read_packets(path());
    ASSERT_EQ(packets.size(), 5u);
    EXPECT_EQ(seconds_of(packets), range(0, 4));
    for (std::size_t n = 0; n < packets.size(); ++n) {
        EXPECT_EQ(packets[n].fraction, 123'456) << "microseconds of the nanosecond timestamp";
        EXPECT_EQ(packets[n].captured_length, frame_size);
        EXPECT_EQ(packets[n].original_length, 1500u);
        EXPECT_EQ(packets[n].data, std::vector<std::uint8_t>(frame_size, static_cast<std::uint8_t>(n)));
    }
}

TEST_F(PacketFileWriterTest, FileCountWithoutSizeLimitStillWritesThePath) {
    PacketFileWriter& writer = open_writer(0, 10);
    write_frames(writer, 0, 2);

    EXPECT_EQ(files_in_directory(), std::set<std::string>{"capture.pcap"});
    EXPECT_EQ(read_packets(path()).size(), 3u);
}

TEST_F(PacketFileWriterTest, EveryFrameIsInTheFileBeforeTheWriterCloses) {
    PacketFileWriter& writer = open_writer();
    write_frames(writer, 0, 2);

    EXPECT_EQ(seconds_of(read_packets(path())), range(0, 2));
}

TEST_F(PacketFileWriterTest, KeepsNanosecondsForANanosecondHandle) {
    pcap_close(handle_);
    handle_ = pcap_open_dead_with_tstamp_precision(DLT_EN10MB, 65535, PCAP_TSTAMP_PRECISION_NANO);
    PacketFileWriter& writer = open_writer();
    write_frames(writer, 0, 0);

    std::vector<ReadPacket> packets = read_packets(path(), PCAP_TSTAMP_PRECISION_NANO);
    ASSERT_EQ(packets.size(), 1u);
    EXPECT_EQ(packets[0].fraction, 123'456'789);
}

// 1000 bytes hold the file header and 8 records of 116 bytes (952 bytes);
// the 9th takes the file past the limit, so each full file has 9 frames.
constexpr std::uint64_t nine_frame_limit = 1000;

TEST_F(PacketFileWriterTest, SizeLimitContinuesInNumberedFilesFromOne) {
    PacketFileWriter& writer = open_writer(nine_frame_limit);
    write_frames(writer, 0, 19);

    std::vector<std::string> expected{path(), path("1"), path("2")};
    EXPECT_EQ(writer.files_written(), expected);
    EXPECT_EQ(files_in_directory(), (std::set<std::string>{"capture.pcap", "capture.pcap1", "capture.pcap2"}));
    EXPECT_EQ(seconds_of(read_packets(path())), range(0, 8));
    EXPECT_EQ(seconds_of(read_packets(path("1"))), range(9, 17));
    EXPECT_EQ(seconds_of(read_packets(path("2"))), range(18, 19));
    for (const std::string& full : {path(), path("1")}) {
        EXPECT_GT(fs::file_size(full), nine_frame_limit) << full;
        EXPECT_LE(fs::file_size(full) - record_size, nine_frame_limit) << full << " went on past the limit";
    }
}

TEST_F(PacketFileWriterTest, FileCountMakesARingThatOverwritesTheOldestFile) {
    PacketFileWriter& writer = open_writer(nine_frame_limit, 3);
    write_frames(writer, 0, 29);

    std::vector<std::string> expected{path("0"), path("1"), path("2")};
    EXPECT_EQ(writer.files_written(), expected);
    EXPECT_EQ(writer.current_file(), path("0"));
    EXPECT_EQ(files_in_directory(), (std::set<std::string>{"capture.pcap0", "capture.pcap1", "capture.pcap2"}));
    EXPECT_EQ(seconds_of(read_packets(path("0"))), range(27, 29));
    EXPECT_EQ(seconds_of(read_packets(path("1"))), range(9, 17));
    EXPECT_EQ(seconds_of(read_packets(path("2"))), range(18, 26));
}

// 100 bytes hold only the file header, so every file takes one frame.
constexpr std::uint64_t one_frame_limit = 100;

TEST_F(PacketFileWriterTest, TenFilesAreNumberedWithOneDigit) {
    PacketFileWriter& writer = open_writer(one_frame_limit, 10);
    write_frames(writer, 0, 10);

    ASSERT_EQ(writer.files_written().size(), 10u);
    std::set<std::string> expected_names;
    for (int n = 0; n < 10; ++n) {
        std::string counter = std::to_string(n);
        EXPECT_EQ(writer.files_written()[static_cast<std::size_t>(n)], path(counter));
        expected_names.insert("capture.pcap" + counter);
        if (n > 0) {
            EXPECT_EQ(seconds_of(read_packets(path(counter))), std::vector<std::int64_t>{n});
        }
    }
    EXPECT_EQ(files_in_directory(), expected_names);
    EXPECT_EQ(seconds_of(read_packets(path("0"))), std::vector<std::int64_t>{10});
}

TEST_F(PacketFileWriterTest, HundredFilesAreNumberedWithTwoDigits) {
    PacketFileWriter& writer = open_writer(one_frame_limit, 100);
    write_frames(writer, 0, 11);

    ASSERT_EQ(writer.files_written().size(), 12u);
    EXPECT_EQ(writer.files_written().front(), path("00"));
    EXPECT_EQ(writer.files_written()[9], path("09"));
    EXPECT_EQ(writer.files_written().back(), path("11"));
    EXPECT_EQ(files_in_directory().count("capture.pcap00"), 1u);
    EXPECT_EQ(files_in_directory().count("capture.pcap0"), 0u);
    EXPECT_EQ(seconds_of(read_packets(path("07"))), std::vector<std::int64_t>{7});
}

TEST_F(PacketFileWriterTest, OneFileRingRewritesThePlainPath) {
    PacketFileWriter& writer = open_writer(one_frame_limit, 1);
    write_frames(writer, 0, 2);

    EXPECT_EQ(writer.files_written(), std::vector<std::string>{path()});
    EXPECT_EQ(files_in_directory(), std::set<std::string>{"capture.pcap"});
    EXPECT_EQ(seconds_of(read_packets(path())), std::vector<std::int64_t>{2});
}

TEST_F(PacketFileWriterTest, FirstFileThatCannotBeOpenedGivesNoWriter) {
    std::string missing = (directory_ / "missing" / "capture.pcap").string();
    std::string error;
    auto writer = PacketFileWriter::open(handle_, {missing, 0, 0}, error);

    EXPECT_EQ(writer, nullptr);
    EXPECT_EQ(error.rfind("-w " + missing + ": ", 0), 0u) << error;
    EXPECT_EQ(error.find('\n'), std::string::npos) << error;
}

TEST_F(PacketFileWriterTest, NextFileThatCannotBeOpenedStopsWriting) {
    fs::create_directory(path("1"));
    PacketFileWriter& writer = open_writer(one_frame_limit);
    write_frames(writer, 0, 0);

    RawFrame frame;
    std::vector<std::uint8_t> data(frame_size, 1);
    frame.data = data;
    frame.captured_length = frame.original_length = static_cast<std::uint32_t>(data.size());
    EXPECT_FALSE(writer.write(frame));
    EXPECT_EQ(writer.error().rfind("-w " + path("1") + ": ", 0), 0u) << writer.error();
    EXPECT_FALSE(writer.write(frame));
    EXPECT_EQ(seconds_of(read_packets(path())), std::vector<std::int64_t>{0});
}

TEST_F(PacketFileWriterTest, FailedWriteIsReportedAndStopsWriting) {
    if (!fs::exists("/dev/full")) GTEST_SKIP() << "no /dev/full";
    std::string error;
    writer_ = PacketFileWriter::open(handle_, {"/dev/full", 0, 0}, error);
    ASSERT_NE(writer_, nullptr) << error;

    RawFrame frame;
    std::vector<std::uint8_t> data(frame_size, 1);
    frame.data = data;
    EXPECT_FALSE(writer_->write(frame));
    EXPECT_EQ(writer_->error().rfind("-w /dev/full: ", 0), 0u) << writer_->error();
    EXPECT_FALSE(writer_->write(frame));
}

TEST(ParseFileSizeLimit, CountsMillionsOfBytesOrTheSuffixUnit) {
    EXPECT_EQ(parse_file_size_limit("1"), 1'000'000u);
    EXPECT_EQ(parse_file_size_limit("250"), 250'000'000u);
    EXPECT_EQ(parse_file_size_limit("2k"), 2048u);
    EXPECT_EQ(parse_file_size_limit("2K"), 2048u);
    EXPECT_EQ(parse_file_size_limit("3M"), 3'145'728u);
    EXPECT_EQ(parse_file_size_limit("3m"), 3'145'728u);
    EXPECT_EQ(parse_file_size_limit("1g"), 1'073'741'824u);
    EXPECT_EQ(parse_file_size_limit("5G"), 5'368'709'120u);
}

TEST(ParseFileSizeLimit, RejectsWhatIsNotAPositiveSize) {
    for (const char* text : {"0", "0k", "-1", "+1", "abc", "1x", "1kb", "k", "", " 1", "1.5",
                             "99999999999999999999", "9223372036854775807", "9999999999g"})
        EXPECT_EQ(parse_file_size_limit(text), std::nullopt) << '"' << text << '"';
}

}  // namespace
}  // namespace trustcap
