#include "several_captures.h"

#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <iostream>
#include <memory>
#include <sstream>
#include <thread>

#include "captures_summary.h"
#include "output_file.h"
#include "parallel_judgement.h"
#include "report_rendering.h"
#include "report/wire_text.h"
#include "tools/analysis/privileges.h"

namespace trustcap {
namespace {

constexpr int exit_unusable = 2;
// Descriptors kept free of the captures opened ahead: each job's pipe, the output, the CA bundles, libraries.
constexpr std::size_t descriptors_in_use_per_job = 2;
constexpr std::size_t descriptors_kept_free = 32;

// Started as root, every capture is opened before root is given up, as a
// single one is; as many as the descriptor limit allows, with room for the jobs.
std::vector<int> open_as_started(std::vector<CaptureInput>& inputs, unsigned jobs) {
    rlimit limit{};
    if (getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur < limit.rlim_max) {
        limit.rlim_cur = limit.rlim_max;
        setrlimit(RLIMIT_NOFILE, &limit);
    }
    const std::size_t reserved = descriptors_kept_free + descriptors_in_use_per_job * jobs;
    std::size_t room = limit.rlim_cur > reserved ? limit.rlim_cur - reserved : 0;
    std::vector<int> descriptors(inputs.size(), -1);
    for (std::size_t i = 0; i < inputs.size(); ++i) {
        if (!inputs[i].error.empty() || inputs[i].path == "-") continue;
        if (room == 0) {
            inputs[i].error = "not opened: more captures than the limit of open files lets trustcap open before it "
                              "gives up root (ulimit -n " + std::to_string(limit.rlim_cur) + ")";
            continue;
        }
        --room;
        // Not blocking, so that a FIFO without its writer yet does not hold up the others.
        const int flags = O_RDONLY | O_NONBLOCK | O_CLOEXEC | (inputs[i].found_in_folder ? O_NOFOLLOW : 0);
        int descriptor = open(inputs[i].path.c_str(), flags);
        if (descriptor < 0) {
            inputs[i].error = std::strerror(errno);
            continue;
        }
        struct stat status {};
        if (fstat(descriptor, &status) == 0 && !S_ISFIFO(status.st_mode))
            fcntl(descriptor, F_SETFL, fcntl(descriptor, F_GETFL) & ~O_NONBLOCK);
        descriptors[i] = descriptor;
    }
    return descriptors;
}

// A FIFO opened ahead without blocking reads as empty until its writer
// comes: it is waited for, as opening it would have waited.
bool await_writer(int descriptor, std::string& error) {
    struct stat status {};
    if (descriptor < 0 || fstat(descriptor, &status) != 0 || !S_ISFIFO(status.st_mode)) return true;
    pollfd waiting{descriptor, POLLIN, 0};
    while (poll(&waiting, 1, -1) < 0) {
        if (errno != EINTR) continue;
        error = "not read: the run was stopped before its writer wrote";
        return false;
    }
    fcntl(descriptor, F_SETFL, fcntl(descriptor, F_GETFL) & ~O_NONBLOCK);
    return true;
}

// The cores this process may run on (its affinity, as a container or taskset limits it).
unsigned usable_cores() {
#ifdef __linux__
    cpu_set_t cores;
    CPU_ZERO(&cores);
    if (sched_getaffinity(0, sizeof cores, &cores) == 0) return std::max(1, CPU_COUNT(&cores));
#endif
    return std::max(1u, std::thread::hardware_concurrency());
}

JudgedCapture judge_capture(const CommandLine& command, const CaptureInput& input, int descriptor,
                            const TextOptions& text) {
    JudgedCapture judged;
    judged.path = input.path;
    if (!await_writer(descriptor, judged.error)) {
        judged.verdict = "NOT READ";
        return judged;
    }
    AnalysisOptions options = command.analysis;
    options.file = input.path;
    options.descriptor = descriptor;
    AnalysisOutcome outcome = analyze_file(options, command.user);
    if (!outcome.usable) {
        judged.error = outcome.error;
        judged.verdict = "NOT READ";
        return judged;
    }
    std::ostringstream report;
    write_report(report, outcome.report, command, text, true);
    judged.report = report.str();
    judged.exit_status = outcome.report.healthy ? 0 : 1;
    judged.verdict = outcome.report.healthy ? "HEALTHY" : "PROBLEM";
    judged.devices = devices_of(outcome.report);
    judged.diagnosis = outcome.report.diagnosis;
    return judged;
}

class SeveralCapturesOutput {
public:
    SeveralCapturesOutput(const CommandLine& command, std::ostream& out, std::size_t width)
        : command_(command), out_(out), width_(width) {}

