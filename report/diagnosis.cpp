#include "report/diagnosis.h"

#include <algorithm>
#include <cctype>
#include <optional>
#include <vector>

#include "report/attempts.h"

namespace trustcap {
namespace {

std::string lowered_first(std::string text) {
    if (text.size() > 1 && std::isupper(static_cast<unsigned char>(text[0])) &&
        !std::isupper(static_cast<unsigned char>(text[1])))
        text[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(text[0])));
    return text;
}

std::string name_of(const FlowReport& flow) {
    std::string kind = is_cisco_licensing(flow.kind)        ? "licensing connection"
                       : flow.kind == ServerKind::onprem ? "connection to the on-prem server"
                                                         : "connection";
    return "The " + kind + (kind == "connection to the on-prem server" ? " " : " to ") + server_of(flow);
}

// The error that explains why `step` failed, if a finding says so: of the
// kinds that can explain that step, the lowest reason rank; then the first.
const Finding* reason_for(const std::vector<Finding>& findings, StepName step) {
    const Finding* reason = nullptr;
    for (const Finding& finding : findings) {
        const FindingKindInfo& kind = finding.info();
        if (finding.severity != Severity::error || !(kind.explains & step_bit(step))) continue;
        if (!reason || kind.reason_rank < reason->info().reason_rank) reason = &finding;
    }
    return reason;
}

// A tcp.reset already says when the reset was forged, so tcp.reset_injected adds nothing to it.
bool already_said_by(const Finding& cause, const Finding* shown) {
    return shown && shown->kind == FindingKind::tcp_reset && cause.kind == FindingKind::tcp_reset_injected;
}

// The finding that names the root cause behind the symptom a step's reason shows.
const Finding* root_cause(const std::vector<Finding>& findings, const Finding* shown) {
    const Finding* cause = nullptr;
    for (const Finding& finding : findings) {
        std::optional<std::uint8_t> rank = finding.info().root_cause_rank;
        if (!rank || finding.severity != Severity::error || &finding == shown || already_said_by(finding, shown)) continue;
        if (!cause || *rank < *cause->info().root_cause_rank) cause = &finding;
    }
    return cause;
}

const Finding* first_with(const std::vector<Finding>& findings, Severity severity) {
    for (const Finding& finding : findings)
        if (finding.severity == severity) return &finding;
    return nullptr;
}

const StepResult* step_of(const FlowReport& flow, StepName name) {
    for (const StepResult& step : flow.steps)
        if (step.name == name) return &step;
    return nullptr;
}

std::string worked(const FlowReport& flow) {
    const StepResult* appdata = step_of(flow, StepName::appdata);
    std::string how = name_of(flow) + " worked";
    if (appdata && appdata->frames.size() >= 2)
        how += " (request at frame " + std::to_string(appdata->frames[0]) + ", answer at frame " +
               std::to_string(appdata->frames[1]) + ")";
    return how;
}

std::string attempt_word(std::size_t number) { return "attempt " + std::to_string(number); }

std::uint64_t first_frame_of(const FlowReport& flow) {
    for (const StepResult& step : flow.steps)
        if (!step.frames.empty()) return *std::min_element(step.frames.begin(), step.frames.end());
    return flow.timeline.empty() ? 0 : flow.timeline.front().frame;
}

// One device's attempts at one server, in one sentence.
std::string diagnose_group(const Report& report, const AttemptGroup& group) {
    const FlowReport& last = last_attempt(report, group);
    std::size_t count = group.flows.size();
    if (count == 1) return diagnose_flow(last);
    std::vector<std::size_t> failed;
    for (std::size_t i = 0; i < count; ++i)
        if (!report.flows[group.flows[i]].healthy) failed.push_back(i);
    const FlowReport& first = report.flows[group.flows.front()];
    if (failed.empty()) {
        for (std::size_t index : group.flows)
            if (const Finding* warning = first_with(report.flows[index].findings, Severity::warning))
                return "All " + std::to_string(count) + " connections to " + group.server + " worked, but " +
                       lowered_first(warning->summary);
        return "All " + std::to_string(count) + " connections to " + group.server + " passed every step";
    }
    if (last.healthy) {
        const FlowReport& earlier = report.flows[group.flows[failed.front()]];
        return name_of(last) + " worked at " + attempt_word(count) + " (frame " + std::to_string(first_frame_of(last)) +
               "), but " + std::to_string(failed.size()) + " earlier " + (failed.size() == 1 ? "attempt" : "attempts") +
               " did not: " + lowered_first(diagnose_flow(earlier));
    }
    bool all_alike = failed.size() == count &&
                     std::all_of(group.flows.begin(), group.flows.end(), [&](std::size_t index) {
                         return failed_alike(report.flows[index], first);
                     });
    if (all_alike)
        return std::to_string(count) + " attempts to " + group.server + ", all " +
               (failed_step(first) ? "failed" : "ended") + " the same way (first at frame " +
               std::to_string(first_frame_of(first)) + "): " + lowered_first(diagnose_flow(first));
    return std::to_string(count) + " attempts to " + group.server + ", the last one at frame " +
           std::to_string(first_frame_of(last)) + ": " + lowered_first(diagnose_flow(last));
}

}  // namespace

