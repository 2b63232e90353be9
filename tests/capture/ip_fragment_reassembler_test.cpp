#include "capture/ip_fragment_reassembler.h"

#include <gtest/gtest.h>

#include <array>
#include <cstdint>
#include <vector>

namespace trustcap {
namespace {

using ByteVector = std::vector<std::uint8_t>;

ByteVector sequence(std::size_t length, std::uint8_t first = 0) {
    ByteVector bytes(length);
    for (std::size_t i = 0; i < length; ++i) bytes[i] = static_cast<std::uint8_t>(first + i);
    return bytes;
}

IpAddress address(std::uint8_t last) {
    const std::array<std::uint8_t, 4> bytes{10, 0, 0, last};
    return IpAddress::v4(Bytes(bytes.data(), bytes.size()));
}

// Fragments of one datagram; `data` must outlive the add() call.
class DatagramFragments {
public:
    explicit DatagramFragments(std::uint32_t identification = 7, std::uint8_t protocol = 6)
        : identification_(identification), protocol_(protocol) {}

    IpFragmentReassembler::Fragment piece(const ByteVector& data, std::uint32_t offset, bool more,
                                          std::int64_t seconds = 100, std::uint64_t frame = 0) const {
        IpFragmentReassembler::Fragment fragment;
        fragment.source = address(1);
        fragment.destination = address(2);
        fragment.identification = identification_;
        fragment.protocol = protocol_;
        fragment.offset = offset;
        fragment.more_fragments = more;
        fragment.payload = Bytes(data.data(), data.size());
        fragment.time = Timestamp{seconds, 0};
        fragment.frame = frame;
        return fragment;
    }

private:
    std::uint32_t identification_;
    std::uint8_t protocol_;
};

ByteVector slice(const ByteVector& bytes, std::size_t from, std::size_t to) {
    return ByteVector(bytes.begin() + static_cast<std::ptrdiff_t>(from),
                      bytes.begin() + static_cast<std::ptrdiff_t>(to));
}

ByteVector as_vector(Bytes bytes) { return ByteVector(bytes.begin(), bytes.end()); }

TEST(IpFragmentReassembler, InOrder) {
    const ByteVector datagram = sequence(100);
    const ByteVector a = slice(datagram, 0, 40), b = slice(datagram, 40, 80), c = slice(datagram, 80, 100);
    IpFragmentReassembler reassembler;
    DatagramFragments fragments;
    EXPECT_FALSE(reassembler.add(fragments.piece(a, 0, true)));
    EXPECT_FALSE(reassembler.add(fragments.piece(b, 40, true)));
    EXPECT_EQ(reassembler.pending(), 1u);
    const auto whole = reassembler.add(fragments.piece(c, 80, false));
    ASSERT_TRUE(whole);
    EXPECT_EQ(as_vector(*whole), datagram);
    EXPECT_EQ(reassembler.pending(), 0u);
    EXPECT_EQ(reassembler.counters().datagrams_reassembled, 1u);
    EXPECT_EQ(reassembler.counters().datagrams_dropped, 0u);
}

TEST(IpFragmentReassembler, ReversedAndShuffled) {
    const ByteVector datagram = sequence(96);
    std::vector<ByteVector> parts;
    for (std::size_t offset = 0; offset < 96; offset += 16) parts.push_back(slice(datagram, offset, offset + 16));
    for (const std::vector<std::size_t>& order :
         {std::vector<std::size_t>{5, 4, 3, 2, 1, 0}, std::vector<std::size_t>{2, 5, 0, 3, 1, 4}}) {
        IpFragmentReassembler reassembler;
        DatagramFragments fragments;
        std::optional<Bytes> whole;
        for (std::size_t step = 0; step < order.size(); ++step) {
            const std::size_t index = order[step];
            whole = reassembler.add(fragments.piece(parts[index], static_cast<std::uint32_t>(index * 16), index != 5));
            EXPECT_EQ(whole.has_value(), step + 1 == order.size());
        }
        ASSERT_TRUE(whole);
        EXPECT_EQ(as_vector(*whole), datagram);
    }
}

TEST(IpFragmentReassembler, OverlapFirstCopyWins) {
    IpFragmentReassembler reassembler;
    DatagramFragments fragments;
    const ByteVector first(24, 0xAA);
    const ByteVector overlapping(24, 0xBB);  // bytes 16..39
    const ByteVector last(16, 0xCC);         // bytes 32..47
    EXPECT_FALSE(reassembler.add(fragments.piece(first, 0, true)));
    EXPECT_FALSE(reassembler.add(fragments.piece(overlapping, 16, true)));
    const auto whole = reassembler.add(fragments.piece(last, 32, false));
    ASSERT_TRUE(whole);
    ByteVector expected(48);
    std::fill(expected.begin(), expected.begin() + 24, 0xAA);
    std::fill(expected.begin() + 24, expected.begin() + 40, 0xBB);
    std::fill(expected.begin() + 40, expected.end(), 0xCC);
    EXPECT_EQ(as_vector(*whole), expected);
}

TEST(IpFragmentReassembler, DuplicatesDoNotCompleteOrChangeAnything) {
    IpFragmentReassembler reassembler;
    DatagramFragments fragments;
    const ByteVector a(32, 1), a_again(32, 9), b(32, 2);
    EXPECT_FALSE(reassembler.add(fragments.piece(a, 0, true)));
    EXPECT_FALSE(reassembler.add(fragments.piece(a_again, 0, true)));
    EXPECT_FALSE(reassembler.add(fragments.piece(a, 0, true)));
    const auto whole = reassembler.add(fragments.piece(b, 32, false));
    ASSERT_TRUE(whole);
    EXPECT_EQ((*whole)[0], 1);
    EXPECT_EQ(whole->size(), 64u);
    // A late duplicate starts a new, never-completing datagram rather than a second copy.
    EXPECT_FALSE(reassembler.add(fragments.piece(b, 32, false)));
    EXPECT_EQ(reassembler.counters().datagrams_reassembled, 1u);
}

TEST(IpFragmentReassembler, IncompleteStaysPending) {
    IpFragmentReassembler reassembler;
    DatagramFragments fragments;
    const ByteVector a(32, 1), c(32, 3);
    EXPECT_FALSE(reassembler.add(fragments.piece(a, 0, true)));
    EXPECT_FALSE(reassembler.add(fragments.piece(c, 64, false)));  // hole at 32..63
    EXPECT_EQ(reassembler.pending(), 1u);
    EXPECT_EQ(reassembler.counters().datagrams_reassembled, 0u);
}

TEST(IpFragmentReassembler, DifferentKeysDoNotMix) {
    IpFragmentReassembler reassembler;
    const ByteVector a(32, 1), b(32, 2);
    EXPECT_FALSE(reassembler.add(DatagramFragments(1, 6).piece(a, 0, true)));
    EXPECT_FALSE(reassembler.add(DatagramFragments(2, 6).piece(b, 32, false)));
    EXPECT_FALSE(reassembler.add(DatagramFragments(1, 17).piece(b, 32, false)));
    IpFragmentReassembler::Fragment other_source = DatagramFragments(1, 6).piece(b, 32, false);
    other_source.source = address(9);
    EXPECT_FALSE(reassembler.add(other_source));
    EXPECT_EQ(reassembler.pending(), 4u);
    EXPECT_TRUE(reassembler.add(DatagramFragments(1, 6).piece(b, 32, false)));
}

TEST(IpFragmentReassembler, Ipv6AddressesWork) {
    IpFragmentReassembler reassembler;
    const auto v6_address = IpAddress::parse("2001:db8::1");
    ASSERT_TRUE(v6_address);
    const ByteVector a(16, 1), b(8, 2);
    IpFragmentReassembler::Fragment first = DatagramFragments(0xFFFF'FFFF, 6).piece(a, 0, true);
    IpFragmentReassembler::Fragment last = DatagramFragments(0xFFFF'FFFF, 6).piece(b, 16, false);
    first.source = last.source = *v6_address;
    EXPECT_FALSE(reassembler.add(first));
    const auto whole = reassembler.add(last);
    ASSERT_TRUE(whole);
    EXPECT_EQ(whole->size(), 24u);
}

TEST(IpFragmentReassembler, OverTheDatagramCapIsDroppedOnce) {
    IpFragmentReassembler::Limits limits;
    limits.max_datagram_bytes = 100;
    IpFragmentReassembler reassembler(limits);
    DatagramFragments fragments;
    const ByteVector a(64, 1), b(64, 2), c(8, 3);
    EXPECT_FALSE(reassembler.add(fragments.piece(a, 0, true)));
    EXPECT_FALSE(reassembler.add(fragments.piece(b, 64, false)));  // ends at 128 > 100
    EXPECT_EQ(reassembler.counters().datagrams_dropped, 1u);
    EXPECT_EQ(reassembler.pending(), 0u);
    // Its remaining fragments are ignored, not counted again.
    EXPECT_FALSE(reassembler.add(fragments.piece(c, 128, false)));
    EXPECT_FALSE(reassembler.add(fragments.piece(a, 0, true)));
    EXPECT_EQ(reassembler.counters().datagrams_dropped, 1u);
    EXPECT_EQ(reassembler.pending(), 0u);
}

TEST(IpFragmentReassembler, ExactlyAtTheDatagramCapIsKept) {
    IpFragmentReassembler::Limits limits;
    limits.max_datagram_bytes = 64;
    IpFragmentReassembler reassembler(limits);
    DatagramFragments fragments;
    const ByteVector a(32, 1), b(32, 2);
    EXPECT_FALSE(reassembler.add(fragments.piece(a, 0, true)));
    EXPECT_TRUE(reassembler.add(fragments.piece(b, 32, false)));
}

TEST(IpFragmentReassembler, OverThePendingCapEvictsTheOldest) {
    IpFragmentReassembler::Limits limits;
    limits.max_pending_datagrams = 3;
    IpFragmentReassembler reassembler(limits);
    const ByteVector a(8, 1), b(8, 2);
    for (std::uint32_t id = 1; id <= 5; ++id) {
        EXPECT_FALSE(reassembler.add(DatagramFragments(id).piece(a, 0, true, 100 + id)));
        EXPECT_LE(reassembler.pending(), 3u);
    }
    EXPECT_EQ(reassembler.counters().datagrams_dropped, 2u);
    EXPECT_FALSE(reassembler.add(DatagramFragments(1).piece(b, 8, false, 106)));  // evicted
    EXPECT_TRUE(reassembler.add(DatagramFragments(5).piece(b, 8, false, 106)));
    EXPECT_EQ(reassembler.counters().datagrams_dropped, 2u);
}

TEST(IpFragmentReassembler, TimeoutIsRelativeToCaptureTime) {
    IpFragmentReassembler::Limits limits;
    limits.timeout_seconds = 30;
    IpFragmentReassembler reassembler(limits);
    DatagramFragments fragments;
    const ByteVector a(8, 1), b(8, 2);
    EXPECT_FALSE(reassembler.add(fragments.piece(a, 0, true, 1000)));
    EXPECT_TRUE(reassembler.add(fragments.piece(b, 8, false, 1030)));  // exactly 30 s: still in time

    EXPECT_FALSE(reassembler.add(fragments.piece(a, 0, true, 2000)));
    IpFragmentReassembler::Fragment late = fragments.piece(b, 8, false, 2030);
    late.time.nanoseconds = 1;
    EXPECT_FALSE(reassembler.add(late));
    EXPECT_EQ(reassembler.counters().datagrams_dropped, 1u);
    EXPECT_EQ(reassembler.pending(), 1u) << "the late fragment starts a new datagram";
}

TEST(IpFragmentReassembler, ExtremeTimestampsDoNotOverflow) {
    IpFragmentReassembler reassembler;
    DatagramFragments fragments;
    const ByteVector a(8, 1), b(8, 2);
    EXPECT_FALSE(reassembler.add(fragments.piece(a, 0, true, INT64_MIN)));
    EXPECT_FALSE(reassembler.add(DatagramFragments(2).piece(a, 0, true, INT64_MAX)));
    EXPECT_EQ(reassembler.counters().datagrams_dropped, 1u);
    // Time going backwards expires nothing.
    EXPECT_FALSE(reassembler.add(DatagramFragments(3).piece(a, 0, true, 0)));
    EXPECT_EQ(reassembler.pending(), 2u);
}

TEST(IpFragmentReassembler, InconsistentLengthsDropTheDatagram) {
    IpFragmentReassembler reassembler;
    const ByteVector a(32, 1), b(32, 2), c(8, 3);
    DatagramFragments two_ends(1);
    EXPECT_FALSE(reassembler.add(two_ends.piece(b, 32, false)));  // ends at 64
    EXPECT_FALSE(reassembler.add(two_ends.piece(c, 64, false)));  // ends at 72
    DatagramFragments beyond_end(2);
    EXPECT_FALSE(reassembler.add(beyond_end.piece(c, 8, false)));  // ends at 16
    EXPECT_FALSE(reassembler.add(beyond_end.piece(b, 32, true)));  // data past the end
    DatagramFragments end_before_data(3);
    EXPECT_FALSE(reassembler.add(end_before_data.piece(b, 32, true)));
    EXPECT_FALSE(reassembler.add(end_before_data.piece(c, 0, false)));
    EXPECT_EQ(reassembler.counters().datagrams_dropped, 3u);
    EXPECT_EQ(reassembler.counters().datagrams_reassembled, 0u);
    EXPECT_EQ(reassembler.pending(), 0u);
}

TEST(IpFragmentReassembler, ReturnedBytesStayValidUntilTheNextCall) {
    IpFragmentReassembler reassembler;
    const ByteVector a(16, 1), b(16, 2), c(16, 3), d(16, 4);
    EXPECT_FALSE(reassembler.add(DatagramFragments(1).piece(a, 0, true)));
    EXPECT_FALSE(reassembler.add(DatagramFragments(2).piece(c, 0, true)));
    const auto first = reassembler.add(DatagramFragments(1).piece(b, 16, false));
    ASSERT_TRUE(first);
    const ByteVector first_copy = as_vector(*first);
    EXPECT_EQ(first_copy[0], 1);
    EXPECT_EQ(first_copy[31], 2);
    const auto second = reassembler.add(DatagramFragments(2).piece(d, 16, false));
    ASSERT_TRUE(second);
    EXPECT_EQ((*second)[0], 3);
    EXPECT_EQ((*second)[31], 4);
}

TEST(IpFragmentReassembler, OverTheDatagramCapNamesTheLimitAndFrame) {
    IpFragmentReassembler::Limits limits;
    limits.max_datagram_bytes = 100;
    IpFragmentReassembler reassembler(limits);
    DatagramFragments fragments;
    const ByteVector a(64, 1), b(64, 2);
    EXPECT_FALSE(reassembler.add(fragments.piece(a, 0, true, 100, 11)));
    EXPECT_FALSE(reassembler.add(fragments.piece(b, 64, false, 100, 12)));
    EXPECT_EQ(reassembler.counters().too_large.datagrams, 1u);
    EXPECT_EQ(reassembler.counters().too_large.first_frame, 12u);
    EXPECT_EQ(reassembler.counters().too_many_fragments.datagrams, 0u);
    EXPECT_EQ(reassembler.pending_bytes(), 0u);
}

TEST(IpFragmentReassembler, FragmentsPastThePerDatagramCapDropIt) {
    IpFragmentReassembler::Limits limits;
    limits.max_fragments_per_datagram = 4;
    IpFragmentReassembler reassembler(limits);
    DatagramFragments fragments;
    const ByteVector piece(8, 1);
    for (std::uint32_t index = 0; index < 4; ++index)
        EXPECT_FALSE(reassembler.add(fragments.piece(piece, index * 8, true, 100, index + 1)));
    EXPECT_EQ(reassembler.counters().too_many_fragments.datagrams, 0u);
    // The fifth would complete it, but it is one too many.
    EXPECT_FALSE(reassembler.add(fragments.piece(piece, 32, false, 100, 5)));
    EXPECT_EQ(reassembler.counters().too_many_fragments.datagrams, 1u);
    EXPECT_EQ(reassembler.counters().too_many_fragments.first_frame, 5u);
    EXPECT_EQ(reassembler.pending(), 0u);
    EXPECT_EQ(reassembler.pending_bytes(), 0u);
}

TEST(IpFragmentReassembler, RepeatedOverlappingFragmentsCountTowardsTheCap) {
    IpFragmentReassembler reassembler;
    DatagramFragments fragments;
    const ByteVector piece(8, 1);
    const std::size_t cap = IpFragmentReassembler::Limits{}.max_fragments_per_datagram;
    for (std::size_t sent = 0; sent < cap + 10; ++sent) EXPECT_FALSE(reassembler.add(fragments.piece(piece, 8, true)));
    EXPECT_EQ(reassembler.counters().too_many_fragments.datagrams, 1u);
    EXPECT_EQ(reassembler.pending(), 0u);
}

TEST(IpFragmentReassembler, PendingBytesPastTheMemoryCapEvictTheOldest) {
    IpFragmentReassembler::Limits limits;
    limits.max_pending_bytes = 1000;
    IpFragmentReassembler reassembler(limits);
    const ByteVector big(600, 1), tail(8, 2);
    EXPECT_FALSE(reassembler.add(DatagramFragments(1).piece(big, 0, true, 100, 1)));
    EXPECT_EQ(reassembler.pending_bytes(), 600u);
    EXPECT_FALSE(reassembler.add(DatagramFragments(2).piece(big, 0, true, 101, 2)));
    EXPECT_EQ(reassembler.pending(), 1u);
    EXPECT_EQ(reassembler.pending_bytes(), 600u);
    EXPECT_EQ(reassembler.counters().evicted.datagrams, 1u);
    EXPECT_EQ(reassembler.counters().evicted.first_frame, 2u);
    EXPECT_TRUE(reassembler.add(DatagramFragments(2).piece(tail, 600, false, 102, 3)));
    EXPECT_EQ(reassembler.pending_bytes(), 0u);
}

TEST(IpFragmentReassembler, ADatagramLargerThanTheMemoryCapIsDroppedAlone) {
    IpFragmentReassembler::Limits limits;
    limits.max_pending_bytes = 100;
    IpFragmentReassembler reassembler(limits);
    const ByteVector big(200, 1);
    EXPECT_FALSE(reassembler.add(DatagramFragments(1).piece(big, 0, true, 100, 1)));
    EXPECT_EQ(reassembler.pending(), 0u);
    EXPECT_EQ(reassembler.pending_bytes(), 0u);
    EXPECT_EQ(reassembler.counters().evicted.datagrams, 1u);
}

TEST(IpFragmentReassembler, ZeroPendingCapDropsEverything) {
    IpFragmentReassembler::Limits limits;
    limits.max_pending_datagrams = 0;
    IpFragmentReassembler reassembler(limits);
    const ByteVector a(8, 1);
    EXPECT_FALSE(reassembler.add(DatagramFragments(1).piece(a, 0, true)));
    EXPECT_EQ(reassembler.pending(), 0u);
    EXPECT_EQ(reassembler.counters().datagrams_dropped, 1u);
}

}  // namespace
}  // namespace trustcap
