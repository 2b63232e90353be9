#include "licensing_interest.h"

#include <algorithm>

namespace trustcap {

ConnectionDissector::InterestTest licensing_interest(const TcpFlow& flow, const DnsTransactionTable& dns,
                                                     const LicensingTargets& targets,
                                                     const std::set<std::uint16_t>& checked_ports) {
    Endpoint server = flow.server;
    std::uint64_t first_frame = flow.first_frame;
    return [&dns, &targets, &checked_ports, server, first_frame](const std::string& server_name,
                                                                 const std::string& connect_target) {
        if (targets.all_flows || checked_ports.contains(server.port) || server.port == cslu_port) return true;
        std::vector<std::string> names = dns.names_for(server.ip, first_frame);
        if (!server_name.empty()) names.push_back(server_name);
        if (!connect_target.empty()) names.push_back(host_of_target(connect_target));
        if (std::any_of(names.begin(), names.end(), [](const std::string& name) { return !kind_of_name(name).empty(); }))
            return true;
        auto named = [&](const NamedEndpoint& endpoint) { return endpoint.matches(server, names); };
        return std::any_of(targets.servers.begin(), targets.servers.end(), named) ||
               std::any_of(targets.proxies.begin(), targets.proxies.end(), named);
    };
}

}  // namespace trustcap
