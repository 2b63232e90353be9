#pragma once

#include <cstdint>
#include <span>

namespace pcapgen {

// The 16-bit one's complement sum of RFC 1071, fed in pieces that may have odd lengths.
class InternetChecksum {
public:
    InternetChecksum& add(std::span<const std::uint8_t> data);
    InternetChecksum& add_u16(std::uint16_t value);
    InternetChecksum& add_u32(std::uint32_t value);
    [[nodiscard]] std::uint16_t result() const;

private:
    std::uint32_t sum_ = 0;
    bool has_pending_high_byte_ = false;
    std::uint8_t pending_high_byte_ = 0;
};

std::uint16_t internet_checksum(std::span<const std::uint8_t> data);

}  // namespace pcapgen
