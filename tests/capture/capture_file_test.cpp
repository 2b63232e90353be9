#include "capture/capture_file.h"

#include <gtest/gtest.h>
#include <pcap/pcap.h>

#include <array>
#include <filesystem>
#include <fstream>
#include <limits>
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
    ASSERT_EQ(1u, capture->interfaces().size());
    EXPECT_EQ(DLT_EN10MB, capture->interfaces().front().link_type);
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

void append_le(std::vector<std::uint8_t>& out, std::uint64_t value, int bytes) {
    for (int i = 0; i < bytes; ++i) out.push_back(static_cast<std::uint8_t>(value >> (8 * i)));
}

void write_bytes(const fs::path& path, const std::vector<std::uint8_t>& bytes) {
    std::ofstream(path, std::ios::binary).write(reinterpret_cast<const char*>(bytes.data()),
                                                static_cast<std::streamsize>(bytes.size()));
}

struct RecordTime {
    std::uint32_t seconds;
    std::uint32_t fraction;
};

// A classic pcap file whose records carry these raw time fields, each with an ARP frame.
void write_raw_pcap(const fs::path& path, std::uint32_t magic, const std::vector<RecordTime>& times) {
    std::vector<std::uint8_t> bytes;
    append_le(bytes, magic, 4);
    append_le(bytes, 2, 2);
    append_le(bytes, 4, 2);
    append_le(bytes, 0, 8);
    append_le(bytes, 65535, 4);
    append_le(bytes, DLT_EN10MB, 4);
    const std::vector<std::uint8_t> frame = ethernet_frame(0);
    for (const RecordTime& time : times) {
        append_le(bytes, time.seconds, 4);
        append_le(bytes, time.fraction, 4);
        append_le(bytes, frame.size(), 4);
        append_le(bytes, frame.size(), 4);
        bytes.insert(bytes.end(), frame.begin(), frame.end());
    }
    write_bytes(path, bytes);
}

void append_block(std::vector<std::uint8_t>& out, std::uint32_t type, const std::vector<std::uint8_t>& body) {
    const std::size_t length = 12 + body.size();
    append_le(out, type, 4);
    append_le(out, length, 4);
    out.insert(out.end(), body.begin(), body.end());
    append_le(out, length, 4);
}

// A pcapng file with one interface of time resolution 10^-`resolution_digits` s
// and offset `offset_seconds`, and one ARP frame per raw timestamp.
void write_pcapng(const fs::path& path, std::uint8_t resolution_digits, std::int64_t offset_seconds,
                  const std::vector<std::uint64_t>& timestamps) {
    std::vector<std::uint8_t> bytes;
    std::vector<std::uint8_t> section;
    append_le(section, 0x1a2b3c4d, 4);
    append_le(section, 1, 2);
    append_le(section, 0, 2);
    append_le(section, ~std::uint64_t{0}, 8);
    append_block(bytes, 0x0a0d0d0a, section);
    std::vector<std::uint8_t> interface;
    append_le(interface, DLT_EN10MB, 2);
    append_le(interface, 0, 2);
    append_le(interface, 65535, 4);
    append_le(interface, 9, 2);  // if_tsresol
    append_le(interface, 1, 2);
    interface.insert(interface.end(), {resolution_digits, 0, 0, 0});
    append_le(interface, 14, 2);  // if_tsoffset
    append_le(interface, 8, 2);
    append_le(interface, static_cast<std::uint64_t>(offset_seconds), 8);
    append_le(interface, 0, 4);  // opt_endofopt
    append_block(bytes, 1, interface);
    std::vector<std::uint8_t> frame = ethernet_frame(0);
    for (std::uint64_t timestamp : timestamps) {
        std::vector<std::uint8_t> packet;
        append_le(packet, 0, 4);
        append_le(packet, timestamp >> 32, 4);
        append_le(packet, timestamp & 0xffffffffU, 4);
        append_le(packet, frame.size(), 4);
        append_le(packet, frame.size(), 4);
        packet.insert(packet.end(), frame.begin(), frame.end());
        packet.resize((packet.size() + 3) / 4 * 4, 0);
        append_block(bytes, 6, packet);
    }
    write_bytes(path, bytes);
}

std::vector<Timestamp> times_read(const fs::path& path) {
    std::string error;
    auto capture = CaptureFile::open(path, error);
    EXPECT_TRUE(capture) << error;
    std::vector<Timestamp> times;
    RawFrame frame;
    while (capture && capture->next(frame) == CaptureFile::ReadStatus::frame) times.push_back(frame.time);
    return times;
}

TEST(CaptureFile, MicrosecondFieldsOfASecondOrMoreAreCarriedIntoTheSeconds) {
    TemporaryFile file("usec-overflow.pcap");
    write_raw_pcap(file.path(), 0xa1b2c3d4, {{1000, 1'500'000}, {1000, 999'999}, {1000, 0xffffffff}});
    // libpcap reads the fraction as signed: 0xffffffff is one microsecond before the second.
    EXPECT_EQ((std::vector<Timestamp>{{1001, 500'000'000}, {1000, 999'999'000}, {999, 999'999'000}}),
              times_read(file.path()));
}

TEST(CaptureFile, NanosecondFieldsOfASecondOrMoreAreCarriedIntoTheSeconds) {
    TemporaryFile file("nsec-overflow.pcap");
    write_raw_pcap(file.path(), 0xa1b23c4d, {{1000, 1'500'000'000}, {1000, 999'999'999}, {1000, 2'147'483'647}});
    EXPECT_EQ((std::vector<Timestamp>{{1001, 500'000'000}, {1000, 999'999'999}, {1002, 147'483'647}}),
              times_read(file.path()));
}

TEST(CaptureFile, PcapngTimesFarInTheFutureAndAtTheEndsOfTheRange) {
    TemporaryFile nanoseconds("year-2300.pcapng");
    const std::uint64_t year_2300 = 10'413'792'000;
    write_pcapng(nanoseconds.path(), 9, 0,
                 {year_2300 * 1'000'000'000 + 123'456'789, ~std::uint64_t{0}, year_2300 * 1'000'000'000});
    EXPECT_EQ((std::vector<Timestamp>{{10'413'792'000, 123'456'789},
                                      {18'446'744'073, 709'551'615},
                                      {10'413'792'000, 0}}),
              times_read(nanoseconds.path()));

    TemporaryFile seconds("int64-ends.pcapng");
    const std::int64_t most = std::numeric_limits<std::int64_t>::max();
    write_pcapng(seconds.path(), 0, 0, {static_cast<std::uint64_t>(most), 0, 1});
    TemporaryFile offset("negative-offset.pcapng");
    write_pcapng(offset.path(), 0, std::numeric_limits<std::int64_t>::min(), {0, 1});
    EXPECT_EQ((std::vector<Timestamp>{{most, 0}, {0, 0}, {1, 0}}), times_read(seconds.path()));
    EXPECT_EQ((std::vector<Timestamp>{{std::numeric_limits<std::int64_t>::min(), 0},
                                      {std::numeric_limits<std::int64_t>::min() + 1, 0}}),
              times_read(offset.path()));
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
