#include <unistd.h>

#include <fstream>
#include <iostream>

#include "command_line.h"
#include "live_analysis.h"
#include "offline_analysis.h"
#include "report/json_writer.h"
#include "report/text_writer.h"

namespace {

constexpr int exit_healthy = 0;
constexpr int exit_problem = 1;
constexpr int exit_unusable = 2;

}  // namespace

int main(int argc, char** argv) {
    using namespace trustcap;
    auto parsed = parse_command_line(argc, argv, TRUSTCAP_VERSION);
    if (const int* status = std::get_if<int>(&parsed)) return *status;
    const CommandLine& command = std::get<CommandLine>(parsed);

    if (command.mode == Mode::epc) {
        std::cout << epc_commands(command.epc) << std::flush;
        return exit_healthy;
    }
    bool live = command.mode == Mode::live;
    AnalysisOutcome outcome = live ? analyze_live(command.live) : analyze_file(command.analysis);
    if (!outcome.usable) {
        std::cerr << "trustcap: " << (live ? command.live.capture.interface : command.analysis.file) << ": "
                  << outcome.error << "\n";
        return exit_unusable;
    }

    bool to_terminal = command.output_file.empty() && isatty(STDOUT_FILENO) != 0;
    std::ofstream file_output;
    if (!command.output_file.empty()) {
        file_output.open(command.output_file, std::ios::binary);
        if (!file_output) {
            std::cerr << "trustcap: cannot write " << command.output_file << "\n";
            return exit_unusable;
        }
    }
    std::ostream& out = command.output_file.empty() ? std::cout : file_output;
    if (command.format == OutputFormat::json) {
        write_json(out, outcome.report, TRUSTCAP_VERSION);
    } else {
        write_text(out, outcome.report, TextOptions{to_terminal && command.color == ColorChoice::automatic});
    }
    out.flush();
    if (!out) {
        std::cerr << "trustcap: cannot write the report" << (command.output_file.empty() ? "" : " to " + command.output_file)
                  << "\n";
        return exit_unusable;
    }
    return outcome.report.healthy ? exit_healthy : exit_problem;
}
