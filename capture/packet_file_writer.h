#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <pcap/pcap.h>

#include "capture/frame.h"

namespace trustcap {

// The -C argument as tcpdump 4.99 reads it: a positive whole number of
// millions of bytes, or of KiB, MiB or GiB with a k, m or g suffix (either
// case). nullopt for anything else, 0, or a size no file offset can reach.
std::optional<std::uint64_t> parse_file_size_limit(std::string_view text);

// Appends one frame to a libpcap dumper, its time in the dumper's unit.
void dump_frame(pcap_dumper_t* dumper, const RawFrame& frame, bool nanosecond_timestamps);

struct PacketFileSettings {
    std::string path;                   // -w
    std::uint64_t size_limit_bytes = 0;  // -C; 0: everything goes to `path`
    unsigned file_count = 0;             // -W, only with a size limit; 0: no limit
};

// Writes frames to pcap files named and rotated as tcpdump's -w, -C and -W
// name and rotate them: `path`, then `path`1, `path`2, ... past the size
// limit, or with a file count N, `path` plus a counter from 0 to N-1,
// zero-padded to the digits of N-1, that starts again at 0 and overwrites.
// Every frame is flushed, so a capture ended by a signal leaves whole files.
class PacketFileWriter {
public:
    // Opens the first file, with the link type, snapshot length and timestamp
    // precision of `handle`, which must outlive the writer. nullptr and a
    // one-line `error` when that file cannot be opened.
    static std::unique_ptr<PacketFileWriter> open(pcap_t* handle, const PacketFileSettings& settings,
                                                  std::string& error);
    PacketFileWriter(const PacketFileWriter&) = delete;
    PacketFileWriter& operator=(const PacketFileWriter&) = delete;

    // False when the frame could not be written; from then on nothing is
    // written, and error() says why.
    bool write(const RawFrame& frame);

    [[nodiscard]] const std::string& error() const { return error_; }
    // Every file name written to, in the order first opened, each once.
    [[nodiscard]] const std::vector<std::string>& files_written() const { return files_written_; }
    [[nodiscard]] const std::string& current_file() const { return current_file_; }

private:
    struct DumperCloser {
        void operator()(pcap_dumper_t* dumper) const { pcap_dump_close(dumper); }
    };
    using Dumper = std::unique_ptr<pcap_dumper_t, DumperCloser>;

    PacketFileWriter(pcap_t* handle, PacketFileSettings settings);

    bool open_file(std::uint64_t file_number);
    bool move_on_when_full();
    [[nodiscard]] std::string file_name(std::uint64_t file_number) const;
    void fail(const std::string& file, const std::string& reason);

    pcap_t* handle_;
    PacketFileSettings settings_;
    int counter_digits_;
    bool nanosecond_timestamps_;
    std::uint64_t file_number_ = 0;
    std::string current_file_;
    Dumper dumper_;
    std::vector<std::string> files_written_;
    std::string error_;
};

}  // namespace trustcap
