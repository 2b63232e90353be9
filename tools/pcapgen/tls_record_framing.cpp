#include "tls_record_framing.h"

#include <cstddef>
#include <stdexcept>

namespace pcapgen {

namespace {

constexpr std::size_t tls_record_header_size = 5;

}  // namespace

std::vector<std::span<const std::uint8_t>> split_tls_records(std::span<const std::uint8_t> bytes)
{
    std::vector<std::span<const std::uint8_t>> records;
    std::size_t offset = 0;
    while (offset < bytes.size()) {
        if (bytes.size() - offset < tls_record_header_size) {
            throw std::invalid_argument("a TLS record header is cut off");
        }
        const std::size_t length =
            (static_cast<std::size_t>(bytes[offset + 3]) << 8) | static_cast<std::size_t>(bytes[offset + 4]);
        if (bytes.size() - offset - tls_record_header_size < length) {
            throw std::invalid_argument("a TLS record is cut off");
        }
        records.push_back(bytes.subspan(offset, tls_record_header_size + length));
        offset += tls_record_header_size + length;
    }
    return records;
}

}  // namespace pcapgen
