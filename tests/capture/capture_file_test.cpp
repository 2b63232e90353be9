#include "capture/capture_file.h"

#include <gtest/gtest.h>
#include <pcap/pcap.h>

#include <array>
#include <filesystem>
#include <fstream>
#include <vector>

namespace trustcap {
namespace {

namespace fs = std::filesystem;

class TemporaryFile {
public:
    explicit TemporaryFile(const std::string& name) : path_(fs::temp_directory_path() / ("trustcap-test-" + name)) {}
    ~TemporaryFile() { fs::remove(path_); }
    [[nodiscard]] const fs::path& path() const { return path_; }

private:
    fs::path path_;
};

// An Ethernet frame: IPv4 TCP SYN to tcp_port when it is not 0, otherwise ARP.
std::vector<std::uint8_t> ethernet_frame(std::uint16_t tcp_port) {
    if (tcp_port == 0) {
        std::vector<std::uint8_t> arp(42, 0);
        arp[12] = 0x08;
        arp[13] = 0x06;
        return arp;
    }
    std::vector<std::uint8_t> frame{
        0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 2, 0x08, 0x00,                                   // Ethernet
        0x45, 0, 0, 40, 0, 1, 0, 0, 64, 6, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2,               // IPv4
        0xc3, 0x50, static_cast<std::uint8_t>(tcp_port >> 8), static_cast<std::uint8_t>(tcp_port),  // TCP ports
        0, 0, 0, 1, 0, 0, 0, 0, 0x50, 0x02, 0xfa, 0xf0, 0, 0, 0, 0};
    return frame;
}

void write_capture(const fs::path& path, const std::vector<std::vector<std::uint8_t>>& frames, int precision) {
    pcap_t* dead = pcap_open_dead_with_tstamp_precision(DLT_EN10MB, 65535, precision);
    pcap_dumper_t* dumper = pcap_dump_open(dead, path.c_str());
    std::uint32_t fraction = precision == PCAP_TSTAMP_PRECISION_NANO ? 123'456'789 : 123'456;
    for (std::size_t i = 0; i < frames.size(); ++i) {
        pcap_pkthdr header{};
        header.ts.tv_sec = 1'710'234'900 + static_cast<long>(i);
        header.ts.tv_usec = fraction;
        header.caplen = static_cast<bpf_u_int32>(frames[i].size());
        header.len = header.caplen;
        pcap_dump(reinterpret_cast<u_char*>(dumper), &header, frames[i].data());
    }
    pcap_dump_close(dumper);
    pcap_close(dead);
}

TEST(CaptureFile, ReadsFramesWithWiresharkNumbers) {
    TemporaryFile file("frames.pcap");
    write_capture(file.path(), {ethernet_frame(443), ethernet_frame(0), ethernet_frame(80)}, PCAP_TSTAMP_PRECISION_MICRO);
    std::string error;
    auto capture = CaptureFile::open(file.path(), error);
    ASSERT_TRUE(capture) << error;
    EXPECT_EQ(DLT_EN10MB, capture->datalink());
    RawFrame frame;
    std::vector<std::uint64_t> numbers;
    while (capture->next(frame) == CaptureFile::ReadStatus::frame) {
        numbers.push_back(frame.number);
        EXPECT_EQ(123'456'000u, frame.time.nanoseconds);
    }
    EXPECT_EQ((std::vector<std::uint64_t>{1, 2, 3}), numbers);
    EXPECT_EQ(6, capture->precision_digits());
}

TEST(CaptureFile, FilterKeepsTheFilesNumbering) {
    TemporaryFile file("filter.pcap");
    write_capture(file.path(), {ethernet_frame(0), ethernet_frame(80), ethernet_frame(443)}, PCAP_TSTAMP_PRECISION_MICRO);
    std::string error;
    auto capture = CaptureFile::open(file.path(), error);
    ASSERT_TRUE(capture);
    ASSERT_TRUE(capture->set_filter("tcp port 443", error)) << error;
    RawFrame frame;
    ASSERT_EQ(CaptureFile::ReadStatus::frame, capture->next(frame));
    EXPECT_EQ(3u, frame.number);
    EXPECT_EQ(CaptureFile::ReadStatus::end, capture->next(frame));
    EXPECT_EQ(3u, capture->frames_read());
}

TEST(CaptureFile, RejectsABadFilterWithItsReason) {
    TemporaryFile file("badfilter.pcap");
    write_capture(file.path(), {ethernet_frame(443)}, PCAP_TSTAMP_PRECISION_MICRO);
    std::string error;
    auto capture = CaptureFile::open(file.path(), error);
    ASSERT_TRUE(capture);
    EXPECT_FALSE(capture->set_filter("tcp port", error));
    EXPECT_NE(std::string::npos, error.find("invalid filter"));
}

TEST(CaptureFile, NanosecondFilesKeepTheirPrecision) {
    TemporaryFile file("nano.pcap");
    write_capture(file.path(), {ethernet_frame(443)}, PCAP_TSTAMP_PRECISION_NANO);
    std::string error;
    auto capture = CaptureFile::open(file.path(), error);
    ASSERT_TRUE(capture);
    EXPECT_EQ(9, capture->precision_digits());
    RawFrame frame;
    ASSERT_EQ(CaptureFile::ReadStatus::frame, capture->next(frame));
    EXPECT_EQ(123'456'789u, frame.time.nanoseconds);
}

TEST(CaptureFile, FileCutInsideARecordIsDamagedAfterTheWholeFrames) {
    TemporaryFile file("cut.pcap");
    write_capture(file.path(), {ethernet_frame(443), ethernet_frame(443), ethernet_frame(443)}, PCAP_TSTAMP_PRECISION_MICRO);
    fs::resize_file(file.path(), fs::file_size(file.path()) - 10);
    std::string error;
    auto capture = CaptureFile::open(file.path(), error);
    ASSERT_TRUE(capture);
    RawFrame frame;
    EXPECT_EQ(CaptureFile::ReadStatus::frame, capture->next(frame));
    EXPECT_EQ(CaptureFile::ReadStatus::frame, capture->next(frame));
    EXPECT_EQ(CaptureFile::ReadStatus::damaged, capture->next(frame));
    EXPECT_NE(std::string::npos, capture->damage_description().find("truncated"));
    EXPECT_EQ(2u, capture->frames_read());
}

TEST(CaptureFile, TextFileIsNotACapture) {
    TemporaryFile file("text.txt");
    std::ofstream(file.path()) << "hostname wlc-9800\ninterface GigabitEthernet1\n";
    std::string error;
    EXPECT_FALSE(CaptureFile::open(file.path(), error));
    EXPECT_EQ("not a pcap or pcapng capture file (unknown file format)", error);
}

TEST(CaptureFile, EmptyFileIsNotACapture) {
    TemporaryFile file("empty.pcap");
    std::ofstream(file.path()).close();
    std::string error;
    EXPECT_FALSE(CaptureFile::open(file.path(), error));
    EXPECT_EQ("empty file, not a capture", error);
}

TEST(CaptureFile, MissingFileSaysSo) {
    std::string error;
    EXPECT_FALSE(CaptureFile::open("/nonexistent/cssm.pcap", error));
    EXPECT_EQ("No such file or directory", error);
}

}  // namespace
}  // namespace trustcap
