// The whole pipeline, as main.cpp runs it on a file: a capture read, decoded,
// reassembled, dissected and judged, then written in every output format
// and as packet comments.
// The JSON report and each NDJSON line must parse as JSON; the text report
// and the live flow lines must hold no control character but the newline and
// no C1 control (wire text reaches a terminal escaped), nor may the packet
// comments; the HTML page must be valid UTF-8 without a script. The input's size
// picks the options: default, --all-flows, or --port 8443 with a tiny
// --max-flows and memory budget. Verification trusts only the lab root of
// the generated captures.
#include <cctype>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <iostream>
#include <sstream>
#include <string>

#include <nlohmann/json.hpp>

#include "memory_file.h"
#include "report/event_writer.h"
#include "report/frame_comments.h"
#include "report/html_writer.h"
#include "report/json_writer.h"
#include "report/report_builder.h"
#include "report/text_writer.h"
#include "report/wire_text.h"
#include "tools/analysis/offline_analysis.h"

namespace {

using namespace trustcap;

const char* const tool_version = "fuzz";

void trust_only_the_lab_root() {
    setenv("SSL_CERT_FILE", TRUSTCAP_FUZZ_TRUST_BUNDLE, 1);
    setenv("SSL_CERT_DIR", "/nonexistent", 1);
}

AnalysisOptions options_for(std::size_t size, const std::string& path) {
    AnalysisOptions options;
    options.file = path;
    switch (size % 3) {
        case 1: options.targets.all_flows = true; break;
        case 2:
            options.checked_ports = {8443};
            options.max_flows = 2;
            options.max_memory_bytes = 64u << 10;
            break;
        default: break;
    }
    return options;
}

void require_json(const std::string& text, const char* what) {
    if (nlohmann::json::accept(text)) return;
    std::cerr << what << " is not valid JSON:\n" << text << "\n";
    std::abort();
}

void require_json_lines(const std::string& text) {
    std::istringstream lines(text);
    std::string line;
    while (std::getline(lines, line)) require_json(line, "an NDJSON line");
}

// Bytes a terminal would act on: C0 controls but the newline, DEL, and C1
// controls (U+0080..U+009F, C2 80..C2 9F in UTF-8).
void require_terminal_safe(const std::string& text, const char* what) {
    for (std::size_t i = 0; i < text.size(); ++i) {
        auto byte = static_cast<unsigned char>(text[i]);
        bool control = (byte < 0x20 && byte != '\n') || byte == 0x7f ||
                       (byte == 0xc2 && i + 1 < text.size() && static_cast<unsigned char>(text[i + 1]) >= 0x80 &&
                        static_cast<unsigned char>(text[i + 1]) <= 0x9f);
        if (!control) continue;
        std::cerr << what << " holds the control byte " << static_cast<int>(byte) << " at offset " << i << "\n";
        std::abort();
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const bool trust_set = (trust_only_the_lab_root(), true);
    (void)trust_set;
    static fuzz::MemoryFile file;
    file.hold(data, size);

    AnalysisOptions options = options_for(size, file.path());
    // -Z root: started as root, the fuzzer keeps its rights to write what it finds.
    AnalysisOutcome outcome = analyze_file(options, "root");
    if (!outcome.usable) return 0;
    const Report& report = outcome.report;

    require_json(to_json(report, tool_version), "the JSON report");
    // Every finding carries its kind's id, a named kind's with its name filled in.
    auto require_catalogued = [](const Finding& finding) {
        if (finding_kind_of(finding.id) == finding.kind) return;
        std::cerr << "a finding's id is not its kind's: " << finding.id << "\n";
        std::abort();
    };
    for (const Finding& finding : report.findings) require_catalogued(finding);
    for (const FlowReport& flow : report.flows)
        for (const Finding& finding : flow.findings) require_catalogued(finding);
    require_terminal_safe(to_text(report, TextOptions{false}), "the text report");
    (void)to_text(report, TextOptions{true});

    std::ostringstream flow_lines;
    for (const FlowReport& flow : report.flows) write_flow_line(flow_lines, flow, report.capture.precision_digits);
    require_terminal_safe(flow_lines.str(), "a live flow line");
    std::ostringstream ndjson;
    for (const FlowReport& flow : report.flows)
        write_flow_events(ndjson, flow, is_licensing_flow(flow, options.checked_ports), report.capture.precision_digits);
    write_report_events(ndjson, report, tool_version);
    require_json_lines(ndjson.str());

    // Wire text reaches the HTML page escaped, and packet comments printable.
    std::string html = to_html(report);
    if (!is_valid_utf8(html)) {
        std::cerr << "the HTML report is not valid UTF-8:\n" << html << "\n";
        std::abort();
    }
    for (char& character : html) character = static_cast<char>(std::tolower(static_cast<unsigned char>(character)));
    if (html.find("<script") != std::string::npos) {
        std::cerr << "the HTML report holds a script:\n" << html << "\n";
        std::abort();
    }
    for (const auto& [frame, comment] : frame_comments(report)) {
        require_terminal_safe(comment, "a packet comment");
        if (!is_valid_utf8(comment)) std::abort();
    }
    return 0;
}
