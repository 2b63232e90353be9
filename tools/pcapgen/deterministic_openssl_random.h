#pragma once

#include <cstdint>
#include <string_view>

namespace pcapgen {

// Makes OpenSSL's random bytes (TLS randoms, ECDHE keys, RSA-PSS salts, session-ticket keys) a function of
// `label`, so that a capture written after this call is the same bytes on every run. The first call must come
// before OpenSSL first needs random bytes; call it again before each capture.
void seed_openssl_random(std::string_view label);

}  // namespace pcapgen
