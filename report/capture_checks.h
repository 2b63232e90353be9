#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "dissect/dns_transactions.h"
#include "report/finding.h"
#include "report/licensing_targets.h"
#include "report/report.h"
#include "report/report_builder.h"

namespace trustcap {

// Capture-wide findings: a damaged file, undecodable frames, memory limits,
// failed lookups of the licensing names, and no licensing traffic at all
// (with what was seen instead).
std::vector<Finding> assess_capture(const CaptureSummary& capture, const HttpsServerCounts& https_servers,
                                    bool no_flow_checked, std::uint64_t other_tcp_flows,
                                    const DnsTransactionTable& dns, const LicensingTargets& targets);

// Connection attempts counted rather than listed: told, with whom they were for.
std::optional<Finding> assess_summarised_attempts(const SummarisedAttempts& attempts);

}  // namespace trustcap
