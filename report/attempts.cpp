#include "report/attempts.h"

#include <algorithm>
#include <map>
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
    // address (which some connections name and others do not): a flow joins
    // the earliest group of its device holding a flow of the same name or
    // the same server address. The indexes keep, per device and name or
    // address, the earliest such group, so a report of many flows is grouped
    // in n log n.
    std::map<std::pair<IpAddress, std::string>, std::size_t> group_by_name;
    std::map<std::pair<IpAddress, Endpoint>, std::size_t> group_by_server;
    auto remember = [](auto& index, auto key, std::size_t group) {
        auto [position, inserted] = index.emplace(std::move(key), group);
        if (!inserted) position->second = std::min(position->second, group);
    };
    std::vector<AttemptGroup> groups;
    for (std::size_t index = 0; index < flows.size(); ++index) {
        const FlowReport& flow = flows[index];
        std::optional<std::size_t> joined;
        if (auto found = group_by_server.find({flow.client.ip, flow.server}); found != group_by_server.end())
            joined = found->second;
        if (!flow.server_name.empty())
            if (auto found = group_by_name.find({flow.client.ip, flow.server_name}); found != group_by_name.end())
                joined = std::min(joined.value_or(found->second), found->second);
        if (!joined) {
            groups.push_back(AttemptGroup{flow.client.ip, server_of(flow), {}});
            joined = groups.size() - 1;
        }
        AttemptGroup& group = groups[*joined];
        if (group.server != server_of(flow) && !flow.server_name.empty() && group.server.find(':') != std::string::npos)
            group.server = flow.server_name;  // a name says more than the address it was first seen under
        group.flows.push_back(index);
        remember(group_by_server, std::pair{flow.client.ip, flow.server}, *joined);
        if (!flow.server_name.empty()) remember(group_by_name, std::pair{flow.client.ip, flow.server_name}, *joined);
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
