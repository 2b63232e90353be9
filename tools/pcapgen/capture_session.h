#pragma once

#include "capture_clock.h"
#include "link_encapsulation.h"
#include "pcap_writer.h"

#include <chrono>
#include <filesystem>
#include <optional>
#include <span>

namespace pcapgen {

// One capture file being written: its link, its clock, and the frames so far.
class CaptureSession {
public:
    CaptureSession(const std::filesystem::path& path, LinkEncapsulation link,
                   std::uint32_t snapshot_length = default_snapshot_length,
                   TimestampPrecision precision = TimestampPrecision::microseconds,
                   Timestamp start = capture_start);

    // Writes the packet `gap` after the previous frame (or after the start, for the first one).
    void record_ip_packet(std::span<const std::uint8_t> ip_packet, Direction direction,
                          std::chrono::nanoseconds gap);

    // From now on only packets in `direction` are written, as by a capture filter on one direction; the others
    // still take their time.
    void capture_only(Direction direction) { captured_direction_ = direction; }

private:
    PcapWriter writer_;
    LinkEncapsulation link_;
    CaptureClock clock_;
    std::optional<Direction> captured_direction_;
};

}  // namespace pcapgen
