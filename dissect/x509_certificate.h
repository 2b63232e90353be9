#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "capture/byte_reader.h"

namespace trustcap {

// What a network engineer needs to know of one certificate.
struct CertificateSummary {
    // RFC 2253 one line, most specific first as Wireshark shows it:
    // "CN=smartreceiver.cisco.com,O=Cisco Systems Inc.,C=US". Special characters
    // are escaped as RFC 2253 asks ("O=Cisco Systems\, Inc."), control bytes and
    // bytes that are not UTF-8 as "\xNN"; other UTF-8 is kept as it is.
    std::string subject;
    std::string issuer;
    std::string subject_common_name;  // empty if none
    std::string issuer_common_name;
    std::vector<std::string> subject_alt_names;  // "DNS:...", "IP:...", "email:...", "URI:..." entries
    std::string serial;                          // hex, upper case, no separators
    std::int64_t not_before = 0;                 // seconds since the epoch, UTC
    std::int64_t not_after = 0;
    std::string key_type;  // "RSA", "EC", "Ed25519", ...; the algorithm's OID name when OpenSSL can't decode the key
    int key_bits = 0;
    std::string signature_algorithm;  // "sha256WithRSAEncryption"
    std::string sha256_fingerprint;   // hex pairs separated by ':', upper case
    bool self_signed = false;         // issuer == subject and the signature verifies with its own key
    // Why its key was refused before any signature check (see public_key_limits.h); empty when it was not.
    std::string refused_key;
    // What is odd about the encoding without making it unreadable, in words:
    // bytes after the certificate, an undecodable extension or key, an unreadable time.
    std::vector<std::string> anomalies;
};

// The host names a certificate is for: its DNS subject alternative names, or
// its common name when it has none (as RFC 6125 falls back).
std::vector<std::string> certificate_host_names(const CertificateSummary& certificate);

// Parses one DER certificate with OpenSSL, never reading past `der`. Bytes
// after the certificate are accepted and noted in `anomalies`.
// On failure: nullopt and `error`.
std::optional<CertificateSummary> summarize_certificate(Bytes der, std::string& error);

}  // namespace trustcap
