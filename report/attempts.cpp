#include "report/attempts.h"

#include <algorithm>
#include <optional>

namespace trustcap {
namespace {

std::vector<std::string> error_ids(const FlowReport& flow) {
    std::vector<std::string> ids;
    for (const Finding& finding : flow.findings)
        if (finding.severity == Severity::error) ids.push_back(finding.id);
    std::sort(ids.begin(), ids.end());
    return ids;
}

}  // namespace

std::string server_of(const FlowReport& flow) {
    return flow.server_name.empty() ? flow.server.to_string() : flow.server_name;
}

std::optional<StepName> failed_step(const FlowReport& flow) {
    for (const StepResult& step : flow.steps)
        if (step.status == StepStatus::fail) return step.name;
    return std::nullopt;
}

std::vector<AttemptGroup> group_attempts(const std::vector<FlowReport>& flows) {
    // One server is one name (which may have several addresses) or one
    // address (which some connections name and others do not).
    auto same_server = [&](const AttemptGroup& group, const FlowReport& flow) {
        if (group.device != flow.client.ip) return false;
        return std::any_of(group.flows.begin(), group.flows.end(), [&](std::size_t other) {
            const FlowReport& member = flows[other];
            bool same_name = !flow.server_name.empty() && member.server_name == flow.server_name;
            return same_name || member.server == flow.server;
        });
    };
    std::vector<AttemptGroup> groups;
    for (std::size_t index = 0; index < flows.size(); ++index) {
        const FlowReport& flow = flows[index];
        auto group = std::find_if(groups.begin(), groups.end(), [&](const AttemptGroup& g) { return same_server(g, flow); });
        if (group == groups.end()) {
            groups.push_back(AttemptGroup{flow.client.ip, server_of(flow), {}});
            group = std::prev(groups.end());
        }
        if (group->server != server_of(flow) && !flow.server_name.empty() && group->server.find(':') != std::string::npos)
            group->server = flow.server_name;  // a name says more than the address it was first seen under
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

bool attempt_failed(const FlowReport& flow) {
    return failed_step(flow).has_value() ||
           std::any_of(flow.findings.begin(), flow.findings.end(),
                       [](const Finding& finding) { return finding.severity == Severity::error; });
}

bool failed_alike(const FlowReport& a, const FlowReport& b) {
    return !a.healthy && !b.healthy && failed_step(a) == failed_step(b) && error_ids(a) == error_ids(b);
}

}  // namespace trustcap
