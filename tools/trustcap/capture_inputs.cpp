#include "capture_inputs.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <system_error>

namespace trustcap {
namespace {

namespace fs = std::filesystem;

constexpr std::array<std::uint32_t, 4> pcap_magics{0xa1b2c3d4, 0xd4c3b2a1, 0xa1b23c4d, 0x4d3cb2a1};
constexpr std::uint32_t pcapng_section_header = 0x0a0d0d0a;
constexpr std::uint32_t zstd_frame_magic = 0xfd2fb528;  // as read little-endian
constexpr std::uint16_t gzip_magic = 0x8b1f;            // as read little-endian

bool is_hidden(const fs::path& path) { return path.filename().string().starts_with('.'); }

// The captures in `folder` and its subfolders, and a folder that cannot be
// listed as an input of its own that says so.
void walk_folder(const fs::path& folder, std::vector<CaptureInput>& found, std::size_t& skipped) {
    std::error_code error;
    fs::directory_iterator entries(folder, error);
    for (auto end = fs::directory_iterator(); !error && entries != end; entries.increment(error)) {
        const fs::directory_entry& entry = *entries;
        if (is_hidden(entry.path())) continue;
        std::error_code not_known;
        const fs::file_status status = entry.symlink_status(not_known);
        if (fs::is_directory(status)) {
            walk_folder(entry.path(), found, skipped);
            continue;
        }
        std::string unreadable;
        const std::optional<bool> capture =
            fs::is_regular_file(status) ? starts_as_capture(entry.path().string(), unreadable) : false;
        if (capture.value_or(true)) {
            found.push_back({entry.path().string(), unreadable, true});
        } else {
            ++skipped;
        }
    }
    if (error) found.push_back({folder.string(), "cannot list the folder: " + error.message(), true});
}

void add_folder(const fs::path& folder, CaptureInputs& inputs) {
    std::vector<CaptureInput> found;
    walk_folder(folder, found, inputs.skipped_in_folders);
    std::sort(found.begin(), found.end(),
              [](const CaptureInput& one, const CaptureInput& other) { return one.path < other.path; });
    for (CaptureInput& input : found) inputs.captures.push_back(std::move(input));
}

}  // namespace

std::optional<bool> starts_as_capture(const std::string& path, std::string& error) {
    const int descriptor = open(path.c_str(), O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
    if (descriptor < 0) {
        error = std::strerror(errno);
        return std::nullopt;
    }
    std::array<unsigned char, 4> bytes{};
    const ssize_t got = read(descriptor, bytes.data(), bytes.size());
    const int read_error = errno;
    close(descriptor);
    if (got < 0) {
        error = std::strerror(read_error);
        return std::nullopt;
    }
    if (got < static_cast<ssize_t>(bytes.size())) return false;
    const std::uint32_t little = bytes[0] | (bytes[1] << 8) | (bytes[2] << 16) | (std::uint32_t{bytes[3]} << 24);
    return std::find(pcap_magics.begin(), pcap_magics.end(), little) != pcap_magics.end() ||
           little == pcapng_section_header || little == zstd_frame_magic || (little & 0xffff) == gzip_magic;
}

CaptureInputs expand_capture_inputs(const std::vector<std::string>& arguments) {
    CaptureInputs inputs;
    for (const std::string& argument : arguments) {
        std::error_code not_known;
        if (argument != "-" && fs::is_directory(argument, not_known)) {
            add_folder(argument, inputs);
        } else {
            inputs.captures.push_back({argument, {}});
        }
    }
    return inputs;
}

}  // namespace trustcap
