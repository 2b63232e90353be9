#include "offline_analysis.h"

#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <optional>
#include <vector>

#include "analysis_session.h"
#include "capture/capture_file.h"
#include "capture/link_type.h"
#include "privileges.h"
#include "read_interruption.h"

namespace trustcap {
namespace {

std::string unsupported_link_type_error(int dlt) {
    return "unsupported link type " + link_type_name(dlt) + " (DLT " + std::to_string(dlt) +
           "); trustcap reads Ethernet, Linux cooked (SLL, SLL2), raw IP and BSD loopback captures";
}

// The link types of the interfaces, each once, in the order they were described.
std::vector<int> link_types_of(const std::vector<CaptureInterface>& interfaces) {
    std::vector<int> link_types;
    for (const CaptureInterface& interface : interfaces)
        if (std::find(link_types.begin(), link_types.end(), interface.link_type) == link_types.end())
            link_types.push_back(interface.link_type);
    return link_types;
}

std::string link_type_names(const std::vector<int>& link_types) {
    std::string names;
    for (int link_type : link_types) names += (names.empty() ? "" : ", ") + link_type_name(link_type);
    return names;
}

}  // namespace

AnalysisOutcome analyze_file(const AnalysisOptions& options, const std::string& user,
                             const BeforeReading& before_reading) {
    AnalysisOutcome outcome;
    std::string error;
    std::error_code not_known;
    // Checked before it is opened: opening a pipe waits for its writer.
    const auto type = std::filesystem::status(options.file, not_known).type();
    // What cannot be looked at (not found, not permitted) is left for the opening to tell.
    const bool unknown = type == std::filesystem::file_type::not_found || type == std::filesystem::file_type::none;
    if (options.read_twice && type != std::filesystem::file_type::regular && !unknown) {
        outcome.error = "--annotate and --export-flow read the capture a second time: give a regular file, not a "
                        "pipe or a device";
        return outcome;
    }
    // A pipe's writer may hold back even the file header until it exits
    // (tcpdump -w - without -U): a signal while it is awaited is handled too.
    std::optional<ReadInterruption> interruption;
    if (options.file == "-") interruption.emplace(STDIN_FILENO);
    auto file = options.descriptor >= 0 ? CaptureFile::open_descriptor(options.descriptor, error)
                                        : CaptureFile::open(options.file, error);
    if (!file) {
        outcome.error = interruption && interruption->cut()
                            ? std::string("reading stopped by ") + stop_signal_name(interruption->signal_number()) +
                                  " before the capture's file header arrived"
                            : error;
        return outcome;
    }
    // A file whose interfaces are all of link types trustcap does not decode is refused; one that has
    // others too is read, its frames of those link types counted as malformed.
    const std::vector<int> described = link_types_of(file->interfaces());
    if (!described.empty() && std::none_of(described.begin(), described.end(),
                                           [](int link_type) { return supported_link_type(link_type).has_value(); })) {
        outcome.error = unsupported_link_type_error(described.front());
        return outcome;
    }
    if (!options.filter.empty() && !file->set_filter(options.filter, error)) {
        outcome.error = error;
        return outcome;
    }
    AnalysisOptions session_options = options;
    session_options.number_wireshark_streams = options.filter.empty();
    auto session = AnalysisSession::create(session_options, error);
    if (!session) {
        outcome.error = error;
        return outcome;
    }

    if (options.read_twice) {
        outcome.second_reading = CaptureFile::open(options.file, error);
        if (!outcome.second_reading) {
            outcome.error = error;
            return outcome;
        }
    }

    if (!drop_privileges(user, error) || (before_reading && !before_reading(error))) {
        outcome.error = error;
        return outcome;
    }

    RawFrame frame;
    CaptureFile::ReadStatus status = CaptureFile::ReadStatus::end;
    int stopped_by_signal = 0;
    if (!interruption) interruption.emplace(file->descriptor());
    while (!interruption->cut() && (status = file->next(frame)) == CaptureFile::ReadStatus::frame) session->add(frame);
    stopped_by_signal = interruption->signal_number();
    interruption.reset();

    CaptureSummary capture;
    capture.file = options.file == "-" ? "(standard input)" : options.file;
    capture.link_type = link_type_names(link_types_of(file->interfaces()));
    capture.frames = file->frames_read();
    capture.precision_digits = file->precision_digits();
    if (stopped_by_signal != 0) {
        capture.complete = false;
        capture.interrupted = true;
        capture.damage =
            std::string("reading stopped by ") + stop_signal_name(stopped_by_signal) + " before the end of the input";
    } else if (status == CaptureFile::ReadStatus::damaged) {
        capture.complete = false;
        capture.damage = file->damage_description();
    }
    outcome.report = session->finish(std::move(capture));
    outcome.usable = true;
    return outcome;
}

}  // namespace trustcap
