#include "capture/pcapng_writer.h"

#include <cerrno>
#include <cstring>
#include <limits>
#include <optional>
#include <utility>

#include "capture/link_type.h"

namespace trustcap {
namespace {

constexpr std::uint32_t section_header_block = 0x0A0D0D0A;
constexpr std::uint32_t interface_description_block = 1;
constexpr std::uint32_t enhanced_packet_block = 6;
constexpr std::uint32_t byte_order_magic = 0x1A2B3C4D;
constexpr std::int64_t unknown_section_length = -1;

constexpr std::uint16_t opt_endofopt = 0;
constexpr std::uint16_t opt_comment = 1;
constexpr std::uint16_t shb_userappl = 4;
constexpr std::uint16_t if_tsresol = 9;
constexpr std::size_t largest_option_value = std::numeric_limits<std::uint16_t>::max();

constexpr std::size_t file_buffer_size = 1 << 20;

// The pcapng LINKTYPE of a libpcap DLT value: the same number but for the
// few that BSDs numbered apart; none for what does not fit its 16 bits.
std::optional<std::uint16_t> pcapng_link_type(int dlt) {
    if (std::optional<LinkType> link_type = supported_link_type(dlt); link_type == LinkType::raw_ip) return 101;
    if (dlt == 11) return 100;  // DLT_ATM_RFC1483
    if (dlt < 0 || dlt > std::numeric_limits<std::uint16_t>::max()) return std::nullopt;
    return static_cast<std::uint16_t>(dlt);
}

std::uint64_t padded(std::uint64_t length) { return (length + 3) & ~std::uint64_t{3}; }

template <typename Number>
void append(std::vector<std::uint8_t>& block, Number value) {
    const std::size_t at = block.size();
    block.resize(at + sizeof value);
    std::memcpy(block.data() + at, &value, sizeof value);
}

void append_padding(std::vector<std::uint8_t>& block, std::uint64_t unpadded_length) {
    block.resize(block.size() + (padded(unpadded_length) - unpadded_length), 0);
}

// The value must be at most largest_option_value bytes.
void append_option(std::vector<std::uint8_t>& block, std::uint16_t code, std::string_view value) {
    append(block, code);
    append(block, static_cast<std::uint16_t>(value.size()));
    block.insert(block.end(), value.begin(), value.end());
    append_padding(block, value.size());
}

void append_end_of_options(std::vector<std::uint8_t>& block) {
    append(block, opt_endofopt);
    append(block, std::uint16_t{0});
}

std::uint64_t option_size(std::string_view value) { return 4 + padded(value.size()); }

// Units since 1970: before it 0, past the last 64-bit count that count.
std::uint64_t timestamp_units(const Timestamp& time, bool nanosecond_units) {
    if (time.seconds < 0) return 0;
    const std::uint64_t units_per_second = nanosecond_units ? 1'000'000'000 : 1'000'000;
    const std::uint64_t fraction = nanosecond_units ? time.nanoseconds : time.nanoseconds / 1000;
    std::uint64_t units = 0;
    if (__builtin_mul_overflow(static_cast<std::uint64_t>(time.seconds), units_per_second, &units) ||
        __builtin_add_overflow(units, fraction, &units))
        return std::numeric_limits<std::uint64_t>::max();
    return units;
}

}  // namespace

std::unique_ptr<PcapngWriter> PcapngWriter::open(const std::string& path, int dlt, std::uint32_t snaplen,
                                                 bool nanosecond_timestamps, const std::string& application,
                                                 std::string& error) {
    if (!pcapng_link_type(dlt)) return open(nullptr, path, dlt, snaplen, nanosecond_timestamps, application, error);
    OwnedFile file(std::fopen(path.c_str(), "wb"));
    if (!file) {
        error = path + ": " + std::strerror(errno);
        return nullptr;
    }
    return open(std::move(file), path, dlt, snaplen, nanosecond_timestamps, application, error);
}

std::unique_ptr<PcapngWriter> PcapngWriter::open(OwnedFile file, const std::string& path, int dlt,
                                                 std::uint32_t snaplen, bool nanosecond_timestamps,
                                                 const std::string& application, std::string& error) {
    std::optional<std::uint16_t> link_type = pcapng_link_type(dlt);
    if (!link_type) {
        error = path + ": cannot write " + link_type_name(dlt) + " frames: no pcapng link type";
        return nullptr;
    }
    if (application.size() > largest_option_value) {
        error = path + ": an application name of " + std::to_string(application.size()) +
                " bytes does not fit a pcapng option";
        return nullptr;
    }
    std::unique_ptr<PcapngWriter> writer(new PcapngWriter(path, nanosecond_timestamps));
    writer->file_ = std::move(file);
    writer->file_buffer_.resize(file_buffer_size);
    std::setvbuf(writer->file_.get(), writer->file_buffer_.data(), _IOFBF, writer->file_buffer_.size());
    if (!writer->write_section_header(application) || !writer->write_interface_description(*link_type, snaplen)) {
        error = writer->error_;
        return nullptr;
    }
    writer->interfaces_.push_back(0);
    writer->described_link_types_.push_back(dlt);
    return writer;
}

PcapngWriter::PcapngWriter(std::string path, bool nanosecond_timestamps)
    : path_(std::move(path)), nanosecond_timestamps_(nanosecond_timestamps) {}

bool PcapngWriter::write_section_header(const std::string& application) {
    start_block(section_header_block);
    append(block_, byte_order_magic);
    append(block_, std::uint16_t{1});  // major version
    append(block_, std::uint16_t{0});  // minor version
    append(block_, unknown_section_length);
    if (!application.empty()) {
        append_option(block_, shb_userappl, application);
        append_end_of_options(block_);
    }
    return finish_block(block_.size(), {});
}

bool PcapngWriter::write_interface_description(std::uint16_t link_type, std::uint32_t snaplen) {
    start_block(interface_description_block);
    append(block_, link_type);
    append(block_, std::uint16_t{0});  // reserved
    append(block_, snaplen);
    // The power of ten of the unit: 10^-6 or 10^-9 seconds.
    const char resolution = nanosecond_timestamps_ ? 9 : 6;
    append_option(block_, if_tsresol, std::string_view(&resolution, 1));
    append_end_of_options(block_);
    return finish_block(block_.size(), {});
}

bool PcapngWriter::write(const RawFrame& frame, std::string_view comment) {
    if (!file_) {
        if (error_.empty()) error_ = path_ + ": written to after close";
        return false;
    }
    const std::string frame_name = "frame " + std::to_string(frame.number);
    if (frame.captured_length > frame.data.size()) {
        fail(frame_name + " has a captured length of " + std::to_string(frame.captured_length) + " bytes but only " +
             std::to_string(frame.data.size()) + " bytes of data");
        return false;
    }
    if (comment.size() > largest_option_value) {
        fail(frame_name + " has a comment of " + std::to_string(comment.size()) +
             " bytes, more than a pcapng option holds");
        return false;
    }
    const std::uint64_t options_size = comment.empty() ? 0 : option_size(comment) + 4;
    const std::uint64_t block_size = 32 + padded(frame.captured_length) + options_size;
    if (block_size > std::numeric_limits<std::uint32_t>::max()) {
        fail(frame_name + " does not fit a pcapng block");
        return false;
    }

    std::optional<std::uint32_t> interface = interface_of(frame);
    if (!interface) return false;
    const std::uint64_t units = timestamp_units(frame.time, nanosecond_timestamps_);
    start_block(enhanced_packet_block);
    append(block_, *interface);
    append(block_, static_cast<std::uint32_t>(units >> 32));
    append(block_, static_cast<std::uint32_t>(units));
    append(block_, frame.captured_length);
    append(block_, frame.original_length);
    const std::size_t data_offset = block_.size();
    append_padding(block_, frame.captured_length);
    if (!comment.empty()) {
        append_option(block_, opt_comment, comment);
        append_end_of_options(block_);
    }
    return finish_block(data_offset, frame.data.first(frame.captured_length));
}

// The output interface of the frame's interface, described when its first frame comes.
std::optional<std::uint32_t> PcapngWriter::interface_of(const RawFrame& frame) {
    // Interface 0 was described when the file was opened; a frame of it of another link type gets its own.
    if (frame.interface < interfaces_.size() && interfaces_[frame.interface] &&
        described_link_types_[*interfaces_[frame.interface]] == frame.link_type)
        return interfaces_[frame.interface];
    std::optional<std::uint16_t> link_type = pcapng_link_type(frame.link_type);
    if (!link_type) {
        fail("frame " + std::to_string(frame.number) + ": cannot write " + link_type_name(frame.link_type) +
             " frames: no pcapng link type");
        return std::nullopt;
    }
    if (!write_interface_description(*link_type, frame.snaplen)) return std::nullopt;
    if (frame.interface >= interfaces_.size()) interfaces_.resize(std::size_t{frame.interface} + 1);
    interfaces_[frame.interface] = static_cast<std::uint32_t>(described_link_types_.size());
    described_link_types_.push_back(frame.link_type);
    return interfaces_[frame.interface];
}

bool PcapngWriter::close(std::string& error) {
    if (file_ && std::fclose(file_.release()) != 0) fail(std::strerror(errno));
    error = error_;
    return error_.empty();
}

void PcapngWriter::start_block(std::uint32_t block_type) {
    block_.clear();
    append(block_, block_type);
    append(block_, std::uint32_t{0});  // the block's length, once known
}

// Writes the block whose fields are in block_, with `data` inserted at
// `data_offset`, and its length at both ends.
bool PcapngWriter::finish_block(std::size_t data_offset, Bytes data) {
    append(block_, std::uint32_t{0});
    const auto block_length = static_cast<std::uint32_t>(block_.size() + data.size());
    std::memcpy(block_.data() + 4, &block_length, sizeof block_length);
    std::memcpy(block_.data() + block_.size() - 4, &block_length, sizeof block_length);
    const std::size_t tail_size = block_.size() - data_offset;
    if (std::fwrite(block_.data(), 1, data_offset, file_.get()) != data_offset ||
        (!data.empty() && std::fwrite(data.data(), 1, data.size(), file_.get()) != data.size()) ||
        std::fwrite(block_.data() + data_offset, 1, tail_size, file_.get()) != tail_size) {
        fail(std::strerror(errno));
        return false;
    }
    return true;
}

void PcapngWriter::fail(const std::string& reason) {
    file_.reset();
    error_ = path_ + ": " + reason;
}

}  // namespace trustcap
