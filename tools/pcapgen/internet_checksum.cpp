#include "internet_checksum.h"

namespace pcapgen {

InternetChecksum& InternetChecksum::add(std::span<const std::uint8_t> data)
{
    for (std::uint8_t byte : data) {
        if (has_pending_high_byte_) {
            sum_ += static_cast<std::uint32_t>(pending_high_byte_) << 8 | byte;
            sum_ = (sum_ & 0xffff) + (sum_ >> 16);
        } else {
            pending_high_byte_ = byte;
        }
        has_pending_high_byte_ = !has_pending_high_byte_;
    }
    return *this;
}

InternetChecksum& InternetChecksum::add_u16(std::uint16_t value)
{
    const std::uint8_t bytes[] = {static_cast<std::uint8_t>(value >> 8), static_cast<std::uint8_t>(value)};
    return add(bytes);
}

InternetChecksum& InternetChecksum::add_u32(std::uint32_t value)
{
    add_u16(static_cast<std::uint16_t>(value >> 16));
    return add_u16(static_cast<std::uint16_t>(value));
}

std::uint16_t InternetChecksum::result() const
{
    std::uint32_t sum = sum_;
    if (has_pending_high_byte_) {
        sum += static_cast<std::uint32_t>(pending_high_byte_) << 8;
    }
    while (sum >> 16) {
        sum = (sum & 0xffff) + (sum >> 16);
    }
    return static_cast<std::uint16_t>(~sum);
}

std::uint16_t internet_checksum(std::span<const std::uint8_t> data)
{
    return InternetChecksum{}.add(data).result();
}

}  // namespace pcapgen
