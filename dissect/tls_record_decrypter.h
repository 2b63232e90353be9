#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "capture/byte_reader.h"
#include "dissect/tls_key_log.h"
#include "dissect/tls_record_layer.h"

namespace trustcap {

// A record's content once its protection is removed.
struct DecryptedRecord {
    std::uint8_t content_type = 0;  // TLS 1.3: the inner content type
    std::vector<std::uint8_t> plaintext;
};

// The cipher, hashes and key sizes a cipher suite protects records with,
// read from its IANA name; none for a suite whose records are not decrypted
// (e.g. AES-CCM, 3DES, RC4, NULL).
struct RecordProtection {
    enum class Bulk : std::uint8_t { aes_gcm, chacha20_poly1305, aes_cbc };
    Bulk bulk = Bulk::aes_gcm;
    std::size_t key_bytes = 0;
    std::string prf_digest;  // "SHA256" or "SHA384": HKDF (TLS 1.3) or the PRF (TLS 1.2)
    std::string mac_digest;  // CBC only: "SHA1", "SHA256" or "SHA384"
};
std::optional<RecordProtection> record_protection_of(std::uint16_t cipher_suite);

// HKDF-Expand-Label (RFC 8446 7.1) with an empty context.
std::optional<std::vector<std::uint8_t>> hkdf_expand_label(const std::string& digest, Bytes secret,
                                                           const std::string& label, std::size_t length);

// The TLS 1.2 PRF (RFC 5246 5) of `secret`, `label` and `seed`.
std::optional<std::vector<std::uint8_t>> tls12_prf(const std::string& digest, Bytes secret, const std::string& label,
                                                   Bytes seed, std::size_t length);

// Removes the protection from one direction's records, in order: the
// sequence number counts the records given to decrypt().
class TlsRecordDecrypter {
public:
    // TLS 1.3: keys from one traffic secret (RFC 8446 7.3).
    static std::optional<TlsRecordDecrypter> tls13(std::uint16_t cipher_suite, Bytes traffic_secret);
    // TLS 1.2: the sender's keys from the key block (RFC 5246 6.3).
    static std::optional<TlsRecordDecrypter> tls12(std::uint16_t cipher_suite, Bytes master_secret,
                                                   const TlsRandom& client_random, const TlsRandom& server_random,
                                                   bool client_sends);

    // The record's content, or none when it fails authentication (or its
    // padding, in TLS 1.3 its inner content type, is wrong).
    std::optional<DecryptedRecord> decrypt(const TlsRecordHeader& header, Bytes fragment);

    // TLS 1.3 KeyUpdate (RFC 8446 7.2): the next traffic secret's keys.
    bool update_traffic_secret();

private:
    TlsRecordDecrypter() = default;
    bool set_tls13_keys();
    std::optional<DecryptedRecord> decrypt_aead(const TlsRecordHeader& header, Bytes fragment);
    std::optional<DecryptedRecord> decrypt_cbc(const TlsRecordHeader& header, Bytes fragment);

    RecordProtection protection_;
    bool tls13_ = false;
    std::vector<std::uint8_t> traffic_secret_;
    std::vector<std::uint8_t> key_;
    std::vector<std::uint8_t> iv_;       // TLS 1.3 and ChaCha20: 12 bytes; TLS 1.2 GCM: the 4-byte salt
    std::vector<std::uint8_t> mac_key_;  // CBC
    std::uint64_t sequence_ = 0;
};

}  // namespace trustcap
