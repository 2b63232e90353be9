#include "report/plain_http_checks.h"

namespace trustcap {

TlsAssessment assess_plain_http(const TcpFlow& flow, const HttpExchange& http) {
    TlsAssessment result;
    result.handshake = StepResult{StepName::tls, StepStatus::not_applicable, {}, "plain HTTP, no TLS"};
    StepResult& step = result.appdata;
    step.name = StepName::appdata;
    std::string request = http.request.method + " " + http.request.target;
    if (http.response) {
        step.status = StepStatus::pass;
        step.frames = {http.request_frame, http.response_frame};
        step.detail = request + " answered " + std::to_string(http.response->status) + " " + http.response->reason;
        return result;
    }
    step.status = StepStatus::fail;
    step.frames = {http.request_frame};
    step.detail = request + " got no answer";
    result.findings.push_back(Finding{"app.no_response", Severity::error, flow.id,
                                      "The device sent " + request + " (frame " + std::to_string(http.request_frame) +
                                          ") and no HTTP answer came back",
                                      "The server accepted the connection but did not answer the request.",
                                      {http.request_frame},
                                      {"show license history message"}});
    return result;
}

}  // namespace trustcap
