#include "capture/capture_file.h"

#include "capture/decompressing_stream.h"

#include <array>
#include <cstring>
#include <string_view>

namespace trustcap {
namespace {

constexpr std::size_t stdio_buffer_bytes = 1 << 20;
constexpr std::uint32_t pcap_nanosecond_magic = 0xa1b23c4d;
constexpr std::uint32_t pcap_nanosecond_magic_swapped = 0x4d3cb2a1;

// libpcap's open errors name the problem for a programmer; say it for a user.
std::string describe_open_error(const std::string& libpcap_error) {
    if (libpcap_error.find("only got 0") != std::string::npos) return "empty file, not a capture";
    if (libpcap_error.find("truncated dump file") != std::string::npos)
        return "file too short to be a capture (" + libpcap_error + ")";
    if (libpcap_error.find("unknown file format") != std::string::npos)
        return "not a pcap or pcapng capture file (unknown file format)";
    return libpcap_error;
}

// When libpcap fails on a decompressed stream, the decompressor's reason
// (truncated, corrupt) is the one to give.
std::string decompression_error_or(const std::string* decompression_error, std::string libpcap_error) {
    return decompression_error != nullptr && !decompression_error->empty() ? *decompression_error : libpcap_error;
}

// Nanosecond pcap files announce themselves in the magic number; only a file
// that can be rewound is peeked at.
bool has_nanosecond_magic(std::FILE* file) {
    std::array<unsigned char, 4> magic{};
    long start = std::ftell(file);
    if (start < 0) return false;
    std::size_t got = std::fread(magic.data(), 1, magic.size(), file);
    std::fseek(file, start, SEEK_SET);
    if (got != magic.size()) return false;
    std::uint32_t little = magic[0] | (magic[1] << 8) | (magic[2] << 16) | (std::uint32_t{magic[3]} << 24);
    return little == pcap_nanosecond_magic || little == pcap_nanosecond_magic_swapped;
}

}  // namespace

CaptureFile::CaptureFile(pcap_t* handle, std::unique_ptr<char[]> stdio_buffer, int precision_digits)
    : handle_(handle), stdio_buffer_(std::move(stdio_buffer)), precision_digits_(precision_digits) {}

CaptureFile::~CaptureFile() {
    if (filter_) pcap_freecode(&*filter_);
    pcap_close(handle_);
}

std::unique_ptr<CaptureFile> CaptureFile::open(const std::string& path, std::string& error) {
    bool from_stdin = path == "-";
    std::FILE* file = from_stdin ? stdin : std::fopen(path.c_str(), "rb");
    if (file == nullptr) {
        error = std::strerror(errno);
        return nullptr;
    }
    return open_stream(file, from_stdin, error);
}

std::unique_ptr<CaptureFile> CaptureFile::open_descriptor(int descriptor, std::string& error) {
    std::FILE* file = fdopen(descriptor, "rb");
    if (file == nullptr) {
        error = std::strerror(errno);
        return nullptr;
    }
    return open_stream(file, false, error);
}

std::unique_ptr<CaptureFile> CaptureFile::open_stream(std::FILE* file, bool from_stdin, std::string& error) {
    const int descriptor = fileno(file);
    // Before the first byte is looked at: a buffer set later may drop what was read.
    auto buffer = std::make_unique_for_overwrite<char[]>(stdio_buffer_bytes);
    std::setvbuf(file, buffer.get(), _IOFBF, stdio_buffer_bytes);
    const std::string* decompression_error = nullptr;
    int precision_digits = 6;
    if (const Compression compression = compression_of(file); compression != Compression::none) {
        std::optional<DecompressedStream> decompressed = open_decompressed(file, compression, error);
        if (!decompressed) {
            if (!from_stdin) std::fclose(file);
            return nullptr;
        }
        file = decompressed->file;
        decompression_error = decompressed->error;
    } else if (!from_stdin && has_nanosecond_magic(file)) {
        precision_digits = 9;
    }

    std::array<char, PCAP_ERRBUF_SIZE> errbuf{};
    pcap_t* handle = pcap_fopen_offline_with_tstamp_precision(file, PCAP_TSTAMP_PRECISION_NANO, errbuf.data());
    if (handle == nullptr) {
        error = decompression_error_or(decompression_error, describe_open_error(errbuf.data()));
        if (!from_stdin || decompression_error != nullptr) std::fclose(file);
        return nullptr;
    }
    auto capture = std::unique_ptr<CaptureFile>(new CaptureFile(handle, std::move(buffer), precision_digits));
    capture->descriptor_ = descriptor;
    capture->decompression_error_ = decompression_error;
    return capture;
}

bool CaptureFile::set_filter(const std::string& expression, std::string& error) {
    bpf_program program{};
    if (pcap_compile(handle_, &program, expression.c_str(), 1, PCAP_NETMASK_UNKNOWN) != 0) {
        error = "invalid filter \"" + expression + "\": " + pcap_geterr(handle_);
        return false;
    }
    if (filter_) pcap_freecode(&*filter_);
    filter_ = program;
    return true;
}

CaptureFile::ReadStatus CaptureFile::next(RawFrame& frame) {
    while (true) {
        pcap_pkthdr* header = nullptr;
        const u_char* data = nullptr;
        int result = pcap_next_ex(handle_, &header, &data);
        if (result == PCAP_ERROR_BREAK) return ReadStatus::end;
        if (result != 1) {
            damage_ = decompression_error_or(decompression_error_, pcap_geterr(handle_));
            return ReadStatus::damaged;
        }
        ++frames_read_;
        if (filter_ && pcap_offline_filter(&*filter_, header, data) == 0) continue;

        frame.number = frames_read_;
        // Opened for nanosecond precision, libpcap hands over the record's fraction in nanoseconds, but
        // unchecked: a pcap record's microsecond field may hold more than a second, or (read as signed) less than
        // zero. Carried into the seconds, as Wireshark's time arithmetic does.
        frame.time = Timestamp::from_parts(header->ts.tv_sec, header->ts.tv_usec);
        if (precision_digits_ == 6 && frame.time.nanoseconds % 1000 != 0) precision_digits_ = 9;
        frame.captured_length = header->caplen;
        frame.original_length = header->len;
        frame.data = Bytes(data, header->caplen);
        return ReadStatus::frame;
    }
}

int CaptureFile::datalink() const { return pcap_datalink(handle_); }

std::uint32_t CaptureFile::snaplen() const { return static_cast<std::uint32_t>(pcap_snapshot(handle_)); }

}  // namespace trustcap
