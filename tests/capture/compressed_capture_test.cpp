// Captures compressed with gzip or zstd read as their decompressed bytes
// would, from a file or a pipe; damage in the compressed data is told as such
// after the frames before it.
#include <gtest/gtest.h>
#include <pcap/pcap.h>
#include <zlib.h>
#include <zstd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include <unistd.h>

#include "capture/capture_file.h"
#include "capture/decompressing_stream.h"

namespace trustcap {
namespace {

namespace fs = std::filesystem;

// Each test is a process of its own under ctest, run beside the others.
fs::path scratch(const std::string& name) {
    return fs::temp_directory_path() / ("trustcap-compressed-" + std::to_string(::getpid()) + "-" + name);
}

std::string read_all(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

void write_all(const fs::path& path, const std::string& bytes) { std::ofstream(path, std::ios::binary) << bytes; }

// A pcap of `count` Ethernet frames of different lengths and contents.
std::string capture_bytes(int count) {
    const fs::path path = scratch("plain.pcap");
    pcap_t* dead = pcap_open_dead(DLT_EN10MB, 65535);
    pcap_dumper_t* dumper = pcap_dump_open(dead, path.c_str());
    for (int i = 0; i < count; ++i) {
        std::vector<std::uint8_t> frame(60 + static_cast<std::size_t>(i % 1400), static_cast<std::uint8_t>(i));
        pcap_pkthdr header{};
        header.ts.tv_sec = 1'710'234'900 + i;
        header.caplen = static_cast<bpf_u_int32>(frame.size());
        header.len = header.caplen;
        pcap_dump(reinterpret_cast<u_char*>(dumper), &header, frame.data());
    }
    pcap_dump_close(dumper);
    pcap_close(dead);
    std::string bytes = read_all(path);
    fs::remove(path);
    return bytes;
}

std::string gzip(const std::string& bytes) {
    z_stream stream{};
    EXPECT_EQ(Z_OK, deflateInit2(&stream, 6, Z_DEFLATED, MAX_WBITS + 16, 8, Z_DEFAULT_STRATEGY));
    std::string out(deflateBound(&stream, bytes.size()), '\0');
    stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(bytes.data()));
    stream.avail_in = static_cast<uInt>(bytes.size());
    stream.next_out = reinterpret_cast<Bytef*>(out.data());
    stream.avail_out = static_cast<uInt>(out.size());
    EXPECT_EQ(Z_STREAM_END, deflate(&stream, Z_FINISH));
    out.resize(stream.total_out);
    deflateEnd(&stream);
    return out;
}

// Streamed in two parts, so that the frame does not say its size and keeps
// the window asked for.
std::string zstd(const std::string& bytes, int window_log = 0) {
    ZSTD_CCtx* context = ZSTD_createCCtx();
    if (window_log != 0) ZSTD_CCtx_setParameter(context, ZSTD_c_windowLog, window_log);
    std::string out(ZSTD_compressBound(bytes.size()) + 1024, '\0');
    ZSTD_outBuffer output{out.data(), out.size(), 0};
    const std::size_t half = bytes.size() / 2;
    ZSTD_inBuffer first{bytes.data(), half, 0};
    EXPECT_FALSE(ZSTD_isError(ZSTD_compressStream2(context, &output, &first, ZSTD_e_continue)));
    ZSTD_inBuffer second{bytes.data() + half, bytes.size() - half, 0};
    std::size_t remaining = 0;
    do {
        remaining = ZSTD_compressStream2(context, &output, &second, ZSTD_e_end);
        EXPECT_FALSE(ZSTD_isError(remaining));
    } while (remaining != 0 && !ZSTD_isError(remaining));
    ZSTD_freeCCtx(context);
    out.resize(output.pos);
    return out;
}

struct Reading {
    std::vector<std::string> frames;
    bool damaged = false;
    std::string error;  // open error or damage
};

Reading read_capture(const fs::path& path) {
    Reading reading;
    auto file = CaptureFile::open(path.string(), reading.error);
    if (!file) return reading;
    RawFrame frame;
    CaptureFile::ReadStatus status;
    while ((status = file->next(frame)) == CaptureFile::ReadStatus::frame)
        reading.frames.emplace_back(reinterpret_cast<const char*>(frame.data.data()), frame.data.size());
    reading.damaged = status == CaptureFile::ReadStatus::damaged;
    if (reading.damaged) reading.error = file->damage_description();
    return reading;
}

class CompressedCaptureTest : public ::testing::Test {
protected:
    void SetUp() override {
        plain_ = capture_bytes(3000);
        write_all(path_, plain_);
        expected_ = read_capture(path_);
        ASSERT_EQ(3000u, expected_.frames.size());
    }
    void TearDown() override {
        fs::remove(path_);
        fs::remove(compressed_);
    }
    Reading read_compressed(const std::string& bytes) {
        write_all(compressed_, bytes);
        return read_capture(compressed_);
    }

