#include "capture_inputs.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <system_error>

namespace trustcap {
namespace {

namespace fs = std::filesystem;

constexpr std::array<std::uint32_t, 4> pcap_magics{0xa1b2c3d4, 0xd4c3b2a1, 0xa1b23c4d, 0x4d3cb2a1};
constexpr std::uint32_t pcapng_section_header = 0x0a0d0d0a;
constexpr std::uint32_t zstd_frame_magic = 0xfd2fb528;  // as read little-endian
constexpr std::uint16_t gzip_magic = 0x8b1f;            // as read little-endian

bool is_hidden(const fs::path& path) { return path.filename().string().starts_with('.'); }

void add_folder(const fs::path& folder, CaptureInputs& inputs) {
    std::error_code error;
    fs::recursive_directory_iterator walk(folder, fs::directory_options::none, error);
    if (error) {
        inputs.captures.push_back({folder.string(), "cannot list the folder: " + error.message()});
        return;
    }
    std::vector<std::string> found;
    for (auto end = fs::recursive_directory_iterator(); walk != end; walk.increment(error)) {
        if (error) break;
        const fs::directory_entry& entry = *walk;
        if (is_hidden(entry.path())) {
            if (entry.is_directory(error)) walk.disable_recursion_pending();
            continue;
        }
        if (!entry.is_regular_file(error)) continue;
        if (starts_as_capture(entry.path().string())) {
            found.push_back(entry.path().string());
        } else {
            ++inputs.skipped_in_folders;
        }
    }
    if (error) inputs.captures.push_back({folder.string(), "cannot list the folder: " + error.message()});
    std::sort(found.begin(), found.end());
    for (std::string& path : found) inputs.captures.push_back({std::move(path), {}});
}

}  // namespace

bool starts_as_capture(const std::string& path) {
    std::ifstream file(path, std::ios::binary);
    std::array<unsigned char, 4> bytes{};
    if (!file.read(reinterpret_cast<char*>(bytes.data()), bytes.size())) return false;
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
