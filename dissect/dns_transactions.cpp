#include "dissect/dns_transactions.h"

#include <algorithm>

namespace trustcap {

void DnsTransactionTable::add(const DnsMessage& message, const Endpoint& source, const Endpoint& destination,
                              std::uint64_t frame, const Timestamp& time) {
    if (message.questions.empty()) return;
    if (!message.is_response) {
        for (auto it = transactions_.rbegin(); it != transactions_.rend(); ++it) {
            if (it->response_frame || it->id != message.id || it->client != source || it->server != destination ||
                it->question.name != message.questions.front().name)
                continue;
            ++it->retransmissions;
            return;
        }
        if (transactions_.size() >= max_transactions) {
            ++dropped_;
            return;
        }
        DnsTransaction transaction;
        transaction.client = source;
        transaction.server = destination;
        transaction.id = message.id;
        transaction.question = message.questions.front();
        transaction.query_frame = frame;
        transaction.query_time = time;
        transactions_.push_back(std::move(transaction));
        return;
    }
    std::optional<std::size_t> index = pending_query(message, destination, source);
    if (!index) {
        ++unmatched_responses_;
        return;
    }
    DnsTransaction& transaction = transactions_[*index];
    transaction.response_frame = frame;
    transaction.rcode = message.rcode;
    transaction.answers = message.answers;
    remember_addresses(transaction);
}

std::optional<std::size_t> DnsTransactionTable::pending_query(const DnsMessage& response, const Endpoint& client,
                                                              const Endpoint& server) const {
    for (std::size_t i = transactions_.size(); i-- > 0;) {
        const DnsTransaction& transaction = transactions_[i];
        if (!transaction.response_frame && transaction.id == response.id && transaction.client == client &&
            transaction.server == server && transaction.question.name == response.questions.front().name)
            return i;
    }
    return std::nullopt;
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
