#pragma once

#include <optional>
#include <variant>
#include <string>

#include "epc_commands.h"
#include "live_analysis.h"
#include "offline_analysis.h"

namespace trustcap {

enum class OutputFormat { text, json, ndjson };
enum class ColorChoice { automatic, never };

enum class Mode { file, live, epc };

struct CommandLine {
    Mode mode = Mode::file;
    AnalysisOptions analysis;
    LiveOptions live;  // mode live: the interface and when to stop
    EpcOptions epc;    // mode epc: what the device-side commands are for
    OutputFormat format = OutputFormat::text;
    std::string output_file;  // empty: standard output
    std::string user;         // -Z: who to become once the inputs are open; empty: the default
    ColorChoice color = ColorChoice::automatic;
};

// Parses argv. Returns the parsed command line, or an exit status when the
// program should stop now (0 after --help/--version, 2 after a usage error,
// with the message already printed).
std::variant<CommandLine, int> parse_command_line(int argc, char** argv, const std::string& version);
// What --version prints: trustcap's version, then the libpcap and OpenSSL it runs with, a line each.
std::string version_text(const std::string& version);

}  // namespace trustcap
