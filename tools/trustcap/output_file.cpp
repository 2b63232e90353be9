#include "output_file.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

namespace trustcap {

bool is_same_file(const std::string& written, const std::string& read) {
    std::error_code not_comparable;
    return !written.empty() && read != "-" && std::filesystem::equivalent(written, read, not_comparable);
}

std::unique_ptr<OutputFile> OutputFile::open(const std::string& path, std::string& error) {
    int descriptor = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0666);
    if (descriptor < 0) {
        error = "cannot write " + path + ": " +
                (errno == ELOOP ? std::string("it is a symbolic link, which trustcap does not write through")
                                : std::string(std::strerror(errno)));
        return nullptr;
    }
    return std::unique_ptr<OutputFile>(new OutputFile(descriptor));
}

OutputFile::OutputFile(int descriptor) : descriptor_(descriptor), buffer_(descriptor), stream_(&buffer_) {}

OutputFile::~OutputFile() {
    stream_.flush();
    ::close(descriptor_);
}

OutputFile::DescriptorBuffer::DescriptorBuffer(int descriptor) : descriptor_(descriptor) {
    setp(buffer_, buffer_ + sizeof buffer_);
}

bool OutputFile::DescriptorBuffer::write_pending() {
    const char* next = pbase();
    while (next < pptr()) {
        ssize_t written = ::write(descriptor_, next, static_cast<std::size_t>(pptr() - next));
        if (written < 0 && errno == EINTR) continue;
        if (written <= 0) return false;
        next += written;
    }
    setp(buffer_, buffer_ + sizeof buffer_);
    return true;
}

OutputFile::DescriptorBuffer::int_type OutputFile::DescriptorBuffer::overflow(int_type character) {
    if (!write_pending()) return traits_type::eof();
    if (traits_type::eq_int_type(character, traits_type::eof())) return traits_type::not_eof(character);
    *pptr() = traits_type::to_char_type(character);
    pbump(1);
    return character;
}

int OutputFile::DescriptorBuffer::sync() { return write_pending() ? 0 : -1; }

}  // namespace trustcap
