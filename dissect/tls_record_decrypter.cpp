#include "dissect/tls_record_decrypter.h"

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/kdf.h>

#include <algorithm>
#include <array>
#include <cstring>
#include <memory>

#include "dissect/tls_cipher_suites.h"

namespace trustcap {

namespace {

constexpr std::size_t aead_tag_bytes = 16;
constexpr std::size_t aead_nonce_bytes = 12;
constexpr std::size_t gcm_salt_bytes = 4;
constexpr std::size_t gcm_explicit_nonce_bytes = 8;
constexpr std::size_t cbc_block_bytes = 16;
// RFC 8446 5.2: a TLSCiphertext's length is at most 2^14 + 256.
constexpr std::size_t max_plaintext_bytes = (1U << 14U) + 256;

struct CipherContextFree {
    void operator()(EVP_CIPHER_CTX* context) const { EVP_CIPHER_CTX_free(context); }
};
struct KdfFree {
    void operator()(EVP_KDF* kdf) const { EVP_KDF_free(kdf); }
};
struct KdfContextFree {
    void operator()(EVP_KDF_CTX* context) const { EVP_KDF_CTX_free(context); }
};

std::optional<std::vector<std::uint8_t>> derive(const char* kdf_name, OSSL_PARAM* params, std::size_t length) {
    std::unique_ptr<EVP_KDF, KdfFree> kdf(EVP_KDF_fetch(nullptr, kdf_name, nullptr));
    if (!kdf) return std::nullopt;
    std::unique_ptr<EVP_KDF_CTX, KdfContextFree> context(EVP_KDF_CTX_new(kdf.get()));
    std::vector<std::uint8_t> out(length);
    if (!context || EVP_KDF_derive(context.get(), out.data(), out.size(), params) != 1) return std::nullopt;
    return out;
}

const EVP_CIPHER* cipher_of(const RecordProtection& protection) {
    switch (protection.bulk) {
        case RecordProtection::Bulk::aes_gcm:
            return protection.key_bytes == 16 ? EVP_aes_128_gcm() : EVP_aes_256_gcm();
        case RecordProtection::Bulk::chacha20_poly1305: return EVP_chacha20_poly1305();
        case RecordProtection::Bulk::aes_cbc:
            return protection.key_bytes == 16 ? EVP_aes_128_cbc() : EVP_aes_256_cbc();
    }
    return nullptr;
}

std::size_t digest_bytes(const std::string& digest) {
    if (digest == "SHA1") return 20;
    if (digest == "SHA384") return 48;
    return 32;
}

// seq_num(8) + type(1) + version(2) + length(2): TLS 1.2's additional data and MAC prefix.
std::array<std::uint8_t, 13> tls12_record_prefix(std::uint64_t sequence, const TlsRecordHeader& header,
                                                 std::size_t length) {
    std::array<std::uint8_t, 13> prefix{};
    for (int i = 0; i < 8; ++i) prefix[static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(sequence >> (56 - 8 * i));
    prefix[8] = header.content_type;
    prefix[9] = static_cast<std::uint8_t>(header.version >> 8U);
    prefix[10] = static_cast<std::uint8_t>(header.version & 0xFFU);
    prefix[11] = static_cast<std::uint8_t>(length >> 8U);
    prefix[12] = static_cast<std::uint8_t>(length & 0xFFU);
    return prefix;
}

std::optional<std::vector<std::uint8_t>> aead_open(const EVP_CIPHER* cipher, Bytes key, Bytes nonce, Bytes aad,
                                                   Bytes ciphertext_and_tag) {
    if (ciphertext_and_tag.size() < aead_tag_bytes) return std::nullopt;
    const Bytes ciphertext = ciphertext_and_tag.first(ciphertext_and_tag.size() - aead_tag_bytes);
    const Bytes tag = ciphertext_and_tag.last(aead_tag_bytes);
    std::unique_ptr<EVP_CIPHER_CTX, CipherContextFree> context(EVP_CIPHER_CTX_new());
    if (!context) return std::nullopt;
    std::vector<std::uint8_t> plaintext(ciphertext.size() + cbc_block_bytes);
    int written = 0;
    int final_written = 0;
    const bool opened =
        EVP_DecryptInit_ex(context.get(), cipher, nullptr, nullptr, nullptr) == 1 &&
        EVP_CIPHER_CTX_ctrl(context.get(), EVP_CTRL_AEAD_SET_IVLEN, static_cast<int>(nonce.size()), nullptr) == 1 &&
        EVP_DecryptInit_ex(context.get(), nullptr, nullptr, key.data(), nonce.data()) == 1 &&
        EVP_DecryptUpdate(context.get(), nullptr, &written, aad.data(), static_cast<int>(aad.size())) == 1 &&
        EVP_DecryptUpdate(context.get(), plaintext.data(), &written, ciphertext.data(),
                          static_cast<int>(ciphertext.size())) == 1 &&
        EVP_CIPHER_CTX_ctrl(context.get(), EVP_CTRL_AEAD_SET_TAG, static_cast<int>(tag.size()),
                            const_cast<std::uint8_t*>(tag.data())) == 1 &&
        EVP_DecryptFinal_ex(context.get(), plaintext.data() + written, &final_written) == 1;
    if (!opened) return std::nullopt;
    plaintext.resize(static_cast<std::size_t>(written + final_written));
    return plaintext;
}

}  // namespace

std::optional<RecordProtection> record_protection_of(std::uint16_t cipher_suite) {
    const auto name = iana_cipher_suite_name(cipher_suite);
    if (!name) return std::nullopt;
    std::string_view rest = *name;
    if (auto with = rest.find("_WITH_"); with != std::string_view::npos) {
        rest.remove_prefix(with + 6);
    } else if (rest.starts_with("TLS_")) {
        rest.remove_prefix(4);
    }
    const auto last = rest.rfind('_');
    if (last == std::string_view::npos) return std::nullopt;
    const std::string_view bulk = rest.substr(0, last);
    const std::string hash(rest.substr(last + 1));
    RecordProtection protection;
    if (bulk == "AES_128_GCM" || bulk == "AES_256_GCM") {
        protection.bulk = RecordProtection::Bulk::aes_gcm;
        protection.key_bytes = bulk == "AES_128_GCM" ? 16 : 32;
    } else if (bulk == "CHACHA20_POLY1305") {
        protection.bulk = RecordProtection::Bulk::chacha20_poly1305;
        protection.key_bytes = 32;
    } else if (bulk == "AES_128_CBC" || bulk == "AES_256_CBC") {
        protection.bulk = RecordProtection::Bulk::aes_cbc;
        protection.key_bytes = bulk == "AES_128_CBC" ? 16 : 32;
        if (hash != "SHA" && hash != "SHA256" && hash != "SHA384") return std::nullopt;
        protection.mac_digest = hash == "SHA" ? "SHA1" : hash;
    } else {
        return std::nullopt;
    }
    if (protection.bulk != RecordProtection::Bulk::aes_cbc && hash != "SHA256" && hash != "SHA384") return std::nullopt;
    // RFC 5246 5: SHA-256 unless the suite names a stronger hash.
    protection.prf_digest = hash == "SHA384" ? "SHA384" : "SHA256";
    return protection;
}

std::optional<std::vector<std::uint8_t>> hkdf_expand_label(const std::string& digest, Bytes secret,
                                                           const std::string& label, std::size_t length) {
    std::string full_label("tls13 ");
    full_label.append(label);
    // HkdfLabel (RFC 8446 7.1): length, the label with its length, an empty context.
    std::vector<std::uint8_t> info(3 + full_label.size() + 1, 0);
    info[0] = static_cast<std::uint8_t>(length >> 8U);
    info[1] = static_cast<std::uint8_t>(length & 0xFFU);
    info[2] = static_cast<std::uint8_t>(full_label.size());
    std::memcpy(info.data() + 3, full_label.data(), full_label.size());
    int mode = EVP_KDF_HKDF_MODE_EXPAND_ONLY;
    std::string digest_name = digest;
    std::array<OSSL_PARAM, 5> params = {
        OSSL_PARAM_construct_utf8_string(OSSL_KDF_PARAM_DIGEST, digest_name.data(), 0),
        OSSL_PARAM_construct_int(OSSL_KDF_PARAM_MODE, &mode),
        OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_KEY, const_cast<std::uint8_t*>(secret.data()), secret.size()),
        OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_INFO, info.data(), info.size()),
        OSSL_PARAM_construct_end()};
    return derive("HKDF", params.data(), length);
}

