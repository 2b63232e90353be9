#pragma once

#include "byte_writer.h"

#include <cstdint>
#include <span>

namespace pcapgen {

inline constexpr std::uint8_t tls_content_type_alert = 21;

// A TLS 1.3 record protected with TLS_AES_128_GCM_SHA256 (RFC 8446 section 5.2): `plaintext` of `content_type`,
// sealed with the key and IV derived from `traffic_secret` as the `sequence_number`th record under that secret;
// on the wire as opaque type 23 (application_data), legacy version 0x0303, no padding.
Bytes seal_tls13_record(std::span<const std::uint8_t> traffic_secret, std::uint64_t sequence_number,
                        std::uint8_t content_type, std::span<const std::uint8_t> plaintext);

}  // namespace pcapgen
