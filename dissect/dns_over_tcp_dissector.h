#pragma once

#include <array>

#include "capture/ip_address.h"
#include "capture/stream_consumer.h"
#include "dissect/dns_tcp_framer.h"
#include "dissect/dns_transactions.h"

namespace trustcap {

// DNS carried over TCP (large answers, or resolvers that insist on it): the
// messages of both directions go into the same transaction table as UDP's.
class DnsOverTcpDissector final : public StreamConsumer {
public:
    DnsOverTcpDissector(DnsTransactionTable& table, const Endpoint& client, const Endpoint& server);

    void on_data(Direction direction, std::uint64_t stream_offset, Bytes bytes, std::uint64_t frame,
                 const Timestamp& time) override;
    void on_gap(Direction direction, std::uint64_t stream_offset, std::uint64_t length, std::uint64_t frame,
                GapReason reason) override;
    [[nodiscard]] std::size_t held_bytes() const override {
        return sizeof(*this) - sizeof(framers_) + framers_[0].held_bytes() + framers_[1].held_bytes();
    }

private:
    DnsTransactionTable& table_;
    Endpoint client_;
    Endpoint server_;
    std::array<DnsTcpFramer, 2> framers_;
};

}  // namespace trustcap