    fs::path path_ = scratch("capture.pcap");
    fs::path compressed_ = scratch("capture.pcap.z");
    std::string plain_;
    Reading expected_;
};

TEST_F(CompressedCaptureTest, GzipReadsAsTheCaptureItHolds) {
    Reading reading = read_compressed(gzip(plain_));
    EXPECT_FALSE(reading.damaged) << reading.error;
    EXPECT_EQ(expected_.frames, reading.frames);
}

TEST_F(CompressedCaptureTest, ZstdReadsAsTheCaptureItHolds) {
    Reading reading = read_compressed(zstd(plain_));
    EXPECT_FALSE(reading.damaged) << reading.error;
    EXPECT_EQ(expected_.frames, reading.frames);
}

TEST_F(CompressedCaptureTest, ConcatenatedMembersAndFramesReadOneAfterAnother) {
    const std::size_t half = plain_.size() / 2;
    Reading gzip_reading = read_compressed(gzip(plain_.substr(0, half)) + gzip(plain_.substr(half)));
    EXPECT_FALSE(gzip_reading.damaged) << gzip_reading.error;
    EXPECT_EQ(expected_.frames, gzip_reading.frames);
    Reading zstd_reading = read_compressed(zstd(plain_.substr(0, half)) + zstd(plain_.substr(half)));
    EXPECT_FALSE(zstd_reading.damaged) << zstd_reading.error;
    EXPECT_EQ(expected_.frames, zstd_reading.frames);
}

TEST_F(CompressedCaptureTest, ZerosAfterAGzipMemberArePaddingAsForGzip) {
    Reading reading = read_compressed(gzip(plain_) + std::string(4096, '\0'));
    EXPECT_FALSE(reading.damaged) << reading.error;
    EXPECT_EQ(expected_.frames, reading.frames);
}

TEST_F(CompressedCaptureTest, TruncatedCompressedDataIsDamageAfterTheWholeFrames) {
    for (const std::string& compressed : {gzip(plain_), zstd(plain_)}) {
        Reading reading = read_compressed(compressed.substr(0, compressed.size() * 2 / 3));
        EXPECT_TRUE(reading.damaged);
        EXPECT_NE(std::string::npos, reading.error.find("truncated")) << reading.error;
        EXPECT_GT(reading.frames.size(), 1000u);
        EXPECT_LT(reading.frames.size(), 3000u);
        for (std::size_t i = 0; i < reading.frames.size(); ++i) ASSERT_EQ(expected_.frames[i], reading.frames[i]);
    }
}

TEST_F(CompressedCaptureTest, ACorruptChecksumIsDamageAfterEveryFrame) {
    std::string compressed = gzip(plain_);
    compressed[compressed.size() - 8] ^= 0x01;  // the trailer's CRC-32 of the data
    Reading reading = read_compressed(compressed);
    EXPECT_TRUE(reading.damaged);
    EXPECT_EQ("the gzip data is corrupt (incorrect data check)", reading.error);
    EXPECT_EQ(expected_.frames, reading.frames);
}

TEST_F(CompressedCaptureTest, CorruptCompressedDataIsDamage) {
    std::string compressed = gzip(plain_);
    for (std::size_t i = compressed.size() / 2; i < compressed.size() / 2 + 64; ++i) compressed[i] = '\xff';
    Reading reading = read_compressed(compressed);
    EXPECT_TRUE(reading.damaged);
    EXPECT_FALSE(reading.error.empty());
    EXPECT_GT(reading.frames.size(), 1000u);
    EXPECT_LT(reading.frames.size(), 3000u);
}

TEST_F(CompressedCaptureTest, AZstdWindowPastTheLimitIsRefusedWithAWayOut) {
    Reading reading = read_compressed(zstd(plain_, max_zstd_window_log + 2));
    EXPECT_TRUE(reading.frames.empty());
    EXPECT_NE(std::string::npos, reading.error.find("zstd -d --long=31")) << reading.error;
}

TEST_F(CompressedCaptureTest, GzipOfSomethingElseIsNotACapture) {
    Reading reading = read_compressed(gzip("hostname wlc\nlicense smart transport smart\n"));
    EXPECT_TRUE(reading.frames.empty());
    EXPECT_FALSE(reading.error.empty());
}

TEST_F(CompressedCaptureTest, CompressedStandardInputIsRead) {
    write_all(compressed_, zstd(plain_));
    std::FILE* saved = std::freopen(compressed_.c_str(), "rb", stdin);
    ASSERT_NE(nullptr, saved);
    Reading reading = read_capture("-");
    EXPECT_FALSE(reading.damaged) << reading.error;
    EXPECT_EQ(expected_.frames, reading.frames);
}

}  // namespace
}  // namespace trustcap
