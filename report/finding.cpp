#include "report/finding.h"

#include <utility>

namespace trustcap {

Finding::Finding(FindingKind kind, std::optional<std::uint64_t> flow, std::string summary, std::string explanation,
                 std::vector<std::uint64_t> frames, std::vector<std::string> fix)
    : Finding(kind, finding_kind_info(kind).default_severity, flow, std::move(summary), std::move(explanation),
              std::move(frames), std::move(fix)) {}

Finding::Finding(FindingKind kind, Severity severity, std::optional<std::uint64_t> flow, std::string summary,
                 std::string explanation, std::vector<std::uint64_t> frames, std::vector<std::string> fix)
    : kind(kind),
      id(finding_kind_info(kind).id),
      severity(severity),
      flow(flow),
      summary(std::move(summary)),
      explanation(std::move(explanation)),
      frames(std::move(frames)),
      fix(std::move(fix)) {}

Finding& Finding::named(std::string_view name) {
    id = finding_id(kind, name);
    return *this;
}

}  // namespace trustcap
