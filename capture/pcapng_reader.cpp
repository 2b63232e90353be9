#include "capture/pcapng_reader.h"

#include <array>
#include <algorithm>
#include <cstring>

namespace trustcap {
namespace {

constexpr std::uint32_t interface_description_block = 1;
constexpr std::uint32_t obsolete_packet_block = 2;
constexpr std::uint32_t simple_packet_block = 3;
constexpr std::uint32_t enhanced_packet_block = 6;
constexpr std::uint32_t systemd_journal_export_block = 9;
constexpr std::uint32_t custom_block = 0x00000BAD;
constexpr std::uint32_t custom_block_not_to_copy = 0x40000BAD;
constexpr std::uint32_t byte_order_magic = 0x1A2B3C4D;
constexpr std::uint32_t byte_order_magic_swapped = 0x4D3C2B1A;

constexpr std::uint16_t opt_endofopt = 0;
constexpr std::uint16_t if_tsresol = 9;
constexpr std::uint16_t if_tsoffset = 14;

constexpr std::size_t header_bytes = 8;  // block type and length
constexpr std::size_t smallest_block = 12;

// libpcap's DLT value for a pcapng LINKTYPE, as pcap_datalink() reports it on
// Linux: the values that differ are those below 104 that BSDs numbered apart.
int dlt_of_link_type(std::uint16_t link_type) {
    switch (link_type) {
        case 100: return 11;  // LINKTYPE_ATM_RFC1483
        case 101: return 12;  // LINKTYPE_RAW
        default: return link_type;
    }
}

constexpr std::uint64_t power_of_ten(std::uint8_t exponent) {
    std::uint64_t value = 1;
    for (std::uint8_t i = 0; i < exponent; ++i) value *= 10;
    return value;
}

}  // namespace

PcapngReader::PcapngReader(std::FILE* file) : file_(file) {}

PcapngReader::~PcapngReader() = default;

bool PcapngReader::start(std::string& error) {
    offset_ = 4;
    std::string damage;
    BlockRead read = read_block(true, damage);
    if (read != BlockRead::block) {
        error = read == BlockRead::end ? "file too short to be a capture (no pcapng section header)"
                                       : "not a readable pcapng file: " + damage;
        return false;
    }
    if (!read_section_header(damage)) {
        error = "not a readable pcapng file: " + damage;
        return false;
    }
    // Interfaces are described before their first frame: read up to it.
    while (true) {
        read = read_block(false, damage);
        if (read != BlockRead::block) {
            // An empty or damaged file still opens: next() gives its end or its damage.
            if (read == BlockRead::damaged) error_after_start_ = damage;
            return true;
        }
        if (block_type_ == enhanced_packet_block || block_type_ == simple_packet_block ||
            block_type_ == obsolete_packet_block || block_type_ == systemd_journal_export_block ||
            block_type_ == custom_block || block_type_ == custom_block_not_to_copy) {
            frame_pending_ = true;
            return true;
        }
        if (block_type_ == section_header_block && !read_section_header(damage)) {
            error_after_start_ = damage;
            return true;
        }
        if (block_type_ == interface_description_block && !read_interface_description(damage)) {
            error_after_start_ = damage;
            return true;
        }
    }
}

PcapngReader::Status PcapngReader::next(RawFrame& frame, std::string& damage) {
    if (!error_after_start_.empty()) {
        damage = std::move(error_after_start_);
        error_after_start_.clear();
        ended_ = true;
        return Status::damaged;
    }
    if (ended_) return Status::end;
    while (true) {
        if (frame_pending_) {
            frame_pending_ = false;
        } else {
            BlockRead read = read_block(false, damage);
            if (read != BlockRead::block) {
                ended_ = true;
                return read == BlockRead::end ? Status::end : Status::damaged;
            }
        }
        bool well_formed = true;
        switch (block_type_) {
            case section_header_block: well_formed = read_section_header(damage); break;
            case interface_description_block: well_formed = read_interface_description(damage); break;
            case enhanced_packet_block:
            case simple_packet_block:
            case obsolete_packet_block:
                if (read_packet(frame, damage)) return Status::frame;
                well_formed = false;
                break;
            case systemd_journal_export_block:
            case custom_block:
            case custom_block_not_to_copy: return Status::other_record;
            default: break;  // name resolution, statistics, secrets, custom ...: nothing trustcap uses
        }
        if (!well_formed) {
            ended_ = true;
            return Status::damaged;
        }
    }
}

bool PcapngReader::read_exactly(std::uint8_t* destination, std::size_t count, std::string& damage, const char* what) {
    const std::size_t got = fread_unlocked(destination, 1, count, file_);  // one reader, no lock needed
    offset_ += got;
    if (got == count) return true;
    damage = std::string("the file ends inside ") + what + " at offset " + std::to_string(block_offset_) + " (" +
             std::to_string(count - got) + " bytes missing)";
    return false;
}

PcapngReader::BlockRead PcapngReader::read_block(bool type_already_read, std::string& damage) {
    block_offset_ = type_already_read ? offset_ - 4 : offset_;
    std::array<std::uint8_t, header_bytes> header{};
    if (type_already_read) {
        const std::uint32_t type = section_header_block;
        std::memcpy(header.data(), &type, sizeof type);
        if (!read_exactly(header.data() + 4, 4, damage, "a block header")) return BlockRead::damaged;
    } else {
        const std::size_t have = fread_unlocked(header.data(), 1, header.size(), file_);
        offset_ += have;
        if (have == 0 && std::ferror(file_) == 0) return BlockRead::end;
        if (have < header.size()) {
            damage = std::ferror(file_) != 0 ? std::string("read error at offset ") + std::to_string(offset_)
                                             : "the file ends inside a block header at offset " +
                                                   std::to_string(block_offset_);
            return BlockRead::damaged;
        }
    }

    std::uint32_t raw_type = 0;
    std::memcpy(&raw_type, header.data(), sizeof raw_type);
    std::size_t body_start = 0;
    if (raw_type == section_header_block) {
        // The section's byte order is known from its magic, read before its length can be.
        if (body_capacity_ < 4) {
            body_ = std::make_unique_for_overwrite<std::uint8_t[]>(256);
            body_capacity_ = 256;
        }
        if (!read_exactly(body_.get(), 4, damage, "a section header")) return BlockRead::damaged;
        std::uint32_t magic = 0;
        std::memcpy(&magic, body_.get(), sizeof magic);
        if (magic != byte_order_magic && magic != byte_order_magic_swapped) {
            damage = "section header at offset " + std::to_string(block_offset_) + " has no byte-order magic";
            return BlockRead::damaged;
        }
        swapped_ = magic == byte_order_magic_swapped;
        body_start = 4;
    }
    std::uint32_t length = 0;
    std::memcpy(&length, header.data() + 4, sizeof length);
    std::memcpy(&block_type_, header.data(), sizeof block_type_);
    if (swapped_) {
        length = __builtin_bswap32(length);
        block_type_ = __builtin_bswap32(block_type_);
    }
    const std::size_t least = smallest_block + body_start;
    if (length < least || length % 4 != 0) {
        damage = "block at offset " + std::to_string(block_offset_) + " has a length of " + std::to_string(length) +
                 " bytes, " + (length < least ? "less than its fields take" : "not a multiple of 4");
        return BlockRead::damaged;
    }
    if (length > max_block_bytes) {
        damage = "block at offset " + std::to_string(block_offset_) + " claims " + std::to_string(length) +
                 " bytes, more than the " + std::to_string(max_block_bytes >> 20) + " MiB a block may have";
        return BlockRead::damaged;
    }
    const std::size_t rest = length - header_bytes;  // body and trailing length
    if (rest > body_capacity_) {
        std::size_t capacity = std::max<std::size_t>(body_capacity_ * 2, 65536);
        while (capacity < rest) capacity *= 2;
        auto grown = std::make_unique_for_overwrite<std::uint8_t[]>(capacity);
        if (body_start > 0) std::memcpy(grown.get(), body_.get(), body_start);
        body_ = std::move(grown);
        body_capacity_ = capacity;
    }
    if (!read_exactly(body_.get() + body_start, rest - body_start, damage, "a block")) return BlockRead::damaged;
    body_size_ = rest - 4;
    if (u32(body_size_) != length) {
        damage = "block at offset " + std::to_string(block_offset_) + " ends with a length of " +
                 std::to_string(u32(body_size_)) + " bytes, not the " + std::to_string(length) + " it starts with";
        return BlockRead::damaged;
    }
    return BlockRead::block;
}

std::uint16_t PcapngReader::u16(std::size_t offset) const {
    std::uint16_t value = 0;
    std::memcpy(&value, body_.get() + offset, sizeof value);
    return swapped_ ? __builtin_bswap16(value) : value;
}

std::uint32_t PcapngReader::u32(std::size_t offset) const {
    std::uint32_t value = 0;
    std::memcpy(&value, body_.get() + offset, sizeof value);
    return swapped_ ? __builtin_bswap32(value) : value;
}

std::string PcapngReader::at_block() const { return " at offset " + std::to_string(block_offset_); }

bool PcapngReader::read_section_header(std::string& damage) {
    // Byte-order magic (4), major and minor version (2 + 2), section length (8), options.
    if (body_size_ < 16) {
        damage = "section header" + at_block() + " is too short";
        return false;
    }
    const std::uint16_t major = u16(4);
    if (major != 1) {
        damage = "section" + at_block() + " is of pcapng version " + std::to_string(major) + "." +
                 std::to_string(u16(6)) + ", not 1";
        return false;
    }
    section_interfaces_.clear();
    return true;
}

bool PcapngReader::read_interface_description(std::string& damage) {
    // Link type (2), reserved (2), snap length (4), options.
    if (body_size_ < 8) {
        damage = "interface description" + at_block() + " is too short";
        return false;
    }
    CaptureInterface interface{dlt_of_link_type(u16(0)), u32(4)};
    TimeUnit unit;
    for (std::size_t at = 8; at + 4 <= body_size_;) {
        const std::uint16_t code = u16(at);
        const std::uint16_t length = u16(at + 2);
        if (code == opt_endofopt) break;
        const std::size_t value = at + 4;
        if (length > body_size_ - value) {
            damage = "interface description" + at_block() + " has an option running past its end";
            return false;
        }
        if (code == if_tsresol && length >= 1) {
            const std::uint8_t resolution = body_[value];
            unit.power_of_two = (resolution & 0x80) != 0;
            unit.exponent = resolution & 0x7f;
            if (unit.exponent > (unit.power_of_two ? 63 : 19)) {
                damage = "interface description" + at_block() + " has a time resolution of " +
                         (unit.power_of_two ? "2^-" : "10^-") + std::to_string(unit.exponent) +
                         " s, finer than trustcap reads";
                return false;
            }
        } else if (code == if_tsoffset && length >= 8) {
            const std::uint64_t offset = swapped_ ? (std::uint64_t{u32(value)} << 32) | u32(value + 4)
                                                  : (std::uint64_t{u32(value + 4)} << 32) | u32(value);
            unit.offset_seconds = static_cast<std::int64_t>(offset);
        }
        at = value + ((std::size_t{length} + 3) & ~std::size_t{3});
    }
    section_interfaces_.push_back(static_cast<std::uint32_t>(interfaces_.size()));
    interfaces_.push_back(interface);
    time_units_.push_back(unit);
    return true;
}

bool PcapngReader::read_packet(RawFrame& frame, std::string& damage) {
    std::uint32_t section_interface = 0;
    std::uint64_t units = 0;
    std::size_t data_start = 0;
    std::uint32_t captured = 0;
    std::uint32_t original = 0;
    const char* name = "packet block";
    if (block_type_ == simple_packet_block) {
        name = "simple packet block";
        if (body_size_ < 4) {
            damage = std::string(name) + at_block() + " is too short";
            return false;
        }
        original = u32(0);
        data_start = 4;
    } else {
        const bool enhanced = block_type_ == enhanced_packet_block;
        if (body_size_ < 20) {
            damage = std::string(name) + at_block() + " is too short";
            return false;
        }
        section_interface = enhanced ? u32(0) : u16(0);
        units = (std::uint64_t{u32(4)} << 32) | u32(8);
        captured = u32(12);
        original = u32(16);
        data_start = 20;
        if (captured > body_size_ - data_start) {
            damage = std::string(name) + at_block() + " has a captured length of " + std::to_string(captured) +
                     " bytes, more than the block holds";
            return false;
        }
    }
    if (section_interface >= section_interfaces_.size()) {
        damage = std::string(name) + at_block() + " is of interface " + std::to_string(section_interface) +
                 ", but its section describes " + std::to_string(section_interfaces_.size());
        return false;
    }
    const std::uint32_t interface = section_interfaces_[section_interface];
    const CaptureInterface& described = interfaces_[interface];
    if (block_type_ == simple_packet_block) {
        // Its captured length is what the block and the interface's snap length leave of the packet.
        captured = static_cast<std::uint32_t>(std::min<std::size_t>(original, body_size_ - data_start));
        if (described.snaplen != 0) captured = std::min(captured, described.snaplen);
    }
    frame.time = block_type_ == simple_packet_block ? Timestamp{} : time_of(interface, units);
    frame.captured_length = captured;
    frame.original_length = original;
    frame.data = Bytes(body_.get() + data_start, captured);
    frame.link_type = described.link_type;
    frame.interface = interface;
    frame.snaplen = described.snaplen;
    return true;
}

Timestamp PcapngReader::time_of(std::uint32_t interface, std::uint64_t units) const {
    const TimeUnit& unit = time_units_[interface];
    std::uint64_t seconds = 0;
    std::uint64_t nanoseconds = 0;
    if (unit.power_of_two) {
        seconds = unit.exponent == 0 ? units : units >> unit.exponent;
        const std::uint64_t fraction = unit.exponent == 0 ? 0 : units & ((std::uint64_t{1} << unit.exponent) - 1);
        // fraction * 10^9 fits 64 bits while the fraction has at most 34 bits.
        const std::uint8_t dropped = unit.exponent > 34 ? unit.exponent - 34 : 0;
        nanoseconds = ((fraction >> dropped) * 1'000'000'000) >> (unit.exponent - dropped);
    } else {
        const std::uint64_t per_second = power_of_ten(unit.exponent);
        seconds = units / per_second;
        const std::uint64_t fraction = units % per_second;
        nanoseconds = unit.exponent <= 9 ? fraction * power_of_ten(9 - unit.exponent)
                                         : fraction / power_of_ten(unit.exponent - 9);
    }
    // Seconds past the signed 64-bit range wrap, as they do for Wireshark and libpcap (time_t).
    const auto shifted = static_cast<std::int64_t>(seconds + static_cast<std::uint64_t>(unit.offset_seconds));
    return Timestamp::from_parts(shifted, static_cast<std::int64_t>(nanoseconds));
}

}  // namespace trustcap
