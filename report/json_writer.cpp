#include "report/json_writer.h"

#include <sstream>

#include "report/json_dump.h"
#include "report/json_values.h"

namespace trustcap {
namespace {

// Writes `value` as a member of an object indented by `depth` levels.
void write_indented(std::ostream& out, const Json& value, int depth) {
    const std::string text = dump_json(value, 2);
    const std::string indent(static_cast<std::size_t>(depth) * 2, ' ');
    std::size_t line_start = 0;
    for (std::size_t at = text.find('\n'); at != std::string::npos; at = text.find('\n', line_start)) {
        out.write(text.data() + line_start, static_cast<std::streamsize>(at + 1 - line_start));
        out << indent;
        line_start = at + 1;
    }
    out.write(text.data() + line_start, static_cast<std::streamsize>(text.size() - line_start));
}

}  // namespace

void write_json(std::ostream& out, const Report& report, const std::string& tool_version) {
    int digits = report.capture.precision_digits;
    Json head = report_head_json(report, tool_version);

    out << "{";
    for (const auto& [key, value] : head.items()) {
        out << "\n  " << dump_json(Json(key), -1) << ": ";
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
