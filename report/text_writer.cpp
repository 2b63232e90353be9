#include "report/text_writer.h"

#include <algorithm>
#include <cstdio>
#include <sstream>

#include "report/attempts.h"
#include "report/diagnosis.h"
#include "report/text_wrap.h"
#include "report/time_format.h"
#include "report/wire_text.h"
#include "report/wireshark_filters.h"
#include "report/decryption_wording.h"
#include "report/wording.h"

namespace trustcap {
namespace {

namespace ansi {
constexpr const char* red = "\033[31m";
constexpr const char* green = "\033[32m";
constexpr const char* yellow = "\033[33m";
constexpr const char* cyan = "\033[36m";
constexpr const char* dim = "\033[2m";
constexpr const char* bold = "\033[1m";
constexpr const char* reset = "\033[0m";
constexpr const char* palette[] = {red, green, yellow, cyan, dim, bold, reset};
}  // namespace ansi

// At the start of a line that is never wrapped: a row of the timeline, a command to paste.
constexpr char unwrapped_line = '\x1e';

// Spaces that wrapping leaves alone, so that a filter or a command stays in one piece.
std::string unbreakable(std::string text) {
    std::replace(text.begin(), text.end(), ' ', unbreakable_space);
    return text;
}

class Painter {
public:
    explicit Painter(bool enabled) : enabled_(enabled) {}
    [[nodiscard]] std::string paint(const std::string& text, const char* color) const {
        return enabled_ ? color + text + ansi::reset : text;
    }

private:
    bool enabled_;
};

// The writer's own escape sequence at the start of `text`, if there is one: its length.
std::size_t palette_sequence_length(std::string_view text) {
    for (std::string_view sequence : ansi::palette)
        if (text.starts_with(sequence)) return sequence.size();
    return 0;
}

// Every string from the report is escaped where it is written; this second
// pass makes sure that whatever reaches the terminal holds no control
// character but newlines and, when colouring, the palette's sequences.
std::string guarded(std::string_view text, bool color) {
    std::string out;
    std::size_t piece = 0;
    for (std::size_t at = 0; at < text.size();) {
        std::size_t kept = text[at] == '\n' ? 1 : 0;
        if (color && text[at] == '\033') kept = palette_sequence_length(text.substr(at));
        if (kept == 0) {
            ++at;
            continue;
        }
        out += terminal_text(text.substr(piece, at - piece));
        out.append(text.substr(at, kept));
        at += kept;
        piece = at;
    }
    out += terminal_text(text.substr(piece));
    return out;
}

std::string padded(std::string text, std::size_t width) {
    if (text.size() < width) text.append(width - text.size(), ' ');
    return text;
}

std::string status_mark(StepStatus status, const Painter& painter) {
    switch (status) {
        case StepStatus::pass: return painter.paint("PASS    ", ansi::green);
        case StepStatus::fail: return painter.paint("FAIL    ", ansi::red);
        case StepStatus::not_seen: return painter.paint("NOT SEEN", ansi::yellow);
        case StepStatus::unknown: return painter.paint("UNKNOWN ", ansi::yellow);
        case StepStatus::not_applicable: return painter.paint("n/a     ", ansi::dim);
    }
    return "?";
}

std::string severity_mark(Severity severity, const Painter& painter) {
    switch (severity) {
        case Severity::error: return painter.paint("ERROR  ", ansi::red);
        case Severity::warning: return painter.paint("WARNING", ansi::yellow);
        case Severity::info: return painter.paint("INFO   ", ansi::cyan);
    }
    return "?";
}

void write_finding_line(std::ostream& out, const Finding& finding, const Painter& painter, const std::string& indent) {
    out << indent << severity_mark(finding.severity, painter) << " " << terminal_text(finding.id) << ": "
        << terminal_text(finding.summary) << "\n";
}

// `same_fix_as`: an earlier finding of the same list whose fix this one shares.
void write_finding(std::ostream& out, const Finding& finding, const Painter& painter, const std::string& indent,
                   const Finding* same_fix_as) {
    write_finding_line(out, finding, painter, indent);
    out << indent << "        " << terminal_text(finding.explanation) << "\n";
    if (!finding.frames.empty())
        out << indent << "        Evidence: " << frames_label(finding.frames) << "   Wireshark: "
            << unbreakable(frames_filter(finding.frames)) << "\n";
    if (finding.fix.empty()) return;
    if (same_fix_as != nullptr) {
        out << indent << "        Fix: as for " << terminal_text(same_fix_as->id) << " above\n";
        return;
    }
    // The block pastes at the device's prompt: a sentence becomes an IOS XE comment.
    out << indent << "        Fix:\n";
    for (const std::string& fix : finding.fix) {
        const char* prefix = prompt_prefix(fix);
        out << (*prefix == '\0' ? std::string(1, unwrapped_line) : "") << indent << "          " << prefix
            << terminal_text(fix) << "\n";
    }
}

// Findings in order, each fix written once: a later finding with the same fix refers to the first.
template <typename Select>
void write_findings(std::ostream& out, const std::vector<Finding>& findings, const Painter& painter, Select selected) {
    std::vector<const Finding*> written;
    for (const Finding& finding : findings) {
        if (!selected(finding)) continue;
        const Finding* same_fix_as = nullptr;
        for (const Finding* earlier : written)
            if (!finding.fix.empty() && earlier->fix == finding.fix) same_fix_as = earlier;
        if (same_fix_as == nullptr) written.push_back(&finding);
        write_finding(out, finding, painter, "  ", same_fix_as);
    }
}

void write_timeline(std::ostream& out, const FlowReport& flow, const CaptureSummary& capture) {
    Timestamp origin = capture.first_time.value_or(flow.start);
    out << "  Timeline (significant packets; Time is seconds since the first frame of the file)\n";
    out << unwrapped_line << "  " << padded("No.", 8) << padded("Time", 14) << padded("Source", 18) << padded("Destination", 18)
        << padded("Protocol", 9) << "Info\n";
    for (const TimelineRow& row : flow.timeline) {
        std::string number = std::to_string(row.frame);
        out << unwrapped_line << "  " << padded(std::string(number.size() < 6 ? 6 - number.size() : 0, ' ') + number, 8)
            << padded(relative_seconds(row.time, origin, capture.precision_digits), 14)
            << padded(row.source.to_string(), 17) << " " << padded(row.destination.to_string(), 17) << " "
            << padded(terminal_text(row.protocol), 9) << terminal_text(row.info) << "\n";
    }
    if (flow.timeline_omitted > 0)
        out << "  (" << flow.timeline_omitted << " more significant packets not listed)\n";
}

std::string side_summary(const SideStatistics& side) {
    std::string text = counted(side.packets, "packet") + ", " + counted(side.payload_bytes, "byte");
    if (side.retransmissions > 0) text += ", " + counted(side.retransmissions, "retransmission");
    if (side.inconsistent_retransmissions > 0)
        text += " (" + std::to_string(side.inconsistent_retransmissions) + " with different bytes)";
    if (side.out_of_order > 0) text += ", " + std::to_string(side.out_of_order) + " out of order";
    if (side.overlaps > 0) text += ", " + counted(side.overlaps, "overlap");
    if (side.bytes_not_captured > 0) text += ", " + std::to_string(side.bytes_not_captured) + " bytes not captured";
    if (side.zero_window_packets > 0) text += ", " + std::to_string(side.zero_window_packets) + " zero window";
    return text;
}

void write_certificates(std::ostream& out, const std::string& whose, const std::vector<CertificateSummary>& certificates) {
    for (std::size_t i = 0; i < certificates.size(); ++i) {
        const CertificateSummary& certificate = certificates[i];
        out << "    " << whose << " certificate " << i + 1 << ": " << terminal_text(certificate.subject) << "\n";
        out << "      issuer " << terminal_text(certificate.issuer) << "; valid " << readable_utc(Timestamp{certificate.not_before, 0})
            << " to " << readable_utc(Timestamp{certificate.not_after, 0})
            << (certificate.self_signed ? "; self-signed" : "") << "\n";
    }
}

void write_tls(std::ostream& out, const TlsReport& tls) {
    out << "  TLS: " << (tls.version.empty() ? "version unknown" : terminal_text(tls.version));
    if (!tls.cipher.empty()) out << ", " << terminal_text(tls.cipher);
    if (tls.client_certificate_requested) out << ", client certificate requested";
    out << "\n";
    if (const auto& decryption = tls.decryption)
        for (const std::string& sentence : decryption_sentences(*decryption)) out << "    " << sentence << "\n";
    write_certificates(out, certificates_whose(tls, "server"), tls.server_certificates);
    if (const auto& verification = tls.server_verification) {
        out << "    server chain: " << (verification->verified ? "verified" : "NOT verified") << " ("
            << terminal_text(verification->result) << ")";
        if (!verification->anchor.empty())
            out << (verification->verified ? ", chained to " : "; apart from the time it chains to ")
                << terminal_text(verification->anchor) << " (" << terminal_text(verification->anchor_origin) << ")";
        out << "\n";
    }
    write_certificates(out, certificates_whose(tls, "device"), tls.client_certificates);
}

void write_flow(std::ostream& out, const FlowReport& flow, const CaptureSummary& capture, const Painter& painter) {
    char duration[32];
    std::snprintf(duration, sizeof duration, "%.3f s", elapsed_seconds(flow.start, flow.end));
    out << painter.paint("Flow " + std::to_string(flow.id), ansi::bold) << "  " << flow.client.to_string()
        << " \u2192 " << flow.server.to_string() << "   started " << readable_utc(flow.start) << ", lasted "
        << duration << "\n";
    std::string identity = server_kind_id(flow.kind);
    if (!flow.server_name.empty()) identity += " — " + terminal_text(flow.server_name);
    if (flow.identified_by == NamingSource::attempt) {
        identity = "unidentified attempt to port " + std::to_string(flow.server.port) +
                   ": checked because the capture names no licensing connection";
    } else if (flow.identified_by != NamingSource::none) {
        identity += std::string(" (named by ") + naming_source_id(flow.identified_by) + ")";
    }
    out << "  " << identity;
    if (flow.proxy)
        out << "; through proxy " << flow.proxy->proxy.to_string() << " to " << terminal_text(flow.proxy->connect_target);
    out << "\n";
    out << "  Wireshark: "
        << unbreakable(flow.wireshark_stream ? stream_filter(flow) : conversation_filter(flow.client, flow.server))
        << "\n";
    if (flow.tls) write_tls(out, *flow.tls);
    if (flow.roles_guessed)
        out << "  (the capture starts mid-flow: which side is the device was inferred from the ports)\n";
    for (const StepResult& step : flow.steps) {
        out << "  " << status_mark(step.status, painter) << "  " << padded(step_name(step.name), 10);
        std::string frames = frames_label(step.frames);
        std::string detail = terminal_text(step.detail);
        out << (frames.empty() ? detail : padded(detail, 62) + "  " + frames) << "\n";
    }
    out << "  TCP: device " << side_summary(flow.client_statistics) << "; server " << side_summary(flow.server_statistics)
        << "\n";
    if (!flow.findings.empty()) {
        out << "  Findings\n";
        write_findings(out, flow.findings, painter, [](const Finding&) { return true; });
    }
    write_timeline(out, flow, capture);
}

}  // namespace

void write_text(std::ostream& destination, const Report& report, const TextOptions& options) {
    Painter painter(options.color);
    const CaptureSummary& capture = report.capture;
    std::ostringstream out;
    out << painter.paint("trustcap", ansi::bold) << ": " << terminal_text(capture.file) << " ("
        << terminal_text(capture.link_type) << ", "
        << capture.frames << " frames";
    if (capture.first_time && capture.last_time)
        out << ", " << readable_utc(*capture.first_time) << " to " << readable_utc(*capture.last_time);
    out << ")\n";
    if (auto note = unnumbered_streams_note(report)) out << terminal_text(*note) << "\n";

    std::size_t healthy = 0;
    for (const FlowReport& flow : report.flows) healthy += flow.healthy ? 1 : 0;
    out << "Verdict: "
        << (report.healthy ? painter.paint("HEALTHY", ansi::green) : painter.paint("PROBLEM", ansi::red)) << " — "
        << report.flows.size() << (report.flows.size() == 1 ? " flow" : " flows") << " checked, " << healthy
        << " healthy; " << report.other_tcp_flows << " other TCP flows not checked\n";
    if (!report.diagnosis.empty()) out << painter.paint(terminal_text(report.diagnosis), ansi::bold) << "\n";

    for (const AttemptGroup& group : report.attempts) {
        if (group.flows.size() < 2) continue;
        std::size_t failed = 0;
        std::size_t not_judged = 0;
        std::string flows;
        for (std::size_t index : group.flows) {
            const FlowReport& flow = report.flows[index];
            if (!flow.healthy) (attempt_failed(flow) ? failed : not_judged) += 1;
            flows += (flows.empty() ? "" : ", ") + std::to_string(flow.id);
        }
        const FlowReport& last = report.flows[group.flows.back()];
        out << "Attempts: " << group.device.to_string() << " → " << terminal_text(group.server) << ": " << group.flows.size()
            << " connections (flows " << flows << "), " << group.flows.size() - failed - not_judged << " worked, "
            << failed << " failed, " << not_judged << " cannot be judged; the last "
            << (last.healthy ? "worked" : attempt_failed(last) ? "failed" : "cannot be judged") << "\n";
    }

    if (const SummarisedAttempts& more = report.summarised_attempts; more.count > 0) {
        out << "Attempts not listed: " << more.count << " (frames " << more.first_frame << " to " << more.last_frame
            << "): " << more.no_answer << " no answer, " << more.refused << " refused, " << more.unreachable
            << " ICMP error, " << more.connected << " accepted without data; " << more.distinct_targets
            << (more.distinct_targets_exact ? "" : "+") << (more.distinct_targets == 1 ? " server:" : " servers:");
        for (const SummarisedAttempts::Target& target : more.targets)
            out << " " << target.server.to_string() << " (" << target.connections << ")";
        if (more.targets.size() < more.distinct_targets) out << " …";
        out << "\n";
    }

    const auto of_the_capture = [](const Finding& finding) { return !finding.flow; };
    const bool capture_findings = std::any_of(report.findings.begin(), report.findings.end(), of_the_capture);
    if (options.brief) {
        for (const Finding& finding : report.findings)
            if (of_the_capture(finding)) write_finding_line(out, finding, painter, "");
        for (const FlowReport& flow : report.flows)
            out << "Flow " << flow.id << "  " << flow.client.to_string() << " \u2192 " << flow.server.to_string() << "  "
                << (flow.healthy ? painter.paint("HEALTHY", ansi::green) : painter.paint("PROBLEM", ansi::red)) << "  "
                << terminal_text(diagnose_flow(flow)) << ".\n";
        destination << guarded(wrap_lines(out.str(), options.width, unwrapped_line), options.color);
        return;
    }
    if (capture_findings) out << "\nCapture\n";
    write_findings(out, report.findings, painter, of_the_capture);
    destination << guarded(wrap_lines(out.str(), options.width, unwrapped_line), options.color);
    for (const FlowReport& flow : report.flows) {
        std::ostringstream flow_text;
        flow_text << "\n";
        write_flow(flow_text, flow, capture, painter);
        destination << guarded(wrap_lines(flow_text.str(), options.width, unwrapped_line), options.color);
    }
}

std::string to_text(const Report& report, const TextOptions& options) {
    std::ostringstream out;
    write_text(out, report, options);
    return out.str();
}

}  // namespace trustcap
