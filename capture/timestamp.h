#pragma once

#include <compare>
#include <cstdint>
#include <limits>

namespace trustcap {

// The exact distance between two timestamps: any two of them, even
// INT64_MIN and INT64_MAX seconds apart, fit.
struct TimeSpan {
    bool negative = false;  // the later time comes first
    std::uint64_t seconds = 0;
    std::uint32_t nanoseconds = 0;  // below one second
};

// A capture timestamp, always held in nanoseconds; `precision_digits` of the
// file (6 or 9) decides how many fractional digits are shown. Any seconds
// value a pcap or pcapng file can hold fits; `nanoseconds` stays below one
// second, so that the order of timestamps is the order of their members.
struct Timestamp {
    static constexpr std::int64_t nanoseconds_per_second = 1'000'000'000;

    std::int64_t seconds = 0;
    std::uint32_t nanoseconds = 0;

    // A time given as seconds and a fraction of any size or sign (a pcap
    // record's microsecond field may hold more than a second): the whole
    // seconds of the fraction are carried into `seconds`, as Wireshark's time
    // arithmetic does. Beyond the range of `seconds` the result is the first
    // or last representable time.
    [[nodiscard]] static constexpr Timestamp from_parts(std::int64_t seconds, std::int64_t fraction_nanoseconds) {
        std::int64_t carried = fraction_nanoseconds / nanoseconds_per_second;
        std::int64_t remainder = fraction_nanoseconds % nanoseconds_per_second;
        if (remainder < 0) {
            remainder += nanoseconds_per_second;
            --carried;
        }
        std::int64_t whole = 0;
        if (__builtin_add_overflow(seconds, carried, &whole))
            return carried > 0 ? Timestamp{std::numeric_limits<std::int64_t>::max(), nanoseconds_per_second - 1}
                               : Timestamp{std::numeric_limits<std::int64_t>::min(), 0};
        return Timestamp{whole, static_cast<std::uint32_t>(remainder)};
    }

    // Seconds from `earlier` to this time; negative when `earlier` is in fact
    // later (time went backwards in the file). Never overflows.
    [[nodiscard]] constexpr double seconds_since(const Timestamp& earlier) const;

    auto operator<=>(const Timestamp&) const = default;
};

// From `from` to `to`, exactly.
[[nodiscard]] constexpr TimeSpan span_between(const Timestamp& from, const Timestamp& to) {
    const bool negative = to < from;
    const Timestamp& later = negative ? from : to;
    const Timestamp& earlier = negative ? to : from;
    // The true difference lies in [0, 2^64): unsigned wrap-around gives it exactly.
    std::uint64_t seconds = static_cast<std::uint64_t>(later.seconds) - static_cast<std::uint64_t>(earlier.seconds);
    std::uint32_t nanoseconds = later.nanoseconds;
    if (nanoseconds < earlier.nanoseconds) {
        --seconds;
        nanoseconds += static_cast<std::uint32_t>(Timestamp::nanoseconds_per_second);
    }
    return TimeSpan{negative, seconds, nanoseconds - earlier.nanoseconds};
}

constexpr double Timestamp::seconds_since(const Timestamp& earlier) const {
    const TimeSpan span = span_between(earlier, *this);
    const double magnitude =
        static_cast<double>(span.seconds) + static_cast<double>(span.nanoseconds) / nanoseconds_per_second;
    return span.negative ? -magnitude : magnitude;
}

// The time that passed from `from` to `to`, never negative: when the file's
// clock steps back between the two, no time has passed. For durations and
// for "how long was an answer awaited".
[[nodiscard]] constexpr double elapsed_seconds(const Timestamp& from, const Timestamp& to) {
    return to < from ? 0.0 : to.seconds_since(from);
}

}  // namespace trustcap
