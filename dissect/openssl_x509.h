#pragma once

// Private to dissect/: owning handles for OpenSSL objects, OpenSSL's error
// queue in words, and bounded DER parsing of one certificate.

#include <openssl/asn1.h>
#include <openssl/bio.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>
#include <openssl/x509v3.h>

#include <climits>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>
#include <string_view>
#include <utility>

#include "capture/byte_reader.h"

namespace trustcap::openssl {

template <auto free_function>
struct FreeWith {
    template <typename T>
    void operator()(T* object) const noexcept {
        free_function(object);
    }
};

struct FreeX509Stack {
    void operator()(STACK_OF(X509) * stack) const noexcept { sk_X509_pop_free(stack, X509_free); }
};

struct FreeOpenSslMemory {
    void operator()(void* memory) const noexcept { OPENSSL_free(memory); }
};

using X509Ptr = std::unique_ptr<X509, FreeWith<X509_free>>;
using X509StackPtr = std::unique_ptr<STACK_OF(X509), FreeX509Stack>;
using X509StorePtr = std::unique_ptr<X509_STORE, FreeWith<X509_STORE_free>>;
using X509StoreContextPtr = std::unique_ptr<X509_STORE_CTX, FreeWith<X509_STORE_CTX_free>>;
using BioPtr = std::unique_ptr<BIO, FreeWith<BIO_free_all>>;
using BignumPtr = std::unique_ptr<BIGNUM, FreeWith<BN_free>>;
using GeneralNamesPtr = std::unique_ptr<GENERAL_NAMES, FreeWith<GENERAL_NAMES_free>>;
using OpenSslString = std::unique_ptr<char, FreeOpenSslMemory>;
using OpenSslBytes = std::unique_ptr<unsigned char, FreeOpenSslMemory>;

// The oldest error on this thread's OpenSSL queue (the root cause; later
// entries are "nested asn1 error" wrappers), with its detail text. Empties
// the queue so that nothing stale is blamed on a later call.
inline std::string take_error(std::string_view when_empty = "no detail from OpenSSL") {
    const char* data = nullptr;
    int flags = 0;
    const unsigned long code = ERR_get_error_all(nullptr, nullptr, nullptr, &data, &flags);
    ERR_clear_error();
    if (code == 0) return std::string(when_empty);
    std::string text;
    if (const char* reason = ERR_reason_error_string(code)) {
        text = reason;
    } else {
        char buffer[256] = {};
        ERR_error_string_n(code, buffer, sizeof buffer);
        text = buffer;
    }
    if (data != nullptr && (flags & ERR_TXT_STRING) != 0 && *data != '\0') text += std::string(" (") + data + ")";
    return text;
}

struct ParsedCertificate {
    X509Ptr certificate;      // null when the bytes are not a certificate
    std::size_t consumed = 0;  // bytes the certificate's own encoding took
};

// d2i_X509 confined to `der`: OpenSSL is told the span's length, so it never
// reads past it. Bytes after the certificate are left for the caller to judge.
inline ParsedCertificate parse_der_certificate(Bytes der, std::string& error) {
    if (der.empty()) {
        error = "the certificate is empty (0 bytes)";
        return {};
    }
    if (der.size() > static_cast<std::size_t>(LONG_MAX)) {
        error = "the certificate is too large to parse";
        return {};
    }
    constexpr std::uint8_t sequence_tag = 0x30;
    if (der[0] != sequence_tag) {
        char first[5];
        std::snprintf(first, sizeof first, "0x%02X", der[0]);
        error = std::string("not a DER X.509 certificate: it starts with ") + first + ", not a SEQUENCE (0x30)";
        return {};
    }
    ERR_clear_error();
    const unsigned char* cursor = der.data();
    X509Ptr certificate(d2i_X509(nullptr, &cursor, static_cast<long>(der.size())));
    if (!certificate) {
        const unsigned long code = ERR_peek_error();
        const bool truncated = ERR_GET_LIB(code) == ERR_LIB_ASN1 &&
                               (ERR_GET_REASON(code) == ASN1_R_TOO_LONG || ERR_GET_REASON(code) == ASN1_R_HEADER_TOO_LONG);
        error = (truncated ? "the DER certificate (" + std::to_string(der.size()) +
                                 " bytes) is truncated or has a length that runs past its end"
                           : std::string("not a DER X.509 certificate")) +
                " (OpenSSL: " + take_error() + ")";
        return {};
    }
    ERR_clear_error();
    return {std::move(certificate), static_cast<std::size_t>(cursor - der.data())};
}

}  // namespace trustcap::openssl
