#pragma once

#include <cstdio>
#include <memory>
#include <optional>
#include <string>

namespace trustcap {

// The compressions a capture file may come in, as Wireshark opens them.
enum class Compression { none, gzip, zstd };

// Tells by the stream's first byte, which it puts back, so that standard
// input can be told too: no pcap or pcapng file begins with 0x1f (gzip) or
// 0x28 (zstd).
Compression compression_of(std::FILE* file);

// A stdio stream of the decompressed bytes of `compressed`, which it takes
// over and closes when it is closed. Concatenated gzip members and zstd
// frames are read one after another; a zstd frame that needs a window over
// max_zstd_window_log is refused, so that a hostile file cannot make trustcap
// allocate more.
struct DecompressedStream {
    std::FILE* file = nullptr;
    // Why decompression stopped, empty while it goes well; owned by the
    // stream and valid until `file` is closed.
    const std::string* error = nullptr;
};
inline constexpr int max_zstd_window_log = 24;  // 16 MiB; `zstd --long` writes 128 MiB windows
std::optional<DecompressedStream> open_decompressed(std::FILE* compressed, Compression compression, std::string& error);

}  // namespace trustcap
