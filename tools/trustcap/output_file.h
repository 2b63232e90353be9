#pragma once

#include <memory>
#include <ostream>
#include <streambuf>
#include <string>

namespace trustcap {

// Whether the file to be written, `written`, is the capture `read` (never
// standard input): writing it would empty the capture before it is read.
bool is_same_file(const std::string& written, const std::string& read);

// The -o file. Created, or emptied, when opened, never through a symbolic
// link: a link planted where the report is to go cannot send it, or an
// emptied file, anywhere else. Opened with the rights trustcap has when
// opening it: after the privilege drop, those of the -Z user.
class OutputFile {
public:
    // nullptr and a one-line `error` when the file cannot be opened.
    static std::unique_ptr<OutputFile> open(const std::string& path, std::string& error);
    ~OutputFile();
    OutputFile(const OutputFile&) = delete;
    OutputFile& operator=(const OutputFile&) = delete;

    std::ostream& stream() { return stream_; }

private:
    class DescriptorBuffer : public std::streambuf {
    public:
        explicit DescriptorBuffer(int descriptor);

    protected:
        int_type overflow(int_type character) override;
        int sync() override;

    private:
        bool write_pending();

        int descriptor_;
        char buffer_[1 << 16];
    };

    explicit OutputFile(int descriptor);

    int descriptor_;
    DescriptorBuffer buffer_;
    std::ostream stream_;
};

}  // namespace trustcap
