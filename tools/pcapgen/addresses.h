#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <string_view>

namespace pcapgen {

using MacAddress = std::array<std::uint8_t, 6>;

class IpAddress {
public:
    // Accepts dotted IPv4 or textual IPv6; throws std::invalid_argument otherwise.
    static IpAddress parse(std::string_view text);

    [[nodiscard]] bool is_ipv6() const { return is_ipv6_; }
    // 4 bytes for IPv4, 16 for IPv6.
    [[nodiscard]] std::span<const std::uint8_t> bytes() const;

private:
    bool is_ipv6_ = false;
    std::array<std::uint8_t, 16> storage_{};
};

}  // namespace pcapgen
