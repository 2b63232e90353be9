#include "dissect/dns_transactions.h"

#include <algorithm>

namespace trustcap {

void DnsTransactionTable::note_unreadable(Bytes message, const Endpoint& source, const Endpoint& destination,
                                          std::uint64_t frame, const std::string& reason) {
    if (unreadable_.messages++ == 0) {
        unreadable_.first_frame = frame;
        unreadable_.first_reason = reason;
    }
    constexpr std::size_t header_size = 12;
    bool is_response = message.size() >= header_size && (message[2] & 0x80) != 0;
    if (!is_response) return;
    auto id = static_cast<std::uint16_t>(message[0] << 8 | message[1]);
    // The query stays pending: a readable copy of the response may follow.
    if (std::optional<std::size_t> index = pending_query(id, nullptr, destination, source)) {
        DnsTransaction& transaction = transactions_[*index];
        if (transaction.response_frame) return;
        transaction.response_frame = frame;
        transaction.rcode = static_cast<std::uint8_t>(message[3] & 0x0f);
        transaction.response_unread = true;
    }
}

void DnsTransactionTable::answer(std::size_t index, std::uint16_t id, std::uint64_t frame, std::uint8_t rcode) {
    DnsTransaction& transaction = transactions_[index];
    transaction.response_frame = frame;
    transaction.rcode = rcode;
    auto [first, last] = pending_.equal_range(query_key(id, transaction.client, transaction.server));
    for (auto it = first; it != last; ++it) {
        if (it->second != index) continue;
        pending_.erase(it);
        break;
    }
}

void DnsTransactionTable::add(const DnsMessage& message, const Endpoint& source, const Endpoint& destination,
                              std::uint64_t frame, const Timestamp& time) {
    if (message.questions.empty()) return;
    if (!message.is_response) {
        if (std::optional<std::size_t> earlier =
                pending_query(message.id, &message.questions.front().name, source, destination)) {
            ++transactions_[*earlier].retransmissions;
            return;
        }
        if (transactions_.size() >= max_transactions) {
            if (dropped_++ == 0) first_dropped_frame_ = frame;
            return;
        }
        DnsTransaction transaction;
        transaction.client = source;
        transaction.server = destination;
        transaction.id = message.id;
        transaction.question = message.questions.front();
        transaction.query_frame = frame;
        transaction.query_time = time;
        pending_.emplace(query_key(message.id, source, destination), transactions_.size());
        transactions_.push_back(std::move(transaction));
        return;
    }
    std::optional<std::size_t> index = pending_query(message.id, &message.questions.front().name, destination, source);
    if (!index) {
        ++unmatched_responses_;
        return;
    }
    answer(*index, message.id, frame, message.rcode);
    DnsTransaction& transaction = transactions_[*index];
    transaction.response_unread = false;
    transaction.answers = message.answers;
    remember_addresses(transaction);
}

std::size_t DnsTransactionTable::query_key(std::uint16_t id, const Endpoint& client, const Endpoint& server) {
    std::uint64_t ports_and_id = std::uint64_t{client.port} << 32 | std::uint64_t{server.port} << 16 | id;
    return client.ip.hash() * 1'000'003u ^ server.ip.hash() * 8'191u ^ std::hash<std::uint64_t>{}(ports_and_id);
}

// The latest unanswered query with this id (and this first name, when given) between these endpoints.
std::optional<std::size_t> DnsTransactionTable::pending_query(std::uint16_t id, const std::string* name,
                                                              const Endpoint& client, const Endpoint& server) const {
    std::optional<std::size_t> latest;
    auto [first, last] = pending_.equal_range(query_key(id, client, server));
    for (auto it = first; it != last; ++it) {
        const DnsTransaction& transaction = transactions_[it->second];
        if (transaction.id == id && transaction.client == client && transaction.server == server &&
            (!name || transaction.question.name == *name) && (!latest || it->second > *latest))
            latest = it->second;
    }
    return latest;
}

void DnsTransactionTable::remember_addresses(const DnsTransaction& transaction) {
    for (const DnsAnswer& answer : transaction.answers) {
        const IpAddress* address = std::get_if<IpAddress>(&answer.data);
        if (!address) continue;
        auto& names = resolutions_[*address];
        bool known = std::any_of(names.begin(), names.end(),
                                 [&](const Resolution& r) { return r.name == transaction.question.name; });
        if (!known && names.size() < max_names_per_address)
            names.push_back({transaction.question.name, *transaction.response_frame});
    }
}

std::vector<std::string> DnsTransactionTable::names_for(const IpAddress& address, std::uint64_t frame) const {
    std::vector<std::string> names;
    auto found = resolutions_.find(address);
    if (found == resolutions_.end()) return names;
    for (const Resolution& resolution : found->second)
        if (resolution.frame <= frame) names.push_back(resolution.name);
    return names;
}

}  // namespace trustcap
