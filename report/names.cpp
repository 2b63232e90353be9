#include "report/finding.h"
#include "report/step.h"

namespace trustcap {

const char* severity_name(Severity severity) {
    switch (severity) {
        case Severity::info: return "info";
        case Severity::warning: return "warning";
        case Severity::error: return "error";
    }
    return "error";
}

const char* step_name(StepName name) {
    switch (name) {
        case StepName::connect: return "connect";
        case StepName::tcp: return "tcp";
        case StepName::tls: return "tls";
        case StepName::appdata: return "appdata";
        case StepName::teardown: return "teardown";
    }
    return "?";
}

const char* step_status_name(StepStatus status) {
    switch (status) {
        case StepStatus::pass: return "pass";
        case StepStatus::fail: return "fail";
        case StepStatus::not_seen: return "not_seen";
        case StepStatus::unknown: return "unknown";
        case StepStatus::not_applicable: return "n/a";
    }
    return "?";
}

}  // namespace trustcap
