#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "capture/byte_reader.h"
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
    bool response_unread = false;  // the response came but could not be read past its header
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
    // A message to or from port 53 that could not be read (`reason`, one
    // line). A response whose header is whole still answers its query.
    void note_unreadable(Bytes message, const Endpoint& source, const Endpoint& destination, std::uint64_t frame,
                         const std::string& reason);

    // Messages not read, and queries past max_transactions: counted, with the first frame.
    struct Unread {
        std::uint64_t messages = 0;
        std::uint64_t first_frame = 0;
        std::string first_reason;
    };
    [[nodiscard]] const Unread& unreadable() const { return unreadable_; }
    [[nodiscard]] std::uint64_t dropped() const { return dropped_; }
    [[nodiscard]] std::uint64_t first_dropped_frame() const { return first_dropped_frame_; }
    [[nodiscard]] std::uint64_t unmatched_responses() const { return unmatched_responses_; }

    // The names (as asked) that resolved to `address` before or at `frame`.
    [[nodiscard]] std::vector<std::string> names_for(const IpAddress& address, std::uint64_t frame) const;

private:
    struct Resolution {
        std::string name;
        std::uint64_t frame = 0;
    };

    static std::size_t query_key(std::uint16_t id, const Endpoint& client, const Endpoint& server);
    std::optional<std::size_t> pending_query(std::uint16_t id, const std::string* name, const Endpoint& client,
                                             const Endpoint& server) const;
    void answer(std::size_t index, std::uint16_t id, std::uint64_t frame, std::uint8_t rcode);
    void remember_addresses(const DnsTransaction& transaction);

    std::vector<DnsTransaction> transactions_;
    // Unanswered queries (indexes into transactions_) by query_key: a flood
    // of queries or responses costs no scan of the table.
    std::unordered_multimap<std::size_t, std::size_t> pending_;
    std::map<IpAddress, std::vector<Resolution>> resolutions_;
    Unread unreadable_;
    std::uint64_t dropped_ = 0;
    std::uint64_t first_dropped_frame_ = 0;
    std::uint64_t unmatched_responses_ = 0;
};

}  // namespace trustcap
