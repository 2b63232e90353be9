#include "tls13_record_protection.h"

#include "openssl_handles.h"

#include <openssl/core_names.h>
#include <openssl/kdf.h>

#include <string>
#include <string_view>

namespace pcapgen {

namespace {

constexpr std::size_t aes_128_key_length = 16;
constexpr std::size_t gcm_iv_length = 12;
constexpr std::size_t gcm_tag_length = 16;
constexpr std::uint8_t record_type_application_data = 23;
constexpr std::uint16_t record_legacy_version = 0x0303;

using EvpKdfPtr = std::unique_ptr<EVP_KDF, OpenSslDeleter<EVP_KDF_free>>;
using EvpKdfCtxPtr = std::unique_ptr<EVP_KDF_CTX, OpenSslDeleter<EVP_KDF_CTX_free>>;
using EvpCipherCtxPtr = std::unique_ptr<EVP_CIPHER_CTX, OpenSslDeleter<EVP_CIPHER_CTX_free>>;

// HKDF-Expand-Label(secret, label, "", length) with SHA-256 (RFC 8446 section 7.1).
Bytes expand_label(std::span<const std::uint8_t> secret, std::string_view label, std::size_t length)
{
    const std::string full_label = "tls13 " + std::string(label);
    ByteWriter hkdf_label;
    hkdf_label.u16(static_cast<std::uint16_t>(length)).u8(static_cast<std::uint8_t>(full_label.size()));
    hkdf_label.append(std::span(reinterpret_cast<const std::uint8_t*>(full_label.data()), full_label.size()));
    hkdf_label.u8(0);
    Bytes info = hkdf_label.take();

    const EvpKdfPtr kdf(require_openssl(EVP_KDF_fetch(nullptr, "HKDF", nullptr), "EVP_KDF_fetch"));
    const EvpKdfCtxPtr context(require_openssl(EVP_KDF_CTX_new(kdf.get()), "EVP_KDF_CTX_new"));
    int mode = EVP_KDF_HKDF_MODE_EXPAND_ONLY;
    char digest[] = "SHA256";
    const OSSL_PARAM parameters[] = {
        OSSL_PARAM_construct_int(OSSL_KDF_PARAM_MODE, &mode),
        OSSL_PARAM_construct_utf8_string(OSSL_KDF_PARAM_DIGEST, digest, 0),
        OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_KEY, const_cast<std::uint8_t*>(secret.data()),
                                          secret.size()),
        OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_INFO, info.data(), info.size()),
        OSSL_PARAM_construct_end()};
    Bytes output(length);
    require_openssl(EVP_KDF_derive(context.get(), output.data(), output.size(), parameters), "EVP_KDF_derive");
    return output;
}

}  // namespace

Bytes seal_tls13_record(std::span<const std::uint8_t> traffic_secret, std::uint64_t sequence_number,
                        std::uint8_t content_type, std::span<const std::uint8_t> plaintext)
{
    const Bytes key = expand_label(traffic_secret, "key", aes_128_key_length);
    Bytes nonce = expand_label(traffic_secret, "iv", gcm_iv_length);
    for (std::size_t index = 0; index < 8; ++index) {
        nonce[gcm_iv_length - 1 - index] ^= static_cast<std::uint8_t>(sequence_number >> (8 * index));
    }

    Bytes inner(plaintext.begin(), plaintext.end());
    inner.push_back(content_type);
    ByteWriter header;
    header.u8(record_type_application_data)
        .u16(record_legacy_version)
        .u16(static_cast<std::uint16_t>(inner.size() + gcm_tag_length));
    Bytes record = header.take();

    const EvpCipherCtxPtr cipher(require_openssl(EVP_CIPHER_CTX_new(), "EVP_CIPHER_CTX_new"));
    require_openssl(EVP_EncryptInit_ex2(cipher.get(), EVP_aes_128_gcm(), key.data(), nonce.data(), nullptr),
                    "EVP_EncryptInit_ex2");
    int written = 0;
    require_openssl(EVP_EncryptUpdate(cipher.get(), nullptr, &written, record.data(), static_cast<int>(record.size())),
                    "EVP_EncryptUpdate (additional data)");
    Bytes ciphertext(inner.size() + gcm_tag_length);
    require_openssl(
        EVP_EncryptUpdate(cipher.get(), ciphertext.data(), &written, inner.data(), static_cast<int>(inner.size())),
        "EVP_EncryptUpdate");
    int finished = 0;
    require_openssl(EVP_EncryptFinal_ex(cipher.get(), ciphertext.data() + written, &finished), "EVP_EncryptFinal_ex");
    require_openssl(EVP_CIPHER_CTX_ctrl(cipher.get(), EVP_CTRL_AEAD_GET_TAG, static_cast<int>(gcm_tag_length),
                                        ciphertext.data() + inner.size()),
                    "EVP_CTRL_AEAD_GET_TAG");
    record.insert(record.end(), ciphertext.begin(), ciphertext.end());
    return record;
}

}  // namespace pcapgen
