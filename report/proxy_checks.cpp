#include "report/proxy_checks.h"

#include "dissect/http_message.h"
#include "report/ios_xe_fixes.h"

namespace trustcap {
namespace {

constexpr int proxy_authentication_required = 407;

Finding proxy_finding(const TcpFlow& flow, FindingKind kind, std::string summary, std::string explanation,
                      std::vector<std::uint64_t> frames, std::vector<std::string> fix) {
    return Finding{kind, flow.id, std::move(summary), std::move(explanation),
                   std::move(frames), std::move(fix)};
}

std::vector<std::string> proxy_fix(const TcpFlow& flow) {
    return then({"show running-config | include license smart proxy",
                 "Check that the device names the proxy it should use:"},
                configuration({"license smart proxy address " + flow.server.ip.to_string(),
                               "license smart proxy port " + std::to_string(flow.server.port)}));
}

}  // namespace

ProxyAssessment assess_proxy(const TcpFlow& flow, const std::optional<HttpExchange>& http, bool configured_proxy) {
    ProxyAssessment result;
    StepResult& step = result.connect;
    step.name = StepName::connect;
    bool connect = http && http->request.method == "CONNECT";
    if (!connect) {
        step.status = configured_proxy ? StepStatus::not_seen : StepStatus::not_applicable;
        step.detail = configured_proxy ? "no CONNECT request to the proxy in the capture" : "no proxy";
        return result;
    }
    std::string proxy = flow.server.to_string();
    result.proxy = ProxyReport{flow.server, http->request.target, std::nullopt};
    if (!http->response) {
        bool closed = flow.side(Direction::server_to_client).closing_reset() ||
                      flow.side(Direction::server_to_client).fin_frame.has_value();
        step.status = closed ? StepStatus::fail : StepStatus::unknown;
        step.frames = {http->request_frame};
        step.detail = closed ? "the proxy closed the connection without answering the CONNECT"
                             : "the capture ends before the proxy answered";
        result.refused = true;
        if (closed) {
            result.findings.push_back(proxy_finding(
                flow, FindingKind::proxy_no_answer,
                "The proxy " + proxy + " did not answer the CONNECT to " + http->request.target,
                "The proxy accepted the TCP connection and closed it without an HTTP answer.",
                {http->request_frame}, proxy_fix(flow)));
        }
        return result;
    }
    const HttpResponseHead& response = *http->response;
    result.proxy->status = response.status;
    step.frames = {http->request_frame, http->response_frame};
    std::string answer = std::to_string(response.status) + (response.reason.empty() ? "" : " " + response.reason);
    if (is_success_status(response.status)) {
        step.status = StepStatus::pass;
        step.detail = "CONNECT " + http->request.target + " answered " + answer;
        return result;
    }
    step.status = StepStatus::fail;
    step.detail = "CONNECT " + http->request.target + " answered " + answer;
    result.refused = true;
    if (response.status == proxy_authentication_required) {
        std::string scheme = response.proxy_authenticate_scheme.empty() ? "" : " (" + response.proxy_authenticate_scheme + ")";
        result.findings.push_back(proxy_finding(
            flow, FindingKind::proxy_auth_required,
            "The proxy " + proxy + " requires authentication" + scheme + ": 407 to the CONNECT (frame " +
                std::to_string(http->response_frame) + ")",
            "IOS XE cannot authenticate to an HTTPS proxy for Smart Licensing: license smart proxy takes an address "
            "and a port only (Smart Licensing Using Policy command reference), and Cisco's guides say authenticated "
            "proxies are not supported as of 17.9.2, naming no release that adds it. Let the device through "
            "without authentication, or report through CSLU (which can use an authenticated proxy).",
            {http->response_frame},
            then({"On the proxy: allow CONNECT to smartreceiver.cisco.com:443 from the device without authentication",
                  "Or report through CSLU instead:"},
                 configuration({"license smart transport cslu",
                                "license smart url cslu http://<cslu>:8182/cslu/v1/pi"}))));
    } else {
        result.findings.push_back(proxy_finding(
            flow, FindingKind::proxy_refused,
            "The proxy " + proxy + " refused the CONNECT to " + http->request.target + ": " + answer + " (frame " +
                std::to_string(http->response_frame) + ")",
            "The proxy does not let the device open a tunnel to the licensing server.",
            {http->response_frame},
            {"On the proxy: allow CONNECT to smartreceiver.cisco.com:443 from the device"}));
    }
    return result;
}

}  // namespace trustcap
