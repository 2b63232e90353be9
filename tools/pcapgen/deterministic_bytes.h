#pragma once

#include "byte_writer.h"

#include <cstddef>
#include <cstdint>

namespace pcapgen {

// SplitMix64: the same seed gives the same bytes on every platform and compiler.
class DeterministicBytes {
public:
    explicit DeterministicBytes(std::uint64_t seed) : state_(seed) {}

    Bytes next(std::size_t count)
    {
        Bytes bytes;
        bytes.reserve(count);
        while (bytes.size() < count) {
            std::uint64_t word = next_word();
            for (int index = 0; index < 8 && bytes.size() < count; ++index, word >>= 8) {
                bytes.push_back(static_cast<std::uint8_t>(word));
            }
        }
        return bytes;
    }

private:
    std::uint64_t next_word()
    {
        std::uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
        return z ^ (z >> 31);
    }

    std::uint64_t state_;
};

}  // namespace pcapgen
