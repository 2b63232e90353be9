#pragma once

#include <openssl/evp.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <memory>
#include <stdexcept>
#include <string>

namespace pcapgen {

template <auto free_function>
struct OpenSslDeleter {
    template <typename T>
    void operator()(T* object) const
    {
        free_function(object);
    }
};

using EvpPkeyPtr = std::unique_ptr<EVP_PKEY, OpenSslDeleter<EVP_PKEY_free>>;
using X509Ptr = std::unique_ptr<X509, OpenSslDeleter<X509_free>>;
using SslCtxPtr = std::unique_ptr<SSL_CTX, OpenSslDeleter<SSL_CTX_free>>;
using SslPtr = std::unique_ptr<SSL, OpenSslDeleter<SSL_free>>;
using BioPtr = std::unique_ptr<BIO, OpenSslDeleter<BIO_free_all>>;

// Thrown when an OpenSSL call fails; carries OpenSSL's error queue, which it empties.
class OpenSslError : public std::runtime_error {
public:
    explicit OpenSslError(const std::string& what_failed);
};

// Throws OpenSslError unless `result` is 1, OpenSSL's usual success value.
void require_openssl(int result, const char* what);

template <typename T>
T* require_openssl(T* result, const char* what)
{
    if (result == nullptr) {
        throw OpenSslError(what);
    }
    return result;
}

// Shares ownership of an X509 the caller keeps: for OpenSSL calls that take their own reference.
X509Ptr share(const X509Ptr& certificate);

}  // namespace pcapgen
