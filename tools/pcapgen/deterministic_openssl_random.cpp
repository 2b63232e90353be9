#include "deterministic_openssl_random.h"

#include "deterministic_bytes.h"
#include "openssl_handles.h"

#include <openssl/core_names.h>
#include <openssl/rand.h>

namespace pcapgen {

namespace {

// OpenSSL's TEST-RAND hands out the bytes it was given and fails once they run out; a handshake takes a few
// hundred.
constexpr std::size_t random_bytes_per_generator = 64 * 1024;

std::uint64_t fnv1a(std::string_view text)
{
    std::uint64_t hash = 0xcbf29ce484222325ULL;
    for (const char character : text) {
        hash = (hash ^ static_cast<std::uint8_t>(character)) * 0x100000001b3ULL;
    }
    return hash;
}

}  // namespace

void seed_openssl_random(std::string_view label)
{
    static const bool installed = [] {
        require_openssl(RAND_set_DRBG_type(nullptr, "TEST-RAND", nullptr, nullptr, nullptr), "RAND_set_DRBG_type");
        return true;
    }();
    (void)installed;

    DeterministicBytes source(fnv1a(label));
    unsigned int strength = 256;
    for (EVP_RAND_CTX* generator : {RAND_get0_primary(nullptr), RAND_get0_public(nullptr), RAND_get0_private(nullptr)}) {
        require_openssl(generator, "RAND_get0_*");
        Bytes entropy = source.next(random_bytes_per_generator);
        const OSSL_PARAM parameters[] = {
            OSSL_PARAM_construct_octet_string(OSSL_RAND_PARAM_TEST_ENTROPY, entropy.data(), entropy.size()),
            OSSL_PARAM_construct_uint(OSSL_RAND_PARAM_STRENGTH, &strength), OSSL_PARAM_construct_end()};
        require_openssl(EVP_RAND_CTX_set_params(generator, parameters), "EVP_RAND_CTX_set_params");
    }
}

}  // namespace pcapgen
