#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <set>
#include <string>

#include "capture/capture_file.h"
#include "replacing_file.h"
#include "report/report.h"

namespace trustcap {

// Copies of the capture made from its report, read from the file a second time.
struct ExtractOptions {
    std::string annotated_path;  // --annotate: pcapng with a comment on every evidence frame
    bool only_licensing = false;  // --only-licensing: only the licensing flows' frames and the evidence
    std::optional<std::uint64_t> exported_flow;  // --export-flow N: that flow's frames, as pcap
    std::string exported_path;

    [[nodiscard]] bool any() const { return !annotated_path.empty() || exported_flow.has_value(); }
};

// The extracts' files, created before the capture is read (as the -o
// report is), so that one that cannot be written costs no analysis; each is
// put in place only once complete (see ReplacingFile).
class ExtractFiles {
public:
    // False and "cannot write PATH: reason" when a file cannot be created.
    bool create(const ExtractOptions& options, std::string& error);

private:
    friend bool write_extracts(CaptureFile&, const Report&, const ExtractOptions&, ExtractFiles&,
                               const std::set<std::uint16_t>&, const std::string&, const std::function<bool()>&,
                               std::string&);
    std::unique_ptr<ReplacingFile> annotated_;
    std::unique_ptr<ReplacingFile> exported_;
};

// Why the extracts cannot be made from this report (--export-flow names a
// flow it does not list), or nullopt.
std::optional<std::string> extract_problem(const ExtractOptions& options, const Report& report);

// Reads `capture` (opened anew, before any frame was read) as far as the
// report's reading went, and writes what `options` asks into `files`.
// False and a one-line `error` when a file cannot be written, the capture
// cannot be read as far as the first time, or `stop_requested` says so.
bool write_extracts(CaptureFile& capture, const Report& report, const ExtractOptions& options, ExtractFiles& files,
                    const std::set<std::uint16_t>& checked_ports, const std::string& application,
                    const std::function<bool()>& stop_requested, std::string& error);

}  // namespace trustcap
