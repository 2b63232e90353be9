#pragma once

#include <cstdint>
#include <string>

#include "capture/frame.h"
#include "capture/ip_fragment_reassembler.h"
#include "capture/link_layer.h"
#include "capture/link_type.h"
#include "capture/packet.h"

namespace trustcap {

enum class DecodeStatus : std::uint8_t {
    decoded,           // `packet` holds an IP packet with its transport header parsed
    not_ip,            // ARP, LLDP, STP, ... : nothing to analyze
    fragment_pending,  // an IP fragment was stored; the datagram is not complete yet (`packet` holds its addresses and protocol)
    malformed,         // a header is shorter than it claims; `reason` says which
};

struct DecodeResult {
    DecodeStatus status = DecodeStatus::not_ip;
    DecodedPacket packet;
    std::string reason;  // for malformed: e.g. "IPv4 header length 4 < 20"
};

// Decodes link layer, tunnels (GRE, ERSPAN II/III, MPLS), IPv4/IPv6 (with
// options, extension headers and fragment reassembly) and TCP/UDP/ICMP.
// Holds the fragment reassembly state, so one decoder serves one capture.
// Each frame is decoded by its own link type; a frame of a link type trustcap
// does not decode is malformed, its reason naming the link type.
class PacketDecoder {
public:
    explicit PacketDecoder(IpFragmentReassembler::Limits fragment_limits = {});

    DecodeResult decode(const RawFrame& frame);

    [[nodiscard]] const IpFragmentReassembler& fragments() const { return fragments_; }

private:
    // GRE/ERSPAN layers removed at most; a deeper packet is called malformed.
    static constexpr std::uint8_t max_tunnel_depth = 4;

    void decode_network(const NetworkPayload& network, bool frame_cut, std::uint8_t tunnel_depth,
                        DecodeResult& result);

    IpFragmentReassembler fragments_;
};

}  // namespace trustcap
