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
        FlowIdentity identity =
            identify_flow(server, device_names(server, first_frame, server_name, connect_target, dns), targets);
        return identity.kind != ServerKind::other || identity.configured_proxy;
    };
}

}  // namespace trustcap
