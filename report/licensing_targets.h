#pragma once

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "capture/ip_address.h"
#include "report/server_kinds.h"

namespace trustcap {

inline constexpr const char* smart_receiver_host = "smartreceiver.cisco.com";
inline constexpr const char* legacy_licensing_host = "tools.cisco.com";

// A server or proxy the user named: a host name or an address, with an
// optional port.
struct NamedEndpoint {
    std::string host;                 // lower case; empty when given as an address
    std::optional<IpAddress> address;
    std::optional<std::uint16_t> port;

    // Parses "host", "host:port", "10.1.1.1", "10.1.1.1:8182", "[2001:db8::1]:443".
    static std::optional<NamedEndpoint> parse(const std::string& text);
    [[nodiscard]] bool matches(const Endpoint& endpoint, const std::vector<std::string>& names) const;
    // Whether `host` (a name in any case, or an address) is this endpoint's host or address.
    [[nodiscard]] bool names_host(const std::string& host) const;
    [[nodiscard]] std::string to_string() const;
};

// What trustcap looks for, from its own knowledge and the user's options.
struct LicensingTargets {
    std::vector<NamedEndpoint> servers;  // --server: on-prem SSM or CSLU
    std::vector<NamedEndpoint> proxies;  // --proxy
    bool all_flows = false;              // --all-flows: every TLS flow is checked
};

// The ports licensing traffic may use: 443, CSLU's, the proxies' and servers'
// ports, and `checked_ports` (--port). A connection to one that fails without
// naming its server is still reported, as an attempt.
std::set<std::uint16_t> licensing_ports(const LicensingTargets& targets, const std::set<std::uint16_t>& checked_ports);

// The ports whose connections are read for what they carry: the licensing
// ports, and 80, where a proxy (the Catalyst 9000 guide's) and SSM On-Prem's
// http CSLU URL listen. A connection to 80 counts only once it names a
// licensing host or path.
std::set<std::uint16_t> followed_ports(const LicensingTargets& targets, const std::set<std::uint16_t>& checked_ports);

// licensing for smartreceiver.cisco.com, legacy for tools.cisco.com, other otherwise.
ServerKind kind_of_name(const std::string& name);

// CSLU's port (license smart url cslu http://<cslu>:8182/cslu/v1/pi): every
// connection to it is a licensing connection to an on-prem server.
inline constexpr std::uint16_t cslu_port = 8182;

// Plain HTTP: SSM On-Prem's http CSLU URL (http://<server>/cslu/v1/pi/<tenant-id>), and proxies.
inline constexpr std::uint16_t plain_http_port = 80;

// Whether an HTTP request target is one that only CSLU or SSM On-Prem serve
// to IOS XE devices: /cslu/… (Smart Licensing Using Policy), /SmartTransport
// and /Transportgateway/services/DeviceRequestHandler (Smart and Call Home
// transports to SSM On-Prem). Smartreceiver is reached over TLS, where no
// path is seen.
bool is_onprem_licensing_path(const std::string& target);

// The host part of a CONNECT target "host:port" (or "[v6]:port").
std::string host_of_target(const std::string& target);

}  // namespace trustcap
