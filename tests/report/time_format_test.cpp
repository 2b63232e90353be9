#include "report/time_format.h"

#include <gtest/gtest.h>

#include <limits>

namespace trustcap {
namespace {

constexpr std::int64_t most = std::numeric_limits<std::int64_t>::max();
constexpr std::int64_t least = std::numeric_limits<std::int64_t>::min();

TEST(TimeFormat, DatesFarFromTodayKeepTheirCalendar) {
    EXPECT_EQ("2300-01-01T00:00:00.000000001Z", iso8601_utc(Timestamp{10'413'792'000, 1}, 9));
    EXPECT_EQ("2300-01-01 00:00:00.000 UTC", readable_utc(Timestamp{10'413'792'000, 0}));
    EXPECT_EQ("9999-12-31T23:59:59Z", iso8601_utc(Timestamp{253'402'300'799, 0}, 0));
    EXPECT_EQ("1969-12-31T23:59:59.500000Z", iso8601_utc(Timestamp{-1, 500'000'000}, 6));
    EXPECT_EQ("1900-02-28T23:59:59Z", iso8601_utc(Timestamp{-2'203'891'201, 0}, 0));
    EXPECT_EQ("2000-02-29T12:00:00Z", iso8601_utc(Timestamp{951'825'600, 0}, 0));
    EXPECT_EQ("0000-01-01T00:00:00Z", iso8601_utc(Timestamp{-62'167'219'200, 0}, 0));
}

TEST(TimeFormat, YearsBeyondFourDigitsAreExpanded) {
    EXPECT_EQ("+10000-01-01T00:00:00Z", iso8601_utc(Timestamp{253'402'300'800, 0}, 0));
    EXPECT_EQ("-0001-12-31T23:59:59Z", iso8601_utc(Timestamp{-62'167'219'201, 0}, 0));
    EXPECT_EQ("+292277026596-12-04T15:30:07.999999999Z", iso8601_utc(Timestamp{most, 999'999'999}, 9));
    EXPECT_EQ("-292277022657-01-27T08:29:52Z", iso8601_utc(Timestamp{least, 0}, 0));
    EXPECT_EQ("+292277026596-12-04 15:30:07.999 UTC", readable_utc(Timestamp{most, 999'999'999}));
}

TEST(TimeFormat, RelativeSecondsForAnyTwoTimes) {
    EXPECT_EQ("1.500000", relative_seconds(Timestamp{11, 500'000'000}, Timestamp{10, 0}, 6));
    EXPECT_EQ("-1.500000", relative_seconds(Timestamp{10, 0}, Timestamp{11, 500'000'000}, 6));
    EXPECT_EQ("0.000000000", relative_seconds(Timestamp{most, 1}, Timestamp{most, 1}, 9));
    EXPECT_EQ("18446744073709551615.999999999", relative_seconds(Timestamp{most, 999'999'999}, Timestamp{least, 0}, 9));
    EXPECT_EQ("-18446744073709551615.999999", relative_seconds(Timestamp{least, 0}, Timestamp{most, 999'999'999}, 6));
    EXPECT_EQ("8784034319.123", relative_seconds(Timestamp{10'413'792'000, 123'456'789}, Timestamp{1'629'757'681, 0}, 3));
}

}  // namespace
}  // namespace trustcap