std::optional<std::vector<std::uint8_t>> tls12_prf(const std::string& digest, Bytes secret, const std::string& label,
                                                   Bytes seed, std::size_t length) {
    std::vector<std::uint8_t> full_seed(label.begin(), label.end());
    full_seed.insert(full_seed.end(), seed.begin(), seed.end());
    std::string digest_name = digest;
    std::array<OSSL_PARAM, 4> params = {
        OSSL_PARAM_construct_utf8_string(OSSL_KDF_PARAM_DIGEST, digest_name.data(), 0),
        OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_SECRET, const_cast<std::uint8_t*>(secret.data()),
                                          secret.size()),
        OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_SEED, full_seed.data(), full_seed.size()),
        OSSL_PARAM_construct_end()};
    return derive("TLS1-PRF", params.data(), length);
}

std::optional<TlsRecordDecrypter> TlsRecordDecrypter::tls13(std::uint16_t cipher_suite, Bytes traffic_secret) {
    auto protection = record_protection_of(cipher_suite);
    if (!protection || protection->bulk == RecordProtection::Bulk::aes_cbc || traffic_secret.empty())
        return std::nullopt;
    TlsRecordDecrypter decrypter;
    decrypter.protection_ = *protection;
    decrypter.tls13_ = true;
    decrypter.traffic_secret_.assign(traffic_secret.begin(), traffic_secret.end());
    if (!decrypter.set_tls13_keys()) return std::nullopt;
    return decrypter;
}

