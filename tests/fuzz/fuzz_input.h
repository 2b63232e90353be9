#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <span>

namespace trustcap::fuzz {

// Hands out a fuzz input piece by piece: numbers for the harness's choices,
// then byte runs. Reading past the end yields zeros and empty runs, so every
// input, however short, is a valid sequence of choices.
class FuzzInput {
public:
    FuzzInput(const std::uint8_t* data, std::size_t size) : bytes_(data, size) {}

    [[nodiscard]] bool empty() const { return position_ >= bytes_.size(); }
    [[nodiscard]] std::size_t remaining() const { return bytes_.size() - position_; }

    std::uint8_t u8() { return empty() ? 0 : bytes_[position_++]; }
    std::uint16_t u16() { return static_cast<std::uint16_t>((u8() << 8) | u8()); }
    std::uint32_t u32() { return (std::uint32_t{u16()} << 16) | u16(); }
    bool flag() { return (u8() & 1) != 0; }

    std::span<const std::uint8_t> take(std::size_t count) {
        count = std::min(count, remaining());
        auto run = bytes_.subspan(position_, count);
        position_ += count;
        return run;
    }
    std::span<const std::uint8_t> rest() { return take(remaining()); }

private:
    std::span<const std::uint8_t> bytes_;
    std::size_t position_ = 0;
};

}  // namespace trustcap::fuzz
