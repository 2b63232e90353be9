#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "capture/tcp_flow.h"
#include "dissect/connection_facts.h"
#include "dissect/dns_transactions.h"
#include "report/licensing_targets.h"

namespace trustcap {


// The names a connection carries, in the order they count.
struct ConnectionNames {
    std::string sni;                             // the Client Hello's server name
    std::string connect_host;                    // the host of a CONNECT request's target
    std::string http_target;                     // a plain HTTP request's target
    std::vector<std::string> dns_names;          // DNS answers for the server's address before the connection
    std::vector<std::string> certificate_names;  // the server certificate's, when the device named nothing
};

// The names the device gave a connection to `server`: its Client Hello's
// server name, its CONNECT target, and the DNS answers for the server's
// address before `first_frame`.
ConnectionNames device_names(const Endpoint& server, std::uint64_t first_frame, const std::string& sni,
                             const std::string& connect_target, const DnsTransactionTable& dns);

// What a finished connection's dissector and the DNS answers before it say; no certificate names.
ConnectionNames names_of_connection(const TcpFlow& flow, const ConnectionFacts* connection,
                                    const DnsTransactionTable& dns);

// Whom a connection was for, and how trustcap knows. The one rule for keeping
// a connection's bytes, checking its server's certificate and reporting it.
struct FlowIdentity {
    ServerKind kind = ServerKind::other;
    NamingSource named_by = NamingSource::none;
    std::string server_name;        // the licensing name when one was seen, else the first name; may be empty
    std::string requested_name;     // the name the device asked for (SNI, CONNECT, DNS): the certificate must match it
    bool configured_proxy = false;  // the server is a proxy named with --proxy
};

FlowIdentity identify_flow(const Endpoint& server, const ConnectionNames& names, const LicensingTargets& targets);

}  // namespace trustcap