bool TlsRecordDecrypter::set_tls13_keys() {
    auto key = hkdf_expand_label(protection_.prf_digest, traffic_secret_, "key", protection_.key_bytes);
    auto iv = hkdf_expand_label(protection_.prf_digest, traffic_secret_, "iv", aead_nonce_bytes);
    if (!key || !iv) return false;
    key_ = std::move(*key);
    iv_ = std::move(*iv);
    sequence_ = 0;
    return true;
}

bool TlsRecordDecrypter::update_traffic_secret() {
    if (!tls13_) return false;
    auto next = hkdf_expand_label(protection_.prf_digest, traffic_secret_, "traffic upd",
                                  digest_bytes(protection_.prf_digest));
    if (!next) return false;
    traffic_secret_ = std::move(*next);
    return set_tls13_keys();
}

std::optional<TlsRecordDecrypter> TlsRecordDecrypter::tls12(std::uint16_t cipher_suite, Bytes master_secret,
                                                            const TlsRandom& client_random,
                                                            const TlsRandom& server_random, bool client_sends) {
    auto protection = record_protection_of(cipher_suite);
    if (!protection || master_secret.empty()) return std::nullopt;
    const std::size_t mac_bytes =
        protection->bulk == RecordProtection::Bulk::aes_cbc ? digest_bytes(protection->mac_digest) : 0;
    const std::size_t iv_bytes = protection->bulk == RecordProtection::Bulk::aes_gcm ? gcm_salt_bytes
                                 : protection->bulk == RecordProtection::Bulk::chacha20_poly1305 ? aead_nonce_bytes
                                                                                                : cbc_block_bytes;
    std::vector<std::uint8_t> seed(server_random.begin(), server_random.end());
    seed.insert(seed.end(), client_random.begin(), client_random.end());
    const std::size_t block_bytes = 2 * (mac_bytes + protection->key_bytes + iv_bytes);
    auto block = tls12_prf(protection->prf_digest, master_secret, "key expansion", seed, block_bytes);
    if (!block) return std::nullopt;
    // client MAC, server MAC, client key, server key, client IV, server IV
    auto piece = [&](std::size_t offset, std::size_t length) {
        return std::vector<std::uint8_t>(block->begin() + static_cast<std::ptrdiff_t>(offset),
                                         block->begin() + static_cast<std::ptrdiff_t>(offset + length));
    };
    const std::size_t side = client_sends ? 0 : 1;
    TlsRecordDecrypter decrypter;
    decrypter.protection_ = *protection;
    decrypter.mac_key_ = piece(side * mac_bytes, mac_bytes);
    decrypter.key_ = piece(2 * mac_bytes + side * protection->key_bytes, protection->key_bytes);
    decrypter.iv_ = piece(2 * (mac_bytes + protection->key_bytes) + side * iv_bytes, iv_bytes);
    return decrypter;
}

