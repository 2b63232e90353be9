// pcapng files as Wireshark and mergecap write them, and as libpcap refuses
// some of them, read through CaptureFile (which hands pcapng to PcapngReader).
#include "capture/pcapng_reader.h"

#include <gtest/gtest.h>
#include <pcap/pcap.h>

#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <unistd.h>

#include "capture/capture_file.h"

namespace trustcap {
namespace {

namespace fs = std::filesystem;

constexpr std::uint32_t section_header = 0x0A0D0D0A;
constexpr std::uint32_t interface_description = 1;
constexpr std::uint32_t simple_packet = 3;
constexpr std::uint32_t name_resolution = 4;
constexpr std::uint32_t interface_statistics = 5;
constexpr std::uint32_t enhanced_packet = 6;
constexpr std::uint32_t decryption_secrets = 0x0A;
constexpr std::uint32_t systemd_journal_export = 9;
constexpr std::uint32_t custom_block = 0x00000BAD;
constexpr std::uint32_t custom_block_not_to_copy = 0x40000BAD;

constexpr std::uint16_t linktype_ethernet = 1;
constexpr std::uint16_t linktype_raw = 101;
constexpr std::uint16_t linktype_linux_sll = 113;
constexpr std::uint16_t linktype_ieee802_11 = 105;

// Builds a pcapng file block by block, each section in the byte order asked.
class PcapngBytes {
public:
    PcapngBytes& section(bool big_endian = false) {
        big_endian_ = big_endian;
        std::vector<std::uint8_t> body;
        put32(body, 0x1A2B3C4D);
        put16(body, 1);
        put16(body, 0);
        put32(body, 0xFFFFFFFF);  // section length unknown
        put32(body, 0xFFFFFFFF);
        return block(section_header, body);
    }
    // `resolution`: the if_tsresol byte, or none; `offset`: if_tsoffset seconds, or none.
    PcapngBytes& interface(std::uint16_t link_type, std::uint32_t snaplen, int resolution = -1, std::int64_t offset = 0) {
        std::vector<std::uint8_t> body;
        put16(body, link_type);
        put16(body, 0);
        put32(body, snaplen);
        if (resolution >= 0) {
            put16(body, 9);
            put16(body, 1);
            body.insert(body.end(), {static_cast<std::uint8_t>(resolution), 0, 0, 0});
        }
        if (offset != 0) {
            put16(body, 14);
            put16(body, 8);
            put64(body, static_cast<std::uint64_t>(offset));
        }
        if (resolution >= 0 || offset != 0) put32(body, 0);  // end of options
        return block(interface_description, body);
    }
    PcapngBytes& packet(std::uint32_t interface, std::uint64_t units, const std::vector<std::uint8_t>& data,
                        std::uint32_t original_length = 0) {
        std::vector<std::uint8_t> body;
        put32(body, interface);
        put32(body, static_cast<std::uint32_t>(units >> 32));
        put32(body, static_cast<std::uint32_t>(units));
        put32(body, static_cast<std::uint32_t>(data.size()));
        put32(body, original_length == 0 ? static_cast<std::uint32_t>(data.size()) : original_length);
        append_padded(body, data);
        return block(enhanced_packet, body);
    }
    PcapngBytes& simple_packet_block(std::uint32_t original_length, const std::vector<std::uint8_t>& data) {
        std::vector<std::uint8_t> body;
        put32(body, original_length);
        append_padded(body, data);
        return block(simple_packet, body);
    }
    PcapngBytes& other(std::uint32_t type, std::size_t body_size) {
        return block(type, std::vector<std::uint8_t>(body_size, 0x5A));
    }
    PcapngBytes& block(std::uint32_t type, const std::vector<std::uint8_t>& body) {
        const auto length = static_cast<std::uint32_t>(body.size() + 12);
        put32(bytes_, type);
        put32(bytes_, length);
        bytes_.insert(bytes_.end(), body.begin(), body.end());
        put32(bytes_, length);
        return *this;
    }
    std::vector<std::uint8_t>& bytes() { return bytes_; }

