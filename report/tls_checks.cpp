#include "report/tls_checks.h"

#include <algorithm>
#include <cstdio>

#include "dissect/tls_alert.h"
#include "dissect/tls_names.h"
#include "report/alert_advice.h"
#include "report/answer_wait.h"
#include "report/connection_closes.h"
#include "report/tcp_resets.h"
#include "report/inspection_products.h"
#include "report/ios_xe_fixes.h"
#include "report/time_format.h"
#include "report/wording.h"

namespace trustcap {
namespace {

constexpr std::uint16_t https_port = 443;


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

// A direction's end of the handshake: its Finished when it was decrypted;
// otherwise in TLS 1.3 the last record of its inferred flight, in TLS 1.2
// its first encrypted handshake message.
const TlsMessage* handshake_end(const std::vector<TlsMessage>& messages, Direction direction, bool tls13) {
    if (const TlsMessage* finished = first_of(messages, direction, {TlsMessageKind::finished})) return finished;
    if (!tls13) return first_of(messages, direction, {TlsMessageKind::encrypted_handshake});
    return last_of(messages, direction,
                   direction == Direction::client_to_server ? TlsMessageKind::tls13_client_handshake_flight
                                                            : TlsMessageKind::tls13_server_handshake_flight);
}

bool is_close_notify(const TlsMessage& message) {
    return message.alert && !message.alert->encrypted && message.alert->is(TlsAlertDescription::close_notify);
}

bool is_warning(const TlsMessage& message) {
    return message.alert && !message.alert->encrypted && message.alert->is(TlsAlertLevel::warning);
}

// Warnings that say something about the exchange; close_notify and the like
// are part of a normal close.
bool warning_worth_reporting(const TlsAlert& alert) {
    return !alert.is(TlsAlertDescription::close_notify) && !alert.is(TlsAlertDescription::user_canceled) &&
           !alert.is(TlsAlertDescription::no_renegotiation);
}

std::string seconds_text(double seconds) {
    char text[32];
    std::snprintf(text, sizeof text, "%.1f s", seconds);
    return text;
}

std::string certificate_text(const CertificateSummary& certificate, const Timestamp& at) {
    std::string validity = "valid " + readable_utc(Timestamp{certificate.not_before, 0}) + " to " +
                           readable_utc(Timestamp{certificate.not_after, 0});
    if (at.seconds > certificate.not_after) validity += ", EXPIRED at the capture's time";
    if (at.seconds < certificate.not_before) validity += ", NOT YET VALID at the capture's time";
    return certificate.subject + " issued by " + certificate.issuer + " (" + validity +
           (certificate.self_signed ? ", self-signed" : "") + ")";
}

// What an alert did to the connection, for the words that describe it.
enum class AlertEffect : std::uint8_t {
    ended_handshake,     // a fatal alert (or one whose level is unknown) before the handshake completed
    warning_then_close,  // a warning, then its sender closed before the handshake completed
    warning_ignored,     // a warning the handshake went on after
    warning_unfinished,  // a warning its sender did not close after, in a handshake that stopped anyway
    after_handshake,     // sent once the handshake had completed
};

Finding alert_finding(const TlsContext& context, const TlsMessage& alert, AlertEffect effect,
                      std::optional<Close> close = std::nullopt) {
    const TcpFlow& flow = context.flow;
    std::string who = side_name(alert.direction);
    bool from_server = alert.direction == Direction::server_to_client;
    if (alert.alert->encrypted) {
        return Finding(FindingKind::tls_encrypted_alert, flow.id,
                       "The " + who + " sent an encrypted TLS alert during the handshake (frame " +
                           std::to_string(alert.frame) + ")",
                       "An alert after Change Cipher Spec is encrypted, so its reason cannot be read; it ended "
                       "the handshake.",
                       {alert.frame});
    }
    AlertAdvice advice = advice_for_alert(alert.alert->description, from_server, context.expect_public_chain);
    bool warning = alert.alert->is(TlsAlertLevel::warning);
    std::string name = tls_alert_description_name(alert.alert->description);
    std::string level = warning ? "warning" : "fatal";
    std::string explanation;
    switch (effect) {
        case AlertEffect::ended_handshake:
            explanation = "The " + who + " ended the TLS handshake with the alert " + name + ": most likely " +
                          advice.likely_cause + ".";
            break;
        case AlertEffect::warning_then_close:
            explanation = "The " + who + " sent the warning alert " + name + ", then " +
                          (close->reset ? "reset" : "closed") + " the connection (frame " + std::to_string(close->frame) + ") before the handshake completed: most likely " +
                          advice.likely_cause + ".";
            break;
        case AlertEffect::warning_ignored:
            explanation = "The " + who + " sent the warning alert " + name +
                          " and the handshake went on, so it did not stop the connection. It still tells something: " +
                          advice.likely_cause + ".";
            break;
        case AlertEffect::warning_unfinished:
            explanation = "The " + who + " sent the warning alert " + name +
                          " and did not close the connection after it; the handshake stopped for another reason "
                          "(see the tls step). It still tells something: " + advice.likely_cause + ".";
            break;
        case AlertEffect::after_handshake:
            explanation = "The " + who + " sent the " + level + " alert " + name +
                          " after the handshake had completed: most likely " + advice.likely_cause + ".";
            break;
    }
    const auto& client_chain = context.summary.client_chain;
    const bool a_warning = effect == AlertEffect::warning_ignored || effect == AlertEffect::warning_unfinished;
    const bool about_the_device = from_server && !a_warning;
    if (!about_the_device) {
        // the device's certificate has nothing to do with this alert
    } else if (client_chain && !client_chain->certificates.empty())
        explanation += " The device presented " + certificate_text(client_chain->certificates.front(), flow.first_time) + ".";
    else if (context.summary.client_certificate_requested)
        explanation += " The device sent no certificate although the server asked for one.";
    Severity severity = advice.severity;
    if (a_warning) severity = Severity::warning;
    if (effect == AlertEffect::warning_then_close) severity = Severity::error;
    const std::string where = "frame " + std::to_string(alert.frame) + (alert.decrypted ? ", decrypted with the key log" : "");
    std::string summary = advice.what_happened.empty() || a_warning
                              ? "The " + who + " sent a " + level + " TLS alert: " + name + " (" + where + ")"
                              : "The " + who + " " + advice.what_happened + " (" + name + " alert, " + where + ")";
    if (effect == AlertEffect::warning_ignored) summary += "; the handshake went on";
    return Finding(FindingKind::tls_alert_named, severity, flow.id, summary, explanation, {alert.frame}, advice.fix)
        .named(tls_alert_id(alert.alert->description));
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

// The verification the licensing judgement rests on: against the CAs that
// sign Cisco's licensing servers and --ca-bundle, as the device judges it.
const std::optional<ChainVerification>& chain_verification(const TlsContext& context) {
    return context.expect_public_chain ? context.summary.licensing_verification
                                       : context.summary.server_verification;
}

bool not_yet_valid_at(const CertificateSummary& certificate, std::int64_t time) { return time < certificate.not_before; }
bool expired_at(const CertificateSummary& certificate, std::int64_t time) { return time > certificate.not_after; }

// What the certificates say about the capture's clock. A server cannot present
// a certificate before it was issued; a device that completes a handshake
// with certificates that were out of date at the capture's time did not see
// them so. Either way the capture's times (on an Embedded Packet Capture, the
// device's own clock) are wrong, not the certificates. The chain must be
// trusted apart from its dates, or the device's own certificate be out of date
// the same way: a middlebox's certificate issued moments ago, seen through a
// clock a little behind, is no sign of a wrong clock.
enum class ClockError : std::uint8_t { none, behind, ahead };

ClockError clock_error(const TlsContext& context, bool handshake_completed) {
    const TlsSummary& summary = context.summary;
    if (!summary.server_chain || summary.server_chain->certificates.empty()) return ClockError::none;
    const std::int64_t at = context.flow.first_time.seconds;
    const CertificateSummary& server = summary.server_chain->certificates.front();
    const CertificateSummary* device = summary.client_chain && !summary.client_chain->certificates.empty()
                                           ? &summary.client_chain->certificates.front()
                                           : nullptr;
    const auto& verification = chain_verification(context);
    const bool trusted_apart_from_time = verification && verification->verified_apart_from_time;
    if (not_yet_valid_at(server, at) && (trusted_apart_from_time || (device && not_yet_valid_at(*device, at))))
        return ClockError::behind;
    if (expired_at(server, at) && handshake_completed && (trusted_apart_from_time || (device && expired_at(*device, at))))
        return ClockError::ahead;
    return ClockError::none;
}

void assess_clock(const TlsContext& context, ClockError error, bool handshake_completed, TlsAssessment& result) {
    const TlsSummary& summary = context.summary;
    const Timestamp& at = context.flow.first_time;
    const CertificateSummary& server = summary.server_chain->certificates.front();
    const bool behind = error == ClockError::behind;
    std::string when = behind ? "before the server's certificate was issued" : "after the server's certificate expired";
    std::string explanation = "At the capture's time (" + readable_utc(at) + ") the server presented " +
                              certificate_text(server, at) + ".";
    if (summary.client_chain && !summary.client_chain->certificates.empty()) {
        const CertificateSummary& device = summary.client_chain->certificates.front();
        if (behind ? not_yet_valid_at(device, at.seconds) : expired_at(device, at.seconds))
            explanation += " The device's own certificate was out of date at that time too: " +
                           certificate_text(device, at) + ".";
    }
    explanation += behind ? " A server cannot present a certificate before it is issued, so the clock is behind."
                          : " The device completed the handshake with it, so it did not see it expired: the clock is "
                            "ahead.";
    explanation += " An Embedded Packet Capture stamps packets with the device's clock: most likely the device's clock "
                   "is wrong (no NTP). The device judges certificates and dates its usage reports by that clock.";
    if (!handshake_completed)
        explanation += " Judged by that clock, the server's certificate is out of date, which is why the handshake "
                       "failed.";
    result.findings.push_back(
        Finding(FindingKind::tls_clock_wrong, handshake_completed ? Severity::warning : Severity::error,
                context.flow.id, "The capture's clock is wrong: its time (" + readable_utc(at) + ") is " + when,
                explanation, {summary.server_chain->frame},
                then({"show clock detail", "show ntp associations"}, configuration({"ntp server <ntp-server>"}))));
}

// Signs that something between the device and the server answers for the
// server: a chain that does not lead to the licensing server's CAs, a name
// that does not match, an issuer naming an inspection product.
// `clock_wrong`: the capture's clock explains certificates out of date.
void assess_chain(const TlsContext& context, bool device_accepted, bool clock_wrong, TlsAssessment& result) {
    const TlsSummary& summary = context.summary;
    if (!context.expect_public_chain || !summary.server_chain || summary.server_chain->certificates.empty()) return;
    std::vector<std::uint64_t> frames{summary.server_chain->frame};
    const CertificateSummary& leaf = summary.server_chain->certificates.front();
    const auto& verification = chain_verification(context);
    const bool dates_only = verification && verification->verified_apart_from_time;
    bool untrusted = verification && !verification->verified && !dates_only;
    bool mismatch = verification && verification->name_checked && !verification->name_matches;
    std::optional<std::string> product;
    for (const CertificateSummary& certificate : summary.server_chain->certificates)
        if (!product) product = inspection_product(certificate.issuer);

    if (dates_only && !clock_wrong) {
        result.findings.push_back(Finding(
            FindingKind::tls_untrusted_chain, device_accepted ? Severity::warning : Severity::error, context.flow.id,
            "The server's certificate chain was out of date at the capture's time: " + verification->result,
            "Apart from its dates the chain leads to " + verification->anchor + " (" + verification->anchor_origin +
                "). The server presented " + certificate_text(leaf, context.flow.first_time) +
                ". Either a certificate of the chain really was out of date, or the capture's clock (on an Embedded "
                "Packet Capture, the device's) is wrong.",
            frames, {"show clock detail"}));
    }
    if (untrusted) {
        result.findings.push_back(Finding(
            FindingKind::tls_untrusted_chain, device_accepted ? Severity::warning : Severity::error, context.flow.id,
            "The server's certificate chain does not lead to the licensing server's CAs: " + verification->result,
            "Judged at the capture's time, as the device judges it: against the CAs that sign Cisco's licensing "
            "servers (IdenTrust Commercial Root CA 1; QuoVadis Root CA 2 before 2021) and the --ca-bundle files, not "
            "this machine's trust store. The server presented " +
                certificate_text(leaf, context.flow.first_time) + "." +
                (device_accepted ? " The device accepted it and completed the handshake, so its own trust store holds "
                                   "that issuer."
                                 : ""),
            frames,
            device_accepted
                ? std::vector<std::string>{"show crypto pki trustpool",
                                           "If that CA was installed on the device on purpose, give it to trustcap "
                                           "with --ca-bundle"}
                : std::vector<std::string>{"Exempt smartreceiver.cisco.com from SSL decryption on the firewall or "
                                           "proxy"}));
    }
    if (mismatch) {
        result.findings.push_back(Finding(FindingKind::tls_name_mismatch, context.flow.id,
                                          "The server's certificate does not name " + summary.server_name,
                                          "The certificate the server presented (" + leaf.subject +
                                              ") is for another name than the one the device "
                                              "asked for.",
                                          frames));
    }
    if (!untrusted && !mismatch && !product) return;

    std::string who = product ? *product : std::string("a TLS-inspecting firewall or proxy");
    std::string explanation = "The certificate the device received is issued by " + leaf.issuer + ", not by the "
                              "licensing server's CA";
    std::vector<std::string> signals;
    if (untrusted) signals.push_back("the chain does not lead to the CAs that sign Cisco's licensing servers");
    if (mismatch) signals.push_back("its names do not match");
    if (product) signals.push_back("its issuer names " + *product);
    if (!summary.client_certificate_requested)
        signals.push_back("the server did not ask for the device's certificate, which the licensing server always does");
    if (context.flow.side(Direction::server_to_client).ttl_varies)
        signals.push_back("the server's packets arrive with different IP TTLs (another box answers part of them)");
    explanation += ": " + joined(signals, "; ") + ".";  // at least one signal: the chain is suspect
    if (device_accepted)
        explanation += " The device accepted the chain, so the inspection CA is in its trust store and licensing works "
                       "through the inspection for now; the licensing server no longer sees the device's own "
                       "certificate.";
    result.findings.push_back(Finding(
        FindingKind::tls_interception, device_accepted ? Severity::warning : Severity::error, context.flow.id,
        "TLS to " + (summary.server_name.empty() ? context.flow.server.to_string() : summary.server_name) +
            " is intercepted by " + who,
        explanation, frames,
        {"Exempt smartreceiver.cisco.com (and tools.cisco.com) from SSL decryption on " + who,
         "Capture outside the firewall to confirm: the real server's chain leads to IdenTrust Commercial Root CA 1"}));
}

// The first alert the server sent after the device's certificate, if any.
const TlsMessage* server_alert_after(const TlsContext& context, std::uint64_t frame) {
    for (const TlsMessage& message : context.tls.messages)
        if (message.direction == Direction::server_to_client && message.kind == TlsMessageKind::alert &&
            message.alert && !message.alert->encrypted && !is_close_notify(message) && message.frame >= frame)
            return &message;
    return nullptr;
}

// The device's certificate judged at the capture's time, beside what the
// server answered to it.
void assess_client_certificate(const TlsContext& context, bool handshake_completed, TlsAssessment& result) {
    const auto& chain = context.summary.client_chain;
    if (!chain || chain->certificates.empty()) return;
    const CertificateSummary& leaf = chain->certificates.front();
    const Timestamp& at = context.flow.first_time;
    bool expired = expired_at(leaf, at.seconds);
    bool not_yet_valid = not_yet_valid_at(leaf, at.seconds);
    if (!expired && !not_yet_valid) return;
    std::string state = expired ? "expired" : "not yet valid";
    std::string summary = "The device's certificate was " + state + " at the capture's time";
    std::string answer;
    Severity severity = Severity::warning;
    std::vector<std::uint64_t> frames{chain->frame};
    if (const TlsMessage* alert = server_alert_after(context, chain->frame)) {
        std::string name = tls_alert_description_name(alert->alert->description);
        summary += "; the server refused it (" + name + " alert, frame " + std::to_string(alert->frame) + ")";
        answer = " The server answered with the alert " + name + " (frame " + std::to_string(alert->frame) + ").";
        severity = Severity::error;
        frames.push_back(alert->frame);
    } else if (handshake_completed) {
        summary += "; the server accepted it";
        answer = " The server accepted it and the handshake completed; a server that checks the dates (Cisco's "
                 "licensing servers answer unknown_ca) refuses it.";
    } else {
        answer = " The capture does not show the server's answer to it.";
    }
    result.findings.push_back(Finding(
        FindingKind::tls_client_cert_expired, severity, context.flow.id, summary,
        "The device presented " + certificate_text(leaf, at) + "." + answer, frames,
        then({"show crypto pki trustpoints", "show clock detail"},
             configuration({"ip http client secure-trustpoint <TP>", "ip http client source-interface <interface>"}))));
}

void assess_application_data(const TlsContext& context, TlsAssessment& result) {
    StepResult& step = result.appdata;
    const auto& messages = context.tls.messages;
    const TlsMessage* request = first_of(messages, Direction::client_to_server, {TlsMessageKind::application_data});
    if (!request) {
        step.status = context.tls.side(Direction::client_to_server).lost_sync ? StepStatus::unknown : StepStatus::not_seen;
        step.detail = "the device sent no application data";
        auto close = first_close(context.flow);
        if (close && step.status == StepStatus::not_seen)
            step.detail = "the device sent no request before " + close->text() + " at frame " + std::to_string(close->frame);
        return;
    }
    const TlsMessage* answer =
        first_of(messages, Direction::server_to_client, {TlsMessageKind::application_data}, request->frame);
    if (answer) {
        step.status = StepStatus::pass;
        step.frames = {request->frame, answer->frame};
        auto sent = [&](Direction direction) {
            std::uint64_t records = context.tls.side(direction).application_records;
            return std::to_string(records) + (records == 1 ? " record (" : " records (") +
                   std::to_string(context.tls.side(direction).application_bytes) + " bytes)";
        };
        step.detail = sent(Direction::client_to_server) + " from the device, " + sent(Direction::server_to_client) +
                      " from the server";
        return;
    }
    if (context.tls.side(Direction::server_to_client).lost_sync) {
        step.status = StepStatus::unknown;
        step.frames = {request->frame};
        step.detail = "a gap in the capture hides the server's answer";
        return;
    }
    auto close = close_by(context.flow, Direction::server_to_client, request->frame);
    if (!close) close = close_by(context.flow, Direction::client_to_server, request->frame);
    if (!close && elapsed_seconds(request->time, context.flow.watched_until) < answer_wait_seconds) {
        step.status = StepStatus::unknown;
        step.frames = {request->frame};
        step.detail = "the capture ends right after the request, too soon to say that no answer came";
        return;
    }
    std::string until = close ? close->text() + " at frame " + std::to_string(close->frame) : "the capture ended";
    step.status = StepStatus::fail;
    step.frames = {request->frame};
    step.detail = "the device's request got no answer before " + until;
    result.findings.push_back(Finding(
        FindingKind::app_no_response, context.flow.id,
        "The device sent its request (frame " + std::to_string(request->frame) + ") and nothing came back before " +
            until,
        "The server accepted the TLS connection but did not answer the request; on the device "
        "'show license history message' shows the request with an empty response.",
        {request->frame}, {"show license history message", "show license eventlog 1", "license smart sync all"}));
}

void judge_not_tls(const TlsContext& context, const NotTls& not_tls, const TlsMessage* hello, TlsAssessment& result) {
    StepResult& step = result.handshake;
    std::string who = side_name(not_tls.direction);
    step.status = StepStatus::fail;
    step.frames = hello && hello->frame < not_tls.frame ? std::vector<std::uint64_t>{hello->frame, not_tls.frame}
                                                        : std::vector<std::uint64_t>{not_tls.frame};
    step.detail = not_tls.after_records ? "after valid records the " + who + " sent " + not_tls.looks_like
                                        : "the " + who + " sent " + not_tls.looks_like + ", not TLS";
    std::string explanation =
        not_tls.after_records
            ? "After valid TLS records, the " + who + "'s byte stream holds bytes that cannot start a TLS record, so "
              "nothing after them can be read. A middlebox altered the stream, or the capture file is damaged."
            : "Something other than the licensing server's HTTPS service answers on this port, or the device talks "
              "to a proxy without CONNECT.";
    result.findings.push_back(
        Finding(FindingKind::tls_not_tls, context.flow.id,
                not_tls.after_records ? "After valid TLS records the " + who + " sent " + not_tls.looks_like +
                                            " (frame " + std::to_string(not_tls.frame) + ")"
                                      : "The " + who + " sent " + not_tls.looks_like +
                                            " where TLS was expected (frame " + std::to_string(not_tls.frame) + ")",
                explanation, {not_tls.frame},
                {"If a proxy is in use, name it to the device:", "configure terminal",
                 "license smart proxy address <proxy>", "license smart proxy port <port>", "end"}));
    result.appdata.status = StepStatus::not_applicable;
    result.appdata.detail = "no TLS";
}

// The device's Client Hello met silence: no byte came back before the
// device gave up or the capture ended. False when the capture ended too soon
// after the Client Hello to call it unanswered.
bool judge_unanswered_hello(const TlsContext& context, const TlsMessage& hello, TlsAssessment& result) {
    const TcpFlow& flow = context.flow;
    if (context.tls.side(Direction::server_to_client).bytes_received > 0) return false;
    auto server_close = close_by(flow, Direction::server_to_client, hello.frame);
    auto device_close = close_by(flow, Direction::client_to_server, hello.frame);
    if (server_close && (!device_close || server_close->frame < device_close->frame)) return false;
    const Timestamp capture_end = std::max(flow.watched_until, flow.last_time);
    const Timestamp until = device_close ? device_close->time : capture_end;
    const double waited = elapsed_seconds(hello.time, until);
    if (!device_close && waited < answer_wait_seconds) return false;

    StepResult& step = result.handshake;
    step.status = StepStatus::fail;
    step.frames = {hello.frame};
    if (device_close) step.frames.push_back(device_close->frame);
    const HttpExchange* tunnel = context.tunnel;
    std::string from = tunnel ? "through the proxy tunnel" : "from the server";
    std::string ending = device_close ? ", then the device gave up (" + std::string(device_close->reset ? "reset" : "FIN") +
                                            ", frame " + std::to_string(device_close->frame) + ")"
                                      : ", until the capture ended";
    step.detail = "no answer to the Client Hello " + from + " in " + seconds_text(waited) + ending;

    std::string server = !context.summary.server_name.empty() ? context.summary.server_name
                         : tunnel                             ? tunnel->request.target
                                                              : flow.server.ip.to_string();
    std::string explanation =
        "No Server Hello, no alert, not a byte came back " + from + " after the device's Client Hello. ";
    std::vector<std::string> fix;
    if (tunnel) {
        explanation += "The proxy opened the tunnel to " + tunnel->request.target +
                       " (it answered the CONNECT), but its far side never answered: the proxy cannot reach the "
                       "server, or a firewall or IPS behind it drops TLS to it. The device logs \"Connection timed "
                       "out\".";
        fix = {"show running-config | include license smart proxy",
               "On the proxy: check its access log for the CONNECT to " + tunnel->request.target +
                   " and that it reaches that server on port 443",
               "Check the firewall or IPS behind the proxy for a rule that drops TLS to " + server};
    } else {
        explanation += "A firewall or IPS between the device and the server that lets TCP through but black-holes "
                       "TLS to the server does this. The device logs \"Connection timed out\".";
        // The name only where the device reached it directly on its own port.
        std::string target = !context.summary.server_name.empty() && flow.server.port == https_port
                                 ? context.summary.server_name
                                 : flow.server.ip.to_string();
        fix = then(reachability_test(target, flow.server.port),
                   {"Check the firewall or IPS between the device and " + server +
                        " for a rule that drops or holds TLS to it (application filtering, SSL inspection, IPS "
                        "signature)",
                    "show logging | include timed out"});
    }
    result.findings.push_back(Finding(FindingKind::tls_client_hello_unanswered, flow.id,
                                      "The device's Client Hello (frame " + std::to_string(hello.frame) +
                                          ") got no answer " + from + " in " + seconds_text(waited) + ending,
                                      explanation, step.frames, fix));
    return true;
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
    const bool no_payload = context.flow.side(Direction::client_to_server).payload_bytes == 0 &&
                            context.flow.side(Direction::server_to_client).payload_bytes == 0;
    if (context.tcp_status == StepStatus::unknown && no_payload) {
        not_applicable("the TCP connection was not seen established");
        return result;
    }
    if (context.tcp_status == StepStatus::fail || context.tunnel_refused) {
        not_applicable(context.tunnel_refused ? "the proxy refused the tunnel" : "no TCP connection");
        return result;
    }

    const auto& messages = context.tls.messages;
    StepResult& step = result.handshake;
    const auto& not_tls = context.tls.not_tls;
    if (not_tls && context.flow.side(Direction::client_to_server).syn_frames.empty() &&
        not_tls->content == NonTlsContent::binary) {
        step.status = StepStatus::not_seen;
        step.detail = "the capture starts inside the connection's byte stream; its records cannot be found";
        result.appdata.status = StepStatus::unknown;
        result.appdata.detail = step.detail;
        return result;
    }
    const TlsMessage* hello =
        first_of(messages, Direction::client_to_server, {TlsMessageKind::client_hello, TlsMessageKind::sslv2_client_hello});
    const bool device_sent_nothing = context.flow.side(Direction::client_to_server).payload_bytes == 0;
    if (not_tls && not_tls->direction == Direction::server_to_client && device_sent_nothing) {
        // The server spoke first and the device never did: not a TLS connection at all.
        not_applicable("the device sent no data");
        step.detail = "the device sent no data; the server sent " + not_tls->looks_like + ", not TLS";
        result.appdata.status = StepStatus::not_seen;
        return result;
    }
    if (not_tls) {
        judge_not_tls(context, *not_tls, hello, result);
        return result;
    }
    if (!hello && messages.empty() && context.flow.side(Direction::client_to_server).cut_packets > 0) {
        step.status = StepStatus::unknown;
        step.detail = "the device's bytes were cut off by the capture's snap length";
        result.appdata.status = StepStatus::unknown;
        result.appdata.detail = step.detail;
        return result;
    }
    if (!hello) {
        bool any_tls = !messages.empty();
        step.status = any_tls ? StepStatus::not_seen
                      : context.tls.side(Direction::client_to_server).lost_sync ? StepStatus::unknown
                                                                           : StepStatus::not_seen;
        step.detail = any_tls ? "the capture starts after the TLS handshake" : "no Client Hello in the capture";
        auto device_close = close_by(context.flow, Direction::client_to_server, 0);
        if (!any_tls && device_close && context.flow.side(Direction::client_to_server).payload_bytes == 0)
            step.detail = "the device " + std::string(device_close->reset ? "reset" : "closed") +
                          " the connection (frame " + std::to_string(device_close->frame) +
                          ") without sending a Client Hello";
        if (any_tls) {
            assess_application_data(context, result);
        } else {
            result.appdata.status = StepStatus::not_seen;
            result.appdata.detail = "no TLS seen";
        }
        return result;
    }

    const TlsMessage* server_hello = first_of(messages, Direction::server_to_client,
                                              {TlsMessageKind::server_hello, TlsMessageKind::sslv2_server_hello});
    bool tls13 = context.summary.version && is_tls13_family(*context.summary.version);
    const TlsMessage* device_finished = handshake_end(messages, Direction::client_to_server, tls13);
    const TlsMessage* server_finished = handshake_end(messages, Direction::server_to_client, tls13);
    bool complete = server_hello && device_finished && server_finished;
    std::uint64_t completed_at = complete ? std::max(device_finished->frame, server_finished->frame) : UINT64_MAX;

    auto fail = [&](std::uint64_t frame, std::string detail) {
        step.status = StepStatus::fail;
        step.frames = {hello->frame, frame};
        step.detail = std::move(detail);
        result.appdata.status = StepStatus::not_applicable;
        result.appdata.detail = "no TLS session";
    };
    auto judge_certificates = [&] {
        const bool completed = step.status == StepStatus::pass || (complete && step.status == StepStatus::unknown);
        const ClockError clock = clock_error(context, completed);
        if (clock != ClockError::none) assess_clock(context, clock, completed, result);
        assess_chain(context, step.status == StepStatus::pass, clock != ClockError::none, result);
        // The device's certificate out of date is the clock's doing, not the certificate's.
        if (clock == ClockError::none) assess_client_certificate(context, completed, result);
    };

    // TLS 1.3 hides the certificates: a device that gives up right after the
    // server's encrypted flight has most likely refused the server's chain.
    // With the flight decrypted, its certificates and the device's alert say it.
    if (tls13 && server_finished && !server_finished->decrypted && !device_finished) {
        const TlsMessage* abort_alert = first_of(messages, Direction::client_to_server, {TlsMessageKind::alert},
                                                 server_finished->frame);
        auto close = first_close(context.flow);
        std::optional<std::uint64_t> abort_frame;
        if (abort_alert) abort_frame = abort_alert->frame;
        else if (close && close->frame > server_finished->frame && close->by == Direction::client_to_server)
            abort_frame = close->frame;
        if (abort_frame) {
            fail(*abort_frame, "the device gave up right after the server's encrypted flight");
            if (abort_alert && abort_alert->alert && !abort_alert->alert->encrypted)
                result.findings.push_back(alert_finding(context, *abort_alert, AlertEffect::ended_handshake));
            result.findings.push_back(Finding(
                FindingKind::tls13_client_abort, context.flow.id,
                "The device aborted the TLS 1.3 handshake right after the server's encrypted flight (frame " +
                    std::to_string(*abort_frame) + ")",
                "TLS 1.3 encrypts the server's certificate, so it cannot be read here. The device probably rejected "
                "the server's certificate; interception likely. Capture outside the firewall to confirm.",
                {*abort_frame},
                {"Exempt smartreceiver.cisco.com from SSL decryption on the firewall or proxy",
                 "Capture outside the firewall to confirm"}));
            judge_certificates();
            return result;
        }
    }

    // TLS 1.3 with client certificates: the server's rejection of the device's
    // certificate is an encrypted alert sent after the device's Finished, so
    // the handshake looks complete to the device.
    const TlsMessage* server_rejection = nullptr;
    if (tls13 && complete) {
        const TlsMessage* server_alert =
            first_of(messages, Direction::server_to_client, {TlsMessageKind::alert}, device_finished->frame);
        // A ticket or data before the alert means the server accepted the device; an alert
        // after the device closed answers that close.
        const TlsMessage* server_went_on = first_of(
            messages, Direction::server_to_client,
            {TlsMessageKind::application_data, TlsMessageKind::tls13_post_handshake, TlsMessageKind::new_session_ticket},
            device_finished->frame);
        auto device_close = close_by(context.flow, Direction::client_to_server, device_finished->frame);
        bool answers_device_close = server_alert && device_close && device_close->frame < server_alert->frame;
        // A decrypted alert is a rejection only when it is one: not a close_notify nor a warning.
        bool readable_and_benign = server_alert && server_alert->decrypted && !server_alert->alert->encrypted &&
                                   (is_close_notify(*server_alert) || is_warning(*server_alert));
        if (server_alert && !answers_device_close && !readable_and_benign &&
            (!server_went_on || server_went_on->frame > server_alert->frame))
            server_rejection = server_alert;
    }

    // A warning alert ends nothing unless its sender closes before the
    // handshake completes; the first alert that did end it is the reason.
    const TlsMessage* alert = nullptr;
    std::optional<Close> close_after_warning;
    for (const TlsMessage& message : messages) {
        if (message.kind != TlsMessageKind::alert || !message.alert || is_close_notify(message)) continue;
        if (&message == server_rejection) continue;
        if (message.alert->encrypted && complete) continue;  // after the handshake: a close, most likely
        if (is_warning(message)) {
            auto close = close_by(context.flow, message.direction, message.frame);
            bool closed_before_completion = close && close->frame <= completed_at;
            if (!closed_before_completion || message.frame > completed_at) {
                if (warning_worth_reporting(*message.alert))
                    result.findings.push_back(alert_finding(
                        context, message, complete ? AlertEffect::warning_ignored : AlertEffect::warning_unfinished));
                continue;
            }
            close_after_warning = close;
        }
        alert = &message;
        break;
    }
    if (alert && alert->frame <= completed_at) {
        fail(alert->frame, "the " + std::string(side_name(alert->direction)) +
                               (close_after_warning ? " sent a warning alert and closed the connection"
                                                    : " ended the handshake with an alert"));
        result.findings.push_back(alert_finding(context, *alert,
                                                close_after_warning ? AlertEffect::warning_then_close
                                                                    : AlertEffect::ended_handshake,
                                                close_after_warning));
        judge_certificates();
        return result;
    }
    if (alert) result.findings.push_back(alert_finding(context, *alert, AlertEffect::after_handshake));

    if (server_rejection && server_rejection->decrypted && !server_rejection->alert->encrypted) {
        fail(server_rejection->frame, "the server ended the handshake with an alert after the device's Finished");
        result.findings.push_back(alert_finding(context, *server_rejection, AlertEffect::ended_handshake));
        judge_certificates();
        return result;
    }
    if (const TlsMessage* server_alert = server_rejection) {
        fail(server_alert->frame, "the server ended the session with an alert-sized encrypted record (inferred)");
        result.findings.push_back(Finding(
            FindingKind::tls_alert_inferred, context.flow.id,
            "The server probably rejected the device's certificate: one alert-sized encrypted record (frame " +
                std::to_string(server_alert->frame) + ") right after the device's Finished, then it closed",
            "In TLS 1.3 the server checks the device's certificate after the device's Finished, so its alert is "
            "encrypted and the handshake looks complete to the device. Inferred from the record's size and "
            "position: the alert itself cannot be read.",
            {server_alert->frame}, advice_for_alert(wire_value(TlsAlertDescription::unknown_ca), true).fix));
        judge_certificates();
        return result;
    }

    if (complete) {
        step.status = StepStatus::pass;
        step.frames = tls13 ? std::vector<std::uint64_t>{hello->frame, server_hello->frame, server_finished->frame,
                                                         device_finished->frame}
                            : std::vector<std::uint64_t>{hello->frame, server_hello->frame, device_finished->frame,
                                                         server_finished->frame};
        step.detail = handshake_detail(context.summary);
        if (context.expect_public_chain && !context.summary.server_chain &&
            context.tls.side(Direction::server_to_client).damaged_messages > 0) {
            // The handshake completed, but the chain it must be judged by was not captured.
            step.status = StepStatus::unknown;
            step.detail += "; the server's certificate was not captured, so its chain cannot be checked";
        }
        judge_certificates();
        assess_application_data(context, result);
        return result;
    }

    result.appdata.status = StepStatus::not_applicable;
    result.appdata.detail = "no TLS session";
    if (server_hello && server_hello->kind == TlsMessageKind::sslv2_server_hello) {
        step.status = StepStatus::unknown;
        step.frames = {hello->frame, server_hello->frame};
        step.detail = "an SSL 2.0 handshake: the rest of it is encrypted, so its end cannot be seen";
    } else if (context.tls.side(Direction::client_to_server).lost_sync ||
               context.tls.side(Direction::server_to_client).lost_sync) {
        step.status = StepStatus::unknown;
        step.frames = {hello->frame};
        step.detail = "a gap in the capture hides the rest of the handshake";
    } else if (!server_hello && judge_unanswered_hello(context, *hello, result)) {
        // judged there
    } else if (auto close = first_close(context.flow); close && close->frame >= hello->frame) {
        fail(close->frame, "the handshake stopped: " + close->text() + " at frame " + std::to_string(close->frame));
    } else {
        step.status = StepStatus::unknown;
        step.frames = {hello->frame};
        if (server_hello) step.frames.push_back(server_hello->frame);
        step.detail = "the capture ends during the TLS handshake";
        result.appdata.status = StepStatus::not_seen;
        result.appdata.detail = "the device sent no application data";
    }
    judge_certificates();
    return result;
}

}  // namespace trustcap
