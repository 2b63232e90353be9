#include "report/flow_identity.h"

#include <algorithm>

namespace trustcap {

FlowIdentity identify_flow(const TcpFlow& flow, const ConnectionDissector* connection, const TlsSummary& tls,
                           const DnsTransactionTable& dns, const LicensingTargets& targets) {
    FlowIdentity identity;
    std::vector<std::string> dns_names = dns.names_for(flow.server.ip, flow.first_frame);
    identity.configured_proxy =
        std::any_of(targets.proxies.begin(), targets.proxies.end(),
                    [&](const NamedEndpoint& proxy) { return proxy.matches(flow.server, dns_names); });

    std::string connect_host;
    if (connection && connection->http() && connection->http()->request.method == "CONNECT")
        connect_host = host_of_target(connection->http()->request.target);

    std::vector<std::pair<std::string, const char*>> candidates;
    if (!tls.server_name.empty()) candidates.emplace_back(tls.server_name, "sni");
    if (!connect_host.empty()) candidates.emplace_back(connect_host, "connect");
    for (const std::string& name : dns_names) candidates.emplace_back(name, "dns");
    // Without a name from the device's side, the server's certificate names it: only a licensing name counts,
    // so that other connections keep their address as their name.
    if (candidates.empty() && tls.server_chain && !tls.server_chain->certificates.empty())
        for (const std::string& name : certificate_host_names(tls.server_chain->certificates.front()))
            if (!kind_of_name(name).empty()) candidates.emplace_back(name, "certificate");

    for (const auto& [name, source] : candidates) {
        std::string kind = kind_of_name(name);
        if (kind.empty()) continue;
        identity.kind = kind;
        identity.server_name = name;
        identity.identified_by = source;
        return identity;
    }
    if (!candidates.empty()) identity.server_name = candidates.front().first;

    // On-prem servers are named by the user; through a proxy the target is what counts.
    Endpoint target = flow.server;
    std::vector<std::string> names;
    for (const auto& candidate : candidates) names.push_back(candidate.first);
    for (const NamedEndpoint& server : targets.servers) {
        bool matches = connect_host.empty() ? server.matches(target, names)
                                            : (!server.host.empty() && server.host == connect_host) ||
                                                  (server.address && server.address->to_string() == connect_host);
        if (!matches) continue;
        identity.kind = "onprem";
        identity.identified_by = "server";
        if (identity.server_name.empty()) identity.server_name = server.to_string();
        return identity;
    }
    // CSLU and SSM On-Prem without --server: by CSLU's port, or by the paths they serve over plain HTTP.
    const bool plain_http = connection && connection->http() && connection->http()->request.method != "CONNECT";
    if (flow.server.port == cslu_port || (plain_http && is_onprem_licensing_path(connection->http()->request.target))) {
        identity.kind = "onprem";
        identity.identified_by = flow.server.port == cslu_port ? "port" : "path";
        if (identity.server_name.empty()) identity.server_name = flow.server.to_string();
        return identity;
    }
    if (identity.configured_proxy && connect_host.empty()) {
        identity.kind = "licensing";
        identity.identified_by = "proxy";
    }
    return identity;
}

}  // namespace trustcap
