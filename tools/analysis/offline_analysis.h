#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "capture/capture_file.h"
#include "capture/memory_budget.h"
#include "dissect/tls_key_log.h"
#include "report/licensing_targets.h"
#include "report/report.h"

namespace trustcap {

struct AnalysisOptions {
    std::string file;                     // "-" for standard input
    int descriptor = -1;                  // when not -1, the capture opened already, which `file` only names
    std::string filter;                   // BPF, applied per frame so numbering stays Wireshark's
    std::set<std::uint16_t> checked_ports;  // --port: every connection to these is checked
    LicensingTargets targets;             // --server, --proxy, --all-flows
    std::vector<std::string> ca_bundles;  // --ca-bundle, added to the system's trust store
    std::shared_ptr<const TlsKeyLog> key_log;  // --keylog: TLS secrets to decrypt records with
    std::size_t max_flows = 200'000;      // flow-table entries kept at once, and finished flows kept for the report
    std::size_t max_memory_bytes = default_memory_budget_bytes;  // the flows' state in all (see MemoryBudget)
    // Number TCP conversations as Wireshark does on the same file: only when
    // every frame of the file is seen (no BPF filter, not a live capture).
    bool number_wireshark_streams = false;
    bool read_twice = false;  // open the file a second time (see AnalysisOutcome::second_reading)
};

struct AnalysisOutcome {
    bool usable = false;
    std::string error;  // one line, when not usable
    Report report;
    // With read_twice: the file opened again with trustcap's first rights, no frame read yet.
    std::unique_ptr<CaptureFile> second_reading;
};

// Reads a capture file and judges every licensing connection in it. The file
// and the CA bundles are opened with the rights trustcap was started with;
// then, before a frame is read, it becomes `user` (see drop_privileges).
// SIGINT and SIGTERM end the reading early (see ReadInterruption): the
// report is of what was read, marked incomplete.
// `before_reading`, when given, runs as `user` before the first frame is
// read (opening the output there fails fast, yet leaves it untouched when the
// file proved unusable); its false ends the analysis with its error.
using BeforeReading = std::function<bool(std::string& error)>;
AnalysisOutcome analyze_file(const AnalysisOptions& options, const std::string& user,
                             const BeforeReading& before_reading = {});

}  // namespace trustcap
