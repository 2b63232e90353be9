#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <vector>

#include "capture/tcp_flow.h"
#include "dissect/connection_facts.h"
#include "dissect/dns_transactions.h"
#include "dissect/tls_summary.h"
#include "report/licensing_targets.h"
#include "report/report.h"

namespace trustcap {

// Everything known about one TCP connection.
struct FlowEvidence {
    const TcpFlow* flow = nullptr;
    const ConnectionFacts* connection = nullptr;  // null when its bytes were not dissected
    TlsSummary tls;
};

// Connections per server on port 443, or on any port when they carried TLS or
// HTTP: what a capture held instead of licensing traffic.
using HttpsServerCounts = std::map<Endpoint, std::uint64_t>;

// Flows a live capture judged as they finished, found not to be checked, and
// let go: only what the capture-wide findings still need of them.
struct ForgottenFlows {
    static constexpr std::size_t max_servers = 4096;
    std::uint64_t count = 0;
    HttpsServerCounts https_servers;  // at most max_servers; later servers are not listed

    void add(const TcpFlow& flow, bool carried_tls_or_http);
    // Only its server, for a flow that counts elsewhere (summarised or dropped).
    void add_server_only(const TcpFlow& flow, bool carried_tls_or_http);
};

// What judging a flow needs besides the flow itself.
struct JudgingContext {
    const DnsTransactionTable* dns = nullptr;
    LicensingTargets targets;
    std::set<std::uint16_t> checked_ports;  // --port: every connection to these is checked
    std::set<std::uint16_t> attempt_ports;  // 443 and the proxies' ports: unidentified attempts count
    const std::vector<CaptureLoss>* capture_losses = nullptr;  // none when null
};

struct ReportInputs {
    CaptureSummary capture;
    std::vector<FlowEvidence> flows;  // in the order of their first frame
    ForgottenFlows forgotten;
    SummarisedAttempts summarised;  // attempts counted instead of listed
    JudgingContext context;
};

// Why the report checks a flow, if it does.
enum class FlowSelection {
    none,
    identified,  // a licensing, legacy or on-prem server, or a proxy
    requested,   // --port, or --all-flows
    attempt,     // an unidentified connection attempt to port 443 or a proxy's port that failed
};
FlowSelection select_flow(const FlowEvidence& evidence, const JudgingContext& context);

// Whether the connection's bytes were TLS or HTTP, whoever it was for.
bool carried_tls_or_http(const FlowEvidence& evidence);

// Finds the licensing connections, judges each, and judges the capture.
Report build_report(ReportInputs inputs);

// One finished flow judged on its own, as it finishes during a live capture:
// nullopt for a flow trustcap would not check. An unidentified attempt
// (identified_by "attempt") is left out of the final report when another
// flow is identified.
std::optional<FlowReport> judge_finished_flow(const FlowEvidence& evidence, const JudgingContext& context);

// A flow of the licensing exchange itself (licensing, legacy or on-prem
// server, or a port asked for with --port), not one merely checked.
bool is_licensing_flow(const FlowReport& flow, const std::set<std::uint16_t>& checked_ports);

}  // namespace trustcap
