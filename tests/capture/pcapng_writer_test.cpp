#include "capture/pcapng_writer.h"

#include <gtest/gtest.h>
#include <pcap/pcap.h>
#include <stdlib.h>
#include <unistd.h>

#include <array>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <limits>
#include <sstream>
#include <string>
#include <type_traits>
#include <vector>

namespace trustcap {
namespace {

namespace fs = std::filesystem;

static_assert(!std::is_copy_constructible_v<PcapngWriter> && !std::is_copy_assignable_v<PcapngWriter>);

constexpr int linktype_raw = 101;

// Ethernet, IPv4, UDP from 192.0.2.1:5000 to 198.51.100.2:53, then
// `payload_size` bytes of `filler`.
std::vector<std::uint8_t> udp_over_ethernet(std::size_t payload_size, std::uint8_t filler) {
    std::vector<std::uint8_t> frame{
        0x02, 0x00, 0x00, 0x00, 0x00, 0x02,  // destination MAC
        0x02, 0x00, 0x00, 0x00, 0x00, 0x01,  // source MAC
        0x08, 0x00,                          // IPv4
    };
    const auto ip_length = static_cast<std::uint16_t>(20 + 8 + payload_size);
    const auto udp_length = static_cast<std::uint16_t>(8 + payload_size);
    const std::vector<std::uint8_t> ip_and_udp{
        0x45, 0x00, static_cast<std::uint8_t>(ip_length >> 8), static_cast<std::uint8_t>(ip_length),
        0x00, 0x01, 0x00, 0x00, 64, 17, 0x00, 0x00,  // id 1, TTL 64, UDP, checksum not computed
        192, 0, 2, 1, 198, 51, 100, 2,
        0x13, 0x88, 0x00, 0x35, static_cast<std::uint8_t>(udp_length >> 8), static_cast<std::uint8_t>(udp_length),
        0x00, 0x00,  // no UDP checksum
    };
    frame.insert(frame.end(), ip_and_udp.begin(), ip_and_udp.end());
    frame.insert(frame.end(), payload_size, filler);
    return frame;
}

struct FrameToWrite {
    std::vector<std::uint8_t> data;
    std::uint32_t original_length = 0;
    Timestamp time;
};

// Sizes 60, 61 and 63 bytes, so two need padding; the second was cut by a
// snapshot length. The second's time has every digit of a nanosecond.
std::vector<FrameToWrite> three_ethernet_frames() {
    return {
        {udp_over_ethernet(18, 0x11), 60, {1'700'000'000, 0}},
        {udp_over_ethernet(19, 0x22), 1514, {1'700'000'001, 123'456'789}},
        {udp_over_ethernet(21, 0x33), 63, {1'700'000'002, 999'999'999}},
    };
}

RawFrame raw_frame(const FrameToWrite& frame, std::uint64_t number) {
    RawFrame raw;
    raw.number = number;
    raw.time = frame.time;
    raw.captured_length = static_cast<std::uint32_t>(frame.data.size());
    raw.original_length = frame.original_length;
    raw.data = frame.data;
    return raw;
}

struct ReadPacket {
    std::int64_t seconds = 0;
    std::int64_t fraction = 0;
    std::uint32_t captured_length = 0;
    std::uint32_t original_length = 0;
    std::vector<std::uint8_t> data;
};

struct ReadCapture {
    int dlt = -1;
    std::vector<ReadPacket> packets;
};

ReadCapture read_with_libpcap(const std::string& path, int precision) {
    std::array<char, PCAP_ERRBUF_SIZE> errbuf{};
    pcap_t* file = pcap_open_offline_with_tstamp_precision(path.c_str(), precision, errbuf.data());
    EXPECT_NE(file, nullptr) << path << ": " << errbuf.data();
    if (file == nullptr) return {};
    ReadCapture capture;
    capture.dlt = pcap_datalink(file);
    pcap_pkthdr* header = nullptr;
    const u_char* data = nullptr;
    int result = 0;
    while ((result = pcap_next_ex(file, &header, &data)) == 1)
        capture.packets.push_back({header->ts.tv_sec, header->ts.tv_usec, header->caplen, header->len,
                                   std::vector<std::uint8_t>(data, data + header->caplen)});
    EXPECT_EQ(result, PCAP_ERROR_BREAK) << path << ": " << pcap_geterr(file);
    pcap_close(file);
    return capture;
}

struct Block {
    std::uint32_t type = 0;
    std::vector<std::uint8_t> body;  // between the two lengths
};

std::uint32_t host_u32(const std::uint8_t* bytes) {
    std::uint32_t value = 0;
    std::memcpy(&value, bytes, sizeof value);
    return value;
}

std::uint16_t host_u16(const std::uint8_t* bytes) {
    std::uint16_t value = 0;
    std::memcpy(&value, bytes, sizeof value);
    return value;
}

// The file's blocks, checking that each is a multiple of 4 bytes long and
// repeats its length at its end.
std::vector<Block> read_blocks(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    const std::vector<std::uint8_t> bytes{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
    std::vector<Block> blocks;
    std::size_t offset = 0;
    while (offset < bytes.size()) {
        if (bytes.size() - offset < 12) {
            ADD_FAILURE() << "block at " << offset << " is cut off";
            break;
        }
        const std::uint32_t length = host_u32(&bytes[offset + 4]);
        if (length < 12 || length % 4 != 0 || length > bytes.size() - offset) {
            ADD_FAILURE() << "block at " << offset << " has length " << length;
            break;
        }
        EXPECT_EQ(host_u32(&bytes[offset + length - 4]), length) << "trailing length of the block at " << offset;
        blocks.push_back({host_u32(&bytes[offset]),
                          std::vector<std::uint8_t>(bytes.begin() + static_cast<std::ptrdiff_t>(offset + 8),
                                                    bytes.begin() + static_cast<std::ptrdiff_t>(offset + length - 4))});
        offset += length;
    }
    return blocks;
}

bool tshark_is_on_path() {
    const char* path = std::getenv("PATH");
    if (path == nullptr) return false;
    std::stringstream directories(path);
    std::string directory;
    while (std::getline(directories, directory, ':'))
        if (!directory.empty() && access((fs::path(directory) / "tshark").c_str(), X_OK) == 0) return true;
    return false;
}

// "number<TAB>comment" for every frame, as tshark reads the file.
std::vector<std::string> frame_comments_by_tshark(const std::string& path) {
    EXPECT_EQ(path.find('\''), std::string::npos) << "cannot quote " << path;
    const std::string command =
        "tshark -n -r '" + path + "' -T fields -e frame.number -e frame.comment 2>/dev/null";
    std::FILE* output = popen(command.c_str(), "r");
    EXPECT_NE(output, nullptr) << command;
    if (output == nullptr) return {};
    std::string text;
    std::array<char, 4096> chunk{};
    std::size_t read = 0;
    while ((read = std::fread(chunk.data(), 1, chunk.size(), output)) > 0) text.append(chunk.data(), read);
    EXPECT_EQ(pclose(output), 0) << command;
    std::vector<std::string> lines;
    std::stringstream stream(text);
    std::string line;
    while (std::getline(stream, line)) lines.push_back(line);
    return lines;
}

class PcapngWriterTest : public testing::Test {
protected:
    void SetUp() override {
        std::string pattern = (fs::temp_directory_path() / "trustcap-pcapng-XXXXXX").string();
        ASSERT_NE(mkdtemp(pattern.data()), nullptr);
        directory_ = pattern;
    }
    void TearDown() override {
        if (!directory_.empty()) fs::remove_all(directory_);
    }

    [[nodiscard]] std::string path() const { return (directory_ / "capture.pcapng").string(); }

    // Writes the frames, the second with `second_comment`, and closes the file.
    void write_file(int dlt, bool nanosecond_timestamps, const std::vector<FrameToWrite>& frames,
                    std::string_view second_comment) {
        std::string error;
        std::unique_ptr<PcapngWriter> writer =
            PcapngWriter::open(path(), dlt, 65535, nanosecond_timestamps, "trustcap test", error);
        ASSERT_NE(writer, nullptr) << error;
        EXPECT_EQ(error, "");
        for (std::size_t n = 0; n < frames.size(); ++n) {
            RawFrame frame = raw_frame(frames[n], n + 1);
            frame.link_type = dlt;
            ASSERT_TRUE(writer->write(frame, n == 1 ? second_comment : "")) << "frame " << n + 1 << ": " << writer->error();
        }
        ASSERT_TRUE(writer->close(error)) << error;
        EXPECT_EQ(writer->error(), "");
    }

    void expect_libpcap_reads_back(bool nanosecond_timestamps) {
        const std::vector<FrameToWrite> frames = three_ethernet_frames();
        write_file(DLT_EN10MB, nanosecond_timestamps, frames, "the second frame");

        ReadCapture capture = read_with_libpcap(
            path(), nanosecond_timestamps ? PCAP_TSTAMP_PRECISION_NANO : PCAP_TSTAMP_PRECISION_MICRO);
        EXPECT_EQ(capture.dlt, DLT_EN10MB);
        ASSERT_EQ(capture.packets.size(), frames.size());
        for (std::size_t n = 0; n < frames.size(); ++n) {
            const ReadPacket& packet = capture.packets[n];
            const std::uint32_t nanoseconds = frames[n].time.nanoseconds;
            EXPECT_EQ(packet.seconds, frames[n].time.seconds) << "frame " << n + 1;
            EXPECT_EQ(packet.fraction, nanosecond_timestamps ? nanoseconds : nanoseconds / 1000) << "frame " << n + 1;
            EXPECT_EQ(packet.captured_length, frames[n].data.size()) << "frame " << n + 1;
            EXPECT_EQ(packet.original_length, frames[n].original_length) << "frame " << n + 1;
            EXPECT_EQ(packet.data, frames[n].data) << "frame " << n + 1;
        }
    }

    fs::path directory_;
};

TEST_F(PcapngWriterTest, LibpcapReadsBackFramesWithMicrosecondTimestamps) { expect_libpcap_reads_back(false); }

TEST_F(PcapngWriterTest, LibpcapReadsBackFramesWithNanosecondTimestamps) { expect_libpcap_reads_back(true); }

TEST_F(PcapngWriterTest, TsharkShowsTheCommentOnTheFrameItWasWrittenWith) {
    if (!tshark_is_on_path()) GTEST_SKIP() << "tshark is not on PATH";
    // 1, 2, 3 and 0 bytes past a multiple of 4, so every padding is needed;
    // UTF-8 of 2 and 3 bytes a character.
    for (const std::string comment : {"a", "TLS alert: certificate expired", "证书已过期", "für Frame 2 ✓"}) {
        write_file(DLT_EN10MB, false, three_ethernet_frames(), comment);
        const std::vector<std::string> expected{"1\t", "2\t" + comment, "3\t"};
        EXPECT_EQ(frame_comments_by_tshark(path()), expected) << comment.size() << "-byte comment";
    }
}

TEST_F(PcapngWriterTest, SectionHeaderNamesTheApplicationAndInterfaceItsResolution) {
    write_file(DLT_EN10MB, true, three_ethernet_frames(), "");

    std::vector<Block> blocks = read_blocks(path());
    ASSERT_EQ(blocks.size(), 5u);
    const std::vector<std::uint8_t>& section = blocks[0].body;
    EXPECT_EQ(blocks[0].type, 0x0A0D0D0Au);
    ASSERT_EQ(section.size(), 16u + 4 + 16 + 4);  // "trustcap test" padded to 16 bytes
    EXPECT_EQ(host_u32(&section[0]), 0x1A2B3C4Du);
    EXPECT_EQ(host_u16(&section[4]), 1u);
    EXPECT_EQ(host_u16(&section[6]), 0u);
    EXPECT_EQ(std::vector<std::uint8_t>(section.begin() + 8, section.begin() + 16), std::vector<std::uint8_t>(8, 0xFF));
    EXPECT_EQ(host_u16(&section[16]), 4u);
    EXPECT_EQ(host_u16(&section[18]), 13u);
    EXPECT_EQ(std::string(section.begin() + 20, section.begin() + 33), "trustcap test");
    EXPECT_EQ(host_u32(&section[36]), 0u) << "opt_endofopt";

    const std::vector<std::uint8_t>& interface = blocks[1].body;
    EXPECT_EQ(blocks[1].type, 1u);
    ASSERT_EQ(interface.size(), 8u + 8 + 4);
    EXPECT_EQ(host_u16(&interface[0]), DLT_EN10MB);
    EXPECT_EQ(host_u32(&interface[4]), 65535u);
    EXPECT_EQ(host_u16(&interface[8]), 9u);
    EXPECT_EQ(host_u16(&interface[10]), 1u);
    EXPECT_EQ(interface[12], 9u) << "nanoseconds";

    for (std::size_t n = 2; n < blocks.size(); ++n) EXPECT_EQ(blocks[n].type, 6u) << "block " << n;
    EXPECT_EQ(blocks[2].body.size(), 20u + 60) << "no options without a comment";
}

TEST_F(PcapngWriterTest, RawIpIsWrittenAsLinktypeRawAndReadBackAsDltRaw) {
    const std::vector<std::uint8_t> ethernet = udp_over_ethernet(5, 0x44);
    const std::vector<FrameToWrite> frames{
        {std::vector<std::uint8_t>(ethernet.begin() + 14, ethernet.end()), 33, {1'700'000'000, 5'000}}};
    write_file(12, false, frames, "");

    std::vector<Block> blocks = read_blocks(path());
    ASSERT_GE(blocks.size(), 2u);
    EXPECT_EQ(host_u16(&blocks[1].body[0]), linktype_raw);
    ReadCapture capture = read_with_libpcap(path(), PCAP_TSTAMP_PRECISION_MICRO);
    EXPECT_EQ(capture.dlt, DLT_RAW);
    ASSERT_EQ(capture.packets.size(), 1u);
    EXPECT_EQ(capture.packets[0].data, frames[0].data);
    EXPECT_EQ(capture.packets[0].original_length, 33u);
}

TEST_F(PcapngWriterTest, EachInterfaceIsDescribedBeforeItsFirstFrame) {
    const std::vector<std::uint8_t> ethernet = udp_over_ethernet(5, 0x44);
    const std::vector<std::uint8_t> raw(ethernet.begin() + 14, ethernet.end());
    std::string error;
    std::unique_ptr<PcapngWriter> writer = PcapngWriter::open(path(), DLT_EN10MB, 65535, false, "", error);
    ASSERT_NE(writer, nullptr) << error;
    auto frame_of = [](const std::vector<std::uint8_t>& data, std::uint32_t interface, int link_type) {
        RawFrame frame;
        frame.data = Bytes(data.data(), data.size());
        frame.captured_length = frame.original_length = static_cast<std::uint32_t>(data.size());
        frame.interface = interface;
        frame.link_type = link_type;
        frame.snaplen = 128;
        return frame;
    };
    ASSERT_TRUE(writer->write(frame_of(raw, 1, DLT_RAW), ""));
    ASSERT_TRUE(writer->write(frame_of(ethernet, 0, DLT_EN10MB), ""));
    ASSERT_TRUE(writer->write(frame_of(raw, 1, DLT_RAW), ""));
    ASSERT_TRUE(writer->write(frame_of(raw, 0, DLT_RAW), "")) << "interface 0 of another link type than opened with";
    ASSERT_TRUE(writer->close(error)) << error;

    std::vector<Block> blocks = read_blocks(path());
    ASSERT_EQ(blocks.size(), 8u);
    const std::vector<std::uint32_t> types{blocks[1].type, blocks[2].type, blocks[3].type, blocks[4].type,
                                           blocks[5].type, blocks[6].type, blocks[7].type};
    EXPECT_EQ(types, (std::vector<std::uint32_t>{1, 1, 6, 6, 6, 1, 6}));
    EXPECT_EQ(host_u16(&blocks[1].body[0]), DLT_EN10MB);
    EXPECT_EQ(host_u16(&blocks[2].body[0]), linktype_raw);
    EXPECT_EQ(host_u32(&blocks[2].body[4]), 128u) << "the frame's snap length";
    EXPECT_EQ(host_u32(&blocks[3].body[0]), 1u);
    EXPECT_EQ(host_u32(&blocks[4].body[0]), 0u);
    EXPECT_EQ(host_u32(&blocks[5].body[0]), 1u);
    EXPECT_EQ(host_u16(&blocks[6].body[0]), linktype_raw);
    EXPECT_EQ(host_u32(&blocks[7].body[0]), 2u);
}

TEST_F(PcapngWriterTest, EveryLinkTypeTrustcapReadsHasItsLinktype) {
    const std::vector<std::pair<int, int>> dlt_to_linktype{{0, 0},     {1, 1},     {12, 101},  {14, 101}, {108, 108},
                                                           {113, 113}, {228, 228}, {229, 229}, {276, 276}};
    for (auto [dlt, linktype] : dlt_to_linktype) {
        std::string error;
        std::unique_ptr<PcapngWriter> writer = PcapngWriter::open(path(), dlt, 262144, false, "", error);
        ASSERT_NE(writer, nullptr) << "DLT " << dlt << ": " << error;
        ASSERT_TRUE(writer->close(error)) << error;
        std::vector<Block> blocks = read_blocks(path());
        ASSERT_EQ(blocks.size(), 2u) << "DLT " << dlt;
        EXPECT_EQ(blocks[0].body.size(), 16u) << "no options without an application";
        EXPECT_EQ(host_u16(&blocks[1].body[0]), linktype) << "DLT " << dlt;
    }
}

TEST_F(PcapngWriterTest, DltWithoutPcapngLinkTypeIsRefused) {
    std::string error;
    std::unique_ptr<PcapngWriter> writer = PcapngWriter::open(path(), 70000, 65535, false, "", error);

    EXPECT_EQ(writer, nullptr);
    EXPECT_NE(error, "");
    EXPECT_NE(error.find("70000"), std::string::npos) << error;
    EXPECT_EQ(error.find('\n'), std::string::npos) << error;
    EXPECT_FALSE(fs::exists(path())) << "no file for a refused link type";
}

TEST_F(PcapngWriterTest, FileThatCannotBeCreatedIsNamedInTheError) {
    const std::string missing = (directory_ / "missing" / "capture.pcapng").string();
    std::string error;
    std::unique_ptr<PcapngWriter> writer = PcapngWriter::open(missing, DLT_EN10MB, 65535, false, "", error);

    EXPECT_EQ(writer, nullptr);
    EXPECT_EQ(error, missing + ": " + std::strerror(ENOENT));
    EXPECT_EQ(error.find('\n'), std::string::npos) << error;
}

TEST_F(PcapngWriterTest, TimesOutsideTheUnitCountAreClampedToItsEnds) {
    std::vector<FrameToWrite> frames = three_ethernet_frames();
    frames[0].time = {-1, 500'000'000};
    frames[1].time = {std::numeric_limits<std::int64_t>::min(), 0};
    frames[2].time = {std::numeric_limits<std::int64_t>::max(), 999'999'999};
    write_file(DLT_EN10MB, true, frames, "");

    ReadCapture capture = read_with_libpcap(path(), PCAP_TSTAMP_PRECISION_NANO);
    ASSERT_EQ(capture.packets.size(), 3u);
    EXPECT_EQ(capture.packets[0].seconds, 0);
    EXPECT_EQ(capture.packets[0].fraction, 0);
    EXPECT_EQ(capture.packets[1].seconds, 0);
    EXPECT_EQ(capture.packets[1].fraction, 0);
    constexpr std::uint64_t last_units = std::numeric_limits<std::uint64_t>::max();
    EXPECT_EQ(capture.packets[2].seconds, static_cast<std::int64_t>(last_units / 1'000'000'000));
    EXPECT_EQ(capture.packets[2].fraction, static_cast<std::int64_t>(last_units % 1'000'000'000));
}

TEST_F(PcapngWriterTest, FrameWithLessDataThanItsCapturedLengthIsRefused) {
    std::string error;
    std::unique_ptr<PcapngWriter> writer = PcapngWriter::open(path(), DLT_EN10MB, 65535, false, "", error);
    ASSERT_NE(writer, nullptr) << error;
    const std::vector<FrameToWrite> frames = three_ethernet_frames();
    ASSERT_TRUE(writer->write(raw_frame(frames[0], 1), "")) << writer->error();

    RawFrame lying = raw_frame(frames[1], 2);
    lying.captured_length = 100'000;
    EXPECT_FALSE(writer->write(lying, "comment"));
    EXPECT_EQ(writer->error().rfind(path() + ": frame 2 ", 0), 0u) << writer->error();
    EXPECT_FALSE(writer->write(raw_frame(frames[2], 3), "")) << "nothing is written after a refusal";
    EXPECT_FALSE(writer->close(error));
    EXPECT_EQ(error, writer->error());

    ReadCapture capture = read_with_libpcap(path(), PCAP_TSTAMP_PRECISION_MICRO);
    ASSERT_EQ(capture.packets.size(), 1u);
    EXPECT_EQ(capture.packets[0].data, frames[0].data);
}

TEST_F(PcapngWriterTest, FailedWriteIsReportedByClose) {
    if (!fs::exists("/dev/full")) GTEST_SKIP() << "no /dev/full";
    std::string error;
    std::unique_ptr<PcapngWriter> writer = PcapngWriter::open("/dev/full", DLT_EN10MB, 65535, false, "", error);
    ASSERT_NE(writer, nullptr) << error;
    const std::vector<FrameToWrite> frames = three_ethernet_frames();
    for (std::uint64_t n = 1; n <= 3; ++n) writer->write(raw_frame(frames[n - 1], n), "");

    EXPECT_FALSE(writer->close(error));
    EXPECT_EQ(error.rfind("/dev/full: ", 0), 0u) << error;
    EXPECT_GT(error.size(), std::string("/dev/full: ").size()) << error;
}

}  // namespace
}  // namespace trustcap
