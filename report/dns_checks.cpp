#include "report/dns_checks.h"

#include <algorithm>
#include <map>
#include <optional>

#include "report/ios_xe_fixes.h"
#include "report/wording.h"

namespace trustcap {
namespace {

bool is_licensing_name(const std::string& name, const LicensingTargets& targets) {
    if (kind_of_name(name) != ServerKind::other) return true;
    return std::any_of(targets.servers.begin(), targets.servers.end(),
                       [&](const NamedEndpoint& server) { return !server.host.empty() && server.host == name; });
}

bool resolved(const DnsTransaction& transaction) {
    return transaction.response_frame && transaction.rcode == dns_rcode::no_error &&
           std::any_of(transaction.answers.begin(), transaction.answers.end(),
                       [](const DnsAnswer& answer) { return std::holds_alternative<IpAddress>(answer.data); });
}

std::vector<std::string> dns_fix() {
    return then(then({"show running-config | include ip name-server|ip domain"},
                     configuration({"ip name-server <dns-server>", "ip domain lookup source-interface <interface>"})),
                then({"Where the licensing traffic leaves through a VRF, name the server in that VRF:"},
                     configuration({"ip name-server vrf <vrf> <dns-server>"})));
}

Finding dns_finding(const DnsTransaction& transaction, bool later_resolved) {
    const std::string& name = transaction.question.name;
    std::string server = transaction.server.ip.to_string();
    Severity severity = later_resolved ? Severity::warning : Severity::error;
    std::string outcome = later_resolved ? " (a later query succeeded)" : "";
    std::string device_log = "The device logs \"Unable to resolve server hostname/domain name\".";
    if (!transaction.response_frame) {
        return Finding{FindingKind::dns_no_answer, severity, std::nullopt,
                       "The DNS server " + server + " never answered the query for " + name + outcome,
                       "The query got no response: the DNS server is unreachable or drops the query. " + device_log,
                       {transaction.query_frame}, dns_fix()};
    }
    std::vector<std::uint64_t> frames{transaction.query_frame, *transaction.response_frame};
    switch (transaction.rcode) {
        case dns_rcode::name_error:
            return Finding{FindingKind::dns_nxdomain, severity, std::nullopt,
                           "The DNS server " + server + " says " + name + " does not exist (NXDOMAIN)" + outcome,
                           "The device's DNS server cannot resolve the licensing server's name: it is probably an "
                           "internal server without forwarding to the Internet. " + device_log,
                           frames, dns_fix()};
        case dns_rcode::server_failure:
            return Finding{FindingKind::dns_servfail, severity, std::nullopt,
                           "The DNS server " + server + " failed to resolve " + name + " (SERVFAIL)" + outcome,
                           "The DNS server could not reach the servers for the name. " + device_log, frames, dns_fix()};
        case dns_rcode::refused:
            return Finding{FindingKind::dns_refused, severity, std::nullopt,
                           "The DNS server " + server + " refused to resolve " + name + " (REFUSED)" + outcome,
                           "The DNS server does not serve the device. " + device_log, frames, dns_fix()};
        default:
            return Finding{FindingKind::dns_no_address, severity, std::nullopt,
                           "The DNS answer for " + name + " holds no address (" + dns_rcode_id(transaction.rcode) +
                               ")" + outcome,
                           "The query was answered without an A or AAAA record. " + device_log, frames, dns_fix()};
    }
}

// DNS messages trustcap did not read: malformed (a hostile name, a
// compression loop, a message cut short) or past its transaction table.
std::optional<Finding> unread_messages_finding(const DnsTransactionTable& dns, const LicensingTargets& targets) {
    const DnsTransactionTable::Unread& unreadable = dns.unreadable();
    std::vector<std::string> parts;
    std::vector<std::uint64_t> frames;
    if (unreadable.messages > 0) {
        parts.push_back(std::to_string(unreadable.messages) + " to or from port 53 could not be read (first in frame " +
                        std::to_string(unreadable.first_frame) + ": " + unreadable.first_reason + ")");
        frames.push_back(unreadable.first_frame);
    }
    if (dns.dropped() > 0) {
        parts.push_back(std::to_string(dns.dropped()) + " queries from frame " + std::to_string(dns.first_dropped_frame()) +
                        " on were past trustcap's limit of " + std::to_string(DnsTransactionTable::max_transactions) +
                        " lookups");
        frames.push_back(dns.first_dropped_frame());
    }
    if (parts.empty()) return std::nullopt;
    std::string summary = "DNS messages were not read: " + joined(parts, "; ");
    bool licensing_answer_unread = false;
    for (const DnsTransaction& transaction : dns.transactions()) {
        if (!transaction.response_unread || !is_licensing_name(transaction.question.name, targets)) continue;
        summary += ". Among them the answer to the lookup of " + transaction.question.name + " in frame " +
                   std::to_string(*transaction.response_frame);
        if (*transaction.response_frame != unreadable.first_frame) frames.push_back(*transaction.response_frame);
        licensing_answer_unread = true;
        break;
    }
    bool missing_lookups = dns.dropped() > 0 || licensing_answer_unread;
    return Finding{FindingKind::dns_unread_messages, missing_lookups ? Severity::warning : Severity::info, std::nullopt,
                   std::move(summary),
                   "trustcap reads names of at most 255 bytes, follows at most 64 compression pointers and only "
                   "pointers backwards (RFC 1035 4.1.4), and keeps a bounded table of lookups, so that no message "
                   "can make it loop or grow without end. Lookups in the messages not read are missing from the "
                   "report: a connection they named may be shown by its address.",
                   std::move(frames), {}};
}

}  // namespace

std::vector<Finding> assess_dns(const DnsTransactionTable& dns, const LicensingTargets& targets) {
    std::map<std::string, bool> name_resolved;
    for (const DnsTransaction& transaction : dns.transactions())
        if (is_licensing_name(transaction.question.name, targets) && resolved(transaction))
            name_resolved[transaction.question.name] = true;

    std::vector<Finding> findings;
    if (auto finding = unread_messages_finding(dns, targets)) findings.push_back(std::move(*finding));
    std::map<std::pair<std::string, std::string>, bool> reported;
    for (const DnsTransaction& transaction : dns.transactions()) {
        if (!is_licensing_name(transaction.question.name, targets) || resolved(transaction)) continue;
        if (transaction.response_unread) continue;  // told by dns.unread_messages: it may have resolved
        if (transaction.question.type != dns_type::a && transaction.question.type != dns_type::aaaa) continue;
        if (transaction.response_frame && transaction.rcode == dns_rcode::no_error &&
            transaction.question.type == dns_type::aaaa)
            continue;  // no IPv6 address is normal when IPv4 resolves
        Finding finding = dns_finding(transaction, name_resolved[transaction.question.name]);
        if (reported[{transaction.question.name, finding.id}]) continue;
        reported[{transaction.question.name, finding.id}] = true;
        findings.push_back(std::move(finding));
    }
    return findings;
}

bool has_licensing_query(const DnsTransactionTable& dns, const LicensingTargets& targets) {
    return std::any_of(dns.transactions().begin(), dns.transactions().end(),
                       [&](const DnsTransaction& t) { return is_licensing_name(t.question.name, targets); });
}

}  // namespace trustcap
