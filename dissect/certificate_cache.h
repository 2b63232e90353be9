#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>

#include "capture/byte_reader.h"
#include "dissect/x509_certificate.h"

namespace trustcap {

// What reading one certificate gave: its summary, or why it could not be read.
struct CertificateReading {
    std::optional<CertificateSummary> summary;
    std::string error;
};

// Reads each distinct certificate once per run: the same DER sent again, on
// the same connection or another, costs a hash instead of a parse and a
// signature check. Bounded by the DER bytes it holds; when full it starts over.
class CertificateCache {
public:
    // Enough for thousands of distinct ordinary certificates, within the
    // 64 MiB trustcap keeps to; a run that sends more is rereading
    // certificates, never holding more memory.
    static constexpr std::size_t max_cached_der_bytes = 4 * 1024 * 1024;

    // The reading of `der`, keyed by its SHA-256. The reference stays valid
    // until the next call.
    const CertificateReading& read(Bytes der);

    // Certificates actually parsed, and those answered from the cache.
    [[nodiscard]] std::uint64_t parsed() const { return parsed_; }
    [[nodiscard]] std::uint64_t reused() const { return reused_; }

private:
    std::unordered_map<std::string, CertificateReading> readings_;  // by raw SHA-256 digest
    std::size_t cached_der_bytes_ = 0;
    std::uint64_t parsed_ = 0;
    std::uint64_t reused_ = 0;
    CertificateReading uncached_;  // a certificate larger than the whole cache
};

}  // namespace trustcap
