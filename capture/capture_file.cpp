#include "capture/capture_file.h"

#include "capture/decompressing_stream.h"
#include "capture/link_type.h"

#include <algorithm>
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

bool is_pcap_magic(std::uint32_t magic) {
    constexpr std::array<std::uint32_t, 6> magics{0xa1b2c3d4, 0xd4c3b2a1, pcap_nanosecond_magic,
                                                  pcap_nanosecond_magic_swapped,
                                                  0xa1b2cd34, 0x34cdb2a1};  // and Alexey Kuznetsov's modified pcap
    return std::find(magics.begin(), magics.end(), magic) != magics.end();
}

// Puts the magic number back in front of the stream for libpcap, which reads a pcap file from its first byte.
// glibc takes back any number of bytes (it steps back in its buffer, or keeps them aside): a pipe or a
// decompressing stream is read on as it was, without seeking.
bool put_back(std::FILE* file, const std::array<char, 4>& magic) {
    for (auto byte = magic.rbegin(); byte != magic.rend(); ++byte)
        if (std::ungetc(static_cast<unsigned char>(*byte), file) == EOF) return false;
    return true;
}

}  // namespace

CaptureFile::CaptureFile(std::unique_ptr<char[]> stdio_buffer, int precision_digits)
    : stdio_buffer_(std::move(stdio_buffer)), precision_digits_(precision_digits) {}

CaptureFile::~CaptureFile() {
    for (auto& [link_type, program] : filters_)
        if (program) pcap_freecode(&*program);
    if (pcap_handle_ != nullptr) pcap_close(pcap_handle_);
    pcapng_.reset();
    if (pcapng_file_ != nullptr && closes_file_) std::fclose(pcapng_file_);
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
    if (const Compression compression = compression_of(file); compression != Compression::none) {
        std::optional<DecompressedStream> decompressed = open_decompressed(file, compression, error);
        if (!decompressed) {
            if (!from_stdin) std::fclose(file);
            return nullptr;
        }
        file = decompressed->file;
        decompression_error = decompressed->error;
    }
    // stdin itself is left open; a stream made over it is closed.
    const bool closes_file = !from_stdin || decompression_error != nullptr;
    auto fail = [&](std::string reason) {
        error = decompression_error_or(decompression_error, std::move(reason));
        if (closes_file) std::fclose(file);
        return nullptr;
    };

    std::array<char, 4> magic_bytes{};
    const std::size_t got = std::fread(magic_bytes.data(), 1, magic_bytes.size(), file);
    if (got == 0) return fail("empty file, not a capture");
    if (got < magic_bytes.size()) return fail("file too short to be a capture (" + std::to_string(got) + " bytes)");
    std::uint32_t magic = 0;
    std::memcpy(&magic, magic_bytes.data(), sizeof magic);

    auto capture = std::unique_ptr<CaptureFile>(new CaptureFile(std::move(buffer), 6));
    capture->descriptor_ = descriptor;
    capture->decompression_error_ = decompression_error;
    capture->closes_file_ = closes_file;
    if (magic == PcapngReader::section_header_block) {
        capture->pcapng_file_ = file;
        capture->pcapng_ = std::make_unique<PcapngReader>(file);
        if (!capture->pcapng_->start(error)) {
            error = decompression_error_or(decompression_error, error);
            return nullptr;
        }
        return capture;
    }
    if (!is_pcap_magic(magic)) return fail("not a pcap or pcapng capture file (unknown file format)");
    if (magic == pcap_nanosecond_magic || magic == pcap_nanosecond_magic_swapped) capture->precision_digits_ = 9;

    if (!put_back(file, magic_bytes)) return fail("cannot read the file's first bytes again");
    std::array<char, PCAP_ERRBUF_SIZE> errbuf{};
    capture->pcap_handle_ = pcap_fopen_offline_with_tstamp_precision(file, PCAP_TSTAMP_PRECISION_NANO, errbuf.data());
    if (capture->pcap_handle_ == nullptr) return fail(describe_open_error(errbuf.data()));
    capture->pcap_interface_.push_back(CaptureInterface{pcap_datalink(capture->pcap_handle_),
                                                        static_cast<std::uint32_t>(pcap_snapshot(capture->pcap_handle_))});
    return capture;
}

