#include "replacing_file.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <utility>
#include <vector>

namespace trustcap {

std::unique_ptr<ReplacingFile> ReplacingFile::create(const std::string& path, std::string& error) {
    const std::filesystem::path target(path);
    // Found out now, before the analysis, rather than at the rename.
    std::error_code not_there;
    const auto type = std::filesystem::symlink_status(target, not_there).type();
    if (type == std::filesystem::file_type::directory) {
        error = "cannot write " + path + ": it is a directory";
        return nullptr;
    }
    if (type != std::filesystem::file_type::not_found && type != std::filesystem::file_type::none &&
        type != std::filesystem::file_type::regular && type != std::filesystem::file_type::symlink) {
        error = "cannot write " + path + ": it is not a regular file";
        return nullptr;
    }
    const std::filesystem::path directory = target.has_parent_path() ? target.parent_path() : ".";
    std::string hidden_name(".");
    hidden_name.append(target.filename().string()).append(".trustcap-XXXXXX");
    std::string name = (directory / hidden_name).string();
    std::vector<char> temporary(name.begin(), name.end());
    temporary.push_back('\0');
    const int descriptor = target.filename().empty() ? -1 : ::mkstemp(temporary.data());
    if (descriptor < 0) {
        error = "cannot write " + path + ": " + (target.filename().empty() ? "not a file name" : std::strerror(errno));
        return nullptr;
    }
    const mode_t umask_value = ::umask(0);
    ::umask(umask_value);
    ::fchmod(descriptor, 0666 & ~umask_value);
    std::FILE* stream = ::fdopen(descriptor, "wb");
    if (stream == nullptr) {
        error = "cannot write " + path + ": " + std::strerror(errno);
        ::close(descriptor);
        ::unlink(temporary.data());
        return nullptr;
    }
    return std::unique_ptr<ReplacingFile>(new ReplacingFile(path, temporary.data(), stream));
}

ReplacingFile::ReplacingFile(std::string path, std::string temporary, std::FILE* stream)
    : path_(std::move(path)), temporary_(std::move(temporary)), stream_(stream) {}

ReplacingFile::~ReplacingFile() {
    if (stream_ != nullptr) std::fclose(stream_);
    if (!in_place_) ::unlink(temporary_.c_str());
}

std::FILE* ReplacingFile::release_stream() { return std::exchange(stream_, nullptr); }

bool ReplacingFile::put_in_place(std::string& error) {
    if (::rename(temporary_.c_str(), path_.c_str()) != 0) {
        error = "cannot write " + path_ + ": " + std::strerror(errno);
        return false;
    }
    in_place_ = true;
    return true;
}

}  // namespace trustcap
