#include "dissect/dns_over_tcp_dissector.h"

#include "dissect/dns_message.h"

namespace trustcap {

DnsOverTcpDissector::DnsOverTcpDissector(DnsTransactionTable& table, const Endpoint& client, const Endpoint& server)
    : table_(table), client_(client), server_(server) {}

void DnsOverTcpDissector::on_data(Direction direction, std::uint64_t, Bytes bytes, std::uint64_t frame,
                                  const Timestamp& time) {
    bool from_client = direction == Direction::client_to_server;
    framers_[index_of(direction)].feed(bytes, frame, [&](Bytes message, std::uint64_t message_frame) {
        std::string error;
        auto parsed = parse_dns_message(message, error);
        if (!parsed) {
            table_.note_unreadable(message, from_client ? client_ : server_, from_client ? server_ : client_,
                                   message_frame, error);
            return;
        }
        table_.add(*parsed, from_client ? client_ : server_, from_client ? server_ : client_, message_frame, time);
    });
}

void DnsOverTcpDissector::on_gap(Direction direction, std::uint64_t, std::uint64_t length, std::uint64_t,
                                 GapReason) {
    framers_[index_of(direction)].skip(length);
}

}  // namespace trustcap
