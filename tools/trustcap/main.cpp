#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <memory>

#include "command_line.h"
#include "live_analysis.h"
#include "offline_analysis.h"
#include "output_file.h"
#include "privileges.h"
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
            write_text(out, report,
                       TextOptions{colors_text(command.color, to_terminal, std::getenv("NO_COLOR")), command.brief});
            break;
    }
}

// Standard output, or the -o file once opened.
class ReportOutput {
public:
    explicit ReportOutput(std::string path) : path_(std::move(path)) {}

    bool open(std::string& error) {
        if (path_.empty()) return true;
        file_ = OutputFile::open(path_, error);
        return file_ != nullptr;
    }
    std::ostream& stream() { return file_ ? file_->stream() : std::cout; }
    [[nodiscard]] bool to_terminal() const { return path_.empty() && isatty(STDOUT_FILENO) != 0; }

private:
    std::string path_;
    std::unique_ptr<OutputFile> file_;
};

// Live: flows as they are judged, and the status line on a terminal. The
// output is opened once the capture runs without root.
LiveOutcome run_live(const CommandLine& command, ReportOutput& output, std::string& output_error) {
    StatusLine status_line(std::cerr, isatty(STDERR_FILENO) != 0);
    LiveObserver observer;
    observer.status = [&](const LiveStatus& status) { status_line.show(status); };
    observer.before_first_packet = [&](std::string& error) {
        if (output.open(output_error)) return true;
        error = output_error;
        return false;
    };
    if (command.format != OutputFormat::json) {
        observer.flow_judged = [&](const FlowReport& flow, bool licensing) {
            status_line.clear();
            if (command.format == OutputFormat::ndjson) {
                write_flow_events(output.stream(), flow, licensing, live_time_digits);
            } else {
                write_flow_line(output.stream(), flow, live_time_digits);
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
    if (auto warning = user_option_warning(command.user)) std::cerr << "trustcap: warning: " << terminal_text(*warning) << "\n";
    ReportOutput output(command.output_file);
    std::string output_error;
    bool output_opened_without_root = geteuid() == 0 && !keeps_root(command.user);
    auto report_output_error = [&] {
        std::cerr << "trustcap: " << terminal_text(output_error);
        if (output_opened_without_root && output_error.ends_with(std::strerror(EACCES)))
            std::cerr << " (opened as " << terminal_text(command.user.empty() ? default_unprivileged_user : command.user)
                      << " once root is given up; -Z USER writes it as USER)";
        std::cerr << "\n";
        return exit_unusable;
    };

    // Inputs are opened with the rights trustcap started with, the output
    // after they are given up. A live run streams into the output as it goes;
    // a file's output is opened once the file proved readable, before its
    // frames are read, so an unusable file leaves -o as it was and an
    // unwritable -o costs no analysis.
    bool live = command.mode == Mode::live;
    auto open_output = [&](std::string& error) {
        std::error_code not_comparable;
        bool output_is_input = !command.output_file.empty() && command.analysis.file != "-" &&
                               std::filesystem::equivalent(command.output_file, command.analysis.file, not_comparable);
        if (output_is_input) {
            output_error = "cannot write " + command.output_file + ": it is the capture being read";
        } else if (output.open(output_error)) {
            return true;
        }
        error = output_error;
        return false;
    };
    LiveOutcome outcome = live ? run_live(command, output, output_error)
                               : LiveOutcome{analyze_file(command.analysis, command.user, open_output), std::nullopt};
    if (!output_error.empty()) return report_output_error();
    if (!outcome.analysis.usable) {
        std::cerr << "trustcap: " << terminal_text(live ? command.live.capture.interface : command.analysis.file) << ": "
                  << terminal_text(outcome.analysis.error) << "\n";
        return exit_unusable;
    }
    std::ostream& out = output.stream();
    const Report& report = outcome.analysis.report;
    if (!live && command.format == OutputFormat::ndjson)
        for (const FlowReport& flow : report.flows)
            write_flow_events(out, flow, is_licensing_flow(flow, command.analysis.checked_ports),
                              report.capture.precision_digits);
    write_report(out, report, command, output.to_terminal());
    out.flush();
    if (!out) {
        std::cerr << "trustcap: cannot write the report"
                  << (command.output_file.empty() ? "" : " to " + terminal_text(command.output_file)) << "\n";
        return exit_unusable;
    }
    if (outcome.deciding_flow_healthy) return *outcome.deciding_flow_healthy ? exit_healthy : exit_problem;
    return report.healthy ? exit_healthy : exit_problem;
}
