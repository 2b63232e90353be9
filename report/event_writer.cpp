#include "report/event_writer.h"

#include "report/diagnosis.h"
#include "report/json_dump.h"
#include "report/json_values.h"
#include "report/time_format.h"
#include "report/wire_text.h"

namespace trustcap {
namespace {

void write_line(std::ostream& out, const Json& event) {
    out << dump_json(event, -1) << '\n' << std::flush;
}

void write_finding_event(std::ostream& out, const Finding& finding) {
    Json event{{"event", "finding"}};
    event.update(finding_json(finding));
    write_line(out, event);
}

}  // namespace

void write_flow_line(std::ostream& out, const FlowReport& flow, int digits) {
    out << iso8601_utc(flow.end, digits) << "  flow " << flow.id << "  " << flow.client.to_string() << " → "
        << flow.server.to_string() << "  " << (flow.healthy ? "HEALTHY" : "PROBLEM") << "  "
        << terminal_text(diagnose_flow(flow)) << ".\n"
        << std::flush;
}

void write_flow_events(std::ostream& out, const FlowReport& flow, bool licensing, int digits) {
    write_line(out, Json{{"event", "flow"}, {"licensing", licensing}, {"flow", flow_json(flow, digits)}});
    for (const Finding& finding : flow.findings) write_finding_event(out, finding);
}

void write_report_events(std::ostream& out, const Report& report, const std::string& tool_version) {
    for (const Finding& finding : report.findings)
        if (!finding.flow) write_finding_event(out, finding);
    Json whole = report_head_json(report, tool_version);
    Json flows = Json::array();
    for (const FlowReport& flow : report.flows) flows.push_back(flow_json(flow, report.capture.precision_digits));
    Json findings = Json::array();
    for (const Finding& finding : report.findings) findings.push_back(finding_json(finding));
    whole["flows"] = std::move(flows);
    whole["findings"] = std::move(findings);
    write_line(out, Json{{"event", "report"}, {"report", std::move(whole)}});
}

}  // namespace trustcap
