#pragma once

#include <cstdint>

namespace trustcap {

// RFC 8701: 0x0A0A, 0x1A1A, ... 0xFAFA, reserved so that peers learn to
// ignore values they do not know (cipher suites, versions, extensions).
constexpr bool is_grease(std::uint16_t value) {
    return (value & 0x0F0FU) == 0x0A0AU && (value >> 12U) == ((value >> 4U) & 0x0FU);
}

}  // namespace trustcap
