#include "report/ladder_diagram.h"

#include <algorithm>
#include <cstdlib>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "capture/packet.h"
#include "dissect/tls_names.h"
#include "report/time_format.h"
#include "report/wire_text.h"
#include "report/wording.h"

namespace trustcap {
namespace {

// Geometry in viewBox units; the diagram scales to the page's width.
constexpr int diagram_width = 760;
constexpr int lane_width = 96;        // one column of step bands
constexpr int header_height = 64;     // the lifelines' name boxes
constexpr int row_height = 48;        // an arrow, its label above, its marker below
constexpr int note_height = 28;       // "N packets not shown"
constexpr int head_length = 9;        // arrowhead
constexpr int header_box_width = 180;
constexpr double label_char_width = 6.6;  // average advance of the 12px label font
constexpr std::size_t header_chars = 27;  // "smartreceiver.cisco.com:443"

// Text from the capture, escaped, cut to `limit` characters (code points) with an ellipsis.
std::string svg_text(std::string_view text, std::size_t limit) {
    const std::string safe = terminal_text(text);
    std::size_t characters = 0;
    for (std::size_t at = 0; at < safe.size(); ++at) {
        if ((static_cast<unsigned char>(safe[at]) & 0xC0U) == 0x80U) continue;
        if (++characters > limit && limit > 0) return html_text(safe.substr(0, at)) + "\u2026";
    }
    return html_text(safe);
}

struct Lifelines {
    int device = 0;
    int proxy = 0;  // 0: no proxy
    int server = 0;
    [[nodiscard]] int far_side() const { return proxy != 0 ? proxy : server; }
};

struct Band {
    const StepResult* step = nullptr;
    std::size_t first_row = 0;
    std::size_t last_row = 0;
    std::size_t lane = 0;
};

struct Layout {
    Lifelines lifelines;
    std::vector<Band> bands;
    int height = 0;
    [[nodiscard]] static int row_y(std::size_t row) { return header_height + 36 + static_cast<int>(row) * row_height; }
};

std::vector<Band> step_bands(const FlowReport& flow) {
    std::vector<Band> bands;
    for (const StepResult& step : flow.steps) {
        std::vector<std::size_t> rows;
        for (std::size_t row = 0; row < flow.timeline.size(); ++row)
            if (std::ranges::find(step.frames, flow.timeline[row].frame) != step.frames.end()) rows.push_back(row);
        if (!rows.empty()) bands.push_back(Band{&step, rows.front(), rows.back(), 0});
    }
    std::ranges::stable_sort(bands, {}, &Band::first_row);
    std::vector<std::size_t> lane_ends;  // the last row each lane is busy to
    for (Band& band : bands) {
        while (band.lane < lane_ends.size() && lane_ends[band.lane] >= band.first_row) ++band.lane;
        if (band.lane == lane_ends.size()) lane_ends.push_back(0);
        lane_ends[band.lane] = band.last_row;
    }
    return bands;
}

Layout layout_of(const FlowReport& flow) {
    Layout layout;
    layout.bands = step_bands(flow);
    std::size_t lanes = 0;
    for (const Band& band : layout.bands) lanes = std::max(lanes, band.lane + 1);
    const int left = static_cast<int>(lanes) * lane_width + 8;
    layout.lifelines.device = left + header_box_width / 2;
    layout.lifelines.server = diagram_width - header_box_width / 2 - 8;
    if (flow.proxy) layout.lifelines.proxy = (layout.lifelines.device + layout.lifelines.server) / 2;
    const std::size_t rows = std::max<std::size_t>(flow.timeline.size(), 1);
    layout.height = Layout::row_y(rows) - row_height / 2 + (flow.timeline_omitted > 0 ? note_height : 0) + 8;
    return layout;
}

// Frame → what marks its arrow as failing: "✗ tls.alert.unknown_ca", "⚠ tls.untrusted_chain", "✗ step tcp failed".
std::map<std::uint64_t, std::vector<std::string>> failing_frames(const FlowReport& flow) {
    std::map<std::uint64_t, std::vector<std::string>> marks;
    for (const Finding& finding : flow.findings) {
        if (finding.severity == Severity::info) continue;
        const char* glyph = finding.severity == Severity::error ? "\u2717 " : "\u26a0 ";
        for (std::uint64_t frame : finding.frames) marks[frame].push_back(glyph + finding.id);
    }
    // A failed step whose frames carry no finding is marked where it ended.
    for (const StepResult& step : flow.steps) {
        if (step.status != StepStatus::fail || step.frames.empty()) continue;
        const bool explained = std::ranges::any_of(step.frames, [&](std::uint64_t frame) { return marks.contains(frame); });
        if (!explained) marks[step.frames.back()].push_back(std::string("\u2717 step ") + step_name(step.name) + " failed");
    }
    return marks;
}

std::string tcp_label(std::uint8_t flags) {
    if ((flags & tcp_flag::syn) && (flags & tcp_flag::ack)) return "SYN-ACK";
    if (flags & tcp_flag::syn) return "SYN";
    if (flags & tcp_flag::rst) return "RST";
    if (flags & tcp_flag::fin) return "FIN";
    return "ACK";
}

// "[TCP Retransmission] 443 → …": the notes Wireshark puts before a TCP row's ports.
std::string tcp_notes(const std::string& info) {
    std::string notes;
    for (std::size_t at = 0; at < info.size() && info.compare(at, 5, "[TCP ") == 0;) {
        const std::size_t end = info.find(']', at);
        if (end == std::string::npos) break;
        notes += " (" + info.substr(at + 1, end - at - 1) + ")";
        at = end + 2;
    }
    return notes;
}

std::string short_label(const TimelineRow& row) {
    if (row.icmp_type) return row.protocol + " from " + row.source.to_string() + ": " + row.info;
    if (!row.tls_alerts.empty()) {
        const auto [level, description] = row.tls_alerts.front();
        return "Alert " + tls_alert_level_name(level) + ": " + tls_alert_description_name(description);
    }
    if (!row.tls_handshake_types.empty()) {
        std::vector<std::string> names;
        for (std::uint8_t type : row.tls_handshake_types) names.push_back(tls_handshake_type_name(type));
        return joined(names, ", ");
    }
    if (row.protocol == "TCP" && row.tcp_flags) return tcp_label(*row.tcp_flags) + tcp_notes(row.info);
    return row.info;
}

bool is_inferred(const TimelineRow& row) { return row.info.find("inferred") != std::string::npos; }

bool from_device(const TimelineRow& row, const FlowReport& flow) {
    if (row.icmp_type) return false;
    return row.source == flow.client.ip && (!row.source_port || *row.source_port == flow.client.port);
}

void write_lifeline(std::ostream& out, int x, int bottom, const std::vector<std::string>& lines) {
    out << "<g class=\"lifeline\"><title>" << html_text(joined(lines, " ")) << "</title>"
        << "<rect x=\"" << x - header_box_width / 2 << "\" y=\"4\" width=\"" << header_box_width
        << "\" height=\"56\" rx=\"6\"/>";
    for (std::size_t i = 0; i < lines.size(); ++i)
        out << "<text x=\"" << x << "\" y=\"" << 22 + static_cast<int>(i) * 16 << "\" text-anchor=\"middle\""
            << (i == 0 ? " class=\"role\"" : "") << ">" << svg_text(lines[i], header_chars) << "</text>";
    out << "<line x1=\"" << x << "\" y1=\"60\" x2=\"" << x << "\" y2=\"" << bottom << "\"/></g>\n";
}

void write_lifelines(std::ostream& out, const FlowReport& flow, const Layout& layout) {
    const Lifelines& at = layout.lifelines;
    write_lifeline(out, at.device, layout.height - 4, {"Device", flow.client.to_string()});
    if (flow.proxy) {
        write_lifeline(out, at.proxy, layout.height - 4, {"Proxy", flow.proxy->proxy.to_string()});
        write_lifeline(out, at.server, layout.height - 4, {"Server", flow.proxy->connect_target, "(through the proxy)"});
        return;
    }
    std::vector<std::string> server{"Server", flow.server.to_string()};
    if (!flow.server_name.empty()) server.insert(server.begin() + 1, flow.server_name);
    write_lifeline(out, at.server, layout.height - 4, server);
}

void write_band(std::ostream& out, const Band& band) {
    const StepResult& step = *band.step;
    const int x = 4 + static_cast<int>(band.lane) * lane_width;
    const int top = Layout::row_y(band.first_row) - row_height / 2 + 3;
    const int bottom = Layout::row_y(band.last_row) + row_height / 2 - 3;
    out << "<g class=\"band " << status_class(step.status) << "\"><title>" << step_name(step.name) << ": "
        << status_word(step.status) << " \u2014 " << html_text(step.detail) << "</title><rect x=\"" << x << "\" y=\""
        << top << "\" width=\"" << lane_width - 8 << "\" height=\"" << bottom - top << "\" rx=\"4\"/>"
        << "<text x=\"" << x + 6 << "\" y=\"" << top + 15 << "\">" << status_glyph(step.status) << " "
        << step_name(step.name) << "</text><text x=\"" << x + 6 << "\" y=\"" << top + 30 << "\">"
        << status_word(step.status) << "</text></g>\n";
}

std::string row_title(const TimelineRow& row, const std::string& time, const std::vector<std::string>& marks) {
    std::string title = "Frame " + std::to_string(row.frame) + ", " + time + " s, " + row.source.to_string() +
                        " \u2192 " + row.destination.to_string() + ", " + row.protocol + ": " + row.info;
    if (!marks.empty()) title += " \u2014 " + joined(marks, ", ");
    return html_text(title);
}

void write_arrowhead(std::ostream& out, int tip, int y, int direction) {
    const int base = tip - direction * head_length;
    out << "<polygon points=\"" << tip << "," << y << " " << base << "," << y - 5 << " " << base << "," << y + 5
        << "\"/>";
}

// Where an arrow starts and ends; an ICMP error from a router starts between the lifelines, at a dot.
struct ArrowEnds {
    int from = 0;
    int to = 0;
    bool from_router = false;
    int relayed_at = 0;  // the proxy's lifeline, for what goes through its tunnel; 0: none
};

// The proxy's answer that opened the tunnel (2xx to the CONNECT): TLS after it
// is the device's exchange with the server, relayed by the proxy.
std::optional<std::uint64_t> tunnel_opened_at(const FlowReport& flow) {
    if (!flow.proxy || !flow.proxy->status || *flow.proxy->status / 100 != 2) return std::nullopt;
    for (const StepResult& step : flow.steps)
        if (step.name == StepName::connect && step.status == StepStatus::pass && !step.frames.empty())
            return step.frames.back();
    return std::nullopt;
}

bool through_tunnel(const TimelineRow& row, std::optional<std::uint64_t> tunnel_opened) {
    return tunnel_opened && row.frame > *tunnel_opened && (row.protocol.starts_with("TLS") || row.protocol.starts_with("SSL"));
}

ArrowEnds arrow_ends(const TimelineRow& row, const FlowReport& flow, const Lifelines& at) {
    if (through_tunnel(row, tunnel_opened_at(flow))) {
        return from_device(row, flow) ? ArrowEnds{at.device, at.server, false, at.proxy}
                                      : ArrowEnds{at.server, at.device, false, at.proxy};
    }
    if (from_device(row, flow)) return {at.device, at.far_side(), false};
    const IpAddress far_address = flow.proxy ? flow.proxy->proxy.ip : flow.server.ip;
    if (row.icmp_type && row.source != far_address) return {(at.device + at.far_side()) / 2, at.device, true};
    return {at.far_side(), at.device, false};
}

// Below the arrow: why it is red, and whether its messages were inferred rather than read.
void write_notes(std::ostream& out, int x, int y, std::size_t chars, const std::vector<std::string>& marks,
                 bool inferred) {
    if (marks.empty() && !inferred) return;
    const std::string mark_text = joined(marks, "  ");
    out << "<text x=\"" << x << "\" y=\"" << y << "\">";
    if (!marks.empty()) out << "<tspan class=\"mark\">" << svg_text(mark_text, inferred ? chars / 2 : chars) << "</tspan>";
    if (inferred)
        out << "<tspan class=\"note\">" << (marks.empty() ? "" : "  ")
            << "inferred: encrypted, told by position and size</tspan>";
    out << "</text>";
}

void write_arrow(std::ostream& out, const TimelineRow& row, std::size_t index, const FlowReport& flow,
                 const Layout& layout, const CaptureSummary& capture, const std::vector<std::string>& marks) {
    const ArrowEnds ends = arrow_ends(row, flow, layout.lifelines);
    const int direction = ends.to > ends.from ? 1 : -1;
    const int y = Layout::row_y(index);
    const int label_x = layout.lifelines.device + 10;
    const auto chars = static_cast<std::size_t>((layout.lifelines.server - label_x - 10) / label_char_width);
    const std::string time = relative_seconds(row.time, capture.first_time.value_or(flow.start), capture.precision_digits);

    out << "<g class=\"" << (marks.empty() ? "arrow" : "arrow failing") << "\" data-frame=\"" << row.frame << "\"><title>" << row_title(row, time, marks)
        << "</title><line x1=\"" << ends.from << "\" y1=\"" << y << "\" x2=\"" << ends.to - direction * head_length
        << "\" y2=\"" << y << "\"" << (is_inferred(row) ? " class=\"inferred\"" : "") << "/>";
    write_arrowhead(out, ends.to, y, direction);
    if (ends.from_router) out << "<circle cx=\"" << ends.from << "\" cy=\"" << y << "\" r=\"4\"/>";
    if (ends.relayed_at != 0)
        out << "<circle class=\"relay\" cx=\"" << ends.relayed_at << "\" cy=\"" << y << "\" r=\"3\"/>";
    out << "<text x=\"" << label_x << "\" y=\"" << y - 7 << "\">"
        << svg_text(std::to_string(row.frame) + " \u00b7 " + time + " \u00b7 " + short_label(row), chars) << "</text>";
    write_notes(out, label_x, y + 16, chars, marks, is_inferred(row));
    out << "</g>\n";
}

std::string description(const FlowReport& flow, const std::map<std::uint64_t, std::vector<std::string>>& failing) {
    std::string text = "Packets between the device " + flow.client.to_string() +
                       (flow.proxy ? " and the proxy " + flow.proxy->proxy.to_string() + " (tunnel to " +
                                         flow.proxy->connect_target + ")"
                                   : " and the server " + flow.server.to_string()) +
                       ": " + counted(flow.timeline.size(), "arrow") + ".";
    if (auto opened = tunnel_opened_at(flow))
        text += " After the proxy's answer in frame " + std::to_string(*opened) +
                ", TLS goes through its tunnel: drawn to the server, relayed at the proxy (a hollow dot).";
    for (const auto& [frame, marks] : failing) {
        const std::uint64_t marked = frame;  // clang 14 cannot capture a structured binding
        if (std::ranges::any_of(flow.timeline, [marked](const TimelineRow& row) { return row.frame == marked; }))
            text += " Frame " + std::to_string(marked) + ": " + joined(marks, ", ") + ".";
    }
    if (flow.timeline_omitted > 0) text.append(" ").append(counted(flow.timeline_omitted, "packet")).append(" not shown.");
    return html_text(text);
}

void write_body(std::ostream& out, const FlowReport& flow, const CaptureSummary& capture, const Layout& layout) {
    const auto failing = failing_frames(flow);
    for (const Band& band : layout.bands) write_band(out, band);
    write_lifelines(out, flow, layout);
    static const std::vector<std::string> no_marks;
    for (std::size_t index = 0; index < flow.timeline.size(); ++index) {
        const auto marks = failing.find(flow.timeline[index].frame);
        write_arrow(out, flow.timeline[index], index, flow, layout, capture,
                    marks == failing.end() ? no_marks : marks->second);
    }
    const int device = layout.lifelines.device;
    const int middle = (device + layout.lifelines.far_side()) / 2;
    if (flow.timeline.empty())
        out << "<text x=\"" << middle << "\" y=\"" << Layout::row_y(0) << "\" text-anchor=\"middle\">No packets recorded</text>\n";
    if (flow.timeline_omitted > 0)
        out << "<text x=\"" << middle << "\" y=\"" << layout.height - 14 << "\" text-anchor=\"middle\" class=\"note\">"
            << counted(flow.timeline_omitted, "packet") << " not shown</text>\n";
}

}  // namespace

const char* status_glyph(StepStatus status) {
    switch (status) {
        case StepStatus::pass: return "\u2713";
        case StepStatus::fail: return "\u2717";
        case StepStatus::not_seen:
        case StepStatus::unknown: return "?";
        case StepStatus::not_applicable: return "\u2013";
    }
    return "?";
}

const char* status_word(StepStatus status) {
    switch (status) {
        case StepStatus::pass: return "PASS";
        case StepStatus::fail: return "FAIL";
        case StepStatus::not_seen: return "NOT SEEN";
        case StepStatus::unknown: return "UNKNOWN";
        case StepStatus::not_applicable: return "N/A";
    }
    return "UNKNOWN";
}

const char* status_class(StepStatus status) {
    switch (status) {
        case StepStatus::pass: return "pass";
        case StepStatus::fail: return "fail";
        case StepStatus::not_seen:
        case StepStatus::unknown: return "unknown";
        case StepStatus::not_applicable: return "na";
    }
    return "unknown";
}

void write_ladder_diagram(std::ostream& out, const FlowReport& flow, const CaptureSummary& capture) {
    const Layout layout = layout_of(flow);
    const std::string id = "flow-" + std::to_string(flow.id) + "-ladder";
    out << "<svg class=\"ladder\" role=\"img\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 " << diagram_width
        << " " << layout.height << "\" aria-labelledby=\"" << id << "-title " << id << "-desc\">\n<title id=\"" << id
        << "-title\">Ladder diagram of flow " << flow.id << "</title>\n<desc id=\"" << id << "-desc\">"
        << description(flow, failing_frames(flow)) << "</desc>\n";
    write_body(out, flow, capture, layout);
    out << "</svg>\n";
}

}  // namespace trustcap
