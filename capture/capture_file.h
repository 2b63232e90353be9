#pragma once

#include <cstdint>
#include <cstdio>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <pcap/pcap.h>

#include "capture/frame.h"
#include "capture/pcapng_reader.h"

namespace trustcap {

// Reads a pcap or pcapng file (or standard input, path "-"), also compressed
// with gzip or zstd (see decompressing_stream.h): pcap through libpcap,
// pcapng with PcapngReader, which also reads the files whose interfaces have
// different link types, several sections, and so on.
// Frames are numbered as Wireshark numbers them, in file order over all
// interfaces, including frames that the optional BPF filter rejects (the
// filter is applied here, per frame, so that numbering stays that of the file)
// and the pcapng records Wireshark numbers as frames that hold no packet
// (custom and systemd journal blocks), which are not handed over.
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

    // Sets a BPF filter, compiled once for each link type as its first frame
    // comes; false and `error` when it compiles for none of the interfaces
    // known so far. A frame of a link type the filter cannot be compiled for
    // does not pass it: the filter names a header such frames do not have.
    bool set_filter(const std::string& expression, std::string& error);

    // Next frame that passes the filter. `damaged`: the file ends inside a
    // record or is corrupt; damage_description() says how.
    ReadStatus next(RawFrame& frame);

    // The interfaces known so far: a pcap file's one, or those a pcapng file
    // described up to the first frame once opened, and up to the last frame
    // read later.
    [[nodiscard]] const std::vector<CaptureInterface>& interfaces() const;
    [[nodiscard]] int descriptor() const { return descriptor_; }  // what is read from (compressed or not)
    [[nodiscard]] int precision_digits() const { return precision_digits_; }  // 6 or 9
    [[nodiscard]] std::uint64_t frames_read() const { return frames_read_; }
    [[nodiscard]] const std::string& damage_description() const { return damage_; }

private:
    CaptureFile(std::unique_ptr<char[]> stdio_buffer, int precision_digits);
    static std::unique_ptr<CaptureFile> open_stream(std::FILE* file, bool from_stdin, std::string& error);

    ReadStatus next_pcap(RawFrame& frame);
    [[nodiscard]] const bpf_program* filter_for(int link_type);

    pcap_t* pcap_handle_ = nullptr;  // a pcap file's reader; owns the FILE it reads
    std::FILE* pcapng_file_ = nullptr;  // a pcapng file's, read by pcapng_
    std::unique_ptr<PcapngReader> pcapng_;
    std::vector<CaptureInterface> pcap_interface_;
    std::unique_ptr<char[]> stdio_buffer_;
    std::optional<std::string> filter_expression_;
    std::vector<std::pair<int, std::optional<bpf_program>>> filters_;  // per link type; nullopt: does not compile
    int precision_digits_;
    std::uint64_t frames_read_ = 0;
    std::string damage_;
    int descriptor_ = -1;
    bool closes_file_ = true;
    const std::string* decompression_error_ = nullptr;  // owned by the decompressing stream read
};

}  // namespace trustcap
