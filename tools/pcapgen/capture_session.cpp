#include "capture_session.h"

namespace pcapgen {

CaptureSession::CaptureSession(const std::filesystem::path& path, LinkEncapsulation link,
                               std::uint32_t snapshot_length, TimestampPrecision precision, Timestamp start)
    : writer_(path, link.data_link_type, snapshot_length, precision), link_(std::move(link)), clock_(start)
{
}

void CaptureSession::record_ip_packet(std::span<const std::uint8_t> ip_packet, Direction direction,
                                      std::chrono::nanoseconds gap)
{
    const Timestamp time = clock_.advance(gap);
    if (captured_direction_ && direction != *captured_direction_) {
        return;
    }
    writer_.write(time, link_.wrap(ip_packet, direction, time));
}

void CaptureSession::record_link_frame(std::span<const std::uint8_t> frame, Direction direction,
                                      std::chrono::nanoseconds gap)
{
    const Timestamp time = clock_.advance(gap);
    if (captured_direction_ && direction != *captured_direction_) {
        return;
    }
    writer_.write(time, frame);
}

}  // namespace pcapgen
