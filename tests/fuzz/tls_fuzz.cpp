// The TLS record and handshake parser over both directions of a stream
// (chunks as in stream_chunks.h), then the summary that reads the
// certificates it collected.
#include <cstddef>
#include <cstdint>

#include "dissect/certificate_cache.h"
#include "dissect/tls_stream_dissector.h"
#include "dissect/tls_summary.h"
#include "fuzz_input.h"
#include "stream_chunks.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace trustcap;
    fuzz::FuzzInput input(data, size);
    TlsDissectorLimits limits;
    if (input.flag()) {  // small caps, so short inputs reach them
        limits.max_handshake_message_bytes = 2048;
        limits.max_messages = 8;
        limits.max_certificate_bytes = 4096;
    }
    TlsStreamDissector dissector(limits);
    fuzz::feed_chunks(input, dissector);

    CertificateCache certificates;  // one per input, so a run does not depend on the inputs before it
    TlsSummary summary =
        summarize_tls(dissector.messages(), {}, certificates, 1'600'000'000, "smartreceiver.cisco.com");
    volatile std::size_t sink = summary.server_name.size() + summary.alpn.size() + dissector.messages_dropped();
    (void)sink;
    return 0;
}
