#pragma once

#include <cstdint>
#include <cstdio>
#include <memory>
#include <optional>
#include <string>

#include <pcap/pcap.h>

#include "capture/frame.h"

namespace trustcap {

// Reads a pcap or pcapng file (or standard input, path "-") through libpcap,
// also compressed with gzip or zstd (see decompressing_stream.h).
// Frames are numbered as Wireshark numbers them, including frames that the
// optional BPF filter rejects: the filter is applied here, per frame, so that
// numbering stays that of the file.
class CaptureFile {
public:
    enum class ReadStatus { frame, end, damaged };

    // Opens the file; on failure returns nullptr and sets `error` to one line.
    static std::unique_ptr<CaptureFile> open(const std::string& path, std::string& error);
    // The same, from a descriptor opened earlier (with rights since given up); it is closed with the file.
    static std::unique_ptr<CaptureFile> open_descriptor(int descriptor, std::string& error);
    ~CaptureFile();
    CaptureFile(const CaptureFile&) = delete;
    CaptureFile& operator=(const CaptureFile&) = delete;

    // Compiles a BPF filter for this file's link type; false and `error` on failure.
    bool set_filter(const std::string& expression, std::string& error);

    // Next frame that passes the filter. `damaged`: the file ends inside a
    // record or is corrupt; damage_description() says how.
    ReadStatus next(RawFrame& frame);

    [[nodiscard]] int datalink() const;
    [[nodiscard]] std::uint32_t snaplen() const;
    [[nodiscard]] int descriptor() const { return descriptor_; }  // what is read from (compressed or not)
    [[nodiscard]] int precision_digits() const { return precision_digits_; }  // 6 or 9
    [[nodiscard]] std::uint64_t frames_read() const { return frames_read_; }
    [[nodiscard]] const std::string& damage_description() const { return damage_; }

private:
    CaptureFile(pcap_t* handle, std::unique_ptr<char[]> stdio_buffer, int precision_digits);
    static std::unique_ptr<CaptureFile> open_stream(std::FILE* file, bool from_stdin, std::string& error);

    pcap_t* handle_;  // owns the FILE it reads
    std::unique_ptr<char[]> stdio_buffer_;
    std::optional<bpf_program> filter_;
    int precision_digits_;
    std::uint64_t frames_read_ = 0;
    std::string damage_;
    int descriptor_ = -1;
    const std::string* decompression_error_ = nullptr;  // owned by the decompressing stream libpcap reads
};

}  // namespace trustcap
