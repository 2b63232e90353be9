#include "dissect/dns_tcp_framer.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

namespace trustcap {
namespace {

struct Delivered {
    std::vector<std::uint8_t> message;
    std::uint64_t frame = 0;
    bool operator==(const Delivered&) const = default;
};

class FramerHarness {
public:
    void feed(const std::vector<std::uint8_t>& bytes, std::size_t from, std::size_t to, std::uint64_t frame) {
        framer.feed(Bytes(bytes).subspan(from, to - from), frame, [&](Bytes message, std::uint64_t completing_frame) {
            delivered.push_back({std::vector<std::uint8_t>(message.begin(), message.end()), completing_frame});
        });
    }

    DnsTcpFramer framer;
    std::vector<Delivered> delivered;
};

std::vector<std::uint8_t> message_of(std::size_t size, std::uint8_t fill) {
    return std::vector<std::uint8_t>(size, fill);
}

std::vector<std::uint8_t> framed(const std::vector<std::vector<std::uint8_t>>& messages) {
    std::vector<std::uint8_t> stream;
    for (const auto& message : messages) {
        stream.push_back(static_cast<std::uint8_t>(message.size() >> 8));
        stream.push_back(static_cast<std::uint8_t>(message.size()));
        stream.insert(stream.end(), message.begin(), message.end());
    }
    return stream;
}

const std::vector<std::uint8_t> first = message_of(40, 0xA1);
const std::vector<std::uint8_t> second = message_of(300, 0xB2);

TEST(DnsTcpFramer, DeliversMessagesSplitAcrossFeeds) {
    const std::vector<std::uint8_t> stream = framed({first, second});
    FramerHarness harness;
    harness.feed(stream, 0, 1, 10);   // half of the first length
    harness.feed(stream, 1, 20, 11);  // the rest of it, part of the message
    EXPECT_TRUE(harness.delivered.empty());
    harness.feed(stream, 20, 43, 12);  // the end of the first message and one byte of the second length
    harness.feed(stream, 43, 200, 13);
    harness.feed(stream, 200, stream.size(), 14);
    EXPECT_EQ(harness.delivered, (std::vector<Delivered>{{first, 12}, {second, 14}}));
    EXPECT_EQ(harness.framer.buffered_bytes(), 0u);
}

TEST(DnsTcpFramer, DeliversWholeMessagesFromOneFeed) {
    const std::vector<std::uint8_t> stream = framed({first, second, first});
    FramerHarness harness;
    harness.feed(stream, 0, stream.size(), 5);
    EXPECT_EQ(harness.delivered, (std::vector<Delivered>{{first, 5}, {second, 5}, {first, 5}}));
}

TEST(DnsTcpFramer, ByteByByteNamesTheFrameOfTheLastByte) {
    const std::vector<std::uint8_t> stream = framed({first, second});
    FramerHarness harness;
    for (std::size_t i = 0; i < stream.size(); ++i) harness.feed(stream, i, i + 1, i + 1);
    EXPECT_EQ(harness.delivered, (std::vector<Delivered>{{first, 2 + first.size()}, {second, stream.size()}}));
}

TEST(DnsTcpFramer, EmptyAndLargestMessages) {
    const std::vector<std::uint8_t> largest = message_of(65535, 0x5A);
    const std::vector<std::uint8_t> stream = framed({{}, largest, {}});
    FramerHarness harness;
    for (std::size_t from = 0; from < stream.size(); from += 1000)
        harness.feed(stream, from, std::min(stream.size(), from + 1000), from);
    ASSERT_EQ(harness.delivered.size(), 3u);
    EXPECT_TRUE(harness.delivered[0].message.empty());
    EXPECT_EQ(harness.delivered[1].message, largest);
    EXPECT_TRUE(harness.delivered[2].message.empty());
}

TEST(DnsTcpFramer, BuffersAtMostOnePartialMessage) {
    const std::vector<std::uint8_t> stream = framed({message_of(65535, 1), message_of(65535, 2)});
    FramerHarness harness;
    std::size_t most_buffered = 0;
    for (std::size_t from = 0; from < stream.size(); from += 777) {
        harness.feed(stream, from, std::min(stream.size(), from + 777), 1);
        most_buffered = std::max(most_buffered, harness.framer.buffered_bytes());
    }
    EXPECT_EQ(harness.delivered.size(), 2u);
    EXPECT_LT(most_buffered, 65535u);
}

TEST(DnsTcpFramer, AGapInsideAMessageDropsOnlyThatMessage) {
    const std::vector<std::uint8_t> stream = framed({first, second});
    FramerHarness harness;
    harness.feed(stream, 0, 10, 1);
    harness.framer.skip(20);  // bytes 10..29 of the first message never arrive
    harness.feed(stream, 30, stream.size(), 3);
    EXPECT_TRUE(harness.framer.synchronized());
    EXPECT_EQ(harness.delivered, (std::vector<Delivered>{{second, 3}}));
}

TEST(DnsTcpFramer, AGapEndingWithAMessageKeepsTheFraming) {
    const std::vector<std::uint8_t> stream = framed({first, second});
    FramerHarness harness;
    harness.feed(stream, 0, 10, 1);
    harness.framer.skip(2 + first.size() - 10);
    harness.feed(stream, 2 + first.size(), stream.size(), 3);
    EXPECT_EQ(harness.delivered, (std::vector<Delivered>{{second, 3}}));
}

TEST(DnsTcpFramer, AGapOverALengthPrefixLosesTheFramingForGood) {
    const std::vector<std::uint8_t> stream = framed({first, second, first});
    FramerHarness harness;
    harness.feed(stream, 0, 10, 1);
    harness.framer.skip(2 + first.size() - 10 + 1);  // the rest of the first message and half the next length
    EXPECT_FALSE(harness.framer.synchronized());
    harness.feed(stream, 2 + first.size() + 1, stream.size(), 3);
    EXPECT_TRUE(harness.delivered.empty());
    EXPECT_EQ(harness.framer.buffered_bytes(), 0u);
}

}  // namespace
}  // namespace trustcap
