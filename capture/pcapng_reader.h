#pragma once

#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "capture/frame.h"

namespace trustcap {

// One interface of a capture file: every frame read on it has its link type
// and snap length.
struct CaptureInterface {
    int link_type = 0;          // libpcap's DLT value, as pcap_datalink() would report it
    std::uint32_t snaplen = 0;  // 0: none given
};

// Reads the blocks of a pcapng file (draft-ietf-opsawg-pcapng) itself, so
// that what libpcap refuses is read too: interfaces of different link types
// or snap lengths, several sections (files concatenated) of either byte
// order, each interface with its own time resolution and offset. Enhanced,
// Simple and obsolete Packet Blocks give frames; custom and systemd journal
// blocks are records that Wireshark numbers as frames too, but they hold no
// packet; every other block (name resolution, statistics, decryption
// secrets ...) is skipped. A block
// is read whole into one buffer that the frame's data then points into, and a
// block longer than max_block_bytes is called damage, as libpcap does, so that
// a hostile length cannot make trustcap allocate more.
class PcapngReader {
public:
    // other_record: a block Wireshark counts as a frame that holds no packet.
    enum class Status { frame, other_record, end, damaged };
    static constexpr std::uint32_t section_header_block = 0x0A0D0D0A;
    static constexpr std::uint32_t max_block_bytes = 16u << 20;

    // Reads from `file`, whose first four bytes (the Section Header Block's
    // type) the caller has read already. Does not own `file`.
    explicit PcapngReader(std::FILE* file);
    ~PcapngReader();
    PcapngReader(const PcapngReader&) = delete;
    PcapngReader& operator=(const PcapngReader&) = delete;

    // Reads the first section's header and the blocks after it up to the
    // first frame, so that the interfaces described before it are known.
    // False and a one-line `error` when the file does not start as pcapng.
    bool start(std::string& error);

    // The next frame (number not set: the caller numbers). `damaged`: the
    // file ends inside a block or a block breaks the format; `damage` says
    // how and where.
    Status next(RawFrame& frame, std::string& damage);

    // Every interface described so far, over all sections in file order;
    // RawFrame::interface indexes this.
    [[nodiscard]] const std::vector<CaptureInterface>& interfaces() const { return interfaces_; }

private:
    struct TimeUnit {
        bool power_of_two = false;
        std::uint8_t exponent = 6;  // units of 10^-exponent (or 2^-exponent) seconds
        std::int64_t offset_seconds = 0;
    };
    enum class BlockRead { block, end, damaged };

    BlockRead read_block(bool type_already_read, std::string& damage);
    bool read_exactly(std::uint8_t* destination, std::size_t count, std::string& damage, const char* what);
    bool read_section_header(std::string& damage);
    bool read_interface_description(std::string& damage);
    bool read_packet(RawFrame& frame, std::string& damage);
    [[nodiscard]] std::uint16_t u16(std::size_t offset) const;
    [[nodiscard]] std::uint32_t u32(std::size_t offset) const;
    [[nodiscard]] std::string at_block() const;
    [[nodiscard]] Timestamp time_of(std::uint32_t interface, std::uint64_t units) const;

    std::FILE* file_;
    std::uint64_t offset_ = 0;        // bytes read from the file so far
    std::uint64_t block_offset_ = 0;  // where the block in body_ started
    std::uint32_t block_type_ = 0;
    std::unique_ptr<std::uint8_t[]> body_;  // the block after its type and length, trailer included
    std::size_t body_capacity_ = 0;
    std::size_t body_size_ = 0;            // without the trailing length
    bool swapped_ = false;                 // this section's byte order is not the host's
    bool frame_pending_ = false;           // start() stopped at a packet block that next() hands over
    bool ended_ = false;
    std::string error_after_start_;        // damage met by start(), told by the first next()
    std::vector<std::uint32_t> section_interfaces_;  // this section's interface ids -> index in interfaces_
    std::vector<CaptureInterface> interfaces_;
    std::vector<TimeUnit> time_units_;  // parallel to interfaces_
};

}  // namespace trustcap