    void begin() {
        if (command_.format == OutputFormat::json)
            out_ << "{\"schema_version\":1,\"tool\":{\"name\":\"trustcap\",\"version\":\"" << TRUSTCAP_VERSION
                 << "\"},\"captures\":[\n";
    }

    void add(JudgedCapture&& capture) {
        if (!capture.error.empty())
            std::cerr << "trustcap: " << terminal_text(capture.path) << ": " << terminal_text(capture.error) << "\n";
        switch (command_.format) {
            case OutputFormat::json: out_ << (captures_.empty() ? "" : ",\n") << capture_entry_json(capture); break;
            case OutputFormat::ndjson:
                out_ << capture_entry_json(JudgedCapture{capture.path, capture.exit_status, {}, capture.error,
                                                         capture.devices, capture.verdict, capture.diagnosis},
                                           "capture")
                     << "\n"
                     << capture.report;
                break;
            case OutputFormat::text:
            case OutputFormat::html:
                if (!capture.report.empty()) out_ << capture.report << "\n";
                break;
        }
        out_.flush();
        capture.report.clear();
        captures_.push_back(std::move(capture));
    }

    int end(std::size_t skipped_in_folders) {
        const int exit_status = worst_exit_status(captures_);
        switch (command_.format) {
            case OutputFormat::json:
                out_ << "\n],\"summary\":" << summary_json(captures_, skipped_in_folders, exit_status) << "}\n";
                break;
            case OutputFormat::ndjson:
                out_ << "{\"event\":\"summary\",\"summary\":" << summary_json(captures_, skipped_in_folders, exit_status)
                     << "}\n";
                break;
            case OutputFormat::text:
            case OutputFormat::html: write_summary_table(out_, captures_, skipped_in_folders, width_); break;
        }
        out_.flush();
        return exit_status;
    }

private:
    const CommandLine& command_;
    std::ostream& out_;
    std::size_t width_;
    std::vector<JudgedCapture> captures_;
};

}  // namespace

int judge_several_captures(const CommandLine& command) {
    CaptureInputs inputs = expand_capture_inputs(command.files);
    if (inputs.captures.empty()) {
        std::cerr << "trustcap: no capture found in the folders given (" << inputs.skipped_in_folders
                  << (inputs.skipped_in_folders == 1 ? " file" : " files") << " left out)\n";
        return exit_unusable;
    }
    for (const CaptureInput& input : inputs.captures)
        if (is_same_file(command.output_file, input.path)) {
            std::cerr << "trustcap: cannot write " << terminal_text(command.output_file)
                      << ": it is one of the captures being read\n";
            return exit_unusable;
        }
    const unsigned jobs = command.jobs != 0 ? command.jobs : usable_cores();
    std::vector<int> descriptors(inputs.captures.size(), -1);
    if (geteuid() == 0 && !keeps_root(command.user)) descriptors = open_as_started(inputs.captures, jobs);
    std::string error;
    if (!drop_privileges(command.user, error)) {
        std::cerr << "trustcap: " << terminal_text(error) << "\n";
        return exit_unusable;
    }
    std::unique_ptr<OutputFile> output_file;
    if (!command.output_file.empty()) {
        output_file = OutputFile::open(command.output_file, error);
        if (!output_file) {
            std::cerr << "trustcap: " << terminal_text(error) << "\n";
            return exit_unusable;
        }
    }
    std::ostream& out = output_file ? output_file->stream() : std::cout;
    const bool to_terminal = !output_file && isatty(STDOUT_FILENO) != 0;
    const TextOptions text = text_options(command, to_terminal, true);

    SeveralCapturesOutput output(command, out, text.width);
    output.begin();
    out.flush();
    judge_in_parallel(
        inputs.captures, descriptors, jobs,
        [&](const CaptureInput& input, int descriptor) { return judge_capture(command, input, descriptor, text); },
        [&](JudgedCapture&& judged) { output.add(std::move(judged)); });
    const int exit_status = output.end(inputs.skipped_in_folders);
    if (!out) {
        std::cerr << "trustcap: cannot write the report"
                  << (command.output_file.empty() ? "" : " to " + terminal_text(command.output_file)) << "\n";
        return exit_unusable;
    }
    return exit_status;
}

}  // namespace trustcap
