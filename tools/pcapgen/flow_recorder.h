#pragma once

#include "byte_writer.h"
#include "capture_session.h"
#include "network_layer_builder.h"
#include "tcp_conversation.h"

#include <chrono>
#include <cstdint>
#include <span>
#include <vector>

namespace pcapgen {

// What one host puts in the IP header of the packets it sends.
struct HostIpProfile {
    std::uint8_t ttl = 64;
    std::uint16_t first_identification = 0;
    bool dont_fragment = true;
    Bytes ipv4_options;
    std::vector<Ipv6ExtensionHeader> ipv6_extension_headers;
    std::uint32_t ipv6_flow_label = 0;
};

HostIpProfile device_ip_profile();
HostIpProfile smartreceiver_ip_profile();
// A firewall or IPS near the device that forges packets in the server's name: TTL 250, IP ID 0, no DF.
HostIpProfile forging_middlebox_ip_profile();

// Puts the segments of one TCP conversation into a capture as IP packets of the conversation's address family.
class FlowRecorder {
public:
    FlowRecorder(CaptureSession& session, TcpConversation& conversation,
                 HostIpProfile client_profile = device_ip_profile(),
                 HostIpProfile server_profile = smartreceiver_ip_profile());

    [[nodiscard]] TcpConversation& conversation() { return conversation_; }

    void record(const TcpSegment& segment, std::chrono::nanoseconds gap);

    // A segment that was sent (the receiver got it) but is missing from the capture; the sender still uses up an
    // IP ID on it.
    void record_uncaptured(const TcpSegment& segment, std::chrono::nanoseconds gap);

    // From now on another host answers in `side`'s name, with its own IP header habits (an intercepting
    // firewall that takes over the connection after the server's SYN-ACK).
    void hand_over(Side side, HostIpProfile answering_host);

    // A segment in the sender's name that another host forged (an IPS injecting a RST): the sender's addresses,
    // `forger`'s IP header habits.
    void record_forged(const TcpSegment& segment, HostIpProfile& forger, std::chrono::nanoseconds gap);

    // One segment as fragments of a single datagram, written in `order` (indexes into the offset-ordered
    // fragments); `gap` comes before the first written, `gap_between` before each of the others.
    void record_as_fragments(const TcpSegment& segment, std::size_t max_fragment_payload,
                             std::span<const std::size_t> order, std::chrono::nanoseconds gap,
                             std::chrono::nanoseconds gap_between);

    // The IP packet for a segment as it would be sent, e.g. to quote in an ICMP error; uses up an IP ID.
    Bytes ip_packet(const TcpSegment& segment);

private:
    Bytes tcp_bytes(const TcpSegment& segment) const;
    Bytes ip_packet(const TcpSegment& segment, HostIpProfile& sender_profile);
    Ipv4Header ipv4_header(Side sender, HostIpProfile& sender_profile);
    Ipv6Header ipv6_header(Side sender) const;
    HostIpProfile& profile(Side side) { return side == Side::client ? client_profile_ : server_profile_; }
    [[nodiscard]] const HostIpProfile& profile(Side side) const
    {
        return side == Side::client ? client_profile_ : server_profile_;
    }

    CaptureSession& session_;
    TcpConversation& conversation_;
    HostIpProfile client_profile_;
    HostIpProfile server_profile_;
    std::uint32_t next_ipv6_fragment_identification_ = 0x5a17c0de;
};

inline Direction direction_of(Side sender)
{
    return sender == Side::client ? Direction::from_device : Direction::to_device;
}

}  // namespace pcapgen
