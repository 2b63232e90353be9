#include "dissect/dns_over_tcp_dissector.h"

#include <gtest/gtest.h>

#include <vector>

namespace trustcap {
namespace {

// A DNS message for smartreceiver.cisco.com A, with its 2-byte TCP length
// prefix; a response carries `rcode` and, for NOERROR, one A record.
std::vector<std::uint8_t> framed_message(bool response, std::uint8_t rcode) {
    std::vector<std::uint8_t> message{0x4a, 0x21, static_cast<std::uint8_t>(response ? 0x81 : 0x01),
                                      static_cast<std::uint8_t>(response ? (0x80 | rcode) : 0x00),
                                      0, 1, 0, static_cast<std::uint8_t>(response && rcode == 0 ? 1 : 0), 0, 0, 0, 0};
    for (const char* label : {"smartreceiver", "cisco", "com"}) {
        message.push_back(static_cast<std::uint8_t>(std::string(label).size()));
        message.insert(message.end(), label, label + std::string(label).size());
    }
    message.insert(message.end(), {0, 0, 1, 0, 1});
    if (response && rcode == 0)
        message.insert(message.end(), {0xc0, 0x0c, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4, 146, 112, 59, 25});
    std::vector<std::uint8_t> framed;
    framed.reserve(message.size() + 2);
    framed.push_back(static_cast<std::uint8_t>(message.size() >> 8));
    framed.push_back(static_cast<std::uint8_t>(message.size()));
    for (std::uint8_t byte : message) framed.push_back(byte);
    return framed;
}

const Endpoint device{*IpAddress::parse("10.20.30.40"), 40001};
const Endpoint resolver{*IpAddress::parse("10.20.30.53"), 53};

TEST(DnsOverTcpDissector, PairsQueryAndAnswerAcrossSegments) {
    DnsTransactionTable table;
    DnsOverTcpDissector dissector(table, device, resolver);
    std::vector<std::uint8_t> query = framed_message(false, 0);
    std::vector<std::uint8_t> answer = framed_message(true, 0);
    dissector.on_data(Direction::client_to_server, 0, Bytes(query).first(5), 4, {});
    dissector.on_data(Direction::client_to_server, 5, Bytes(query).subspan(5), 5, {});
    dissector.on_data(Direction::server_to_client, 0, answer, 7, {});

    ASSERT_EQ(1u, table.transactions().size());
    const DnsTransaction& transaction = table.transactions().front();
    EXPECT_EQ("smartreceiver.cisco.com", transaction.question.name);
    EXPECT_EQ(5u, transaction.query_frame);
    EXPECT_EQ(7u, transaction.response_frame);
    EXPECT_EQ(std::vector<std::string>{"smartreceiver.cisco.com"},
              table.names_for(*IpAddress::parse("146.112.59.25"), 7));
}

TEST(DnsOverTcpDissector, NxdomainIsRecorded) {
    DnsTransactionTable table;
    DnsOverTcpDissector dissector(table, device, resolver);
    std::vector<std::uint8_t> query = framed_message(false, 0);
    std::vector<std::uint8_t> answer = framed_message(true, dns_rcode::name_error);
    dissector.on_data(Direction::client_to_server, 0, query, 4, {});
    dissector.on_data(Direction::server_to_client, 0, answer, 6, {});
    ASSERT_EQ(1u, table.transactions().size());
    EXPECT_EQ(dns_rcode::name_error, table.transactions().front().rcode);
}

TEST(DnsOverTcpDissector, GapLosesOnlyTheMessageItHides) {
    DnsTransactionTable table;
    DnsOverTcpDissector dissector(table, device, resolver);
    std::vector<std::uint8_t> query = framed_message(false, 0);
    dissector.on_data(Direction::client_to_server, 0, Bytes(query).first(10), 4, {});
    dissector.on_gap(Direction::client_to_server, 10, query.size() - 10, 5, GapReason::not_captured);
    EXPECT_TRUE(table.transactions().empty());
    dissector.on_data(Direction::client_to_server, query.size(), query, 6, {});
    ASSERT_EQ(1u, table.transactions().size());
    EXPECT_EQ(6u, table.transactions().front().query_frame);
}

}  // namespace
}  // namespace trustcap
