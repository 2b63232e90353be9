#include "tls_scenarios.h"

#include "certificate_builder.h"
#include "standard_exchanges.h"
#include "tls_exchanges.h"
#include "tls_scenario_steps.h"

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/param_build.h>

#include <memory>
#include <string>
#include <utility>

namespace pcapgen {

namespace {

constexpr int hostile_modulus_bits = 3072;  // the largest modulus OpenSSL lets carry an exponent this wide
constexpr int hostile_exponent_bits = 3071;
// Copies of the certificate after the leaf: 16 certificates, as many as trustcap reads of a chain, so that the
// same DER reaches the certificate checks 16 times.
constexpr int hostile_chain_copies = 15;

using Bignum = std::unique_ptr<BIGNUM, OpenSslDeleter<BN_free>>;
using BnCtx = std::unique_ptr<BN_CTX, OpenSslDeleter<BN_CTX_free>>;
using ParamBuilder = std::unique_ptr<OSSL_PARAM_BLD, OpenSslDeleter<OSSL_PARAM_BLD_free>>;
using Params = std::unique_ptr<OSSL_PARAM, OpenSslDeleter<OSSL_PARAM_free>>;
using PkeyCtx = std::unique_ptr<EVP_PKEY_CTX, OpenSslDeleter<EVP_PKEY_CTX_free>>;

Bignum key_number(const EVP_PKEY* key, const char* name)
{
    BIGNUM* number = nullptr;
    require_openssl(EVP_PKEY_get_bn_param(key, name, &number), "EVP_PKEY_get_bn_param");
    return Bignum(number);
}

Bignum new_bignum()
{
    return Bignum(require_openssl(BN_new(), "BN_new"));
}

// A working RSA key pair whose public exponent is as wide as its modulus allows: every signature check with it
// is a full-length modular exponentiation instead of the 17 multiplications of e = 65537.
EvpPkeyPtr rsa_key_with_huge_exponent()
{
    const EvpPkeyPtr ordinary(require_openssl(EVP_RSA_gen(hostile_modulus_bits), "EVP_RSA_gen"));
    const Bignum modulus = key_number(ordinary.get(), OSSL_PKEY_PARAM_RSA_N);
    const Bignum p = key_number(ordinary.get(), OSSL_PKEY_PARAM_RSA_FACTOR1);
    const Bignum q = key_number(ordinary.get(), OSSL_PKEY_PARAM_RSA_FACTOR2);
    const Bignum coefficient = key_number(ordinary.get(), OSSL_PKEY_PARAM_RSA_COEFFICIENT1);
    const BnCtx context(require_openssl(BN_CTX_new(), "BN_CTX_new"));

    const Bignum p_minus_1(require_openssl(BN_dup(p.get()), "BN_dup"));
    const Bignum q_minus_1(require_openssl(BN_dup(q.get()), "BN_dup"));
    require_openssl(BN_sub_word(p_minus_1.get(), 1), "BN_sub_word");
    require_openssl(BN_sub_word(q_minus_1.get(), 1), "BN_sub_word");
    const Bignum product = new_bignum();
    const Bignum divisor = new_bignum();
    const Bignum carmichael = new_bignum();
    require_openssl(BN_mul(product.get(), p_minus_1.get(), q_minus_1.get(), context.get()), "BN_mul");
    require_openssl(BN_gcd(divisor.get(), p_minus_1.get(), q_minus_1.get(), context.get()), "BN_gcd");
    require_openssl(BN_div(carmichael.get(), nullptr, product.get(), divisor.get(), context.get()), "BN_div");

    const Bignum exponent = new_bignum();
    const Bignum common = new_bignum();
    do {
        require_openssl(BN_rand(exponent.get(), hostile_exponent_bits, BN_RAND_TOP_ONE, BN_RAND_BOTTOM_ODD),
                        "BN_rand");
        require_openssl(BN_gcd(common.get(), exponent.get(), carmichael.get(), context.get()), "BN_gcd");
    } while (!BN_is_one(common.get()));
    const Bignum private_exponent(
        require_openssl(BN_mod_inverse(nullptr, exponent.get(), carmichael.get(), context.get()), "BN_mod_inverse"));
    const Bignum exponent_p = new_bignum();
    const Bignum exponent_q = new_bignum();
    require_openssl(BN_mod(exponent_p.get(), private_exponent.get(), p_minus_1.get(), context.get()), "BN_mod");
    require_openssl(BN_mod(exponent_q.get(), private_exponent.get(), q_minus_1.get(), context.get()), "BN_mod");

    const ParamBuilder builder(require_openssl(OSSL_PARAM_BLD_new(), "OSSL_PARAM_BLD_new"));
    const std::pair<const char*, const BIGNUM*> numbers[] = {
        {OSSL_PKEY_PARAM_RSA_N, modulus.get()},          {OSSL_PKEY_PARAM_RSA_E, exponent.get()},
        {OSSL_PKEY_PARAM_RSA_D, private_exponent.get()}, {OSSL_PKEY_PARAM_RSA_FACTOR1, p.get()},
        {OSSL_PKEY_PARAM_RSA_FACTOR2, q.get()},          {OSSL_PKEY_PARAM_RSA_EXPONENT1, exponent_p.get()},
        {OSSL_PKEY_PARAM_RSA_EXPONENT2, exponent_q.get()}, {OSSL_PKEY_PARAM_RSA_COEFFICIENT1, coefficient.get()},
    };
    for (const auto& [name, number] : numbers) {
        require_openssl(OSSL_PARAM_BLD_push_BN(builder.get(), name, number), "OSSL_PARAM_BLD_push_BN");
    }
    const Params params(require_openssl(OSSL_PARAM_BLD_to_param(builder.get()), "OSSL_PARAM_BLD_to_param"));
    const PkeyCtx key_context(require_openssl(EVP_PKEY_CTX_new_from_name(nullptr, "RSA", nullptr),
                                              "EVP_PKEY_CTX_new_from_name"));
    require_openssl(EVP_PKEY_fromdata_init(key_context.get()), "EVP_PKEY_fromdata_init");
    EVP_PKEY* key = nullptr;
    require_openssl(EVP_PKEY_fromdata(key_context.get(), &key, EVP_PKEY_KEYPAIR, params.get()), "EVP_PKEY_fromdata");
    return EvpPkeyPtr(key);
}

// smartreceiver.cisco.com as a hostile server presents it: self-signed with the huge-exponent key, followed by
// copies of itself.
TlsIdentity huge_exponent_identity()
{
    TlsIdentity identity;
    identity.key = rsa_key_with_huge_exponent();
    const CertificateProfile profile{{{"O", "Trustcap Lab"}, {"CN", std::string(smartreceiver_host)}},
                                     0x4855474545ULL,
                                     {1704067200, 1735689600},  // 2024-01-01 .. 2025-01-01
                                     {{NID_subject_alt_name, "DNS:smartreceiver.cisco.com"}}};
    identity.certificate = issue_certificate(profile, identity.key.get(), nullptr, identity.key.get());
    for (int copy = 0; copy < hostile_chain_copies; ++copy) identity.chain.push_back(share(identity.certificate));
    return identity;
}

}  // namespace

void write_tls12_huge_rsa_exponent_chain(const std::filesystem::path& file, const LabPki& pki)
{
    DirectLicensingCapture capture(file);
    const TlsIdentity hostile = huge_exponent_identity();
    const SslCtxPtr device = make_client_context({TlsVersion::tls12, &pki.device(), pki.root_ca().get()});
    const SslCtxPtr server = make_server_context({TlsVersion::tls12, &hostile, pki.root_ca().get()});
    InMemoryTls tls(device.get(), server.get(), smartreceiver_host, smartreceiver_host);
    record_tls_handshake(capture.recorder(), tls, gap::local_reaction);
    require_alert_sent(tls, Side::client, trustcap::TlsAlertDescription::unknown_ca);

    TcpConversation& conversation = capture.conversation();
    capture.recorder().record(conversation.fin(Side::client), gap::back_to_back);
    capture.recorder().record(conversation.fin(Side::server), gap::round_trip);
    capture.recorder().record(conversation.ack(Side::client), gap::local_reaction);
}

}  // namespace pcapgen
