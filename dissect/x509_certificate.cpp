#include "dissect/x509_certificate.h"

#include <openssl/evp.h>
#include <openssl/obj_mac.h>
#include <openssl/objects.h>

#include <array>
#include <cstdio>
#include <ctime>
#include <string_view>

#include "capture/ip_address.h"
#include "dissect/openssl_x509.h"
#include "dissect/public_key_limits.h"

namespace trustcap {
namespace {

using namespace openssl;

void append_escaped_byte(std::string& out, unsigned char byte) {
    char escaped[5];
    std::snprintf(escaped, sizeof escaped, "\\x%02X", byte);
    out += escaped;
}

// Length of the well-formed UTF-8 sequence (RFC 3629) starting at `at`; 0 if there is none.
std::size_t utf8_sequence_length(std::string_view text, std::size_t at) {
    const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(text[at + i]); };
    const unsigned char lead = byte(0);
    std::size_t length = 0;
    unsigned char second_low = 0x80;
    unsigned char second_high = 0xBF;
    if (lead < 0x80) return 1;
    if (lead >= 0xC2 && lead <= 0xDF) {
        length = 2;
    } else if (lead >= 0xE0 && lead <= 0xEF) {
        length = 3;
        if (lead == 0xE0) second_low = 0xA0;   // overlong
        if (lead == 0xED) second_high = 0x9F;  // surrogates
    } else if (lead >= 0xF0 && lead <= 0xF4) {
        length = 4;
        if (lead == 0xF0) second_low = 0x90;   // overlong
        if (lead == 0xF4) second_high = 0x8F;  // beyond U+10FFFF
    } else {
        return 0;
    }
    if (text.size() - at < length) return 0;
    if (byte(1) < second_low || byte(1) > second_high) return 0;
    for (std::size_t i = 2; i < length; ++i) {
        if (byte(i) < 0x80 || byte(i) > 0xBF) return 0;
    }
    return length;
}

// Certificate text comes from the network and ends up on terminals and in
// JSON: keep valid UTF-8, escape control characters (C0, DEL, C1) and
// anything that is not UTF-8 as \xNN.
std::string safe_text(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (std::size_t at = 0; at < text.size();) {
        const std::size_t length = utf8_sequence_length(text, at);
        const auto lead = static_cast<unsigned char>(text[at]);
        const bool c0_control = length == 1 && (lead < 0x20 || lead == 0x7F);
        const bool c1_control = length == 2 && lead == 0xC2 && static_cast<unsigned char>(text[at + 1]) < 0xA0;
        if (length == 0 || c0_control || c1_control) {
            const std::size_t escaped = c1_control ? 2 : 1;
            for (std::size_t i = 0; i < escaped; ++i) append_escaped_byte(out, static_cast<unsigned char>(text[at + i]));
            at += escaped;
            continue;
        }
        out.append(text.substr(at, length));
        at += length;
    }
    return out;
}

std::string_view string_bytes(const ASN1_STRING* string) {
    if (string == nullptr) return {};
    return {reinterpret_cast<const char*>(ASN1_STRING_get0_data(string)),
            static_cast<std::size_t>(ASN1_STRING_length(string))};
}

std::string object_name(const ASN1_OBJECT* object) {
    if (object == nullptr) return {};
    std::array<char, 128> buffer{};
    if (OBJ_obj2txt(buffer.data(), static_cast<int>(buffer.size()), object, 0) <= 0) return {};
    return buffer.data();
}

std::string name_line(const X509_NAME* name) {
    // XN_FLAG_RFC2253 prints the most specific RDN first, as Wireshark does. Its
    // own escaping of non-ASCII and control bytes is left to safe_text, so UTF-8
    // names stay readable; without UTF-8 conversion when a string is not valid in its type.
    constexpr unsigned long own_escapes = ASN1_STRFLGS_ESC_MSB | ASN1_STRFLGS_ESC_CTRL;
    constexpr std::array<unsigned long, 2> attempts{XN_FLAG_RFC2253 & ~own_escapes,
                                                    XN_FLAG_RFC2253 & ~own_escapes & ~ASN1_STRFLGS_UTF8_CONVERT};
    for (const unsigned long flags : attempts) {
        BioPtr bio(BIO_new(BIO_s_mem()));
        if (!bio) break;
        if (X509_NAME_print_ex(bio.get(), name, 0, flags) < 0) continue;
        char* data = nullptr;
        const long length = BIO_get_mem_data(bio.get(), &data);
        ERR_clear_error();
        return safe_text(std::string_view(data, length > 0 ? static_cast<std::size_t>(length) : 0));
    }
    ERR_clear_error();
    return {};
}

// The last commonName is the most specific one (the one OpenSSL's host check uses).
std::string common_name(const X509_NAME* name) {
    int last = -1;
    for (int index = -1; (index = X509_NAME_get_index_by_NID(name, NID_commonName, index)) >= 0;) last = index;
    if (last < 0) return {};
    const ASN1_STRING* value = X509_NAME_ENTRY_get_data(X509_NAME_get_entry(name, last));
    unsigned char* utf8 = nullptr;
    const int length = ASN1_STRING_to_UTF8(&utf8, value);
    if (length < 0) {
        ERR_clear_error();
        return safe_text(string_bytes(value));
    }
    const OpenSslBytes owned(utf8);
    return safe_text(std::string_view(reinterpret_cast<const char*>(utf8), static_cast<std::size_t>(length)));
}

std::string ip_address_text(const ASN1_OCTET_STRING* address) {
    const std::string_view bytes = string_bytes(address);
    const Bytes raw(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size());
    if (raw.size() == 4) return IpAddress::v4(raw).to_string();
    if (raw.size() == 16) return IpAddress::v6(raw).to_string();
    return "<invalid: " + std::to_string(raw.size()) + " bytes>";
}

void read_subject_alt_names(const X509* certificate, CertificateSummary& summary) {
    int critical = -1;
    const GeneralNamesPtr names(
        static_cast<GENERAL_NAMES*>(X509_get_ext_d2i(certificate, NID_subject_alt_name, &critical, nullptr)));
    if (!names) {
        ERR_clear_error();
        if (critical == -2) summary.anomalies.push_back("more than one subjectAltName extension");
        if (critical >= 0) summary.anomalies.push_back("the subjectAltName extension could not be decoded");
        return;
    }
    for (int i = 0; i < sk_GENERAL_NAME_num(names.get()); ++i) {
        int type = 0;
        const void* value = GENERAL_NAME_get0_value(sk_GENERAL_NAME_value(names.get(), i), &type);
        const auto* string = static_cast<const ASN1_STRING*>(value);
        switch (type) {
            case GEN_DNS: summary.subject_alt_names.push_back("DNS:" + safe_text(string_bytes(string))); break;
            case GEN_IPADD: summary.subject_alt_names.push_back("IP:" + ip_address_text(string)); break;
            case GEN_EMAIL: summary.subject_alt_names.push_back("email:" + safe_text(string_bytes(string))); break;
            case GEN_URI: summary.subject_alt_names.push_back("URI:" + safe_text(string_bytes(string))); break;
            default: break;
        }
    }
}

std::string serial_hex(const X509* certificate) {
    const BignumPtr serial(ASN1_INTEGER_to_BN(X509_get0_serialNumber(certificate), nullptr));
    if (!serial) return {};
    const OpenSslString hex(BN_bn2hex(serial.get()));
    return hex ? std::string(hex.get()) : std::string();
}

std::optional<std::int64_t> epoch_seconds(const ASN1_TIME* time) {
    std::tm broken_down{};
    if (time == nullptr || ASN1_TIME_to_tm(time, &broken_down) != 1) return std::nullopt;
    return static_cast<std::int64_t>(timegm(&broken_down));
}

void read_validity(const X509* certificate, CertificateSummary& summary) {
    if (const auto not_before = epoch_seconds(X509_get0_notBefore(certificate))) {
        summary.not_before = *not_before;
    } else {
        summary.anomalies.push_back("the notBefore time could not be read");
    }
    if (const auto not_after = epoch_seconds(X509_get0_notAfter(certificate))) {
        summary.not_after = *not_after;
    } else {
        summary.anomalies.push_back("the notAfter time could not be read");
    }
    ERR_clear_error();
}

std::string key_type_name(const EVP_PKEY* key) {
    switch (EVP_PKEY_get_base_id(key)) {
        case EVP_PKEY_RSA: return "RSA";
        case EVP_PKEY_RSA_PSS: return "RSA-PSS";
        case EVP_PKEY_EC: return "EC";
        case EVP_PKEY_DSA: return "DSA";
        case EVP_PKEY_ED25519: return "Ed25519";
        case EVP_PKEY_ED448: return "Ed448";
        default: break;
    }
    const char* name = EVP_PKEY_get0_type_name(key);
    return name != nullptr ? name : "unknown";
}

void read_public_key(const X509* certificate, CertificateSummary& summary) {
    if (const EVP_PKEY* key = X509_get0_pubkey(certificate)) {
        summary.key_type = key_type_name(key);
        summary.key_bits = EVP_PKEY_get_bits(key);
        return;
    }
    ERR_clear_error();
    ASN1_OBJECT* algorithm = nullptr;
    X509_PUBKEY_get0_param(&algorithm, nullptr, nullptr, nullptr, X509_get_X509_PUBKEY(certificate));
    summary.key_type = object_name(algorithm);
    summary.anomalies.push_back("the public key could not be decoded");
}

std::string signature_algorithm(const X509* certificate) {
    const ASN1_BIT_STRING* signature = nullptr;
    const X509_ALGOR* algorithm = nullptr;
    X509_get0_signature(&signature, &algorithm, certificate);
    const ASN1_OBJECT* object = nullptr;
    X509_ALGOR_get0(&object, nullptr, nullptr, algorithm);
    return object_name(object);
}

// Over the bytes as sent, not OpenSSL's re-encoding, so it matches
// `openssl x509 -fingerprint -sha256` and Wireshark's exported certificate.
std::string sha256_fingerprint(Bytes der) {
    std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
    unsigned int length = 0;
    if (EVP_Digest(der.data(), der.size(), digest.data(), &length, EVP_sha256(), nullptr) != 1) {
        ERR_clear_error();
        return {};
    }
    std::string text;
    for (unsigned int i = 0; i < length; ++i) {
        char pair[4];
        std::snprintf(pair, sizeof pair, i == 0 ? "%02X" : ":%02X", digest[i]);
        text += pair;
    }
    return text;
}

// The plain sense: issued by itself and signed with its own key. Unlike
// X509_self_signed, a keyUsage without keyCertSign (common on appliances'
// self-made server certificates) does not make it "not self-signed".
bool is_self_signed(X509* certificate) {
    EVP_PKEY* key = X509_get0_pubkey(certificate);
    const bool self_signed = key != nullptr &&
                             X509_NAME_cmp(X509_get_subject_name(certificate), X509_get_issuer_name(certificate)) == 0 &&
                             X509_verify(certificate, key) == 1;
    ERR_clear_error();
    return self_signed;
}

}  // namespace

