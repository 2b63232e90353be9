#pragma once

#include <cstdint>
#include <functional>
#include <memory>

#include <absl/container/flat_hash_map.h>

#include "capture/stream_consumer.h"
#include "capture/tcp_flow.h"
#include "dissect/connection_dissector.h"
#include "dissect/dns_transactions.h"

namespace trustcap {

// Owns the dissectors of the connections still open and hands the flow table
// a consumer that feeds the right one. When a flow finishes, the session takes
// its dissector, to move what it found out of it (facts_of).
class FlowDissectors {
public:
    using Factory = std::function<std::unique_ptr<ConnectionDissector>(const TcpFlow& flow)>;

    // DNS over TCP (server port 53) goes to `dns` instead.
    FlowDissectors(Factory make_dissector, DnsTransactionTable& dns)
        : make_dissector_(std::move(make_dissector)), dns_(dns) {}

    std::unique_ptr<StreamConsumer> consumer_for(const TcpFlow& flow);
    // A finished flow's dissector, no longer held (null for DNS and flows
    // without one); its DNS dissector is freed.
    std::unique_ptr<ConnectionDissector> take(std::uint64_t flow_id);

private:
    Factory make_dissector_;
    DnsTransactionTable& dns_;
    absl::flat_hash_map<std::uint64_t, std::unique_ptr<ConnectionDissector>> dissectors_;
    absl::flat_hash_map<std::uint64_t, std::unique_ptr<StreamConsumer>> dns_dissectors_;
};

}  // namespace trustcap
