#include "capture/timestamp.h"

#include <gtest/gtest.h>

#include <limits>

namespace trustcap {
namespace {

constexpr std::int64_t most = std::numeric_limits<std::int64_t>::max();
constexpr std::int64_t least = std::numeric_limits<std::int64_t>::min();
constexpr std::uint32_t last_nanosecond = 999'999'999;
constexpr std::int64_t year_2300 = 10'413'792'000;

TEST(Timestamp, FractionsOfASecondOrMoreAreCarriedIntoTheSeconds) {
    EXPECT_EQ((Timestamp{1001, 500'000'000}), Timestamp::from_parts(1000, 1'500'000'000));
    EXPECT_EQ((Timestamp{1000, 999'999'000}), Timestamp::from_parts(1000, 999'999'000));
    EXPECT_EQ((Timestamp{4294, 967'295'000}), Timestamp::from_parts(0, 4'294'967'295'000));
    EXPECT_EQ((Timestamp{999, 999'999'000}), Timestamp::from_parts(1000, -1000));
    EXPECT_EQ((Timestamp{-1, 0}), Timestamp::from_parts(0, -1'000'000'000));
}

TEST(Timestamp, CarryingPastTheRangeStopsAtItsEnds) {
    EXPECT_EQ((Timestamp{most, last_nanosecond}), Timestamp::from_parts(most, 2'000'000'000));
    EXPECT_EQ((Timestamp{most, 500}), Timestamp::from_parts(most, 500));
    EXPECT_EQ((Timestamp{least, 0}), Timestamp::from_parts(least, -1));
}

TEST(Timestamp, OrderFollowsTimeOnceCarried) {
    EXPECT_LT((Timestamp{1001, 0}), Timestamp::from_parts(1000, 1'500'000'000));
    EXPECT_LT((Timestamp{least, 0}), (Timestamp{most, 0}));
    EXPECT_LT((Timestamp{-1, last_nanosecond}), (Timestamp{0, 0}));
}

TEST(Timestamp, SecondsSinceAnyEarlierTime) {
    EXPECT_DOUBLE_EQ(1.5, (Timestamp{11, 500'000'000}).seconds_since(Timestamp{10, 0}));
    EXPECT_DOUBLE_EQ(1.0, (Timestamp{year_2300 + 1, 0}).seconds_since(Timestamp{year_2300, 0}));
    EXPECT_DOUBLE_EQ(0.000'000'001, (Timestamp{year_2300, 0}).seconds_since(Timestamp{year_2300 - 1, last_nanosecond}));
    EXPECT_DOUBLE_EQ(18'446'744'073'709'551'615.0, (Timestamp{most, 0}).seconds_since(Timestamp{least, 0}));
    EXPECT_DOUBLE_EQ(year_2300 - 1'629'718'273.0, (Timestamp{year_2300, 0}).seconds_since(Timestamp{1'629'718'273, 0}));
}

TEST(Timestamp, SecondsSinceALaterTimeIsNegative) {
    EXPECT_DOUBLE_EQ(-1.5, (Timestamp{10, 0}).seconds_since(Timestamp{11, 500'000'000}));
    EXPECT_DOUBLE_EQ(-18'446'744'073'709'551'615.0, (Timestamp{least, 0}).seconds_since(Timestamp{most, 0}));
    EXPECT_DOUBLE_EQ(0.0, (Timestamp{most, 7}).seconds_since(Timestamp{most, 7}));
}

TEST(Timestamp, SpanBetweenTheExtremesIsExact) {
    const TimeSpan forward = span_between(Timestamp{least, 0}, Timestamp{most, last_nanosecond});
    EXPECT_FALSE(forward.negative);
    EXPECT_EQ(std::numeric_limits<std::uint64_t>::max(), forward.seconds);
    EXPECT_EQ(last_nanosecond, forward.nanoseconds);

    const TimeSpan backward = span_between(Timestamp{most, 0}, Timestamp{least, 1});
    EXPECT_TRUE(backward.negative);
    EXPECT_EQ(std::numeric_limits<std::uint64_t>::max() - 1, backward.seconds);
    EXPECT_EQ(last_nanosecond, backward.nanoseconds);

    const TimeSpan none = span_between(Timestamp{least, 3}, Timestamp{least, 3});
    EXPECT_FALSE(none.negative);
    EXPECT_EQ(0u, none.seconds);
    EXPECT_EQ(0u, none.nanoseconds);
}

TEST(Timestamp, ElapsedTimeIsNeverNegative) {
    EXPECT_DOUBLE_EQ(2.25, elapsed_seconds(Timestamp{10, 0}, Timestamp{12, 250'000'000}));
    EXPECT_DOUBLE_EQ(0.0, elapsed_seconds(Timestamp{12, 0}, Timestamp{10, 0}));
    EXPECT_DOUBLE_EQ(0.0, elapsed_seconds(Timestamp{most, 0}, Timestamp{least, 0}));
    EXPECT_DOUBLE_EQ(0.0, elapsed_seconds(Timestamp{5, 5}, Timestamp{5, 5}));
    EXPECT_DOUBLE_EQ(18'446'744'073'709'551'615.0, elapsed_seconds(Timestamp{least, 0}, Timestamp{most, 0}));
}

}  // namespace
}  // namespace trustcap