std::optional<DecryptedRecord> TlsRecordDecrypter::decrypt(const TlsRecordHeader& header, Bytes fragment) {
    auto record = protection_.bulk == RecordProtection::Bulk::aes_cbc ? decrypt_cbc(header, fragment)
                                                                       : decrypt_aead(header, fragment);
    if (record) ++sequence_;
    return record;
}

std::optional<DecryptedRecord> TlsRecordDecrypter::decrypt_aead(const TlsRecordHeader& header, Bytes fragment) {
    std::array<std::uint8_t, aead_nonce_bytes> nonce{};
    Bytes sealed = fragment;
    const bool explicit_nonce = !tls13_ && protection_.bulk == RecordProtection::Bulk::aes_gcm;
    if (explicit_nonce) {
        // RFC 5288 3: the salt, then the 8-byte nonce the record carries.
        if (fragment.size() < gcm_explicit_nonce_bytes + aead_tag_bytes) return std::nullopt;
        std::copy(iv_.begin(), iv_.end(), nonce.begin());
        std::copy_n(fragment.begin(), gcm_explicit_nonce_bytes, nonce.begin() + gcm_salt_bytes);
        sealed = fragment.subspan(gcm_explicit_nonce_bytes);
    } else {
        // RFC 8446 5.3 and RFC 7905 2: the IV XOR the padded sequence number.
        std::copy(iv_.begin(), iv_.end(), nonce.begin());
        for (std::size_t i = 0; i < 8; ++i)
            nonce[aead_nonce_bytes - 1 - i] ^= static_cast<std::uint8_t>(sequence_ >> (8 * i));
    }
    if (sealed.size() < aead_tag_bytes || sealed.size() > max_plaintext_bytes + aead_tag_bytes) return std::nullopt;
    std::vector<std::uint8_t> aad;
    if (tls13_) {
        // RFC 8446 5.2: the record header as it came.
        aad = {header.content_type, static_cast<std::uint8_t>(header.version >> 8U),
               static_cast<std::uint8_t>(header.version & 0xFFU), static_cast<std::uint8_t>(header.length >> 8U),
               static_cast<std::uint8_t>(header.length & 0xFFU)};
    } else {
        const auto prefix = tls12_record_prefix(sequence_, header, sealed.size() - aead_tag_bytes);
        aad.assign(prefix.begin(), prefix.end());
    }
    auto plaintext = aead_open(cipher_of(protection_), key_, nonce, aad, sealed);
    if (!plaintext) return std::nullopt;
    DecryptedRecord record;
    if (!tls13_) {
        record.content_type = header.content_type;
        record.plaintext = std::move(*plaintext);
        return record;
    }
    // RFC 8446 5.2: the content, its type, then zero padding.
    auto type = std::find_if(plaintext->rbegin(), plaintext->rend(), [](std::uint8_t byte) { return byte != 0; });
    if (type == plaintext->rend()) return std::nullopt;
    record.content_type = *type;
    plaintext->resize(static_cast<std::size_t>(plaintext->rend() - type) - 1);
    record.plaintext = std::move(*plaintext);
    return record;
}

