#include "capture/byte_reader.h"

#include <gtest/gtest.h>

#include <array>
#include <cstdint>

namespace trustcap {
namespace {

constexpr std::array<std::uint8_t, 8> bytes{0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08};

TEST(ByteReader, ReadsBigAndLittleEndian) {
    ByteReader reader{Bytes(bytes)};
    EXPECT_EQ(reader.u8(), 0x01);
    EXPECT_EQ(reader.u16be(), 0x0203);
    EXPECT_EQ(reader.u24be(), 0x040506u);
    EXPECT_EQ(reader.position(), 6u);
    EXPECT_EQ(reader.remaining(), 2u);
    ByteReader little{Bytes(bytes)};
    EXPECT_EQ(little.u32le(), 0x04030201u);
    EXPECT_EQ(little.u32be(), 0x05060708u);
    EXPECT_TRUE(little.empty());
}

TEST(ByteReader, EveryReadFailsPastTheEndAndMovesToTheEnd) {
    for (std::size_t size = 0; size < 4; ++size) {
        const Bytes span(bytes.data(), size);
        ByteReader r32(span);
        EXPECT_FALSE(r32.u32be());
        EXPECT_TRUE(r32.empty());
        ByteReader r32le(span);
        EXPECT_FALSE(r32le.u32le());
        EXPECT_EQ(r32le.position(), size);
        if (size < 3) {
            ByteReader r24(span);
            EXPECT_FALSE(r24.u24be());
            EXPECT_TRUE(r24.empty());
        }
        if (size < 2) {
            ByteReader r16(span);
            EXPECT_FALSE(r16.u16be());
            EXPECT_TRUE(r16.empty());
        }
    }
    ByteReader empty{Bytes()};
    EXPECT_FALSE(empty.u8());
    EXPECT_FALSE(empty.peek());
    EXPECT_TRUE(empty.take(0).has_value());
    EXPECT_TRUE(empty.skip(0));
}

TEST(ByteReader, FailureLeavesNothingToRead) {
    ByteReader reader{Bytes(bytes)};
    EXPECT_TRUE(reader.skip(5));
    EXPECT_FALSE(reader.u32be());  // 3 left: fails
    EXPECT_FALSE(reader.u8()) << "after a failure the reader is at its end";
    EXPECT_TRUE(reader.rest().empty());
}

TEST(ByteReader, TakeSkipPeekRest) {
    ByteReader reader{Bytes(bytes)};
    EXPECT_EQ(reader.peek(), 0x01);
    EXPECT_EQ(reader.peek(7), 0x08);
    EXPECT_FALSE(reader.peek(8));
    EXPECT_EQ(reader.position(), 0u) << "peek does not consume";
    auto taken = reader.take(3);
    ASSERT_TRUE(taken);
    EXPECT_EQ(taken->size(), 3u);
    EXPECT_EQ((*taken)[2], 0x03);
    EXPECT_EQ(taken->data(), bytes.data()) << "take returns a view, not a copy";
    EXPECT_TRUE(reader.skip(2));
    EXPECT_EQ(reader.rest().size(), 3u);
    EXPECT_EQ(reader.rest()[0], 0x06);
    EXPECT_FALSE(reader.take(4));
    EXPECT_TRUE(reader.empty());
    ByteReader skipper{Bytes(bytes)};
    EXPECT_FALSE(skipper.skip(9));
    EXPECT_TRUE(skipper.empty());
    ByteReader huge{Bytes(bytes)};
    EXPECT_FALSE(huge.take(SIZE_MAX));
    EXPECT_FALSE(huge.peek(SIZE_MAX));
}

}  // namespace
}  // namespace trustcap
