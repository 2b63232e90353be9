#include "report/plain_http_checks.h"

#include <optional>

#include "report/answer_wait.h"
#include "report/connection_closes.h"

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
    step.frames = {http.request_frame};
    const FlowDirection& server = flow.side(Direction::server_to_client);
    if (!server.missing_data_frames.empty()) {
        step.status = StepStatus::unknown;
        step.detail = "the device acknowledged bytes from the server that the capture does not hold: the answer "
                      "was sent but not captured";
        return result;
    }
    std::optional<Timestamp> sent = time_of(flow, http.request_frame);
    double waited = sent ? elapsed_seconds(*sent, flow.watched_until) : answer_wait_seconds;
    bool closed = close_by(flow, Direction::client_to_server, http.request_frame) ||
                  close_by(flow, Direction::server_to_client, http.request_frame);
    if (!closed && waited < answer_wait_seconds) {
        step.status = StepStatus::unknown;
        step.detail = "the capture ends right after the request, too soon to say that no answer came";
        return result;
    }
    step.status = StepStatus::fail;
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
