#include "dissect/http_chunked_body.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace trustcap {
namespace {

std::vector<std::uint8_t> bytes_of(const std::string& text) { return {text.begin(), text.end()}; }

// Feeds `text` one byte at a time; returns the result and how many bytes the body took.
std::pair<ChunkedBodyReader::Result, std::size_t> read_bytewise(const std::string& text) {
    ChunkedBodyReader reader;
    const std::vector<std::uint8_t> bytes = bytes_of(text);
    for (std::size_t at = 0; at < bytes.size(); ++at) {
        std::size_t consumed = 0;
        auto result = reader.read(Bytes(bytes).subspan(at, 1), consumed);
        if (result != ChunkedBodyReader::Result::more) return {result, at + consumed};
        EXPECT_EQ(consumed, 1u);
    }
    return {ChunkedBodyReader::Result::more, bytes.size()};
}

TEST(ChunkedBodyReader, EndsAfterTheLastChunkAndItsTrailers) {
    const std::string body = "4\r\nWiki\r\n5;name=value\r\npedia\r\nE\r\n in\r\n\r\nchunks.\r\n0\r\nExpires: x\r\n\r\n";
    ChunkedBodyReader reader;
    std::size_t consumed = 0;
    const std::vector<std::uint8_t> bytes = bytes_of(body + "HTTP/1.1 200 OK\r\n");
    EXPECT_EQ(reader.read(bytes, consumed), ChunkedBodyReader::Result::done);
    EXPECT_EQ(consumed, body.size());
    EXPECT_EQ(read_bytewise(body), std::make_pair(ChunkedBodyReader::Result::done, body.size()));
}

TEST(ChunkedBodyReader, WaitsForMoreUntilTheEmptyLineAfterTheLastChunk) {
    EXPECT_EQ(read_bytewise("3\r\nabc\r\n0\r\n").first, ChunkedBodyReader::Result::more);
    EXPECT_EQ(read_bytewise("3\r\nab").first, ChunkedBodyReader::Result::more);
    EXPECT_EQ(read_bytewise("0\n\n").first, ChunkedBodyReader::Result::done);
}

TEST(ChunkedBodyReader, RefusesWhatIsNoChunk) {
    for (const char* bad : {"zz\r\n", "\r\n", "3\r\nabcX\r\n", "3x\r\nabc\r\n", "1000000000000000\r\n",
                            "-1\r\n"}) {
        EXPECT_EQ(read_bytewise(bad).first, ChunkedBodyReader::Result::invalid) << bad;
    }
    EXPECT_EQ(read_bytewise("fffffffffffffff\r\n").first, ChunkedBodyReader::Result::more)
        << "15 hex digits are a size, if a large one";
    EXPECT_EQ(read_bytewise("00000000000000005\r\nhello\r\n0000000000000000\r\n\r\n").first,
              ChunkedBodyReader::Result::done)
        << "leading zeros are no digits of the size";
}

TEST(ChunkedBodyReader, BoundsTheLineItHolds) {
    EXPECT_EQ(read_bytewise("1;" + std::string(9000, 'e')).first, ChunkedBodyReader::Result::invalid);
    EXPECT_EQ(read_bytewise("0\r\nX: " + std::string(9000, 't')).first, ChunkedBodyReader::Result::invalid);
}

}  // namespace
}  // namespace trustcap
