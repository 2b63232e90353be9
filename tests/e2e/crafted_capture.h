#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace trustcap::testing {

// Captures of the corpus rewritten at test time into what a hostile or
// broken writer could produce: time fields no sane capture holds, bytes
// replaced in place.

struct ClassicRecord {
    std::uint32_t seconds = 0;
    std::uint32_t fraction = 0;  // microseconds or nanoseconds, as the file's magic says
    std::vector<std::uint8_t> data;
};

struct ClassicCapture {
    std::uint32_t magic = 0xa1b2c3d4;
    std::uint32_t link_type = 1;
    std::vector<ClassicRecord> records;
};

// A little-endian classic pcap file, as the generator writes them.
ClassicCapture read_classic_capture(const std::filesystem::path& path);
void write_classic_capture(const std::filesystem::path& path, const ClassicCapture& capture);

// One pcapng section with one interface whose time unit is
// 10^-`resolution_digits` s and whose if_tsoffset is `offset_seconds`;
// `timestamps[i]` is the raw 64-bit timestamp of records[i].
void write_pcapng_capture(const std::filesystem::path& path, const ClassicCapture& capture,
                          std::uint8_t resolution_digits, std::int64_t offset_seconds,
                          const std::vector<std::uint64_t>& timestamps);

// Every occurrence of `from` in the file's bytes replaced by `to`, of the same length.
void replace_bytes(const std::filesystem::path& path, const std::string& from, const std::string& to);

// A directory of its own under the system's temporary directory, removed with everything in it.
class ScratchDirectory {
public:
    explicit ScratchDirectory(const std::string& name);
    ~ScratchDirectory();
    ScratchDirectory(const ScratchDirectory&) = delete;
    ScratchDirectory& operator=(const ScratchDirectory&) = delete;
    [[nodiscard]] const std::filesystem::path& path() const { return path_; }

private:
    std::filesystem::path path_;
};

}  // namespace trustcap::testing
