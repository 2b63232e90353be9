#pragma once

#include <sys/mman.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

namespace trustcap::fuzz {

// A file that lives in memory, for code that reads captures by path: each
// input is written to it, and every open of path() reads from its start.
class MemoryFile {
public:
    MemoryFile() : descriptor_(memfd_create("fuzz-input", 0)) {
        if (descriptor_ < 0) std::abort();
        path_ = "/proc/self/fd/" + std::to_string(descriptor_);
    }
    ~MemoryFile() { close(descriptor_); }
    MemoryFile(const MemoryFile&) = delete;
    MemoryFile& operator=(const MemoryFile&) = delete;

    void hold(const std::uint8_t* data, std::size_t size) {
        if (ftruncate(descriptor_, 0) != 0) std::abort();
        std::size_t written = 0;
        while (written < size) {
            ssize_t step = pwrite(descriptor_, data + written, size - written, static_cast<off_t>(written));
            if (step <= 0) std::abort();
            written += static_cast<std::size_t>(step);
        }
    }
    [[nodiscard]] const std::string& path() const { return path_; }

private:
    int descriptor_;
    std::string path_;
};

}  // namespace trustcap::fuzz
