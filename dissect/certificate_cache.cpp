#include "dissect/certificate_cache.h"

#include <openssl/err.h>
#include <openssl/evp.h>

#include <array>

namespace trustcap {
namespace {

std::string sha256_digest(Bytes der) {
    std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
    unsigned int length = 0;
    if (EVP_Digest(der.data(), der.size(), digest.data(), &length, EVP_sha256(), nullptr) != 1) {
        ERR_clear_error();
        return {};
    }
    return std::string(reinterpret_cast<const char*>(digest.data()), length);
}

CertificateReading read_certificate(Bytes der) {
    CertificateReading reading;
    reading.summary = summarize_certificate(der, reading.error);
    return reading;
}

}  // namespace

const CertificateReading& CertificateCache::read(Bytes der) {
    const std::string key = sha256_digest(der);
    if (!key.empty()) {
        if (const auto found = readings_.find(key); found != readings_.end()) {
            ++reused_;
            return found->second;
        }
    }
    ++parsed_;
    if (key.empty() || der.size() > max_cached_der_bytes) {
        uncached_ = read_certificate(der);
        return uncached_;
    }
    if (cached_der_bytes_ + der.size() > max_cached_der_bytes) {
        readings_.clear();
        cached_der_bytes_ = 0;
    }
    cached_der_bytes_ += der.size();
    return readings_.emplace(key, read_certificate(der)).first->second;
}

}  // namespace trustcap
