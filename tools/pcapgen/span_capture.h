#pragma once

#include <cstddef>
#include <filesystem>

namespace pcapgen {

// A large capture like one taken on a span port: `connections` TCP
// connections between many hosts (two in five to port 443 of other web
// servers, the rest to other ports), run many at a time and interleaved,
// with the device's licensing connection to smartreceiver every 1000
// connections. For benchmarks; not part of the test captures.
void write_span_capture(const std::filesystem::path& file, std::size_t connections);

}  // namespace pcapgen
