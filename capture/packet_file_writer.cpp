#include "capture/packet_file_writer.h"

#include <cerrno>
#include <charconv>
#include <cstring>
#include <limits>
#include <utility>

namespace trustcap {
namespace {

// tcpdump's getWflagChars.
int digits_of_last_counter(unsigned file_count) {
    int digits = 0;
    for (unsigned last = file_count > 0 ? file_count - 1 : 0; last > 0; last /= 10) ++digits;
    return digits;
}

std::optional<std::uint64_t> unit_bytes(std::string_view suffix) {
    if (suffix.empty()) return 1'000'000;
    if (suffix.size() != 1) return std::nullopt;
    switch (suffix.front()) {
        case 'k':
        case 'K':
            return 1024;
        case 'm':
        case 'M':
            return 1024 * 1024;
        case 'g':
        case 'G':
            return 1024 * 1024 * 1024;
        default:
            return std::nullopt;
    }
}

}  // namespace

std::optional<std::uint64_t> parse_file_size_limit(std::string_view text) {
    std::uint64_t count = 0;
    const char* end = text.data() + text.size();
    auto [suffix_start, status] = std::from_chars(text.data(), end, count);
    if (status != std::errc{} || count == 0) return std::nullopt;
    auto unit = unit_bytes(std::string_view(suffix_start, static_cast<std::size_t>(end - suffix_start)));
    constexpr auto largest_file_offset = static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max());
    if (!unit || count > largest_file_offset / *unit) return std::nullopt;
    return count * *unit;
}

std::unique_ptr<PacketFileWriter> PacketFileWriter::open(pcap_t* handle, const PacketFileSettings& settings,
                                                         std::string& error) {
    std::unique_ptr<PacketFileWriter> writer(new PacketFileWriter(handle, settings));
    if (!writer->open_file(0)) {
        error = writer->error_;
        return nullptr;
    }
    return writer;
}

void dump_frame(pcap_dumper_t* dumper, const RawFrame& frame, bool nanosecond_timestamps) {
    pcap_pkthdr header{};
    header.ts.tv_sec = static_cast<time_t>(frame.time.seconds);
    header.ts.tv_usec =
        static_cast<suseconds_t>(nanosecond_timestamps ? frame.time.nanoseconds : frame.time.nanoseconds / 1000);
    header.caplen = static_cast<bpf_u_int32>(frame.data.size());
    header.len = frame.original_length;
    pcap_dump(reinterpret_cast<u_char*>(dumper), &header, frame.data.data());
}

PacketFileWriter::PacketFileWriter(pcap_t* handle, PacketFileSettings settings)
    : handle_(handle),
      settings_(std::move(settings)),
      counter_digits_(settings_.size_limit_bytes > 0 ? digits_of_last_counter(settings_.file_count) : 0),
      nanosecond_timestamps_(pcap_get_tstamp_precision(handle) == PCAP_TSTAMP_PRECISION_NANO) {}

bool PacketFileWriter::write(const RawFrame& frame) {
    if (!dumper_ || !move_on_when_full()) return false;
    dump_frame(dumper_.get(), frame, nanosecond_timestamps_);
    if (pcap_dump_flush(dumper_.get()) != 0) {
        fail(current_file_, std::strerror(errno));
        return false;
    }
    return true;
}

// As tcpdump, checks the size before writing, so each file ends with the
// first frame that took it past the limit.
bool PacketFileWriter::move_on_when_full() {
    if (settings_.size_limit_bytes == 0) return true;
    std::int64_t size = pcap_dump_ftell64(dumper_.get());
    if (size < 0) {
        fail(current_file_, std::strerror(errno));
        return false;
    }
    if (static_cast<std::uint64_t>(size) <= settings_.size_limit_bytes) return true;
    dumper_.reset();
    std::uint64_t next = file_number_ + 1;
    if (settings_.file_count > 0 && next >= settings_.file_count) next = 0;
    return open_file(next);
}

bool PacketFileWriter::open_file(std::uint64_t file_number) {
    std::string name = file_name(file_number);
    dumper_.reset(pcap_dump_open(handle_, name.c_str()));
    if (!dumper_) {
        fail(name, pcap_geterr(handle_));
        return false;
    }
    file_number_ = file_number;
    current_file_ = name;
    bool opened_before = file_number_ < files_written_.size();  // counters are opened in order
    if (!opened_before) files_written_.push_back(name);
    return true;
}

// tcpdump's MakeFilename without -G.
std::string PacketFileWriter::file_name(std::uint64_t file_number) const {
    if (file_number == 0 && counter_digits_ == 0) return settings_.path;
    std::string counter = std::to_string(file_number);
    if (counter.size() < static_cast<std::size_t>(counter_digits_))
        counter.insert(0, static_cast<std::size_t>(counter_digits_) - counter.size(), '0');
    return settings_.path + counter;
}

void PacketFileWriter::fail(const std::string& file, const std::string& reason) {
    dumper_.reset();
    // libpcap's messages may already start with the file's name.
    std::string_view why = reason;
    if (why.starts_with(file + ": ")) why.remove_prefix(file.size() + 2);
    error_ = "-w " + file + ": " + std::string(why);
}

}  // namespace trustcap
