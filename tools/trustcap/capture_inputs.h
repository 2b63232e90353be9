#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace trustcap {

// One capture to judge, as named on the command line or found in a folder.
struct CaptureInput {
    std::string path;   // "-" for standard input
    std::string error;  // why it cannot be judged (a folder that cannot be listed); empty otherwise
};

struct CaptureInputs {
    std::vector<CaptureInput> captures;  // in the order given; a folder's files sorted by path
    std::size_t skipped_in_folders = 0;  // files in the folders that do not start as a capture does
};

// The captures the arguments name. A file is taken as given (reading it
// tells what it is); a folder stands for the captures in it and its
// subfolders, recognised by their first bytes (pcap, pcapng, or gzip or zstd
// compressed, as trustcap reads them) and never through a symbolic link to a
// folder. Names starting with a dot are left out, as ls leaves them out.
CaptureInputs expand_capture_inputs(const std::vector<std::string>& arguments);

// Whether the file starts as a capture trustcap reads does; false when it cannot be read.
bool starts_as_capture(const std::string& path);

}  // namespace trustcap
