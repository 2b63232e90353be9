#include "report/licensing_interest.h"

#include "report/flow_identity.h"

namespace trustcap {

ConnectionDissector::InterestTest licensing_interest(const TcpFlow& flow, const DnsTransactionTable& dns,
                                                     const LicensingTargets& targets,
                                                     const std::set<std::uint16_t>& checked_ports) {
    Endpoint server = flow.server;
    std::uint64_t first_frame = flow.first_frame;
    return [&dns, &targets, &checked_ports, server, first_frame](const std::string& server_name,
                                                                 const std::string& connect_target) {
        if (targets.all_flows || checked_ports.contains(server.port)) return true;
        ConnectionNames names;
        names.sni = server_name;
        if (!connect_target.empty()) names.connect_host = host_of_target(connect_target);
        names.dns_names = dns.names_for(server.ip, first_frame);
        FlowIdentity identity = identify_flow(server, names, targets);
        return identity.kind != ServerKind::other || identity.configured_proxy;
    };
}

}  // namespace trustcap
