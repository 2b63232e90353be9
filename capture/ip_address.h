#pragma once

#include <array>
#include <compare>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "capture/byte_reader.h"

namespace trustcap {

class IpAddress {
public:
    enum class Family : std::uint8_t { none, v4, v6 };

    IpAddress() = default;
    static IpAddress v4(Bytes four_bytes);
    static IpAddress v6(Bytes sixteen_bytes);
    static std::optional<IpAddress> parse(std::string_view text);

    [[nodiscard]] Family family() const { return family_; }
    [[nodiscard]] bool is_v4() const { return family_ == Family::v4; }
    [[nodiscard]] std::string to_string() const;
    [[nodiscard]] const std::array<std::uint8_t, 16>& bytes() const { return bytes_; }
    [[nodiscard]] std::size_t hash() const;

    auto operator<=>(const IpAddress&) const = default;

private:
    Family family_ = Family::none;
    std::array<std::uint8_t, 16> bytes_{};
};

struct Endpoint {
    IpAddress ip;
    std::uint16_t port = 0;

    [[nodiscard]] std::string to_string() const;  // 10.0.0.1:443 or [2001:db8::1]:443
    auto operator<=>(const Endpoint&) const = default;
};

}  // namespace trustcap
