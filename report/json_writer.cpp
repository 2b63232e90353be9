#include "report/json_writer.h"

#include <sstream>

#include <nlohmann/json.hpp>

#include "report/time_format.h"

namespace trustcap {
namespace {

using Json = nlohmann::ordered_json;

Json endpoint_json(const Endpoint& endpoint) { return Json{{"ip", endpoint.ip.to_string()}, {"port", endpoint.port}}; }

Json optional_time(const std::optional<Timestamp>& time, int digits) {
    return time ? Json(iso8601_utc(*time, digits)) : Json(nullptr);
}

Json finding_json(const Finding& finding) {
    return Json{{"id", finding.id},
                {"severity", severity_name(finding.severity)},
                {"flow", finding.flow ? Json(*finding.flow) : Json(nullptr)},
                {"summary", finding.summary},
                {"explanation", finding.explanation},
                {"frames", finding.frames},
                {"fix", finding.fix}};
}

Json timeline_json(const TimelineRow& row, int digits) {
    Json entry{{"frame", row.frame},
               {"time", iso8601_utc(row.time, digits)},
               {"src", row.source.to_string()},
               {"dst", row.destination.to_string()},
               {"protocol", row.protocol},
               {"info", row.info}};
    if (row.source_port) entry["src_port"] = *row.source_port;
    if (row.destination_port) entry["dst_port"] = *row.destination_port;
    if (row.tcp_flags) entry["tcp_flags"] = *row.tcp_flags;
    if (row.icmp_type) entry["icmp_type"] = *row.icmp_type;
    if (row.icmp_code) entry["icmp_code"] = *row.icmp_code;
    return entry;
}

Json statistics_json(const SideStatistics& side) {
    return Json{{"packets", side.packets},
                {"payload_bytes", side.payload_bytes},
                {"retransmissions", side.retransmissions},
                {"inconsistent_retransmissions", side.inconsistent_retransmissions},
                {"out_of_order", side.out_of_order},
                {"overlaps", side.overlaps},
                {"bytes_not_captured", side.bytes_not_captured},
                {"zero_window_packets", side.zero_window_packets},
                {"cut_packets", side.cut_packets}};
}

Json flow_json(const FlowReport& flow, int digits) {
    Json steps = Json::array();
    for (const StepResult& step : flow.steps)
        steps.push_back(Json{{"step", step_name(step.name)},
                             {"status", step_status_name(step.status)},
                             {"frames", step.frames},
                             {"detail", step.detail}});
    Json findings = Json::array();
    for (const Finding& finding : flow.findings) findings.push_back(finding_json(finding));
    Json timeline = Json::array();
    for (const TimelineRow& row : flow.timeline) timeline.push_back(timeline_json(row, digits));
    return Json{{"id", flow.id},
                {"client", endpoint_json(flow.client)},
                {"server", endpoint_json(flow.server)},
                {"roles_guessed", flow.roles_guessed},
                {"proxy", nullptr},
                {"server_name", nullptr},
                {"kind", flow.kind},
                {"start_time", iso8601_utc(flow.start, digits)},
                {"duration_seconds", flow.end.seconds_since(flow.start)},
                {"healthy", flow.healthy},
                {"tls", nullptr},
                {"tcp", Json{{"client", statistics_json(flow.client_statistics)},
                             {"server", statistics_json(flow.server_statistics)}}},
                {"steps", steps},
                {"findings", findings},
                {"timeline", timeline},
                {"timeline_omitted", flow.timeline_omitted}};
}

// Writes `value` as a member of an object indented by `depth` levels.
void write_indented(std::ostream& out, const Json& value, int depth) {
    std::string text = value.dump(2);
    std::string indent(static_cast<std::size_t>(depth) * 2, ' ');
    for (std::size_t at = text.find('\n'); at != std::string::npos; at = text.find('\n', at + 1))
        text.insert(at + 1, indent);
    out << text;
}

}  // namespace

void write_json(std::ostream& out, const Report& report, const std::string& tool_version) {
    const CaptureSummary& capture = report.capture;
    int digits = capture.precision_digits;
    Json head{
        {"schema_version", 1},
        {"tool", Json{{"name", "trustcap"}, {"version", tool_version}}},
        {"capture", Json{{"file", capture.file},
                         {"link_type", capture.link_type},
                         {"frames", capture.frames},
                         {"first_time", optional_time(capture.first_time, digits)},
                         {"last_time", optional_time(capture.last_time, digits)},
                         {"truncated_packets", capture.truncated_packets},
                         {"malformed_packets", capture.malformed_packets},
                         {"complete", capture.complete},
                         {"damage", capture.complete ? Json(nullptr) : Json(capture.damage)},
                         {"limits", Json{{"flows_evicted", capture.flows_evicted},
                                         {"streams_cut_for_memory", capture.streams_cut_for_memory},
                                         {"reassembly_cap_evictions", capture.reassembly_cap_evictions},
                                         {"ip_datagrams_dropped", capture.ip_datagrams_dropped}}}}},
        {"verdict", report.healthy ? "healthy" : "problem"},
        {"other_tcp_flows", report.other_tcp_flows}};

    out << "{";
    for (const auto& [key, value] : head.items()) {
        out << "\n  " << Json(key).dump() << ": ";
        write_indented(out, value, 1);
        out << ",";
    }
    out << "\n  \"flows\": [";
    for (std::size_t i = 0; i < report.flows.size(); ++i) {
        out << (i == 0 ? "\n    " : ",\n    ");
        write_indented(out, flow_json(report.flows[i], digits), 2);
    }
    out << (report.flows.empty() ? "],\n" : "\n  ],\n");
    out << "  \"findings\": [";
    for (std::size_t i = 0; i < report.findings.size(); ++i) {
        out << (i == 0 ? "\n    " : ",\n    ");
        write_indented(out, finding_json(report.findings[i]), 2);
    }
    out << (report.findings.empty() ? "]\n}\n" : "\n  ]\n}\n");
}

std::string to_json(const Report& report, const std::string& tool_version) {
    std::ostringstream out;
    write_json(out, report, tool_version);
    return out.str();
}

}  // namespace trustcap
