#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <optional>

namespace trustcap {

// The connection state's budget unless told otherwise (--max-memory): with it
// trustcap stays under 64 MiB resident on the captures of the benchmark.
inline constexpr std::size_t default_memory_budget_bytes = std::size_t{32} << 20;

// The bytes the connection state may hold in total: the flows in the table
// with their streams and dissectors, and the finished flows kept for the
// report. Each holder charges its own estimate (object sizes and buffer
// capacities, not the allocator's overhead) and lets go of flows once the
// budget is spent: the flow table its least recently active flows, the
// report the finished flows it would otherwise keep.
class MemoryBudget {
public:
    explicit MemoryBudget(std::size_t limit_bytes) : limit_(limit_bytes) {}

    void change(std::size_t before, std::size_t after) {
        used_ = used_ - before + after;
        peak_ = std::max(peak_, used_);
    }
    [[nodiscard]] bool spent() const { return used_ > limit_; }
    [[nodiscard]] bool has_room_for(std::size_t bytes) const { return used_ + bytes <= limit_; }

    // The frame being read, where the budget is said to be reached.
    void set_current_frame(std::uint64_t frame) { current_frame_ = frame; }
    // A holder let flows go to stay within the budget.
    void note_reached() {
        if (!first_reached_frame_) first_reached_frame_ = current_frame_;
    }

    [[nodiscard]] std::size_t limit() const { return limit_; }
    [[nodiscard]] std::size_t used() const { return used_; }
    [[nodiscard]] std::size_t peak() const { return peak_; }
    [[nodiscard]] std::optional<std::uint64_t> first_reached_frame() const { return first_reached_frame_; }

private:
    std::size_t limit_;
    std::size_t used_ = 0;
    std::size_t peak_ = 0;
    std::uint64_t current_frame_ = 0;
    std::optional<std::uint64_t> first_reached_frame_;
};

}  // namespace trustcap
