#pragma once

#include <cstdint>
#include <span>
#include <vector>

namespace pcapgen {

// The TLS records in `bytes` (a 5-byte header each, its length field telling where the next starts), in order;
// throws unless `bytes` is whole records. For writing records that a server hands its TCP stack one by one.
std::vector<std::span<const std::uint8_t>> split_tls_records(std::span<const std::uint8_t> bytes);

}  // namespace pcapgen