std::optional<CertificateSummary> summarize_certificate(Bytes der, std::string& error) {
    ParsedCertificate parsed = parse_der_certificate(der, error);
    if (!parsed.certificate) return std::nullopt;
    X509* certificate = parsed.certificate.get();

    CertificateSummary summary;
    if (parsed.consumed < der.size()) {
        summary.anomalies.push_back(std::to_string(der.size() - parsed.consumed) +
                                    " bytes after the certificate's DER encoding were ignored");
    }
    summary.subject = name_line(X509_get_subject_name(certificate));
    summary.issuer = name_line(X509_get_issuer_name(certificate));
    summary.subject_common_name = common_name(X509_get_subject_name(certificate));
    summary.issuer_common_name = common_name(X509_get_issuer_name(certificate));
    read_subject_alt_names(certificate, summary);
    summary.serial = serial_hex(certificate);
    read_validity(certificate, summary);
    read_public_key(certificate, summary);
    summary.signature_algorithm = signature_algorithm(certificate);
    summary.sha256_fingerprint = sha256_fingerprint(der.first(parsed.consumed));
    if (const auto refused = refused_public_key(certificate)) {
        summary.refused_key = *refused;
    } else {
        summary.self_signed = is_self_signed(certificate);
    }
    if ((X509_get_extension_flags(certificate) & EXFLAG_INVALID) != 0) {
        summary.anomalies.push_back("some extensions are malformed; OpenSSL will not accept the certificate in a chain");
    }
    ERR_clear_error();
    return summary;
}

std::vector<std::string> certificate_host_names(const CertificateSummary& certificate) {
    std::vector<std::string> names;
    for (const std::string& name : certificate.subject_alt_names)
        if (name.starts_with("DNS:")) names.push_back(name.substr(4));
    if (names.empty() && !certificate.subject_common_name.empty()) names.push_back(certificate.subject_common_name);
    return names;
}

}  // namespace trustcap
