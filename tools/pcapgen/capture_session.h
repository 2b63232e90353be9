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

    // A link-layer frame written as given, `gap` after the previous frame: one the link encapsulation would not
    // produce (a runt frame). The capture's link type must fit it.
    void record_link_frame(std::span<const std::uint8_t> frame, Direction direction, std::chrono::nanoseconds gap);

    // A packet that was on the wire `gap` after the previous frame but that the capture missed (a span port or
    // capture buffer dropping it): its time passes, nothing is written.
    void miss_packet(std::chrono::nanoseconds gap) { clock_.advance(gap); }

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
