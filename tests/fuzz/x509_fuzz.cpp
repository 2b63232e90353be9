// One DER certificate read with OpenSSL into what the report shows.
#include <cstddef>
#include <cstdint>
#include <string>

#include "dissect/x509_certificate.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string error;
    auto summary = trustcap::summarize_certificate(trustcap::Bytes(data, size), error);
    volatile std::size_t sink = summary ? summary->subject.size() + summary->subject_alt_names.size() : error.size();
    (void)sink;
    return 0;
}
