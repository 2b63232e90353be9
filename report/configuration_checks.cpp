#include "report/configuration_checks.h"

#include "report/ios_xe_fixes.h"

namespace trustcap {

std::vector<Finding> assess_configuration(const TcpFlow& flow, const FlowIdentity& identity,
                                          const ConnectionFacts* connection, bool through_proxy,
                                          const LicensingTargets& targets) {
    std::vector<Finding> findings;
    std::uint64_t first_frame = flow.side(Direction::client_to_server).syn_frames.empty()
                                    ? flow.first_frame
                                    : flow.side(Direction::client_to_server).syn_frames.front();
    std::uint64_t naming_frame = first_frame;  // the frame that shows the server's name
    if (connection) {
        for (const TlsMessage& message : connection->tls.messages) {
            if (message.kind == TlsMessageKind::client_hello) {
                naming_frame = message.frame;
                break;
            }
        }
        if (connection->http) naming_frame = connection->http->request_frame;
    }
    if (identity.kind == ServerKind::legacy) {
        findings.push_back(Finding{
            FindingKind::legacy_tools_cisco_com, flow.id,
            "The device talks to tools.cisco.com: traditional Smart Licensing / Call Home",
            "Since IOS XE 17.3.2, Smart Licensing Using Policy reports to smartreceiver.cisco.com; a device still "
            "sending to tools.cisco.com has an old transport or URL configured.",
            {naming_frame},
            then(configuration({"license smart transport smart", "license smart url default"}),
                 {"show license status"})});
    }
    bool direct = !through_proxy && !identity.configured_proxy;
    bool licensing = is_cisco_licensing(identity.kind);
    if (!targets.proxies.empty() && direct && licensing) {
        const NamedEndpoint& proxy = targets.proxies.front();
        findings.push_back(Finding{
            FindingKind::proxy_bypassed, flow.id,
            "The device went straight to " + flow.server.to_string() + " instead of through the proxy " +
                proxy.to_string(),
            "The proxy named with --proxy was not used: the device has no proxy configured, or another transport.",
            {first_frame},
            then(configuration({"license smart proxy address " +
                                    (proxy.address ? proxy.address->to_string() : proxy.host),
                                "license smart proxy port " +
                                    (proxy.port ? std::to_string(*proxy.port) : std::string("<port>"))}),
                 {"show license status"})});
    }
    return findings;
}

}  // namespace trustcap