    void put16(std::vector<std::uint8_t>& out, std::uint16_t value) const {
        for (int i = 0; i < 2; ++i) out.push_back(static_cast<std::uint8_t>(value >> (8 * (big_endian_ ? 1 - i : i))));
    }
    void put32(std::vector<std::uint8_t>& out, std::uint32_t value) const {
        for (int i = 0; i < 4; ++i) out.push_back(static_cast<std::uint8_t>(value >> (8 * (big_endian_ ? 3 - i : i))));
    }
    void put64(std::vector<std::uint8_t>& out, std::uint64_t value) const {
        for (int i = 0; i < 8; ++i) out.push_back(static_cast<std::uint8_t>(value >> (8 * (big_endian_ ? 7 - i : i))));
    }

private:
    static void append_padded(std::vector<std::uint8_t>& out, const std::vector<std::uint8_t>& data) {
        out.insert(out.end(), data.begin(), data.end());
        out.resize(out.size() + (4 - data.size() % 4) % 4, 0);
    }

    bool big_endian_ = false;
    std::vector<std::uint8_t> bytes_;
};

class PcapngReading : public ::testing::Test {
protected:
    void TearDown() override { fs::remove(path_); }

    std::unique_ptr<CaptureFile> open(const std::vector<std::uint8_t>& bytes) {
        std::ofstream(path_, std::ios::binary).write(reinterpret_cast<const char*>(bytes.data()),
                                                      static_cast<std::streamsize>(bytes.size()));
        std::string error;
        auto capture = CaptureFile::open(path_.string(), error);
        EXPECT_TRUE(capture) << error;
        return capture;
    }

    // Every frame up to the end or the damage.
    static std::vector<RawFrame> frames_of(CaptureFile& capture, CaptureFile::ReadStatus& last,
                                           std::vector<std::vector<std::uint8_t>>* data = nullptr) {
        std::vector<RawFrame> frames;
        RawFrame frame;
        while ((last = capture.next(frame)) == CaptureFile::ReadStatus::frame) {
            frames.push_back(frame);
            if (data != nullptr) data->emplace_back(frame.data.begin(), frame.data.end());
        }
        return frames;
    }

