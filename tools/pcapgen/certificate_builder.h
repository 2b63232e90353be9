#pragma once

#include "openssl_handles.h"

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace pcapgen {

// Seconds since the Unix epoch, UTC.
struct CertificateValidity {
    std::int64_t not_before = 0;
    std::int64_t not_after = 0;
};

struct CertificateProfile {
    // Relative distinguished names in order, e.g. {"O", "Trustcap Lab"}, {"CN", "…"}.
    std::vector<std::pair<std::string, std::string>> subject;
    std::uint64_t serial_number = 0;
    CertificateValidity validity;
    // X.509v3 extensions in OpenSSL's configuration syntax, e.g. {NID_basic_constraints, "critical,CA:TRUE"};
    // subjectKeyIdentifier and authorityKeyIdentifier are always added.
    std::vector<std::pair<int, std::string>> extensions;
};

// An X.509v3 certificate signed with SHA-256 by `issuer_key` (RSA: deterministic PKCS#1 v1.5 signatures, so the
// same inputs give the same bytes). A null `issuer` makes it self-signed with `subject_key`.
X509Ptr issue_certificate(const CertificateProfile& profile, EVP_PKEY* subject_key, X509* issuer,
                          EVP_PKEY* issuer_key);

}  // namespace pcapgen
