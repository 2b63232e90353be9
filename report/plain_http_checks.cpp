#include "report/plain_http_checks.h"

#include <optional>

#include "report/answer_wait.h"
#include "report/connection_closes.h"
#include "report/ios_xe_fixes.h"

namespace trustcap {
namespace {

std::string request_text(const HttpExchange& exchange) {
    return exchange.request.method + " " + exchange.request.target;
}

std::string answer_text(const HttpResponseHead& response) {
    return std::to_string(response.status) + (response.reason.empty() ? "" : " " + response.reason);
}

// The server as the device's URL names it: the Host header, else the address and port.
std::string server_authority(const TcpFlow& flow, const HttpExchange& exchange) {
    if (!exchange.request.host.empty()) return exchange.request.host;
    return flow.server.to_string();
}

struct HttpErrorAdvice {
    std::string likely_cause;
    std::vector<std::string> fix;
};

// What a status that is not 2xx most likely means for a licensing request, and what to change.
HttpErrorAdvice advice_for(const TcpFlow& flow, const HttpExchange& exchange) {
    const int status = exchange.response->status;
    const std::string& path = exchange.request.target;
    const bool cslu_path = path.starts_with("/cslu/");
    const std::string authority = server_authority(flow, exchange);
    const std::string cslu_url = "http://" + authority + "/cslu/v1/pi";
    if (status == 404 && cslu_path)
        return {"the server has no such path: the URL set with license smart url cslu is wrong, or the server is not "
                "CSLU (SSM On-Prem wants /cslu/v1/pi/<tenant-id>)",
                then({"show license status"},
                     configuration({"license smart transport cslu", "license smart url cslu " + cslu_url}))};
    if (status == 404)
        return {"the server has no such path: the device's licensing URL is not the one this server serves",
                then({"show license status", "For CSLU (for SSM On-Prem, add /<tenant-id> to the URL):"},
                     configuration({"license smart transport cslu", "license smart url cslu " + cslu_url}))};
    if (status == 401 || status == 403 || status == 407)
        return {"the server refuses the device: it does not accept this product instance or wants credentials the "
                "device does not send",
                {"show license status", "On the CSLU or SSM On-Prem server: check that it accepts this device"}};
    if (status >= 500)
        return {"the server failed while answering: the CSLU or SSM On-Prem service has a problem of its own",
                {"On the CSLU or SSM On-Prem server: check the service and its logs",
                 "license smart sync all"}};
    return {"the server did not accept the request", {"show license status", "show license history message"}};
}

// The step when an exchange is left without an answer.
void judge_unanswered(const TcpFlow& flow, const HttpExchange& exchange, TlsAssessment& result) {
    StepResult& step = result.appdata;
    const std::string request = request_text(exchange);
    step.frames = {exchange.request_frame};
    const FlowDirection& server = flow.side(Direction::server_to_client);
    if (!server.missing_data_frames.empty()) {
        step.status = StepStatus::unknown;
        step.detail = "the device acknowledged bytes from the server that the capture does not hold: the answer "
                      "was sent but not captured";
        return;
    }
    std::optional<Timestamp> sent = time_of(flow, exchange.request_frame);
    double waited = sent ? elapsed_seconds(*sent, flow.watched_until) : answer_wait_seconds;
    bool closed = close_by(flow, Direction::client_to_server, exchange.request_frame) ||
                  close_by(flow, Direction::server_to_client, exchange.request_frame);
    if (!closed && waited < answer_wait_seconds) {
        step.status = StepStatus::unknown;
        step.detail = "the capture ends right after the request, too soon to say that no answer came";
        return;
    }
    step.status = StepStatus::fail;
    step.detail = request + " got no answer";
    result.findings.push_back(Finding{FindingKind::app_no_response, flow.id,
                                      "The device sent " + request + " (frame " +
                                          std::to_string(exchange.request_frame) + ") and no HTTP answer came back",
                                      "The server accepted the connection but did not answer the request.",
                                      {exchange.request_frame},
                                      {"show license history message"}});
}

void judge_error_status(const TcpFlow& flow, const HttpExchange& exchange, std::size_t number, std::size_t count,
                        TlsAssessment& result) {
    StepResult& step = result.appdata;
    const std::string request = request_text(exchange);
    const std::string answer = answer_text(*exchange.response);
    step.status = StepStatus::fail;
    step.frames = {exchange.request_frame, exchange.response_frame};
    step.detail = request + " answered " + answer;
    const std::string which = count == 1 ? std::string("The device's request")
                                         : "Request " + std::to_string(number) + " of " + std::to_string(count);
    HttpErrorAdvice advice = advice_for(flow, exchange);
    result.findings.push_back(Finding{
        FindingKind::app_http_error, flow.id,
        "The server answered " + request + " (frame " + std::to_string(exchange.request_frame) + ") with " + answer +
            " (frame " + std::to_string(exchange.response_frame) + ")",
        which + " on this connection was refused with HTTP " + answer + ": most likely " + advice.likely_cause + ".",
        {exchange.request_frame, exchange.response_frame}, std::move(advice.fix)});
}

}  // namespace

TlsAssessment assess_plain_http(const TcpFlow& flow, const ConnectionFacts& connection, bool licensing) {
    TlsAssessment result;
    result.handshake = StepResult{StepName::tls, StepStatus::not_applicable, {}, "plain HTTP, no TLS"};
    result.appdata.name = StepName::appdata;
    std::vector<const HttpExchange*> exchanges{&*connection.http};
    for (const HttpExchange& later : connection.later_http) exchanges.push_back(&later);
    std::size_t count = exchanges.size();
    std::string unread;
    for (std::size_t index = 0; index < count; ++index) {
        const HttpExchange& exchange = *exchanges[index];
        if (!exchange.response && index > 0 && connection.answers_unread_after) {
            // Its answer may well be there: after a body whose end cannot be found no answer is read.
            unread = "; the answers to " + std::to_string(count - index) + " later requests were not read (the body "
                     "of the answer at frame " + std::to_string(*connection.answers_unread_after) +
                     " has no Content-Length, or malformed chunks)";
            count = index;
            break;
        }
        if (!exchange.response) {
            judge_unanswered(flow, exchange, result);
            return result;
        }
        if (licensing && !is_success_status(exchange.response->status)) {
            judge_error_status(flow, exchange, index + 1, count, result);
            return result;
        }
    }
    const HttpExchange& first = *exchanges.front();
    const HttpExchange& last = *exchanges[count - 1];
    StepResult& step = result.appdata;
    step.status = StepStatus::pass;
    step.frames = {first.request_frame, last.response_frame};
    step.detail = count == 1 ? request_text(first) + " answered " + answer_text(*first.response)
                             : std::to_string(count) + " requests, each answered (the last: " + request_text(last) +
                                   " answered " + answer_text(*last.response) + ")";
    step.detail += unread;
    return result;
}

}  // namespace trustcap
