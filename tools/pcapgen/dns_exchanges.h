#pragma once

#include "addresses.h"
#include "capture_session.h"
#include "dns_message_builder.h"

#include <chrono>
#include <cstdint>
#include <optional>
#include <string_view>

namespace pcapgen {

// One lookup of an A record (smartreceiver.cisco.com's unless named) by the device at the lab resolver.
struct DnsLookup {
    std::uint16_t id = 0;
    std::uint16_t device_port = 0;
    std::uint16_t device_ip_identification = 0;
    std::uint16_t resolver_ip_identification = 0;
    std::optional<IpAddress> answer;  // none: an error, `rcode_without_answer`
    std::string_view name = "smartreceiver.cisco.com";
    std::uint8_t rcode_without_answer = dns_rcode_name_error;
};

inline constexpr std::chrono::nanoseconds dns_resolver_reply_time = std::chrono::nanoseconds(1'912'447);

// The query `gap` after the previous frame, the response after the resolver's reply time: two frames.
void record_dns_lookup(CaptureSession& session, const DnsLookup& lookup, std::chrono::nanoseconds gap);
// Only the query, `gap` after the previous frame: one frame. Sent again, it is a retransmission (same ID and port).
void record_dns_query(CaptureSession& session, const DnsLookup& lookup, std::chrono::nanoseconds gap);

// The lookup every TLS scenario starts with: 146.112.59.25.
DnsLookup smartreceiver_lookup();

}  // namespace pcapgen
