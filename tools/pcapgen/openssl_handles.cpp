#include "openssl_handles.h"

#include <openssl/err.h>

namespace pcapgen {

namespace {

std::string drain_error_queue()
{
    std::string text;
    while (const unsigned long code = ERR_get_error()) {
        char line[256];
        ERR_error_string_n(code, line, sizeof line);
        text += "\n  ";
        text += line;
    }
    return text;
}

}  // namespace

OpenSslError::OpenSslError(const std::string& what_failed) : std::runtime_error(what_failed + drain_error_queue()) {}

void require_openssl(int result, const char* what)
{
    if (result != 1) {
        throw OpenSslError(what);
    }
}

X509Ptr share(const X509Ptr& certificate)
{
    require_openssl(X509_up_ref(certificate.get()), "X509_up_ref");
    return X509Ptr(certificate.get());
}

}  // namespace pcapgen
