#include "pcap_writer.h"

#include <algorithm>
#include <stdexcept>
#include <string>

namespace pcapgen {

PcapWriter::PcapWriter(const std::filesystem::path& path, int data_link_type, std::uint32_t snapshot_length,
                       TimestampPrecision precision)
    : snapshot_length_(snapshot_length), precision_(precision)
{
    const unsigned libpcap_precision = precision == TimestampPrecision::nanoseconds ? PCAP_TSTAMP_PRECISION_NANO
                                                                                    : PCAP_TSTAMP_PRECISION_MICRO;
    pcap_ = pcap_open_dead_with_tstamp_precision(data_link_type, static_cast<int>(snapshot_length),
                                                 libpcap_precision);
    if (pcap_ == nullptr) {
        throw std::runtime_error("pcap_open_dead_with_tstamp_precision failed");
    }
    dumper_ = pcap_dump_open(pcap_, path.c_str());
    if (dumper_ == nullptr) {
        const std::string error = pcap_geterr(pcap_);
        pcap_close(pcap_);
        throw std::runtime_error("cannot write " + path.string() + ": " + error);
    }
}

PcapWriter::~PcapWriter()
{
    pcap_dump_close(dumper_);
    pcap_close(pcap_);
}

void PcapWriter::write(Timestamp time, std::span<const std::uint8_t> frame)
{
    pcap_pkthdr header{};
    header.ts.tv_sec = static_cast<decltype(header.ts.tv_sec)>(time.seconds);
    // With nanosecond precision libpcap stores tv_usec as nanoseconds.
    const std::uint32_t fraction =
        precision_ == TimestampPrecision::nanoseconds ? time.nanoseconds : time.nanoseconds / 1000;
    header.ts.tv_usec = static_cast<decltype(header.ts.tv_usec)>(fraction);
    header.len = static_cast<bpf_u_int32>(frame.size());
    header.caplen = static_cast<bpf_u_int32>(std::min<std::size_t>(frame.size(), snapshot_length_));
    pcap_dump(reinterpret_cast<u_char*>(dumper_), &header, frame.data());
}

}  // namespace pcapgen
