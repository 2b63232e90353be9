#pragma once

#include <cstdio>
#include <memory>
#include <string>

namespace trustcap {

// A file written under a temporary name beside `path` and renamed onto it
// once complete: a run that fails, or is stopped, leaves whatever was at
// `path` as it was, and a symbolic link planted there is replaced, never
// written through. Created with the rights trustcap has when it is created
// (after the privilege drop, those of the -Z user) and the umask's mode.
class ReplacingFile {
public:
    // Null and "cannot write PATH: reason" when the temporary file cannot be made.
    static std::unique_ptr<ReplacingFile> create(const std::string& path, std::string& error);
    ~ReplacingFile();  // removes the temporary file unless it was put in place
    ReplacingFile(const ReplacingFile&) = delete;
    ReplacingFile& operator=(const ReplacingFile&) = delete;

    [[nodiscard]] const std::string& path() const { return path_; }
    // The stream to write; whoever takes it closes it before put_in_place().
    std::FILE* release_stream();

    // Renames the written file onto `path`; false and a one-line `error` when that fails.
    bool put_in_place(std::string& error);

private:
    ReplacingFile(std::string path, std::string temporary, std::FILE* stream);

    std::string path_;
    std::string temporary_;
    std::FILE* stream_;
    bool in_place_ = false;
};

}  // namespace trustcap
