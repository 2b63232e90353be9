#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

namespace trustcap {

// One capture to judge, as named on the command line or found in a folder.
struct CaptureInput {
    std::string path;   // "-" for standard input
    std::string error;  // why it cannot be judged (a folder that cannot be listed); empty otherwise
    bool found_in_folder = false;  // not named by the user: never opened through a symbolic link
};

struct CaptureInputs {
    std::vector<CaptureInput> captures;  // in the order given; a folder's files sorted by path
    std::size_t skipped_in_folders = 0;  // files in the folders that are not captures, and symbolic links
};

// The captures the arguments name. A file is taken as given (reading it
// tells what it is); a folder stands for the captures in it and its
// subfolders, recognised by their first bytes (pcap, pcapng, or gzip or zstd
// compressed, as trustcap reads them); a file that cannot be read is an input
// that says why. Symbolic links in a folder are not followed (run as root, a
// link could lead to any file), and names starting with a dot are left out,
// as ls leaves them out.
CaptureInputs expand_capture_inputs(const std::vector<std::string>& arguments);

// Whether the file starts as a capture trustcap reads does; nullopt, and why
// in `error`, when it cannot be read.
std::optional<bool> starts_as_capture(const std::string& path, std::string& error);

}  // namespace trustcap
