#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>
#include <utility>
#include <vector>

namespace pcapgen {

using Bytes = std::vector<std::uint8_t>;

// Appends integers in network byte order.
class ByteWriter {
public:
    ByteWriter& u8(std::uint8_t value)
    {
        bytes_.push_back(value);
        return *this;
    }

    ByteWriter& u16(std::uint16_t value)
    {
        u8(static_cast<std::uint8_t>(value >> 8));
        return u8(static_cast<std::uint8_t>(value));
    }

    ByteWriter& u24(std::uint32_t value)
    {
        u8(static_cast<std::uint8_t>(value >> 16));
        return u16(static_cast<std::uint16_t>(value));
    }

    ByteWriter& u32(std::uint32_t value)
    {
        u16(static_cast<std::uint16_t>(value >> 16));
        return u16(static_cast<std::uint16_t>(value));
    }

    ByteWriter& append(std::span<const std::uint8_t> data)
    {
        bytes_.insert(bytes_.end(), data.begin(), data.end());
        return *this;
    }

    ByteWriter& zeros(std::size_t count)
    {
        bytes_.insert(bytes_.end(), count, 0);
        return *this;
    }

    void overwrite_u16(std::size_t offset, std::uint16_t value)
    {
        bytes_.at(offset) = static_cast<std::uint8_t>(value >> 8);
        bytes_.at(offset + 1) = static_cast<std::uint8_t>(value);
    }

    [[nodiscard]] std::size_t size() const { return bytes_.size(); }
    [[nodiscard]] const Bytes& bytes() const { return bytes_; }
    [[nodiscard]] Bytes take() { return std::move(bytes_); }

private:
    Bytes bytes_;
};

inline Bytes concatenate(std::span<const std::uint8_t> first, std::span<const std::uint8_t> second)
{
    Bytes joined(first.begin(), first.end());
    joined.insert(joined.end(), second.begin(), second.end());
    return joined;
}

inline std::span<const std::uint8_t> text_bytes(std::string_view text)
{
    return {reinterpret_cast<const std::uint8_t*>(text.data()), text.size()};
}

}  // namespace pcapgen
