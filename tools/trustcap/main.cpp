#include <unistd.h>

#include <fstream>
#include <iostream>

#include "command_line.h"
#include "live_analysis.h"
#include "offline_analysis.h"
#include "report/event_writer.h"
#include "report/json_writer.h"
#include "report/report_builder.h"
#include "report/text_writer.h"
#include "report/wire_text.h"
#include "status_line.h"

namespace {

constexpr int exit_healthy = 0;
constexpr int exit_problem = 1;
constexpr int exit_unusable = 2;
constexpr int live_time_digits = 6;  // libpcap's live timestamps are in microseconds

using namespace trustcap;

void write_report(std::ostream& out, const Report& report, const CommandLine& command, bool to_terminal) {
    switch (command.format) {
        case OutputFormat::json: write_json(out, report, TRUSTCAP_VERSION); break;
        case OutputFormat::ndjson: write_report_events(out, report, TRUSTCAP_VERSION); break;
        case OutputFormat::text:
            write_text(out, report, TextOptions{to_terminal && command.color == ColorChoice::automatic});
            break;
    }
}

// Live: flows as they are judged, and the status line on a terminal.
LiveOutcome run_live(const CommandLine& command, std::ostream& out) {
    StatusLine status_line(std::cerr, isatty(STDERR_FILENO) != 0);
    LiveObserver observer;
    observer.status = [&](const LiveStatus& status) { status_line.show(status); };
    if (command.format != OutputFormat::json) {
        observer.flow_judged = [&](const FlowReport& flow, bool licensing) {
            status_line.clear();
            if (command.format == OutputFormat::ndjson) {
                write_flow_events(out, flow, licensing, live_time_digits);
            } else {
                write_flow_line(out, flow, live_time_digits);
            }
        };
    }
    return analyze_live(command.live, observer);
}

}  // namespace

int main(int argc, char** argv) {
    auto parsed = parse_command_line(argc, argv, TRUSTCAP_VERSION);
    if (const int* status = std::get_if<int>(&parsed)) return *status;
    const CommandLine& command = std::get<CommandLine>(parsed);

    if (command.mode == Mode::epc) {
        std::cout << epc_commands(command.epc) << std::flush;
        return exit_healthy;
    }
    std::ofstream file_output;
    auto open_output = [&] {
        if (command.output_file.empty()) return true;
        file_output.open(command.output_file, std::ios::binary);
        if (!file_output) std::cerr << "trustcap: cannot write " << terminal_text(command.output_file) << "\n";
        return static_cast<bool>(file_output);
    };
    std::ostream& out = command.output_file.empty() ? std::cout : file_output;
    bool to_terminal = command.output_file.empty() && isatty(STDOUT_FILENO) != 0;

    // A live run streams into the output as it goes; a file's report is
    // written once the file proved readable, so an unusable file leaves -o as it was.
    bool live = command.mode == Mode::live;
    if (live && !open_output()) return exit_unusable;
    LiveOutcome outcome = live ? run_live(command, out) : LiveOutcome{analyze_file(command.analysis), std::nullopt};
    if (!outcome.analysis.usable) {
        std::cerr << "trustcap: " << terminal_text(live ? command.live.capture.interface : command.analysis.file) << ": "
                  << terminal_text(outcome.analysis.error) << "\n";
        return exit_unusable;
    }
    if (!live && !open_output()) return exit_unusable;
    const Report& report = outcome.analysis.report;
    if (!live && command.format == OutputFormat::ndjson)
        for (const FlowReport& flow : report.flows)
            write_flow_events(out, flow, is_licensing_flow(flow, command.analysis.checked_ports),
                              report.capture.precision_digits);
    write_report(out, report, command, to_terminal);
    out.flush();
    if (!out) {
        std::cerr << "trustcap: cannot write the report"
                  << (command.output_file.empty() ? "" : " to " + terminal_text(command.output_file)) << "\n";
        return exit_unusable;
    }
    if (outcome.deciding_flow_healthy) return *outcome.deciding_flow_healthy ? exit_healthy : exit_problem;
    return report.healthy ? exit_healthy : exit_problem;
}
