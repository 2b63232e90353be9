#pragma once

#include <compare>
#include <cstdint>

namespace trustcap {

// A capture timestamp, always held in nanoseconds; `precision_digits` of the
// file (6 or 9) decides how many fractional digits are shown.
struct Timestamp {
    std::int64_t seconds = 0;
    std::uint32_t nanoseconds = 0;

    [[nodiscard]] std::int64_t total_nanoseconds() const { return seconds * 1'000'000'000 + nanoseconds; }
    [[nodiscard]] double seconds_since(const Timestamp& earlier) const {
        return static_cast<double>(total_nanoseconds() - earlier.total_nanoseconds()) / 1e9;
    }
    auto operator<=>(const Timestamp&) const = default;
};

}  // namespace trustcap
