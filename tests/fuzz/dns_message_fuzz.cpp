// One DNS message as carried in UDP, then into the transaction table that
// pairs queries with responses (the same bytes as query and as answer).
#include <cstddef>
#include <cstdint>
#include <string>

#include "dissect/dns_message.h"
#include "dissect/dns_transactions.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace trustcap;
    std::string error;
    auto message = parse_dns_message(Bytes(data, size), error);
    if (!message) return 0;
    std::uint8_t client_bytes[4] = {10, 0, 0, 1};
    std::uint8_t server_bytes[4] = {10, 0, 0, 53};
    Endpoint client{IpAddress::v4(Bytes(client_bytes, 4)), 5353};
    Endpoint server{IpAddress::v4(Bytes(server_bytes, 4)), 53};
    DnsTransactionTable table;
    DnsMessage query = *message;
    query.is_response = false;
    table.add(query, client, server, 1, Timestamp{1, 0});
    table.add(*message, message->is_response ? server : client, message->is_response ? client : server, 2,
              Timestamp{2, 0});
    for (const DnsAnswer& answer : message->answers)
        if (const auto* address = std::get_if<IpAddress>(&answer.data)) (void)table.names_for(*address, 3);
    (void)dns_rcode_name(message->rcode);
    (void)dns_rcode_id(message->rcode);
    return 0;
}