// TLS 1.1+ CBC: an explicit IV, then MAC-then-encrypt (RFC 5246 6.2.3.2) or,
// when the hellos agreed on it, encrypt-then-MAC (RFC 7366). Which was used
// is told by which MAC verifies.
std::optional<DecryptedRecord> TlsRecordDecrypter::decrypt_cbc(const TlsRecordHeader& header, Bytes fragment) {
    const std::size_t mac_bytes = mac_key_.size();
    const EVP_MD* digest = EVP_get_digestbyname(protection_.mac_digest.c_str());
    if (!digest || fragment.size() > max_plaintext_bytes + 2 * cbc_block_bytes + mac_bytes) return std::nullopt;
    auto mac_of = [&](Bytes content) {
        const auto prefix = tls12_record_prefix(sequence_, header, content.size());
        std::vector<std::uint8_t> input(prefix.begin(), prefix.end());
        input.insert(input.end(), content.begin(), content.end());
        std::array<std::uint8_t, EVP_MAX_MD_SIZE> mac{};
        unsigned int mac_length = 0;
        HMAC(digest, mac_key_.data(), static_cast<int>(mac_key_.size()), input.data(), input.size(), mac.data(),
             &mac_length);
        return std::vector<std::uint8_t>(mac.begin(), mac.begin() + mac_length);
    };
    auto cbc_decrypt = [&](Bytes iv_and_blocks) -> std::optional<std::vector<std::uint8_t>> {
        if (iv_and_blocks.size() < 2 * cbc_block_bytes || iv_and_blocks.size() % cbc_block_bytes != 0)
            return std::nullopt;
        std::unique_ptr<EVP_CIPHER_CTX, CipherContextFree> context(EVP_CIPHER_CTX_new());
        std::vector<std::uint8_t> plain(iv_and_blocks.size());
        int written = 0;
        if (!context ||
            EVP_DecryptInit_ex(context.get(), cipher_of(protection_), nullptr, key_.data(), iv_and_blocks.data()) != 1 ||
            EVP_CIPHER_CTX_set_padding(context.get(), 0) != 1 ||
            EVP_DecryptUpdate(context.get(), plain.data(), &written, iv_and_blocks.data() + cbc_block_bytes,
                              static_cast<int>(iv_and_blocks.size() - cbc_block_bytes)) != 1)
            return std::nullopt;
        plain.resize(static_cast<std::size_t>(written));
        const std::size_t padding = plain.back() + 1U;
        if (padding > plain.size()) return std::nullopt;
        if (!std::all_of(plain.end() - static_cast<std::ptrdiff_t>(padding), plain.end(),
                         [&](std::uint8_t byte) { return byte == plain.back(); }))
            return std::nullopt;
        plain.resize(plain.size() - padding);
        return plain;
    };
    auto matches = [](const std::vector<std::uint8_t>& expected, Bytes got) {
        return expected.size() == got.size() && CRYPTO_memcmp(expected.data(), got.data(), got.size()) == 0;
    };
    DecryptedRecord record;
    record.content_type = header.content_type;
    if (fragment.size() > mac_bytes) {
        const Bytes sealed = fragment.first(fragment.size() - mac_bytes);
        if (matches(mac_of(sealed), fragment.last(mac_bytes))) {
            auto plain = cbc_decrypt(sealed);
            if (!plain) return std::nullopt;
            record.plaintext = std::move(*plain);
            return record;
        }
    }
    auto plain = cbc_decrypt(fragment);
    if (!plain || plain->size() < mac_bytes) return std::nullopt;
    const Bytes content(plain->data(), plain->size() - mac_bytes);
    if (!matches(mac_of(content), Bytes(plain->data() + content.size(), mac_bytes))) return std::nullopt;
    plain->resize(content.size());
    record.plaintext = std::move(*plain);
    return record;
}

}  // namespace trustcap
