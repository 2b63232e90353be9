#pragma once

#include <vector>

#include "dissect/dns_transactions.h"
#include "report/finding.h"
#include "report/licensing_targets.h"

namespace trustcap {

// Capture-wide findings about the lookups of licensing servers' names.
std::vector<Finding> assess_dns(const DnsTransactionTable& dns, const LicensingTargets& targets);

// True when the capture holds a query for a licensing server's name.
bool has_licensing_query(const DnsTransactionTable& dns, const LicensingTargets& targets);

}  // namespace trustcap
