#include "report/tls_checks.h"

#include <algorithm>

#include "dissect/tls_names.h"

namespace trustcap {
namespace {

constexpr std::uint8_t alert_level_warning = 1;
constexpr std::uint8_t alert_close_notify = 0;

const char* sender_name(Direction direction) { return direction == Direction::client_to_server ? "device" : "server"; }

const TlsMessage* first_of(const std::vector<TlsMessage>& messages, Direction direction,
                           std::initializer_list<TlsMessageKind> kinds, std::uint64_t after_frame = 0) {
    for (const TlsMessage& message : messages) {
        if (message.direction != direction || message.frame < after_frame) continue;
        if (std::find(kinds.begin(), kinds.end(), message.kind) != kinds.end()) return &message;
    }
    return nullptr;
}

const TlsMessage* last_of(const std::vector<TlsMessage>& messages, Direction direction, TlsMessageKind kind) {
    const TlsMessage* last = nullptr;
    for (const TlsMessage& message : messages)
        if (message.direction == direction && message.kind == kind) last = &message;
    return last;
}

bool is_close_notify(const TlsMessage& message) {
    return message.alert && !message.alert->encrypted && message.alert->description == alert_close_notify;
}

// Where the connection was closed or reset first, if it was.
std::optional<std::pair<std::uint64_t, std::string>> first_close(const TcpFlow& flow) {
    std::optional<std::pair<std::uint64_t, std::string>> first;
    for (Direction direction : {Direction::client_to_server, Direction::server_to_client}) {
        const FlowDirection& side = flow.side(direction);
        std::string who = sender_name(direction);
        if (!side.rst_frames.empty() && (!first || side.rst_frames.front() < first->first))
            first = {side.rst_frames.front(), "the " + who + " reset the connection"};
        if (side.fin_frame && (!first || *side.fin_frame < first->first))
            first = {*side.fin_frame, "the " + who + " closed the connection"};
    }
    return first;
}

Finding flow_finding(const TcpFlow& flow, std::string id, Severity severity, std::string summary,
                     std::string explanation, std::vector<std::uint64_t> frames, std::vector<std::string> fix = {}) {
    return Finding{std::move(id), severity, flow.id, std::move(summary), std::move(explanation), std::move(frames),
                   std::move(fix)};
}

Finding alert_finding(const TcpFlow& flow, const TlsMessage& alert) {
    std::string who = sender_name(alert.direction);
    if (alert.alert->encrypted) {
        return flow_finding(flow, "tls.alert", Severity::error,
                            "The " + who + " sent an encrypted TLS alert during the handshake (frame " +
                                std::to_string(alert.frame) + ")",
                            "An alert after Change Cipher Spec is encrypted, so its reason cannot be read; it ended "
                            "the handshake.",
                            {alert.frame});
    }
    bool warning = alert.alert->level == alert_level_warning;
    std::string name = tls_alert_description_name(alert.alert->description);
    return flow_finding(flow, "tls.alert." + tls_alert_id(alert.alert->description),
                        warning ? Severity::warning : Severity::error,
                        "The " + who + " sent a " + (warning ? "warning" : "fatal") + " TLS alert: " + name +
                            " (frame " + std::to_string(alert.frame) + ")",
                        "The " + who + " ended the TLS handshake with the alert " + name + ".", {alert.frame});
}

std::string handshake_detail(const TlsSummary& summary) {
    std::string detail;
    if (summary.version) detail = tls_version_name(*summary.version);
    if (summary.cipher_suite) detail += ", " + tls_cipher_suite_name(*summary.cipher_suite);
    if (summary.client_certificate_requested) {
        bool sent = summary.client_chain && !summary.client_chain->certificates.empty();
        detail += sent ? ", client certificate sent" : ", client certificate requested but not sent";
    }
    return detail;
}

void assess_chain(const TlsContext& context, TlsAssessment& result) {
    const TlsSummary& summary = context.summary;
    if (!context.expect_public_chain || !summary.server_verification || !summary.server_chain) return;
    const ChainVerification& verification = *summary.server_verification;
    std::vector<std::uint64_t> frames{summary.server_chain->frame};
    if (!verification.verified) {
        result.findings.push_back(flow_finding(
            context.flow, "tls.untrusted_chain", Severity::error,
            "The server's certificate chain does not verify: " + verification.result,
            "Judged at the capture's time against the trust bundle. A licensing server presents a chain from a "
            "public CA; a chain that does not verify is usually a firewall or proxy decrypting TLS.",
            frames, {"Exempt smartreceiver.cisco.com from SSL decryption on the firewall or proxy"}));
    }
    if (verification.name_checked && !verification.name_matches) {
        result.findings.push_back(flow_finding(
            context.flow, "tls.name_mismatch", Severity::error,
            "The server's certificate does not name " + summary.server_name,
            "The certificate the server presented is for another name than the one the device asked for.", frames));
    }
}

void assess_application_data(const TlsContext& context, TlsAssessment& result) {
    StepResult& step = result.appdata;
    const auto& messages = context.tls.messages();
    const TlsMessage* request = first_of(messages, Direction::client_to_server, {TlsMessageKind::application_data});
    if (!request) {
        step.status = context.tls.lost_sync(Direction::client_to_server) ? StepStatus::unknown : StepStatus::not_seen;
        step.detail = "the device sent no application data";
        return;
    }
    const TlsMessage* answer =
        first_of(messages, Direction::server_to_client, {TlsMessageKind::application_data}, request->frame);
    if (answer) {
        step.status = StepStatus::pass;
        step.frames = {request->frame, answer->frame};
        auto sent = [&](Direction direction) {
            std::uint64_t records = context.tls.application_records(direction);
            return std::to_string(records) + (records == 1 ? " record (" : " records (") +
                   std::to_string(context.tls.application_bytes(direction)) + " bytes)";
        };
        step.detail = sent(Direction::client_to_server) + " from the device, " + sent(Direction::server_to_client) +
                      " from the server";
        return;
    }
    if (context.tls.lost_sync(Direction::server_to_client)) {
        step.status = StepStatus::unknown;
        step.frames = {request->frame};
        step.detail = "a gap in the capture hides the server's answer";
        return;
    }
    auto close = first_close(context.flow);
    std::string until = close && close->first > request->frame
                            ? close->second + " at frame " + std::to_string(close->first)
                            : "the capture ended";
    step.status = StepStatus::fail;
    step.frames = {request->frame};
    step.detail = "the device's request got no answer before " + until;
    result.findings.push_back(flow_finding(
        context.flow, "app.no_response", Severity::error,
        "The device sent its request (frame " + std::to_string(request->frame) + ") and nothing came back before " +
            until,
        "The server accepted the TLS connection but did not answer the request; on the device "
        "'show license history message' shows the request with an empty response.",
        {request->frame}, {"show license history message", "license smart sync all (retry once the server answers)"}));
}

}  // namespace

TlsAssessment assess_tls(const TlsContext& context) {
    TlsAssessment result;
    result.handshake.name = StepName::tls;
    result.appdata.name = StepName::appdata;
    auto not_applicable = [&](const char* why) {
        result.handshake.status = StepStatus::not_applicable;
        result.handshake.detail = why;
        result.appdata.status = StepStatus::not_applicable;
        result.appdata.detail = why;
    };
    if (context.tcp_status == StepStatus::fail || context.tunnel_refused) {
        not_applicable(context.tunnel_refused ? "the proxy refused the tunnel" : "no TCP connection");
        return result;
    }

    const auto& messages = context.tls.messages();
    StepResult& step = result.handshake;
    const auto& not_tls = context.tls.not_tls();
    if (not_tls && context.flow.side(Direction::client_to_server).syn_frames.empty() &&
        not_tls->looks_like == "unknown binary data") {
        step.status = StepStatus::not_seen;
        step.detail = "the capture starts inside the connection's byte stream; its records cannot be found";
        result.appdata.status = StepStatus::unknown;
        result.appdata.detail = step.detail;
        return result;
    }
    if (not_tls) {
        step.status = StepStatus::fail;
        step.frames = {not_tls->frame};
        step.detail = std::string("the ") + sender_name(not_tls->direction) + " sent " + not_tls->looks_like +
                      ", not TLS";
        result.findings.push_back(flow_finding(
            context.flow, "tls.not_tls", Severity::error,
            std::string("The ") + sender_name(not_tls->direction) + " sent " + not_tls->looks_like +
                " where TLS was expected (frame " + std::to_string(not_tls->frame) + ")",
            "Something other than the licensing server's HTTPS service answers on this port, or the device "
            "talks to a proxy without CONNECT.",
            {not_tls->frame}, {"license smart proxy address <proxy> / license smart proxy port <port>, if a proxy is in use"}));
        result.appdata.status = StepStatus::not_applicable;
        result.appdata.detail = "no TLS";
        return result;
    }

    const TlsMessage* hello =
        first_of(messages, Direction::client_to_server, {TlsMessageKind::client_hello, TlsMessageKind::sslv2_client_hello});
    if (!hello) {
        bool any_tls = !messages.empty();
        step.status = any_tls ? StepStatus::not_seen
                      : context.tls.lost_sync(Direction::client_to_server) ? StepStatus::unknown
                                                                           : StepStatus::not_seen;
        step.detail = any_tls ? "the capture starts after the TLS handshake" : "no Client Hello in the capture";
        if (any_tls) {
            assess_application_data(context, result);
        } else {
            result.appdata.status = StepStatus::not_seen;
            result.appdata.detail = "no TLS seen";
        }
        return result;
    }

    const TlsMessage* server_hello = first_of(messages, Direction::server_to_client, {TlsMessageKind::server_hello});
    bool tls13 = context.summary.version && *context.summary.version == 0x0304;
    const TlsMessage* device_finished =
        tls13 ? last_of(messages, Direction::client_to_server, TlsMessageKind::tls13_client_handshake_flight)
              : first_of(messages, Direction::client_to_server, {TlsMessageKind::encrypted_handshake});
    const TlsMessage* server_finished =
        tls13 ? last_of(messages, Direction::server_to_client, TlsMessageKind::tls13_server_handshake_flight)
              : first_of(messages, Direction::server_to_client, {TlsMessageKind::encrypted_handshake});
    bool complete = server_hello && device_finished && server_finished;
    std::uint64_t completed_at = complete ? std::max(device_finished->frame, server_finished->frame) : UINT64_MAX;

    const TlsMessage* alert = nullptr;
    for (const TlsMessage& message : messages) {
        if (message.kind != TlsMessageKind::alert || !message.alert || is_close_notify(message)) continue;
        if (message.alert->encrypted && complete) continue;  // after the handshake: a close, most likely
        alert = &message;
        break;
    }
    if (alert && alert->frame <= completed_at) {
        step.status = StepStatus::fail;
        step.frames = {hello->frame, alert->frame};
        step.detail = "the " + std::string(sender_name(alert->direction)) + " ended the handshake with an alert";
        result.findings.push_back(alert_finding(context.flow, *alert));
        result.appdata.status = StepStatus::not_applicable;
        result.appdata.detail = "no TLS session";
        assess_chain(context, result);
        return result;
    }
    if (alert) result.findings.push_back(alert_finding(context.flow, *alert));

    if (complete) {
        step.status = StepStatus::pass;
        step.frames = tls13 ? std::vector<std::uint64_t>{hello->frame, server_hello->frame, server_finished->frame,
                                                         device_finished->frame}
                            : std::vector<std::uint64_t>{hello->frame, server_hello->frame, device_finished->frame,
                                                         server_finished->frame};
        step.detail = handshake_detail(context.summary);
        assess_chain(context, result);
        assess_application_data(context, result);
        return result;
    }

    result.appdata.status = StepStatus::not_applicable;
    result.appdata.detail = "no TLS session";
    if (context.tls.lost_sync(Direction::client_to_server) || context.tls.lost_sync(Direction::server_to_client)) {
        step.status = StepStatus::unknown;
        step.frames = {hello->frame};
        step.detail = "a gap in the capture hides the rest of the handshake";
    } else if (auto close = first_close(context.flow); close && close->first >= hello->frame) {
        step.status = StepStatus::fail;
        step.frames = {hello->frame, close->first};
        step.detail = "the handshake stopped: " + close->second + " at frame " + std::to_string(close->first);
    } else {
        step.status = StepStatus::unknown;
        step.frames = {hello->frame};
        step.detail = "the capture ends during the TLS handshake";
    }
    assess_chain(context, result);
    return result;
}

}  // namespace trustcap
