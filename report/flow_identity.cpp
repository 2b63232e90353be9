#include "report/flow_identity.h"

#include <algorithm>
#include <utility>

namespace trustcap {

ConnectionNames device_names(const Endpoint& server, std::uint64_t first_frame, const std::string& sni,
                             const std::string& connect_target, const DnsTransactionTable& dns) {
    ConnectionNames names;
    names.sni = sni;
    if (!connect_target.empty()) names.connect_host = host_of_target(connect_target);
    names.dns_names = dns.names_for(server.ip, first_frame);
    return names;
}

ConnectionNames names_of_connection(const TcpFlow& flow, const ConnectionFacts* connection,
                                    const DnsTransactionTable& dns) {
    std::string sni;
    std::string connect_target;
    std::string http_target;
    if (connection) {
        for (const TlsMessage& message : connection->tls.messages)
            if (message.kind == TlsMessageKind::client_hello && message.client_hello &&
                !message.client_hello->server_name.empty()) {
                sni = message.client_hello->server_name;
                break;
            }
        if (const auto& http = connection->http) {
            if (http->request.method == "CONNECT")
                connect_target = http->request.target;
            else
                http_target = http->request.target;
        }
    }
    ConnectionNames names = device_names(flow.server, flow.first_frame, sni, connect_target, dns);
    names.http_target = std::move(http_target);
    return names;
}

FlowIdentity identify_flow(const Endpoint& server, const ConnectionNames& names, const LicensingTargets& targets) {
    FlowIdentity identity;
    identity.configured_proxy =
        std::any_of(targets.proxies.begin(), targets.proxies.end(),
                    [&](const NamedEndpoint& proxy) { return proxy.matches(server, names.dns_names); });

    std::vector<std::pair<std::string, NamingSource>> candidates;
    if (!names.sni.empty()) candidates.emplace_back(names.sni, NamingSource::sni);
    if (!names.connect_host.empty()) candidates.emplace_back(names.connect_host, NamingSource::connect);
    for (const std::string& name : names.dns_names) candidates.emplace_back(name, NamingSource::dns);
    if (!candidates.empty()) identity.requested_name = candidates.front().first;
    // Without a name from the device's side, the server's certificate names it: only a licensing name counts,
    // so that other connections keep their address as their name.
    if (candidates.empty())
        for (const std::string& name : names.certificate_names)
            if (kind_of_name(name) != ServerKind::other) candidates.emplace_back(name, NamingSource::certificate);

    for (const auto& candidate : candidates) {
        ServerKind kind = kind_of_name(candidate.first);
        if (kind == ServerKind::other) continue;
        identity.kind = kind;
        identity.server_name = candidate.first;
        identity.named_by = candidate.second;
        return identity;
    }
    if (!candidates.empty()) identity.server_name = candidates.front().first;

    // On-prem servers are named by the user; through a proxy the target is what counts.
    std::vector<std::string> candidate_names;
    for (const auto& candidate : candidates) candidate_names.push_back(candidate.first);
    const std::string& connect_host = names.connect_host;
    for (const NamedEndpoint& named : targets.servers) {
        bool matches = connect_host.empty() ? named.matches(server, candidate_names) : named.names_host(connect_host);
        if (!matches) continue;
        identity.kind = ServerKind::onprem;
        identity.named_by = NamingSource::server;
        if (identity.server_name.empty()) identity.server_name = named.to_string();
        return identity;
    }
    // CSLU and SSM On-Prem without --server: by CSLU's port, or by the paths they serve over plain HTTP.
    const bool onprem_path = !names.http_target.empty() && is_onprem_licensing_path(names.http_target);
    if (server.port == cslu_port || onprem_path) {
        identity.kind = ServerKind::onprem;
        identity.named_by = server.port == cslu_port ? NamingSource::port : NamingSource::path;
        if (identity.server_name.empty()) identity.server_name = server.to_string();
        return identity;
    }
    if (identity.configured_proxy && connect_host.empty()) {
        identity.kind = ServerKind::licensing;
        identity.named_by = NamingSource::proxy;
    }
    return identity;
}

}  // namespace trustcap
