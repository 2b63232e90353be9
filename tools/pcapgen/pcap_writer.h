#pragma once

#include "byte_writer.h"
#include "capture_clock.h"

#include <pcap/pcap.h>

#include <cstdint>
#include <filesystem>

namespace pcapgen {

enum class TimestampPrecision { microseconds, nanoseconds };

inline constexpr std::uint32_t default_snapshot_length = 262144;

// A classic pcap file written through libpcap; frames longer than the snapshot length are cut.
class PcapWriter {
public:
    PcapWriter(const std::filesystem::path& path, int data_link_type,
               std::uint32_t snapshot_length = default_snapshot_length,
               TimestampPrecision precision = TimestampPrecision::microseconds);
    ~PcapWriter();
    PcapWriter(const PcapWriter&) = delete;
    PcapWriter& operator=(const PcapWriter&) = delete;

    void write(Timestamp time, std::span<const std::uint8_t> frame);

private:
    pcap_t* pcap_ = nullptr;
    pcap_dumper_t* dumper_ = nullptr;
    std::uint32_t snapshot_length_;
    TimestampPrecision precision_;
};

}  // namespace pcapgen
