#include "dissect/public_key_limits.h"

#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/obj_mac.h>
#include <openssl/objects.h>
#include <openssl/x509.h>

#include <memory>

namespace trustcap {
namespace {

struct FreeBignum {
    void operator()(BIGNUM* number) const noexcept { BN_free(number); }
};
using Bignum = std::unique_ptr<BIGNUM, FreeBignum>;

Bignum key_number(const EVP_PKEY* key, const char* name) {
    BIGNUM* number = nullptr;
    if (EVP_PKEY_get_bn_param(key, name, &number) != 1) {
        ERR_clear_error();
        return nullptr;
    }
    return Bignum(number);
}

std::string bits_text(int bits) { return std::to_string(bits) + " bits"; }

std::optional<std::string> refused_rsa_key(const EVP_PKEY* key) {
    using namespace public_key_limits;
    const Bignum modulus = key_number(key, OSSL_PKEY_PARAM_RSA_N);
    const Bignum exponent = key_number(key, OSSL_PKEY_PARAM_RSA_E);
    if (!modulus || !exponent) return "its RSA modulus or exponent could not be read";
    if (BN_num_bits(modulus.get()) > max_rsa_modulus_bits)
        return "its RSA modulus has " + bits_text(BN_num_bits(modulus.get())) + ", more than " +
               bits_text(max_rsa_modulus_bits);
    if (BN_num_bits(exponent.get()) > max_rsa_exponent_bits)
        return "its RSA public exponent has " + bits_text(BN_num_bits(exponent.get())) + ", more than " +
               bits_text(max_rsa_exponent_bits) + " (real exponents are 3, 17 or 65537)";
    if (!BN_is_odd(exponent.get()) || BN_is_one(exponent.get()))
        return "its RSA public exponent is " + std::string(BN_is_zero(exponent.get()) ? "zero" :
                                                           BN_is_one(exponent.get()) ? "one" : "even");
    return std::nullopt;
}

std::optional<std::string> refused_dsa_key(const EVP_PKEY* key) {
    using namespace public_key_limits;
    const Bignum prime = key_number(key, OSSL_PKEY_PARAM_FFC_P);
    const Bignum subgroup = key_number(key, OSSL_PKEY_PARAM_FFC_Q);
    if (!prime || !subgroup) return "its DSA parameters could not be read";
    if (BN_num_bits(prime.get()) > max_dsa_modulus_bits)
        return "its DSA prime has " + bits_text(BN_num_bits(prime.get())) + ", more than " +
               bits_text(max_dsa_modulus_bits);
    const int subgroup_bits = BN_num_bits(subgroup.get());
    if (subgroup_bits != 160 && subgroup_bits != 224 && subgroup_bits != 256)
        return "its DSA subgroup has " + bits_text(subgroup_bits) + ", not 160, 224 or 256";
    return std::nullopt;
}

// An EC key's AlgorithmIdentifier names its curve by OID; a SEQUENCE there
// spells the curve out instead (explicit parameters).
bool has_explicit_curve(const X509* certificate) {
    const ASN1_OBJECT* algorithm = nullptr;
    X509_ALGOR* parameters = nullptr;
    if (X509_PUBKEY_get0_param(nullptr, nullptr, nullptr, &parameters, X509_get_X509_PUBKEY(certificate)) != 1 ||
        parameters == nullptr)
        return false;
    int parameter_type = 0;
    const void* value = nullptr;
    X509_ALGOR_get0(&algorithm, &parameter_type, &value, parameters);
    return OBJ_obj2nid(algorithm) == NID_X9_62_id_ecPublicKey && parameter_type == V_ASN1_SEQUENCE;
}

}  // namespace

std::optional<std::string> refused_public_key(const X509* certificate) {
    if (has_explicit_curve(certificate))
        return "its EC key spells out its curve's parameters instead of naming a standard curve";
    const EVP_PKEY* key = X509_get0_pubkey(certificate);
    ERR_clear_error();
    if (key == nullptr) return std::nullopt;  // undecodable keys are never used for a signature check
    switch (EVP_PKEY_get_base_id(key)) {
        case EVP_PKEY_RSA:
        case EVP_PKEY_RSA_PSS: return refused_rsa_key(key);
        case EVP_PKEY_DSA: return refused_dsa_key(key);
        default: return std::nullopt;
    }
}

}  // namespace trustcap
