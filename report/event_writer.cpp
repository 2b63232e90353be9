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
    // The line is written a member and a flow at a time, as dump_json would
    // write the whole object, so that its size costs no memory.
    const Json head = report_head_json(report, tool_version);
    out << R"({"event":"report","report":{)";
    for (const auto& [key, value] : head.items())
        out << dump_json(Json(key), -1) << ':' << dump_json(value, -1) << ',';
    out << R"("flows":[)";
    for (std::size_t i = 0; i < report.flows.size(); ++i)
        out << (i == 0 ? "" : ",") << dump_json(flow_json(report.flows[i], report.capture.precision_digits), -1);
    out << R"(],"findings":[)";
    for (std::size_t i = 0; i < report.findings.size(); ++i)
        out << (i == 0 ? "" : ",") << dump_json(finding_json(report.findings[i]), -1);
    out << "]}}\n" << std::flush;
}

}  // namespace trustcap
