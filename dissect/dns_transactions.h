#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "capture/ip_address.h"
#include "capture/timestamp.h"
#include "dissect/dns_message.h"

namespace trustcap {

// A DNS query and the response that answered it (if any).
struct DnsTransaction {
    Endpoint client;
    Endpoint server;
    std::uint16_t id = 0;
    DnsQuestion question;
    std::uint64_t query_frame = 0;
    Timestamp query_time;
    std::uint32_t retransmissions = 0;  // the same query sent again before an answer
    std::optional<std::uint64_t> response_frame;
    std::uint8_t rcode = 0;
    std::vector<DnsAnswer> answers;
};

// Pairs DNS queries with their responses and remembers which names resolved
// to which addresses, so that connections can be named by what the device
// asked for. Memory is capped; what does not fit is counted.
class DnsTransactionTable {
public:
    static constexpr std::size_t max_transactions = 10'000;
    static constexpr std::size_t max_names_per_address = 8;

    void add(const DnsMessage& message, const Endpoint& source, const Endpoint& destination, std::uint64_t frame,
             const Timestamp& time);

    [[nodiscard]] const std::vector<DnsTransaction>& transactions() const { return transactions_; }
    [[nodiscard]] std::uint64_t dropped() const { return dropped_; }
    [[nodiscard]] std::uint64_t unmatched_responses() const { return unmatched_responses_; }

    // The names (as asked) that resolved to `address` before or at `frame`.
    [[nodiscard]] std::vector<std::string> names_for(const IpAddress& address, std::uint64_t frame) const;

private:
    struct Resolution {
        std::string name;
        std::uint64_t frame = 0;
    };

    std::optional<std::size_t> pending_query(const DnsMessage& response, const Endpoint& client,
                                             const Endpoint& server) const;
    void remember_addresses(const DnsTransaction& transaction);

    std::vector<DnsTransaction> transactions_;
    std::map<IpAddress, std::vector<Resolution>> resolutions_;
    std::uint64_t dropped_ = 0;
    std::uint64_t unmatched_responses_ = 0;
};

}  // namespace trustcap
