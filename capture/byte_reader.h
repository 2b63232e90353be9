#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>

namespace trustcap {

using Bytes = std::span<const std::uint8_t>;

// The one place where untrusted bytes are read. Every read is bounds-checked:
// a read past the end returns std::nullopt (or false) and leaves the reader
// positioned at its end, so a parser can never walk outside its span.
class ByteReader {
public:
    explicit ByteReader(Bytes bytes) : bytes_(bytes) {}

    [[nodiscard]] std::size_t remaining() const { return bytes_.size() - position_; }
    [[nodiscard]] std::size_t position() const { return position_; }
    [[nodiscard]] bool empty() const { return remaining() == 0; }
    [[nodiscard]] Bytes rest() const { return bytes_.subspan(position_); }

    std::optional<std::uint8_t> u8() {
        if (remaining() < 1) return fail();
        return bytes_[position_++];
    }
    std::optional<std::uint16_t> u16be() {
        if (remaining() < 2) return fail();
        std::uint16_t value = static_cast<std::uint16_t>((bytes_[position_] << 8) | bytes_[position_ + 1]);
        position_ += 2;
        return value;
    }
    std::optional<std::uint32_t> u24be() {
        if (remaining() < 3) return fail();
        std::uint32_t value = (std::uint32_t{bytes_[position_]} << 16) | (std::uint32_t{bytes_[position_ + 1]} << 8) |
                              bytes_[position_ + 2];
        position_ += 3;
        return value;
    }
    std::optional<std::uint32_t> u32be() {
        if (remaining() < 4) return fail();
        std::uint32_t value = (std::uint32_t{bytes_[position_]} << 24) | (std::uint32_t{bytes_[position_ + 1]} << 16) |
                              (std::uint32_t{bytes_[position_ + 2]} << 8) | bytes_[position_ + 3];
        position_ += 4;
        return value;
    }
    std::optional<std::uint32_t> u32le() {
        if (remaining() < 4) return fail();
        std::uint32_t value = (std::uint32_t{bytes_[position_ + 3]} << 24) | (std::uint32_t{bytes_[position_ + 2]} << 16) |
                              (std::uint32_t{bytes_[position_ + 1]} << 8) | bytes_[position_];
        position_ += 4;
        return value;
    }
    std::optional<Bytes> take(std::size_t count) {
        if (remaining() < count) return fail();
        Bytes taken = bytes_.subspan(position_, count);
        position_ += count;
        return taken;
    }
    bool skip(std::size_t count) {
        if (remaining() < count) {
            fail();
            return false;
        }
        position_ += count;
        return true;
    }
    // Looks at a byte ahead without consuming it.
    [[nodiscard]] std::optional<std::uint8_t> peek(std::size_t offset = 0) const {
        if (remaining() <= offset) return std::nullopt;
        return bytes_[position_ + offset];
    }

private:
    std::nullopt_t fail() {
        position_ = bytes_.size();
        return std::nullopt;
    }

    Bytes bytes_;
    std::size_t position_ = 0;
};

}  // namespace trustcap
