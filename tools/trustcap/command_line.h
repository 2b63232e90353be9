#pragma once

#include <optional>
#include <cstddef>
#include <string>
#include <variant>
#include <vector>

#include "capture_extracts.h"
#include "epc_commands.h"
#include "tools/analysis/live_analysis.h"
#include "tools/analysis/offline_analysis.h"

namespace trustcap {

enum class OutputFormat { text, json, ndjson, html };
enum class ColorChoice { automatic, always, never };

enum class Mode { file, live, epc };

inline constexpr unsigned max_jobs = 256;

struct CommandLine {
    Mode mode = Mode::file;
    AnalysisOptions analysis;
    LiveOptions live;  // mode live: the interface and when to stop
    EpcOptions epc;    // mode epc: what the device-side commands are for
    OutputFormat format = OutputFormat::text;
    std::string output_file;  // empty: standard output
    std::string user;         // -Z: who to become once the inputs are open; empty: the default
    ColorChoice color = ColorChoice::automatic;
    bool brief = false;  // text: a line per flow and per capture finding
    bool full = false;   // text: the whole report, even for several captures
    std::vector<std::string> files;  // the captures and folders named (with -r's)
    bool several_captures = false;   // more than one file, or a folder: each judged, then a summary
    unsigned jobs = 0;               // several captures judged at once; 0: one per core
    std::optional<std::size_t> width;  // --width; unset: the terminal's, or 100
    ExtractOptions extracts;  // --annotate, --export-flow: copies of the capture made from the report
};

// Parses argv. Returns the parsed command line, or an exit status when the
// program should stop now (0 after --help/--version, 2 after a usage error,
// with the message already printed).
std::variant<CommandLine, int> parse_command_line(int argc, char** argv, const std::string& version);
// Whether the text report is coloured, as ls and grep decide: `always` and
// `never` as asked; `automatic` on a terminal unless NO_COLOR is set to a
// non-empty value (no-color.org).
bool colors_text(ColorChoice choice, bool to_terminal, const char* no_color_variable);
// What --version prints: trustcap's version, then the libpcap and OpenSSL it runs with, a line each.
std::string version_text(const std::string& version);

}  // namespace trustcap