    fs::path path_ = fs::temp_directory_path() / ("trustcap-test-pcapng-" + std::to_string(::getpid()) + ".pcapng");
};

const std::vector<std::uint8_t> ethernet_ipv4{0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 2, 0x08, 0x00,
                                              0x45, 0, 0, 20, 0, 1, 0, 0, 64, 6, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2};
const std::vector<std::uint8_t> raw_ipv4{0x45, 0, 0, 20, 0, 1, 0, 0, 64, 6, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2};

TEST_F(PcapngReading, InterfacesOfDifferentLinkTypesAndSnapLengthsAreReadInFileOrder) {
    PcapngBytes file;
    file.section()
        .interface(linktype_ethernet, 65535)
        .interface(linktype_raw, 128)
        .packet(0, 1'000'000, ethernet_ipv4)
        .packet(1, 2'000'000, raw_ipv4)
        .packet(0, 3'000'000, ethernet_ipv4);
    auto capture = open(file.bytes());
    ASSERT_TRUE(capture);
    ASSERT_EQ(2u, capture->interfaces().size()) << "both interfaces are known before the first frame";
    CaptureFile::ReadStatus last{};
    std::vector<std::vector<std::uint8_t>> data;
    std::vector<RawFrame> frames = frames_of(*capture, last, &data);
    EXPECT_EQ(CaptureFile::ReadStatus::end, last);
    ASSERT_EQ(3u, frames.size());
    EXPECT_EQ((std::vector<std::uint64_t>{frames[0].number, frames[1].number, frames[2].number}),
              (std::vector<std::uint64_t>{1, 2, 3}));
    EXPECT_EQ(DLT_EN10MB, frames[0].link_type);
    EXPECT_EQ(DLT_RAW, frames[1].link_type) << "LINKTYPE_RAW is libpcap's DLT_RAW";
    EXPECT_EQ(1u, frames[1].interface);
    EXPECT_EQ(128u, frames[1].snaplen);
    EXPECT_EQ(65535u, frames[2].snaplen);
    EXPECT_EQ(raw_ipv4, data[1]);
    EXPECT_EQ(ethernet_ipv4, data[2]);
    EXPECT_EQ(2, frames[1].time.seconds) << "microseconds unless the interface says otherwise";
}

TEST_F(PcapngReading, ConcatenatedSectionsOfEitherByteOrderNumberTheirInterfacesAfresh) {
    PcapngBytes file;
    file.section().interface(linktype_ethernet, 65535).packet(0, 1'000'000, ethernet_ipv4);
    file.section(true).interface(linktype_linux_sll, 262144).interface(linktype_raw, 0).packet(1, 5'000'000, raw_ipv4,
                                                                                             1500);
    file.packet(0, 6'000'000, std::vector<std::uint8_t>(16, 0));
    auto capture = open(file.bytes());
    ASSERT_TRUE(capture);
    CaptureFile::ReadStatus last{};
    std::vector<std::vector<std::uint8_t>> data;
    std::vector<RawFrame> frames = frames_of(*capture, last, &data);
    EXPECT_EQ(CaptureFile::ReadStatus::end, last) << capture->damage_description();
    ASSERT_EQ(3u, frames.size());
    ASSERT_EQ(3u, capture->interfaces().size());
    EXPECT_EQ(2u, frames[1].interface) << "interface 1 of the second section";
    EXPECT_EQ(DLT_RAW, frames[1].link_type);
    EXPECT_EQ(1500u, frames[1].original_length) << "read big-endian";
    EXPECT_EQ(5, frames[1].time.seconds);
    EXPECT_EQ(raw_ipv4, data[1]);
    EXPECT_EQ(1u, frames[2].interface);
    EXPECT_EQ(DLT_LINUX_SLL, frames[2].link_type);
    EXPECT_EQ(262144u, capture->interfaces()[1].snaplen);
}

TEST_F(PcapngReading, EachInterfaceHasItsOwnTimeResolutionAndOffset) {
    PcapngBytes file;
    file.section()
        .interface(linktype_ethernet, 65535, 9)           // nanoseconds
        .interface(linktype_ethernet, 65535, 0x80 | 10)   // 2^-10 seconds
        .interface(linktype_ethernet, 65535, 12, 1000)    // picoseconds, 1000 s later
        .packet(0, 1'710'234'900'123'456'789, ethernet_ipv4)
        .packet(1, (std::uint64_t{7} << 10) | 512, ethernet_ipv4)
        .packet(2, 3'000'000'000'001, ethernet_ipv4);
    auto capture = open(file.bytes());
    ASSERT_TRUE(capture);
    CaptureFile::ReadStatus last{};
    std::vector<RawFrame> frames = frames_of(*capture, last);
    ASSERT_EQ(3u, frames.size()) << capture->damage_description();
    EXPECT_EQ(1'710'234'900, frames[0].time.seconds);
    EXPECT_EQ(123'456'789u, frames[0].time.nanoseconds);
    EXPECT_EQ(7, frames[1].time.seconds);
    EXPECT_EQ(500'000'000u, frames[1].time.nanoseconds);
    EXPECT_EQ(1003, frames[2].time.seconds);
    EXPECT_EQ(0u, frames[2].time.nanoseconds) << "a picosecond is below a nanosecond";
    EXPECT_EQ(9, capture->precision_digits());
}

TEST_F(PcapngReading, SimplePacketBlockIsCutToTheFirstInterfacesSnapLength) {
    PcapngBytes file;
    std::vector<std::uint8_t> cut_frame = ethernet_ipv4;
    cut_frame.resize(62, 0xEE);  // padded to 64 in the block: the snap length, not the padding, ends it
    file.section().interface(linktype_ethernet, 62).simple_packet_block(1514, cut_frame);
    auto capture = open(file.bytes());
    ASSERT_TRUE(capture);
    CaptureFile::ReadStatus last{};
    std::vector<RawFrame> frames = frames_of(*capture, last);
    EXPECT_EQ(CaptureFile::ReadStatus::end, last) << capture->damage_description();
    ASSERT_EQ(1u, frames.size());
    EXPECT_EQ(62u, frames[0].captured_length);
    EXPECT_EQ(62u, frames[0].data.size());
    EXPECT_EQ(1514u, frames[0].original_length);
    EXPECT_TRUE(frames[0].cut_by_snaplen());
}

TEST_F(PcapngReading, BlocksThatHoldNoPacketAreSkippedAndNumberedAsWiresharkNumbersThem) {
    PcapngBytes file;
    file.section()
        .other(custom_block, 8)  // before any interface: Wireshark's frame 1
        .interface(linktype_ethernet, 65535)
        .other(name_resolution, 24)
        .packet(0, 1, ethernet_ipv4)
        .other(decryption_secrets, 40)
        .other(interface_statistics, 28)
        .other(systemd_journal_export, 40)
        .other(custom_block_not_to_copy, 12)
        .packet(0, 2, ethernet_ipv4);
    auto capture = open(file.bytes());
    ASSERT_TRUE(capture);
    CaptureFile::ReadStatus last{};
    std::vector<RawFrame> frames = frames_of(*capture, last);
    EXPECT_EQ(CaptureFile::ReadStatus::end, last) << capture->damage_description();
    ASSERT_EQ(2u, frames.size());
    EXPECT_EQ(2u, frames[0].number) << "a custom block is a frame to Wireshark";
    EXPECT_EQ(5u, frames[1].number) << "so are a systemd journal block and a custom block not to copy";
    EXPECT_EQ(5u, capture->frames_read());
}

TEST_F(PcapngReading, FileCutInsideABlockKeepsTheFramesBeforeAndSaysWhere) {
    PcapngBytes file;
    file.section().interface(linktype_ethernet, 65535).packet(0, 1, ethernet_ipv4).packet(0, 2, ethernet_ipv4);
    const std::size_t second_packet = file.bytes().size() - (32 + 36);
    file.bytes().resize(file.bytes().size() - 10);
    auto capture = open(file.bytes());
    ASSERT_TRUE(capture);
    CaptureFile::ReadStatus last{};
    std::vector<RawFrame> frames = frames_of(*capture, last);
    EXPECT_EQ(1u, frames.size());
    EXPECT_EQ(CaptureFile::ReadStatus::damaged, last);
    EXPECT_EQ("the file ends inside a block at offset " + std::to_string(second_packet) + " (10 bytes missing)",
              capture->damage_description());
    EXPECT_EQ(1u, capture->frames_read());
}

TEST_F(PcapngReading, BlockLongerThanSixteenMebibytesIsDamageNotAnAllocation) {
    PcapngBytes file;
    file.section().interface(linktype_ethernet, 65535).packet(0, 1, ethernet_ipv4);
    const std::size_t hostile = file.bytes().size();
    file.put32(file.bytes(), enhanced_packet);
    file.put32(file.bytes(), 0xFFFFFFF0);
    file.bytes().resize(file.bytes().size() + 64, 0);
    auto capture = open(file.bytes());
    ASSERT_TRUE(capture);
    CaptureFile::ReadStatus last{};
    std::vector<RawFrame> frames = frames_of(*capture, last);
    EXPECT_EQ(1u, frames.size());
    EXPECT_EQ(CaptureFile::ReadStatus::damaged, last);
    EXPECT_EQ("block at offset " + std::to_string(hostile) +
                  " claims 4294967280 bytes, more than the 16 MiB a block may have",
              capture->damage_description());
}

TEST_F(PcapngReading, BlockWhoseTrailingLengthDiffersIsDamage) {
    PcapngBytes file;
    file.section().interface(linktype_ethernet, 65535).packet(0, 1, ethernet_ipv4);
    file.bytes().back() ^= 0x01;
    auto capture = open(file.bytes());
    ASSERT_TRUE(capture);
    CaptureFile::ReadStatus last{};
    EXPECT_TRUE(frames_of(*capture, last).empty());
    EXPECT_EQ(CaptureFile::ReadStatus::damaged, last);
    EXPECT_NE(std::string::npos, capture->damage_description().find("ends with a length of"))
        << capture->damage_description();
}

TEST_F(PcapngReading, PacketOfAnUndescribedInterfaceIsDamage) {
    PcapngBytes file;
    file.section().interface(linktype_ethernet, 65535).packet(0, 1, ethernet_ipv4).packet(3, 2, ethernet_ipv4);
    auto capture = open(file.bytes());
    ASSERT_TRUE(capture);
    CaptureFile::ReadStatus last{};
    EXPECT_EQ(1u, frames_of(*capture, last).size());
    EXPECT_EQ(CaptureFile::ReadStatus::damaged, last);
    EXPECT_NE(std::string::npos, capture->damage_description().find("is of interface 3, but its section describes 1"))
        << capture->damage_description();
}

TEST_F(PcapngReading, FilterIsCompiledForEachLinkTypeAndNumbersStayTheFiles) {
    PcapngBytes file;
    file.section()
        .interface(linktype_ieee802_11, 65535)
        .interface(linktype_raw, 65535)
        .interface(linktype_ethernet, 65535)
        .packet(2, 1, ethernet_ipv4)
        .packet(1, 2, raw_ipv4)
        .packet(0, 3, std::vector<std::uint8_t>(24, 0))
        .packet(2, 4, ethernet_ipv4);
    auto capture = open(file.bytes());
    ASSERT_TRUE(capture);
    std::string error;
    ASSERT_TRUE(capture->set_filter("ip host 10.0.0.2", error)) << error;
    CaptureFile::ReadStatus last{};
    std::vector<RawFrame> frames = frames_of(*capture, last);
    EXPECT_EQ(CaptureFile::ReadStatus::end, last);
    ASSERT_EQ(3u, frames.size());
    EXPECT_EQ(1u, frames[0].number);
    EXPECT_EQ(2u, frames[1].number) << "the raw IP frame passes the filter compiled for raw IP";
    EXPECT_EQ(4u, frames[2].number);
    EXPECT_EQ(4u, capture->frames_read());

    EXPECT_FALSE(capture->set_filter("ip host", error));
    EXPECT_NE(std::string::npos, error.find("invalid filter")) << error;
}

TEST_F(PcapngReading, FilterNamingAHeaderOfOneLinkTypeLeavesOutTheOthersFrames) {
    PcapngBytes file;
    file.section()
        .interface(linktype_ethernet, 65535)
        .interface(linktype_raw, 65535)
        .packet(1, 1, raw_ipv4)
        .packet(0, 2, ethernet_ipv4);
    auto capture = open(file.bytes());
    ASSERT_TRUE(capture);
    std::string error;
    ASSERT_TRUE(capture->set_filter("ether host 00:00:00:00:00:02", error)) << error;
    CaptureFile::ReadStatus last{};
    std::vector<RawFrame> frames = frames_of(*capture, last);
    ASSERT_EQ(1u, frames.size());
    EXPECT_EQ(2u, frames[0].number);
}

TEST_F(PcapngReading, FileThatIsNotASectionIsRefusedWhenOpened) {
    PcapngBytes file;
    file.section();
    file.bytes()[8] = 0x11;  // no byte-order magic
    std::ofstream(path_, std::ios::binary)
        .write(reinterpret_cast<const char*>(file.bytes().data()), static_cast<std::streamsize>(file.bytes().size()));
    std::string error;
    EXPECT_FALSE(CaptureFile::open(path_.string(), error));
    EXPECT_EQ("not a readable pcapng file: section header at offset 0 has no byte-order magic", error);
}

}  // namespace
}  // namespace trustcap
