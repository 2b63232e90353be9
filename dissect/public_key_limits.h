#pragma once

#include <optional>
#include <string>

#include <openssl/types.h>

namespace trustcap {

// Public-key parameters beyond which trustcap does not let OpenSSL use a key
// at all: every signature check with such a key costs a modular
// exponentiation as large as the bytes an attacker chose to send.
namespace public_key_limits {
// Go's crypto/tls refuses larger RSA keys in certificates (CVE-2023-29409),
// a figure chosen after surveying the certificates in use.
inline constexpr int max_rsa_modulus_bits = 8192;
// BoringSSL (Chrome) refuses wider exponents; real ones are 3, 17 and 65537.
inline constexpr int max_rsa_exponent_bits = 33;
// FIPS 186-4 (4.2) allows primes of 1024, 2048 and 3072 bits, with subgroups
// of 160, 224 and 256 bits only.
inline constexpr int max_dsa_modulus_bits = 3072;
}  // namespace public_key_limits

// Why the certificate's public key must not be used (an RSA modulus or
// exponent too large, an even exponent, a DSA key outside FIPS 186-4's
// sizes, an EC key with explicit curve parameters, which RFC 5480 forbids in
// certificates); nullopt when its parameters are ordinary.
std::optional<std::string> refused_public_key(const X509* certificate);

}  // namespace trustcap
