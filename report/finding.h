#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "report/finding_kinds.h"

namespace trustcap {

// Evidence plus advice: what was seen, why it matters, the frames that prove
// it, and what to change on the device (IOS XE) or in the network.
struct Finding {
    // Of the kind's default severity.
    Finding(FindingKind kind, std::optional<std::uint64_t> flow, std::string summary, std::string explanation,
            std::vector<std::uint64_t> frames = {}, std::vector<std::string> fix = {});
    // Of a severity the situation decides.
    Finding(FindingKind kind, Severity severity, std::optional<std::uint64_t> flow, std::string summary,
            std::string explanation, std::vector<std::uint64_t> frames = {}, std::vector<std::string> fix = {});
    // A kind whose id has a "<name>" part, e.g. tls.alert.<name>.
    Finding& named(std::string_view name);

    FindingKind kind;
    std::string id;  // the catalogue's, for writing: "tcp.no_synack"
    Severity severity;
    std::optional<std::uint64_t> flow;  // the flow's id; none for capture-wide findings
    std::string summary;
    std::string explanation;
    std::vector<std::uint64_t> frames;
    std::vector<std::string> fix;

    const FindingKindInfo& info() const { return finding_kind_info(kind); }
};

const char* severity_name(Severity severity);

}  // namespace trustcap