bool CaptureFile::set_filter(const std::string& expression, std::string& error) {
    for (auto& [link_type, program] : filters_)
        if (program) pcap_freecode(&*program);
    filters_.clear();
    filter_expression_ = expression;
    // Checked against the link types known now (with none known yet, against Ethernet's): it must compile
    // for one of them at least.
    std::vector<int> link_types;
    for (const CaptureInterface& interface : interfaces()) link_types.push_back(interface.link_type);
    if (link_types.empty()) link_types.push_back(DLT_EN10MB);
    std::string first_error;
    for (int link_type : link_types) {
        pcap_t* dead = pcap_open_dead(link_type, 262144);
        if (dead == nullptr) continue;
        bpf_program program{};
        if (pcap_compile(dead, &program, expression.c_str(), 1, PCAP_NETMASK_UNKNOWN) == 0) {
            pcap_freecode(&program);
            pcap_close(dead);
            return true;
        }
        if (first_error.empty()) first_error = pcap_geterr(dead);
        pcap_close(dead);
    }
    error = "invalid filter \"" + expression + "\": " + first_error;
    return false;
}

// The program for `link_type`, compiled on its first frame; nullptr when it does not compile.
const bpf_program* CaptureFile::filter_for(int link_type) {
    for (auto& [compiled_for, program] : filters_)
        if (compiled_for == link_type) return program ? &*program : nullptr;
    std::optional<bpf_program> compiled;
    if (pcap_t* dead = pcap_open_dead(link_type, 262144)) {
        bpf_program program{};
        if (pcap_compile(dead, &program, filter_expression_->c_str(), 1, PCAP_NETMASK_UNKNOWN) == 0) compiled = program;
        pcap_close(dead);
    }
    filters_.emplace_back(link_type, compiled);
    return filters_.back().second ? &*filters_.back().second : nullptr;
}

CaptureFile::ReadStatus CaptureFile::next_pcap(RawFrame& frame) {
    pcap_pkthdr* header = nullptr;
    const u_char* data = nullptr;
    int result = pcap_next_ex(pcap_handle_, &header, &data);
    if (result == PCAP_ERROR_BREAK) return ReadStatus::end;
    if (result != 1) {
        damage_ = decompression_error_or(decompression_error_, pcap_geterr(pcap_handle_));
        return ReadStatus::damaged;
    }
    // Opened for nanosecond precision, libpcap hands over the record's fraction in nanoseconds, but
    // unchecked: a pcap record's microsecond field may hold more than a second, or (read as signed) less than
    // zero. Carried into the seconds, as Wireshark's time arithmetic does.
    frame.time = Timestamp::from_parts(header->ts.tv_sec, header->ts.tv_usec);
    frame.captured_length = header->caplen;
    frame.original_length = header->len;
    frame.data = Bytes(data, header->caplen);
    frame.link_type = pcap_interface_.front().link_type;
    frame.interface = 0;
    frame.snaplen = pcap_interface_.front().snaplen;
    return ReadStatus::frame;
}

CaptureFile::ReadStatus CaptureFile::next(RawFrame& frame) {
    while (true) {
        if (pcapng_) {
            const PcapngReader::Status status = pcapng_->next(frame, damage_);
            if (status == PcapngReader::Status::end) return ReadStatus::end;
            if (status == PcapngReader::Status::other_record) {
                ++frames_read_;  // numbered as Wireshark numbers it, but not a packet to hand over
                continue;
            }
            if (status == PcapngReader::Status::damaged) {
                damage_ = decompression_error_or(decompression_error_, damage_);
                return ReadStatus::damaged;
            }
        } else if (const ReadStatus status = next_pcap(frame); status != ReadStatus::frame) {
            return status;
        }
        ++frames_read_;
        if (filter_expression_) {
            const bpf_program* filter = filter_for(frame.link_type);
            if (filter == nullptr) continue;
            pcap_pkthdr header{};
            header.caplen = frame.captured_length;
            header.len = frame.original_length;
            if (pcap_offline_filter(filter, &header, frame.data.data()) == 0) continue;
        }
        frame.number = frames_read_;
        if (precision_digits_ == 6 && frame.time.nanoseconds % 1000 != 0) precision_digits_ = 9;
        return ReadStatus::frame;
    }
}

const std::vector<CaptureInterface>& CaptureFile::interfaces() const {
    return pcapng_ ? pcapng_->interfaces() : pcap_interface_;
}

}  // namespace trustcap
