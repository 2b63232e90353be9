#pragma once

#include "command_line.h"

namespace trustcap {

// trustcap a.pcap b.pcapng folder/: judges every capture named or found (see
// expand_capture_inputs), several at once, and writes their reports in the
// order given, then a summary of them all: in text a table (file, device,
// verdict, diagnosis); in JSON one document holding each capture's report;
// in NDJSON one stream, each capture's lines after a "capture" line. Returns
// the exit status: the worst of the captures' (see worst_exit_status).
int judge_several_captures(const CommandLine& command);

}  // namespace trustcap
