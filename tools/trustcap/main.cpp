#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <memory>
#include <optional>

#include "command_line.h"
#include "output_file.h"
#include "report_rendering.h"
#include "several_captures.h"
#include "status_line.h"
#include "report/event_writer.h"
#include "report/wire_text.h"
#include "tools/analysis/live_analysis.h"
#include "tools/analysis/offline_analysis.h"
#include "tools/analysis/privileges.h"
#include "tools/analysis/read_interruption.h"
#include "tools/analysis/stop_signals.h"

namespace {

constexpr int exit_healthy = 0;
constexpr int exit_problem = 1;
constexpr int exit_unusable = 2;
constexpr int live_time_digits = 6;  // libpcap's live timestamps are in microseconds

using namespace trustcap;

// --annotate and --export-flow, from the file read a second time; SIGINT and
// SIGTERM stop it, leaving the files that were there. Why they were not made, or nullopt.
std::optional<std::string> make_extracts(const CommandLine& command, const Report& report, CaptureFile& capture,
                                         ExtractFiles& files) {
    if (auto problem = extract_problem(command.extracts, report)) return problem;
    ReadInterruption interruption(capture.descriptor());
    std::string error;
    if (write_extracts(capture, report, command.extracts, files, command.analysis.checked_ports,
                       std::string("trustcap ") + TRUSTCAP_VERSION, [&] { return interruption.cut(); }, error))
        return std::nullopt;
    if (interruption.cut())
        return std::string("the capture's extracts were not written: ") +
               stop_signal_name(interruption.signal_number()) + " stopped their reading";
    return "cannot write the capture's extracts: " + error;
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
    if (command.format == OutputFormat::text || command.format == OutputFormat::ndjson) {
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
    // A closed pipe is then an error like any other, so the extracts' temporary files are removed on the way out.
    if (command.extracts.any()) std::signal(SIGPIPE, SIG_IGN);
    if (auto warning = user_option_warning(command.user)) std::cerr << "trustcap: warning: " << terminal_text(*warning) << "\n";
    if (command.several_captures) return judge_several_captures(command);
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
    ExtractFiles extract_files;
    auto open_output = [&](std::string& error) {
        std::string written_input;
        for (const std::string* path : {&command.output_file, &command.extracts.annotated_path,
                                        &command.extracts.exported_path})
            if (is_same_file(*path, command.analysis.file)) written_input = *path;
        if (!written_input.empty()) {
            output_error = "cannot write " + written_input + ": it is the capture being read";
        } else if (extract_files.create(command.extracts, output_error) && output.open(output_error)) {
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
    write_report(out, report, command, text_options(command, output.to_terminal(), false), !live);
    out.flush();
    if (!out) {
        std::cerr << "trustcap: cannot write the report"
                  << (command.output_file.empty() ? "" : " to " + terminal_text(command.output_file)) << "\n";
        return exit_unusable;
    }
    if (command.extracts.any()) {
        if (auto error = make_extracts(command, report, *outcome.analysis.second_reading, extract_files)) {
            std::cerr << "trustcap: " << terminal_text(*error) << "\n";
            return exit_unusable;
        }
    }
    if (outcome.deciding_flow_healthy) return *outcome.deciding_flow_healthy ? exit_healthy : exit_problem;
    return report.healthy ? exit_healthy : exit_problem;
}
