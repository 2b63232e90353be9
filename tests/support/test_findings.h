#pragma once

#include <stdexcept>
#include <string>
#include <string_view>

#include "report/finding.h"

namespace trustcap {

// A finding of the kind `id` names, as tests write them: by the id the report shows.
inline Finding test_finding(std::string_view id, Severity severity, std::optional<std::uint64_t> flow,
                            std::string summary, std::string explanation = "", std::vector<std::uint64_t> frames = {},
                            std::vector<std::string> fix = {}) {
    std::optional<FindingKind> kind = finding_kind_of(id);
    if (!kind) throw std::invalid_argument("no finding kind has the id " + std::string(id));
    Finding finding{*kind, severity, flow, std::move(summary), std::move(explanation), std::move(frames), std::move(fix)};
    const std::size_t name_at = finding_kind_info(*kind).id.find("<name>");
    if (name_at != std::string_view::npos) finding.named(id.substr(name_at));
    return finding;
}

}  // namespace trustcap
