#pragma once

#include <cstddef>
#include <filesystem>

namespace pcapgen {

// A SYN flood or a scan: `count` SYNs to 192.0.2.10:443, each from an
// address and port of its own, 10 000 a second, none answered. For
// measuring what trustcap's memory stays within; not part of the test captures.
void write_syn_flood(const std::filesystem::path& file, std::size_t count);

}  // namespace pcapgen
