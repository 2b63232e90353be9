#pragma once

#include <chrono>
#include <cstdint>

namespace pcapgen {

struct Timestamp {
    std::int64_t seconds = 0;
    std::uint32_t nanoseconds = 0;
};

// 2024-03-12T09:15:00Z, where every generated capture starts.
inline constexpr Timestamp capture_start{1710234900, 0};

class CaptureClock {
public:
    explicit CaptureClock(Timestamp start = capture_start) : now_(start) {}

    [[nodiscard]] Timestamp now() const { return now_; }

    Timestamp advance(std::chrono::nanoseconds gap)
    {
        const std::int64_t total = static_cast<std::int64_t>(now_.nanoseconds) + gap.count();
        now_.seconds += total / 1'000'000'000;
        now_.nanoseconds = static_cast<std::uint32_t>(total % 1'000'000'000);
        return now_;
    }

private:
    Timestamp now_;
};

}  // namespace pcapgen
