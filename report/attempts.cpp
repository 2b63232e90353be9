#include "report/attempts.h"

#include <algorithm>
#include <optional>

namespace trustcap {
namespace {

std::string server_of(const FlowReport& flow) {
    return flow.server_name.empty() ? flow.server.to_string() : flow.server_name;
}

std::optional<StepName> failed_step(const FlowReport& flow) {
    for (const StepResult& step : flow.steps)
        if (step.status == StepStatus::fail) return step.name;
    return std::nullopt;
}

std::vector<std::string> error_ids(const FlowReport& flow) {
    std::vector<std::string> ids;
    for (const Finding& finding : flow.findings)
        if (finding.severity == Severity::error) ids.push_back(finding.id);
    std::sort(ids.begin(), ids.end());
    return ids;
}

}  // namespace

std::vector<AttemptGroup> group_attempts(const std::vector<FlowReport>& flows) {
    std::vector<AttemptGroup> groups;
    for (std::size_t index = 0; index < flows.size(); ++index) {
        const FlowReport& flow = flows[index];
        std::string server = server_of(flow);
        auto group = std::find_if(groups.begin(), groups.end(), [&](const AttemptGroup& g) {
            return g.device == flow.client.ip && g.server == server;
        });
        if (group == groups.end()) {
            groups.push_back(AttemptGroup{flow.client.ip, server, {}});
            group = std::prev(groups.end());
        }
        group->flows.push_back(index);
    }
    for (AttemptGroup& group : groups)
        std::stable_sort(group.flows.begin(), group.flows.end(),
                         [&](std::size_t a, std::size_t b) { return flows[a].start < flows[b].start; });
    return groups;
}

const FlowReport& last_attempt(const Report& report, const AttemptGroup& group) {
    return report.flows[group.flows.back()];
}

bool failed_alike(const FlowReport& a, const FlowReport& b) {
    return !a.healthy && !b.healthy && failed_step(a) == failed_step(b) && error_ids(a) == error_ids(b);
}

}  // namespace trustcap
