#include "report/dns_checks.h"

#include <algorithm>
#include <map>

namespace trustcap {
namespace {

bool is_licensing_name(const std::string& name, const LicensingTargets& targets) {
    if (!kind_of_name(name).empty()) return true;
    return std::any_of(targets.servers.begin(), targets.servers.end(),
                       [&](const NamedEndpoint& server) { return !server.host.empty() && server.host == name; });
}

bool resolved(const DnsTransaction& transaction) {
    return transaction.response_frame && transaction.rcode == dns_rcode::no_error &&
           std::any_of(transaction.answers.begin(), transaction.answers.end(),
                       [](const DnsAnswer& answer) { return std::holds_alternative<IpAddress>(answer.data); });
}

std::vector<std::string> dns_fix() {
    return {"ip name-server <reachable DNS server>", "ip domain lookup source-interface <interface>",
            "show running-config | include ip name-server|ip domain"};
}

Finding dns_finding(const DnsTransaction& transaction, bool later_resolved) {
    const std::string& name = transaction.question.name;
    std::string server = transaction.server.ip.to_string();
    Severity severity = later_resolved ? Severity::warning : Severity::error;
    std::string outcome = later_resolved ? " (a later query succeeded)" : "";
    std::string device_log = "The device logs \"Unable to resolve server hostname/domain name\".";
    if (!transaction.response_frame) {
        return Finding{"dns.no_answer", severity, std::nullopt,
                       "The DNS server " + server + " never answered the query for " + name + outcome,
                       "The query got no response: the DNS server is unreachable or drops the query. " + device_log,
                       {transaction.query_frame}, dns_fix()};
    }
    std::vector<std::uint64_t> frames{transaction.query_frame, *transaction.response_frame};
    switch (transaction.rcode) {
        case dns_rcode::name_error:
            return Finding{"dns.nxdomain", severity, std::nullopt,
                           "The DNS server " + server + " says " + name + " does not exist (NXDOMAIN)" + outcome,
                           "The device's DNS server cannot resolve the licensing server's name: it is probably an "
                           "internal server without forwarding to the Internet. " + device_log,
                           frames, dns_fix()};
        case dns_rcode::server_failure:
            return Finding{"dns.servfail", severity, std::nullopt,
                           "The DNS server " + server + " failed to resolve " + name + " (SERVFAIL)" + outcome,
                           "The DNS server could not reach the servers for the name. " + device_log, frames, dns_fix()};
        case dns_rcode::refused:
            return Finding{"dns.refused", severity, std::nullopt,
                           "The DNS server " + server + " refused to resolve " + name + " (REFUSED)" + outcome,
                           "The DNS server does not serve the device. " + device_log, frames, dns_fix()};
        default:
            return Finding{"dns.no_answer", severity, std::nullopt,
                           "The DNS answer for " + name + " holds no address (" + dns_rcode_id(transaction.rcode) +
                               ")" + outcome,
                           "The query was answered without an A or AAAA record. " + device_log, frames, dns_fix()};
    }
}

}  // namespace

std::vector<Finding> assess_dns(const DnsTransactionTable& dns, const LicensingTargets& targets) {
    std::map<std::string, bool> name_resolved;
    for (const DnsTransaction& transaction : dns.transactions())
        if (is_licensing_name(transaction.question.name, targets) && resolved(transaction))
            name_resolved[transaction.question.name] = true;

    std::vector<Finding> findings;
    std::map<std::pair<std::string, std::string>, bool> reported;
    for (const DnsTransaction& transaction : dns.transactions()) {
        if (!is_licensing_name(transaction.question.name, targets) || resolved(transaction)) continue;
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
