// DNS over TCP: both directions of a stream (chunks as in stream_chunks.h)
// split into length-prefixed messages and paired in the transaction table.
#include <cstddef>
#include <cstdint>

#include "dissect/dns_over_tcp_dissector.h"
#include "fuzz_input.h"
#include "stream_chunks.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace trustcap;
    fuzz::FuzzInput input(data, size);
    std::uint8_t client_bytes[4] = {10, 0, 0, 1};
    std::uint8_t server_bytes[4] = {10, 0, 0, 53};
    DnsTransactionTable table;
    DnsOverTcpDissector dissector(table, Endpoint{IpAddress::v4(Bytes(client_bytes, 4)), 40000},
                                  Endpoint{IpAddress::v4(Bytes(server_bytes, 4)), 53});
    fuzz::feed_chunks(input, dissector);
    volatile std::size_t sink = table.transactions().size() + table.unmatched_responses();
    (void)sink;
    return 0;
}
