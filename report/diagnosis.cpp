#include "report/diagnosis.h"

#include <algorithm>
#include <cctype>
#include <optional>
#include <vector>

namespace trustcap {
namespace {

std::string lowered_first(std::string text) {
    if (text.size() > 1 && std::isupper(static_cast<unsigned char>(text[0])) &&
        !std::isupper(static_cast<unsigned char>(text[1])))
        text[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(text[0])));
    return text;
}

std::string name_of(const FlowReport& flow) {
    std::string server = flow.server_name.empty() ? flow.server.to_string() : flow.server_name;
    std::string kind = flow.kind == "licensing" || flow.kind == "legacy" ? "licensing connection"
                       : flow.kind == "onprem"                          ? "connection to the on-prem server"
                                                                        : "connection";
    return "The " + kind + (kind == "connection to the on-prem server" ? " " : " to ") + server;
}

// The finding families that explain each step's failure, most telling first.
std::vector<std::string> prefixes_for(StepName step) {
    switch (step) {
        case StepName::connect: return {"proxy."};
        case StepName::tcp: return {"tcp.", "capture."};
        case StepName::tls: return {"tls.alert.", "tls13.", "tls.", "tcp.reset", "tcp.", "capture."};
        case StepName::appdata: return {"app.", "tcp.", "capture."};
        case StepName::teardown: return {"tcp.", "capture."};
    }
    return {};
}

const Finding* most_serious(const std::vector<Finding>& findings, std::optional<StepName> step = std::nullopt) {
    std::vector<std::string> prefixes = step ? prefixes_for(*step) : std::vector<std::string>{""};
    for (Severity severity : {Severity::error, Severity::warning})
        for (const std::string& prefix : prefixes)
            for (const Finding& finding : findings)
                if (finding.severity == severity && finding.id.starts_with(prefix)) return &finding;
    for (Severity severity : {Severity::error, Severity::warning})
        for (const Finding& finding : findings)
            if (finding.severity == severity) return &finding;
    return nullptr;
}

// Findings that name the root cause behind the symptom the first error shows.
const Finding* root_cause(const std::vector<Finding>& findings, const Finding* shown) {
    for (const char* id : {"tls.interception", "tls.client_cert_expired", "tcp.reset_injected", "tls13.client_abort"})
        for (const Finding& finding : findings)
            if (finding.id == id && &finding != shown &&
                !(shown && shown->id == "tcp.reset" && finding.id == "tcp.reset_injected"))  // already says so
                return &finding;
    return nullptr;
}

}  // namespace

std::string diagnose_flow(const FlowReport& flow) {
    const Finding* finding = most_serious(flow.findings);
    std::string cause;
    if (const Finding* deeper = root_cause(flow.findings, finding)) cause = "; " + lowered_first(deeper->summary);
    auto step_with = [&](StepStatus status) {
        return std::find_if(flow.steps.begin(), flow.steps.end(), [&](const StepResult& s) { return s.status == status; });
    };
    auto failed = step_with(StepStatus::fail);
    if (failed != flow.steps.end()) {
        finding = most_serious(flow.findings, failed->name);
        cause.clear();
        if (const Finding* deeper = root_cause(flow.findings, finding)) cause = "; " + lowered_first(deeper->summary);
        std::string why = finding ? lowered_first(finding->summary) : failed->detail;
        return name_of(flow) + " failed at step " + step_name(failed->name) + ": " + why + cause;
    }
    for (StepStatus status : {StepStatus::unknown, StepStatus::not_seen}) {
        auto hidden = step_with(status);
        if (hidden == flow.steps.end()) continue;
        std::string why = finding ? lowered_first(finding->summary) : hidden->detail;
        return name_of(flow) + " cannot be judged at step " + step_name(hidden->name) + ": " + why;
    }
    if (finding) return name_of(flow) + " went through every step, but " + lowered_first(finding->summary);
    return name_of(flow) + " passed every step";
}

std::string diagnose(const Report& report) {
    if (report.healthy) {
        std::size_t count = report.flows.size();
        if (count == 1) return diagnose_flow(report.flows.front()) + ".";
        return "All " + std::to_string(count) + " checked connections passed every step.";
    }
    for (const FlowReport& flow : report.flows)
        if (!flow.healthy) return diagnose_flow(flow) + ".";
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
