#pragma once

#include <cstddef>
#include <ostream>

#include "command_line.h"
#include "report/report.h"
#include "report/text_writer.h"

namespace trustcap {

// How the text report looks on this output: colours and brevity as asked,
// lines as wide as the terminal (or 100 columns when not one) unless --width says.
TextOptions text_options(const CommandLine& command, bool to_terminal, bool brief_by_default);

// One capture's report in the format asked for. `with_flow_events`: NDJSON's
// flow and finding lines come first, as a file's report gives them (live
// mode has streamed them already).
void write_report(std::ostream& out, const Report& report, const CommandLine& command, const TextOptions& text,
                  bool with_flow_events);

}  // namespace trustcap
