#include "report/html_writer.h"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <sstream>

#include "report/attempts.h"
#include "report/ladder_diagram.h"
#include "report/time_format.h"
#include "report/wire_text.h"
#include "report/wireshark_filters.h"
#include "report/decryption_wording.h"
#include "report/wording.h"

namespace trustcap {
namespace {

// Colours keep a contrast of at least 4.5:1 against their background; every
// status is also written out as a word and a glyph.
constexpr const char* style_sheet = R"css(
:root{color-scheme:light}
*{box-sizing:border-box}
body{margin:0;font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;color:#1f2328;background:#fff}
main{max-width:1120px;margin:0 auto;padding:12px 16px 40px}
h1{font-size:1.5rem;margin:.4em 0}
h2{font-size:1.25rem;margin:1.4em 0 .4em}
h3{font-size:1.05rem;margin:1.1em 0 .3em}
h4{font-size:1rem;margin:0 0 .3em}
p,li,dd,td,h2,h4,pre{overflow-wrap:break-word}
li,dd{min-width:0}
th{white-space:nowrap}
td.time{white-space:nowrap}
td.name{overflow-wrap:anywhere;min-width:10em}
dl.capture{display:grid;grid-template-columns:max-content 1fr;gap:2px 12px;margin:0}
dl.capture dt{font-weight:600}
dl.capture dd{margin:0}
.verdict{font-size:1.1rem;padding:8px 12px;border-left:6px solid;margin:12px 0 4px}
.verdict.healthy{border-color:#1a7f37;background:#dafbe1}
.verdict.problem{border-color:#cf222e;background:#ffebe9}
.diagnosis{font-weight:600}
.scroll{overflow-x:auto;max-width:100%}
table{border-collapse:collapse;font-size:.92rem}
th,td{border:1px solid #d0d7de;padding:4px 8px;text-align:left;vertical-align:top}
th{background:#f6f8fa}
section.flow{border-top:2px solid #d0d7de;margin-top:28px}
.flow-verdict{font-weight:700}
.flow-verdict.healthy,.status.pass{color:#1a7f37}
.flow-verdict.problem,.status.fail{color:#cf222e}
.status.unknown{color:#9a6700}
.status.na{color:#57606a}
ol.steps{display:flex;flex-wrap:wrap;gap:6px;list-style:none;padding:0;margin:8px 0}
ol.steps li{flex:1 1 180px;border:1px solid #d0d7de;border-top:6px solid;border-radius:4px;padding:6px 8px;font-size:.9rem}
ol.steps li.pass{border-top-color:#1a7f37}
ol.steps li.fail{border-top-color:#cf222e;background:#fff5f5}
ol.steps li.unknown{border-top-color:#bf8700}
ol.steps li.na{border-top-color:#8c959f}
.step-name{font-weight:700}
.frames{color:#57606a;font-size:.88rem}
.finding{border:1px solid #d0d7de;border-left:6px solid;border-radius:4px;padding:8px 12px;margin:8px 0;break-inside:avoid}
.finding.error{border-left-color:#cf222e}
.finding.warning{border-left-color:#bf8700}
.finding.info{border-left-color:#0969da}
.severity{font-weight:700}
.finding p{margin:.3em 0}
pre{background:#f6f8fa;border:1px solid #d0d7de;border-radius:4px;padding:8px;overflow-x:auto;margin:.4em 0}
code{font:13px/1.4 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace}
code.filter{overflow-wrap:anywhere;user-select:all}
.ladder-box{overflow-x:auto;margin:8px 0;break-inside:avoid;page-break-inside:avoid}
svg.ladder{display:block;width:100%;min-width:640px;max-width:980px;height:auto;font:12px system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif}
svg.ladder .lifeline rect{fill:#f6f8fa;stroke:#57606a}
svg.ladder .lifeline line{stroke:#8c959f;stroke-width:1.5;stroke-dasharray:4 3}
svg.ladder .lifeline text{fill:#1f2328}
svg.ladder .lifeline text.role{font-weight:700}
svg.ladder .arrow line{stroke:#24292f;stroke-width:1.5}
svg.ladder .arrow polygon{fill:#24292f}
svg.ladder .arrow text{fill:#1f2328}
svg.ladder .arrow line.inferred{stroke-dasharray:6 4}
svg.ladder .arrow.failing line{stroke:#cf222e;stroke-width:3}
svg.ladder .arrow.failing polygon{fill:#cf222e}
svg.ladder .mark{fill:#a40e26;font-weight:700}
svg.ladder .note{fill:#57606a;font-style:italic}
svg.ladder .arrow circle{fill:#24292f}
svg.ladder .arrow.failing circle{fill:#cf222e}
svg.ladder .arrow circle.relay{fill:#fff;stroke:#24292f;stroke-width:1.5}
svg.ladder .band rect{stroke-width:1.5}
svg.ladder .band text{fill:#1f2328;font-weight:600}
svg.ladder .band.pass rect{fill:#dafbe1;stroke:#1a7f37}
svg.ladder .band.fail rect{fill:#ffebe9;stroke:#cf222e}
svg.ladder .band.unknown rect{fill:#fff8c5;stroke:#9a6700}
svg.ladder .band.na rect{fill:#f6f8fa;stroke:#8c959f}
@media (max-width:600px){body{font-size:14px}main{padding:8px}dl.capture{grid-template-columns:1fr}dl.capture dd{margin-bottom:4px}}
@media print{
body{font-size:11pt}
main{max-width:none;padding:0}
.scroll,.ladder-box,pre{overflow:visible}
svg.ladder{min-width:0}
section.flow{break-before:auto}
.verdict,ol.steps li,pre,th{background:none}
}
)css";

std::string flow_anchor(const FlowReport& flow) { return "flow-" + std::to_string(flow.id); }

void write_head(std::ostream& out, const Report& report) {
    out << "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        << "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        << "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; "
           "img-src data:\">\n"
        << "<title>trustcap: " << html_text(report.capture.file) << " \u2014 "
        << (report.healthy ? "HEALTHY" : "PROBLEM") << "</title>\n<style>" << style_sheet << "</style>\n</head>\n";
}

void write_definition(std::ostream& out, const std::string& term, const std::string& escaped_value) {
    out << "<dt>" << term << "</dt><dd>" << escaped_value << "</dd>\n";
}

void write_capture(std::ostream& out, const Report& report) {
    const CaptureSummary& capture = report.capture;
    out << "<dl class=\"capture\">\n";
    write_definition(out, "Capture", html_text(capture.file) + (capture.live ? " (live)" : ""));
    write_definition(out, "Frames", std::to_string(capture.frames));
    if (capture.first_time && capture.last_time)
        write_definition(out, "Time span", readable_utc(*capture.first_time) + " to " + readable_utc(*capture.last_time));
    write_definition(out, "Link type", html_text(capture.link_type));
    if (!capture.complete || !capture.damage.empty())
        write_definition(out, "Damage", capture.damage.empty() ? "the capture is incomplete" : html_text(capture.damage));
    if (capture.truncated_packets > 0)
        write_definition(out, "Cut frames", counted(capture.truncated_packets, "frame") + " cut by the snap length");
    if (capture.malformed_packets > 0)
        write_definition(out, "Malformed", counted(capture.malformed_packets, "frame") + ": " +
                                               html_text(capture.first_malformed_reason));
    if (auto note = unnumbered_streams_note(report)) write_definition(out, "Wireshark streams", html_text(*note));
    out << "</dl>\n";
}

void write_verdict(std::ostream& out, const Report& report) {
    const auto healthy = std::ranges::count_if(report.flows, [](const FlowReport& flow) { return flow.healthy; });
    out << "<p class=\"verdict " << (report.healthy ? "healthy" : "problem") << "\"><strong>Verdict: "
        << (report.healthy ? "HEALTHY" : "PROBLEM") << "</strong> \u2014 " << counted(report.flows.size(), "flow")
        << " checked, " << healthy << " healthy; " << report.other_tcp_flows << " other TCP flows not checked</p>\n";
    if (!report.diagnosis.empty()) out << "<p class=\"diagnosis\">" << html_text(report.diagnosis) << "</p>\n";
}

std::string attempt_outcome(const FlowReport& flow) {
    return flow.healthy ? "worked" : attempt_failed(flow) ? "failed" : "cannot be judged";
}

void write_attempt_row(std::ostream& out, const Report& report, const AttemptGroup& group) {
    std::vector<std::string> links;
    std::size_t failed = 0;
    std::size_t worked = 0;
    for (std::size_t index : group.flows) {
        const FlowReport& flow = report.flows[index];
        links.push_back("<a href=\"#" + flow_anchor(flow) + "\">" + std::to_string(flow.id) + "</a>");
        worked += flow.healthy ? 1 : 0;
        failed += !flow.healthy && attempt_failed(flow) ? 1 : 0;
    }
    out << "<tr><td>" << group.device.to_string() << "</td><td>" << html_text(group.server) << "</td><td>"
        << joined(links, ", ") << "</td><td>" << worked << "</td><td>" << failed << "</td><td>"
        << group.flows.size() - worked - failed << "</td><td>"
        << attempt_outcome(report.flows[group.flows.back()]) << "</td></tr>\n";
}

void write_summarised_attempts(std::ostream& out, const SummarisedAttempts& more) {
    if (more.count == 0) return;
    out << "<p>Attempts not listed: " << more.count << " (frames " << more.first_frame << " to " << more.last_frame
        << "): " << more.no_answer << " no answer, " << more.refused << " refused, " << more.unreachable
        << " ICMP error, " << more.connected << " accepted without data; " << more.distinct_targets
        << (more.distinct_targets_exact ? "" : "+") << (more.distinct_targets == 1 ? " server" : " servers");
    std::vector<std::string> targets;
    for (const SummarisedAttempts::Target& target : more.targets)
        targets.push_back(target.server.to_string() + " (" + std::to_string(target.connections) + ")");
    if (!targets.empty()) out << ": " << joined(targets, ", ");
    out << "</p>\n";
}

void write_attempts(std::ostream& out, const Report& report) {
    if (report.attempts.empty() && report.summarised_attempts.count == 0) return;
    out << "<h2>Attempts</h2>\n";
    if (!report.attempts.empty()) {
        out << "<div class=\"scroll\"><table><thead><tr><th scope=\"col\">Device</th><th scope=\"col\">Server</th>"
               "<th scope=\"col\">Flows</th><th scope=\"col\">Worked</th><th scope=\"col\">Failed</th>"
               "<th scope=\"col\">Cannot be judged</th><th scope=\"col\">Last attempt</th></tr></thead><tbody>\n";
        for (const AttemptGroup& group : report.attempts) write_attempt_row(out, report, group);
        out << "</tbody></table></div>\n";
    }
    write_summarised_attempts(out, report.summarised_attempts);
}

// A fix pastes at the device's prompt: a sentence becomes an IOS XE comment, as in the text report.
std::string fix_block(const std::vector<std::string>& fix) {
    std::vector<std::string> lines;
    for (const std::string& line : fix) {
        lines.push_back(prompt_prefix(line) + html_text(line));
    }
    return joined(lines, "\n");
}

void write_finding(std::ostream& out, const Finding& finding) {
    const char* severity = severity_name(finding.severity);
    std::string upper = severity;
    std::ranges::transform(upper, upper.begin(), [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
    out << "<article class=\"finding " << severity << "\">\n<h4><span class=\"severity\">" << upper << "</span> <code>"
        << html_text(finding.id) << "</code></h4>\n<p>" << html_text(finding.summary) << "</p>\n<p>"
        << html_text(finding.explanation) << "</p>\n";
    if (!finding.frames.empty())
        out << "<p class=\"frames\">Evidence: " << frames_label(finding.frames)
            << " — Wireshark display filter: <code class=\"filter\">" << frames_filter(finding.frames)
            << "</code></p>\n";
    if (!finding.fix.empty()) out << "<p>Fix:</p>\n<pre><code>" << fix_block(finding.fix) << "</code></pre>\n";
    out << "</article>\n";
}

void write_capture_findings(std::ostream& out, const Report& report) {
    const auto of_the_capture = [](const Finding& finding) { return !finding.flow; };
    if (std::ranges::none_of(report.findings, of_the_capture)) return;
    out << "<h2>Capture findings</h2>\n";
    for (const Finding& finding : report.findings)
        if (of_the_capture(finding)) write_finding(out, finding);
}

std::string flow_identity(const FlowReport& flow) {
    if (flow.identified_by == NamingSource::attempt)
        return "unidentified attempt to port " + std::to_string(flow.server.port) +
               ": checked because the capture names no licensing connection";
    std::string identity = server_kind_id(flow.kind);
    if (!flow.server_name.empty()) identity += " \u2014 " + html_text(flow.server_name);
    if (flow.identified_by != NamingSource::none)
        identity += std::string(" (named by ") + naming_source_id(flow.identified_by) + ")";
    if (flow.proxy)
        identity += "; through proxy " + flow.proxy->proxy.to_string() + " to " + html_text(flow.proxy->connect_target);
    return identity;
}

void write_flow_header(std::ostream& out, const FlowReport& flow) {
    char duration[32];
    std::snprintf(duration, sizeof duration, "%.3f\u00a0s", elapsed_seconds(flow.start, flow.end));
    out << "<h2>Flow " << flow.id << ": " << flow.client.to_string() << " \u2192 " << flow.server.to_string()
        << " <span class=\"flow-verdict " << (flow.healthy ? "healthy\">HEALTHY" : "problem\">PROBLEM")
        << "</span></h2>\n<p>" << flow_identity(flow) << "<br>Started " << readable_utc(flow.start) << ", lasted "
        << duration << "</p>\n<p class=\"frames\">Wireshark display filter: ";
    if (flow.wireshark_stream) out << "<code class=\"filter\">" << stream_filter(flow) << "</code>, or ";
    out << "<code class=\"filter\">" << conversation_filter(flow.client, flow.server) << "</code></p>\n";
    if (flow.roles_guessed)
        out << "<p>The capture starts mid-flow: which side is the device was inferred from the ports.</p>\n";
}

void write_steps(std::ostream& out, const FlowReport& flow) {
    out << "<h3>Steps</h3>\n<ol class=\"steps\">\n";
    for (const StepResult& step : flow.steps) {
        const char* status = status_class(step.status);
        out << "<li class=\"" << status << "\"><span class=\"status " << status << "\" aria-hidden=\"true\">"
            << status_glyph(step.status) << "</span> <span class=\"step-name\">" << step_name(step.name)
            << "</span> <span class=\"status " << status << "\">" << status_word(step.status) << "</span><br>"
            << html_text(step.detail);
        if (!step.frames.empty()) out << "<br><span class=\"frames\">" << frames_label(step.frames) << "</span>";
        out << "</li>\n";
    }
    out << "</ol>\n";
}

std::string validity_at(const CertificateSummary& certificate, const Timestamp& time) {
    if (time.seconds < certificate.not_before) return "<span class=\"status fail\">\u2717 not yet valid</span>";
    if (time.seconds > certificate.not_after) return "<span class=\"status fail\">\u2717 expired</span>";
    return "<span class=\"status pass\">\u2713 valid</span>";
}

void write_certificate_rows(std::ostream& out, const std::string& side, const std::vector<CertificateSummary>& certificates,
                            const Timestamp& time) {
    for (std::size_t i = 0; i < certificates.size(); ++i) {
        const CertificateSummary& certificate = certificates[i];
        out << "<tr><td>" << side << " " << i + 1 << "</td><td class=\"name\">" << html_text(certificate.subject)
            << (certificate.self_signed ? " (self-signed)" : "") << "</td><td class=\"name\">" << html_text(certificate.issuer)
            << "</td><td class=\"time\">" << iso8601_utc(Timestamp{certificate.not_before, 0}, 0) << "</td><td class=\"time\">"
            << iso8601_utc(Timestamp{certificate.not_after, 0}, 0) << "</td><td>" << validity_at(certificate, time)
            << "</td></tr>\n";
    }
}

void write_chain_verification(std::ostream& out, const ChainVerification& verification) {
    out << "<p>Server chain: <span class=\"status " << (verification.verified ? "pass\">\u2713 verified" : "fail\">\u2717 NOT verified")
        << "</span> (" << html_text(verification.result) << ")";
    if (!verification.anchor.empty())
        out << (verification.verified ? ", chained to " : "; apart from the time it chains to ")
            << html_text(verification.anchor) << " (" << html_text(verification.anchor_origin) << ")";
    out << "</p>\n";
}

void write_tls(std::ostream& out, const TlsReport& tls, const Timestamp& time) {
    out << "<h3>TLS and certificates</h3>\n<p>" << (tls.version.empty() ? "Version unknown" : html_text(tls.version));
    if (!tls.cipher.empty()) out << ", " << html_text(tls.cipher);
    if (tls.client_certificate_requested) out << ", client certificate requested";
    out << "</p>\n";
    if (const auto& decryption = tls.decryption)
        for (const std::string& sentence : decryption_sentences(*decryption)) out << "<p>" << html_text(sentence) << "</p>\n";
    if (!tls.server_certificates.empty() || !tls.client_certificates.empty()) {
        out << "<div class=\"scroll\"><table><thead><tr><th scope=\"col\">Certificate</th><th scope=\"col\">Subject</th>"
               "<th scope=\"col\">Issuer</th><th scope=\"col\">Not before</th><th scope=\"col\">Not after</th>"
               "<th scope=\"col\">At capture time</th></tr></thead><tbody>\n";
        write_certificate_rows(out, certificates_whose(tls, "server"), tls.server_certificates, time);
        write_certificate_rows(out, certificates_whose(tls, "device"), tls.client_certificates, time);
        out << "</tbody></table></div>\n";
    }
    if (tls.server_verification) write_chain_verification(out, *tls.server_verification);
}

void write_flow(std::ostream& out, const FlowReport& flow, const CaptureSummary& capture) {
    out << "<section class=\"flow\" id=\"" << flow_anchor(flow) << "\">\n";
    write_flow_header(out, flow);
    write_steps(out, flow);
    if (flow.tls) write_tls(out, *flow.tls, flow.start);
    out << "<h3>Packets</h3>\n<p class=\"frames\">Frame numbers as in Wireshark; time in seconds since the first frame "
           "of the file. Red arrows carry the evidence of a failure or warning.</p>\n<div class=\"ladder-box\">\n";
    write_ladder_diagram(out, flow, capture);
    out << "</div>\n";
    if (!flow.findings.empty()) {
        out << "<h3>Findings</h3>\n";
        for (const Finding& finding : flow.findings) write_finding(out, finding);
    }
    out << "</section>\n";
}

}  // namespace

void write_html(std::ostream& out, const Report& report) {
    write_head(out, report);
    out << "<body>\n<main>\n<h1>trustcap report</h1>\n";
    write_capture(out, report);
    write_verdict(out, report);
    write_attempts(out, report);
    write_capture_findings(out, report);
    for (const FlowReport& flow : report.flows) write_flow(out, flow, report.capture);
    out << "</main>\n</body>\n</html>\n";
}

std::string to_html(const Report& report) {
    std::ostringstream out;
    write_html(out, report);
    return out.str();
}

}  // namespace trustcap