std::string diagnose_flow(const FlowReport& flow) {
    if (std::optional<StepName> failed_name = failed_step(flow)) {
        const StepResult* failed = step_of(flow, *failed_name);
        const Finding* reason = reason_for(flow.findings, failed->name);
        std::string why = reason ? lowered_first(reason->summary) : failed->detail;
        std::string cause;
        if (const Finding* deeper = root_cause(flow.findings, reason)) cause = "; " + lowered_first(deeper->summary);
        return name_of(flow) + " failed at step " + step_name(failed->name) + ": " + why + cause;
    }
    if (flow.healthy) {
        if (const Finding* warning = first_with(flow.findings, Severity::warning))
            return worked(flow) + ", but " + lowered_first(warning->summary);
        for (const StepResult& step : flow.steps)
            if (step.status == StepStatus::not_seen || step.status == StepStatus::unknown)
                return worked(flow) + "; the capture does not show its " + step_name(step.name) + " step: " + step.detail;
        return name_of(flow) + " passed every step";
    }
    for (auto step = flow.steps.begin(); step != flow.steps.end(); ++step) {
        if (step->status != StepStatus::unknown && step->status != StepStatus::not_seen) continue;
        if (step->name == StepName::teardown) continue;
        // A step the capture started after is not what keeps the exchange from being judged.
        bool later_evidence = std::any_of(std::next(step), flow.steps.end(), [](const StepResult& later) {
            return later.name != StepName::teardown && !later.frames.empty();
        });
        if (step->status == StepStatus::not_seen && later_evidence) continue;
        return name_of(flow) + " cannot be judged at step " + step_name(step->name) + ": " + step->detail;
    }
    if (const Finding* error = first_with(flow.findings, Severity::error))
        return name_of(flow) + " went through every step, but " + lowered_first(error->summary);
    return name_of(flow) + " cannot be judged: " + step_of(flow, StepName::appdata)->detail;
}

std::string diagnose(const Report& report) {
    if (!report.flows.empty()) {
        // The first group that failed speaks first; otherwise the first group.
        const AttemptGroup* speaking = nullptr;
        for (const AttemptGroup& group : report.attempts)
            if (!last_attempt(report, group).healthy) {
                speaking = &group;
                break;
            }
        if (report.healthy && report.attempts.size() > 1) {
            for (const AttemptGroup& group : report.attempts)
                if (std::any_of(group.flows.begin(), group.flows.end(),
                                [&](std::size_t index) { return !report.flows[index].healthy; }))
                    return "Every server answered in the end. " + diagnose_group(report, group) + ".";
            std::string all = "All " + std::to_string(report.flows.size()) + " checked connections";
            for (const FlowReport& flow : report.flows)
                if (const Finding* warning = first_with(flow.findings, Severity::warning))
                    return all + " worked, but " + lowered_first(warning->summary) + ".";
            return all + " passed every step.";
        }
        if (!speaking && !report.attempts.empty()) speaking = &report.attempts.front();
        if (speaking) return diagnose_group(report, *speaking) + ".";
    }
    const Finding* capture_problem = nullptr;
    for (Severity severity : {Severity::error, Severity::warning}) {
        for (const Finding& finding : report.findings) {
            if (!finding.flow && finding.severity == severity) {
                capture_problem = &finding;
                break;
            }
        }
        if (capture_problem) break;
    }
    if (capture_problem) return capture_problem->summary + ".";
    return "No licensing connection could be checked.";
}

}  // namespace trustcap
