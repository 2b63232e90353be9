#include "dissect/certificate_verifier.h"

#include <openssl/pem.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <new>
#include <optional>
#include <system_error>

#include "capture/ip_address.h"
#include "dissect/openssl_x509.h"
#include "dissect/public_key_limits.h"
#include "dissect/x509_certificate.h"

namespace trustcap {

using namespace openssl;

struct TrustStore::Store {
    struct LabelledAnchor {
        X509Ptr certificate;
        std::string origin;
    };
    X509StorePtr store{X509_STORE_new()};
    std::size_t anchors = 0;
    std::vector<LabelledAnchor> labelled;  // every certificate added from a file or text, with where it came from
    std::string directory_origin;          // certificates looked up in the system's hashed directory
};

namespace {

std::size_t count_certificates(const X509_STORE* store) {
    const STACK_OF(X509_OBJECT)* objects = X509_STORE_get0_objects(store);
    std::size_t count = 0;
    for (int i = 0; i < sk_X509_OBJECT_num(objects); ++i) {
        if (X509_OBJECT_get_type(sk_X509_OBJECT_value(objects, i)) == X509_LU_X509) ++count;
    }
    return count;
}

// Certificates are never encrypted; refusing a passphrase keeps OpenSSL from
// prompting on the terminal for a block that claims to be.
int refuse_passphrase(char*, int, int, void*) { return -1; }

bool is_end_of_pem_input(unsigned long code) {
    return code == 0 || (ERR_GET_LIB(code) == ERR_LIB_PEM && ERR_GET_REASON(code) == PEM_R_NO_START_LINE);
}

// Adds every certificate of PEM input (or, when there is none, one DER
// certificate) to `store`, labelled `origin`. Returns how many were read; 0
// with `error` when none could be, or when a block is malformed.
// BIO_reset succeeds with 0 on a file, with 1 on memory.
bool rewound(BIO* input) {
    const int reset = BIO_reset(input);
    return BIO_method_type(input) == BIO_TYPE_FILE ? reset == 0 : reset == 1;
}

std::size_t load_certificates(BIO* input, TrustStore::Store& store, const std::string& origin, const std::string& name,
                              std::string& error) {
    auto add = [&](X509* certificate) {
        if (X509_STORE_add_cert(store.store.get(), certificate) != 1) return false;
        if (X509_up_ref(certificate) != 1) throw std::bad_alloc();
        store.labelled.push_back({X509Ptr(certificate), origin});
        return true;
    };
    std::size_t read = 0;
    while (const X509Ptr certificate{PEM_read_bio_X509_AUX(input, nullptr, refuse_passphrase, nullptr)}) {
        if (!add(certificate.get())) {
            error = name + ": certificate " + std::to_string(read + 1) + " could not be added: " + take_error();
            return 0;
        }
        ++read;
    }
    if (!is_end_of_pem_input(ERR_peek_last_error())) {
        error = name + ": certificate " + std::to_string(read + 1) + " is malformed: " + take_error();
        if (read > 0) error += " (the " + std::to_string(read) + " before it were added)";
        return 0;
    }
    ERR_clear_error();
    if (read == 0 && rewound(input)) {
        if (const X509Ptr certificate{d2i_X509_bio(input, nullptr)}; certificate && add(certificate.get())) read = 1;
        ERR_clear_error();
    }
    if (read == 0) error = name + " holds no PEM or DER certificate";
    return read;
}

std::size_t load_certificate_file(TrustStore::Store& store, const std::string& path, const std::string& origin,
                                  std::string& error) {
    std::error_code filesystem_error;
    if (std::filesystem::is_directory(path, filesystem_error)) {
        error = "cannot read " + path + ": it is a directory";
        return 0;
    }
    if (!std::filesystem::is_regular_file(path, filesystem_error)) {
        auto bundle = read_ca_bundle(path, error);  // a pipe: read into memory, where a DER file can be read again
        if (!bundle) return 0;
        const BioPtr text(BIO_new_mem_buf(bundle->bytes.data(), static_cast<int>(bundle->bytes.size())));
        if (!text) throw std::bad_alloc();
        return load_certificates(text.get(), store, origin, path, error);
    }
    ERR_clear_error();
    errno = 0;
    const BioPtr file(BIO_new_file(path.c_str(), "rb"));
    if (!file) {
        const int open_errno = errno;
        error = "cannot open " + path + ": " +
                (open_errno != 0 ? std::error_code(open_errno, std::generic_category()).message() : take_error());
        ERR_clear_error();
        return 0;
    }
    return load_certificates(file.get(), store, origin, path, error);
}

std::string without_trailing_dot(const std::string& host_name) {
    if (host_name.size() > 1 && host_name.back() == '.') return host_name.substr(0, host_name.size() - 1);
    return host_name;
}

bool names_cover(X509* leaf, const std::string& host_name) {
    const std::string name = without_trailing_dot(host_name);
    const bool is_ip_literal = IpAddress::parse(name).has_value();
    const int matched = is_ip_literal ? X509_check_ip_asc(leaf, name.c_str(), 0)
                                      : X509_check_host(leaf, name.data(), name.size(), 0, nullptr);
    ERR_clear_error();
    return matched == 1;
}

ValidityProblem validity_problem_of(int error_code) {
    switch (error_code) {
        case X509_V_ERR_CERT_NOT_YET_VALID: return ValidityProblem::not_yet_valid;
        case X509_V_ERR_CERT_HAS_EXPIRED: return ValidityProblem::expired;
        default: return ValidityProblem::none;
    }
}

std::string subject_of(X509* certificate) {
    unsigned char* der = nullptr;
    const int length = i2d_X509(certificate, &der);
    const OpenSslBytes owned(der);
    std::string error;
    if (length <= 0) return {};
    auto summary = summarize_certificate(Bytes(der, static_cast<std::size_t>(length)), error);
    ERR_clear_error();
    return summary ? summary->subject : std::string();
}

// The trusted certificate a verified chain ends in, and where it was loaded from.
void describe_anchor(const TrustStore::Store& store, X509_STORE_CTX* context, ChainVerification& verification) {
    const STACK_OF(X509)* built = X509_STORE_CTX_get0_chain(context);
    if (built == nullptr || sk_X509_num(built) == 0) return;
    X509* anchor = sk_X509_value(built, sk_X509_num(built) - 1);
    verification.anchor = subject_of(anchor);
    verification.anchor_origin = store.directory_origin;
    for (const auto& labelled : store.labelled)
        if (X509_cmp(labelled.certificate.get(), anchor) == 0) {
            verification.anchor_origin = labelled.origin;
            break;
        }
}

void fail(ChainVerification& verification, int depth, std::string result) {
    verification.verified = false;
    verification.error_code = X509_V_ERR_UNSPECIFIED;
    verification.error_depth = depth;
    verification.result = std::move(result);
}

}  // namespace

std::optional<CaBundle> read_ca_bundle(const std::string& path, std::string& error) {
    std::error_code filesystem_error;
    if (std::filesystem::is_directory(path, filesystem_error)) {
        error = "cannot read " + path + ": it is a directory";
        return std::nullopt;
    }
    errno = 0;
    const std::unique_ptr<std::FILE, decltype(&std::fclose)> file(std::fopen(path.c_str(), "rb"), &std::fclose);
    if (!file) {
        error = "cannot open " + path + ": " + std::error_code(errno, std::generic_category()).message();
        return std::nullopt;
    }
    CaBundle bundle{path, {}};
    char buffer[65536];
    while (const std::size_t got = std::fread(buffer, 1, sizeof buffer, file.get())) {
        if (bundle.bytes.size() + got > max_ca_bundle_bytes) {
            error = path + ": larger than " + std::to_string(max_ca_bundle_bytes >> 20) + " MiB, no CA bundle";
            return std::nullopt;
        }
        bundle.bytes.append(buffer, got);
    }
    if (std::ferror(file.get())) {
        error = "cannot read " + path + ": " + std::error_code(errno, std::generic_category()).message();
        return std::nullopt;
    }
    return bundle;
}

TrustStore::TrustStore() : store_(std::make_unique<Store>()) {
    if (!store_->store) throw std::bad_alloc();
}

TrustStore::~TrustStore() = default;
TrustStore::TrustStore(TrustStore&&) noexcept = default;
TrustStore& TrustStore::operator=(TrustStore&&) noexcept = default;

bool TrustStore::add_system_default(std::string& error) {
    X509_STORE* store = store_->store.get();
    const char* directory_override = std::getenv(X509_get_default_cert_dir_env());
    const char* directory = directory_override != nullptr ? directory_override : X509_get_default_cert_dir();
    X509_STORE_load_path(store, directory);  // only remembered; read lazily during verification
    ERR_clear_error();

    const char* bundle_override = std::getenv(X509_get_default_cert_file_env());
    const std::string bundle = bundle_override != nullptr ? bundle_override : X509_get_default_cert_file();
    std::string load_error;
    store_->directory_origin = "the system's CA directory " + std::string(directory);
    const std::size_t read = load_certificate_file(*store_, bundle, "the system's CA bundle", load_error);
    store_->anchors = count_certificates(store);
    if (read == 0) {
        error = "no trust anchors from the system's CA bundle: " + load_error;
        return false;
    }
    return true;
}

bool TrustStore::add_pem_bundle(const std::string& path, std::string& error) {
    std::string load_error;
    const std::size_t read = load_certificate_file(*store_, path, "--ca-bundle " + path, load_error);
    store_->anchors = count_certificates(store_->store.get());
    if (read == 0) {
        error = load_error;
        return false;
    }
    return true;
}

bool TrustStore::add_ca_bundle(const CaBundle& bundle, std::string& error) {
    ERR_clear_error();
    const BioPtr text(BIO_new_mem_buf(bundle.bytes.data(), static_cast<int>(bundle.bytes.size())));
    if (!text) throw std::bad_alloc();
    const std::size_t read = load_certificates(text.get(), *store_, "--ca-bundle " + bundle.path, bundle.path, error);
    store_->anchors = count_certificates(store_->store.get());
    return read > 0;
}

bool TrustStore::add_pem_text(std::string_view pem, const std::string& origin, std::string& error) {
    ERR_clear_error();
    const BioPtr text(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
    if (!text) throw std::bad_alloc();
    const std::size_t read = load_certificates(text.get(), *store_, origin, origin, error);
    store_->anchors = count_certificates(store_->store.get());
    return read > 0;
}

std::size_t TrustStore::anchors() const { return store_->anchors; }

ChainVerification TrustStore::verify(const std::vector<std::vector<std::uint8_t>>& chain, std::int64_t time,
                                     const std::string& host_name) const {
    ChainVerification verification;
    verification.name_checked = !host_name.empty();
    if (chain.empty()) {
        fail(verification, -1, "the chain is empty: no certificate to verify");
        return verification;
    }

    const std::size_t used = std::min(chain.size(), max_certificates_per_chain);
    std::vector<X509Ptr> certificates;
    certificates.reserve(used);
    for (std::size_t index = 0; index < used; ++index) {
        std::string parse_error;
        certificates.push_back(parse_der_certificate(Bytes(chain[index]), parse_error).certificate);
        if (!certificates.back() && verification.chain_parsed) {
            verification.chain_parsed = false;
            fail(verification, static_cast<int>(index),
                 "certificate " + std::to_string(index + 1) + " of " + std::to_string(chain.size()) +
                     " in the chain could not be parsed: " + parse_error);
        }
    }
    X509* leaf = certificates.front().get();
    if (verification.name_checked && leaf != nullptr) verification.name_matches = names_cover(leaf, host_name);
    if (!verification.chain_parsed) return verification;
    for (std::size_t index = 0; index < used; ++index) {
        if (const auto refused = refused_public_key(certificates[index].get())) {
            fail(verification, static_cast<int>(index),
                 "certificate " + std::to_string(index + 1) + " of " + std::to_string(chain.size()) +
                     " was not checked: " + *refused);
            return verification;
        }
    }

    const X509StackPtr untrusted(sk_X509_new_null());
    const X509StoreContextPtr context(X509_STORE_CTX_new());
    if (!untrusted || !context) throw std::bad_alloc();
    for (std::size_t index = 1; index < certificates.size(); ++index) {
        X509* certificate = certificates[index].get();
        if (X509_up_ref(certificate) != 1) throw std::bad_alloc();
        if (sk_X509_push(untrusted.get(), certificate) <= 0) {
            X509_free(certificate);
            throw std::bad_alloc();
        }
    }
    // Every certificate in the store is an anchor (partial chains); without a
    // time, the validity periods are not checked.
    auto set_up = [&](std::optional<std::int64_t> at) {
        if (X509_STORE_CTX_init(context.get(), store_->store.get(), leaf, untrusted.get()) != 1 ||
            X509_STORE_CTX_set_default(context.get(), "ssl_server") != 1)
            return false;
        X509_VERIFY_PARAM* parameters = X509_STORE_CTX_get0_param(context.get());
        X509_VERIFY_PARAM_set_depth(parameters, static_cast<int>(max_certificates_per_chain));
        if (at) X509_VERIFY_PARAM_set_time(parameters, static_cast<time_t>(*at));
        X509_VERIFY_PARAM_set_flags(parameters,
                                    X509_V_FLAG_PARTIAL_CHAIN | (at ? 0UL : X509_V_FLAG_NO_CHECK_TIME));
        return true;
    };
    if (!set_up(time)) {
        fail(verification, -1, "OpenSSL could not set up the verification: " + take_error());
        return verification;
    }

    const bool verified = X509_verify_cert(context.get()) == 1;
    const int code = X509_STORE_CTX_get_error(context.get());
    ERR_clear_error();
    if (verified) {
        verification.verified = true;
        verification.error_code = X509_V_OK;
        verification.error_depth = -1;
        verification.result = X509_verify_cert_error_string(X509_V_OK);
        describe_anchor(*store_, context.get(), verification);
        return verification;
    }
    verification.error_code = code != X509_V_OK ? code : X509_V_ERR_UNSPECIFIED;
    verification.error_depth = X509_STORE_CTX_get_error_depth(context.get());
    verification.result = X509_verify_cert_error_string(verification.error_code);
    const ValidityProblem problem = validity_problem_of(verification.error_code);
    if (problem == ValidityProblem::none) return verification;

    // OpenSSL stops at the first fault: verify once more without the time to
    // learn whether the time was the only one.
    X509_STORE_CTX_cleanup(context.get());
    if (!set_up(std::nullopt)) {
        ERR_clear_error();
        return verification;
    }
    const bool verified_apart_from_time = X509_verify_cert(context.get()) == 1;
    ERR_clear_error();
    if (verified_apart_from_time) {
        verification.verified_apart_from_time = true;
        verification.validity_problem = problem;
        describe_anchor(*store_, context.get(), verification);
    }
    return verification;
}

}  // namespace trustcap
