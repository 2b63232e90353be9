#include "certificate_builder.h"

#include <openssl/x509v3.h>

namespace pcapgen {

namespace {

void set_subject(X509* certificate, const CertificateProfile& profile)
{
    X509_NAME* name = X509_get_subject_name(certificate);
    for (const auto& [field, value] : profile.subject) {
        require_openssl(X509_NAME_add_entry_by_txt(name, field.c_str(), MBSTRING_UTF8,
                                                   reinterpret_cast<const unsigned char*>(value.c_str()),
                                                   static_cast<int>(value.size()), -1, 0),
                        "X509_NAME_add_entry_by_txt");
    }
}

void add_extension(X509* certificate, X509V3_CTX& context, int nid, const std::string& value)
{
    X509_EXTENSION* extension =
        require_openssl(X509V3_EXT_nconf_nid(nullptr, &context, nid, value.c_str()), "X509V3_EXT_nconf_nid");
    const int added = X509_add_ext(certificate, extension, -1);
    X509_EXTENSION_free(extension);
    require_openssl(added, "X509_add_ext");
}

}  // namespace

X509Ptr issue_certificate(const CertificateProfile& profile, EVP_PKEY* subject_key, X509* issuer,
                          EVP_PKEY* issuer_key)
{
    X509Ptr certificate(require_openssl(X509_new(), "X509_new"));
    X509* const raw = certificate.get();
    require_openssl(X509_set_version(raw, X509_VERSION_3), "X509_set_version");
    require_openssl(ASN1_INTEGER_set_uint64(X509_get_serialNumber(raw), profile.serial_number),
                    "ASN1_INTEGER_set_uint64");
    require_openssl(ASN1_TIME_set(X509_getm_notBefore(raw), static_cast<time_t>(profile.validity.not_before)),
                    "ASN1_TIME_set");
    require_openssl(ASN1_TIME_set(X509_getm_notAfter(raw), static_cast<time_t>(profile.validity.not_after)),
                    "ASN1_TIME_set");
    set_subject(raw, profile);
    require_openssl(
        X509_set_issuer_name(raw, issuer != nullptr ? X509_get_subject_name(issuer) : X509_get_subject_name(raw)),
        "X509_set_issuer_name");
    require_openssl(X509_set_pubkey(raw, subject_key), "X509_set_pubkey");

    X509V3_CTX context;
    X509V3_set_ctx(&context, issuer != nullptr ? issuer : raw, raw, nullptr, nullptr, 0);
    for (const auto& [nid, value] : profile.extensions) {
        add_extension(raw, context, nid, value);
    }
    add_extension(raw, context, NID_subject_key_identifier, "hash");
    add_extension(raw, context, NID_authority_key_identifier, "keyid:always");

    if (X509_sign(raw, issuer_key, EVP_sha256()) <= 0) {
        throw OpenSslError("X509_sign");
    }
    return certificate;
}

}  // namespace pcapgen
