#pragma once

#include "byte_writer.h"
#include "capture_clock.h"
#include "link_layer_builder.h"

#include <cstdint>
#include <functional>
#include <span>
#include <vector>

namespace pcapgen {

enum class Direction { from_device, to_device };

// How an IP packet appears on the capture's link: the data link type and the bytes around the packet.
struct LinkEncapsulation {
    int data_link_type = 0;
    std::function<Bytes(std::span<const std::uint8_t> ip_packet, Direction direction, Timestamp time)> wrap;
};

LinkEncapsulation ethernet_link();
LinkEncapsulation vlan_tagged_link(std::vector<VlanTag> tags);
LinkEncapsulation linux_sll_link();
LinkEncapsulation linux_sll2_link(std::uint32_t interface_index);
LinkEncapsulation raw_ip_link();
LinkEncapsulation bsd_loopback_link();
LinkEncapsulation mpls_link(std::vector<MplsLabel> from_device_labels, std::vector<MplsLabel> to_device_labels);
// IP in GRE (with key and sequence number) between two routers, captured on Ethernet between them.
LinkEncapsulation gre_tunnel_link(std::uint32_t key);
// The device's Ethernet frames mirrored by ERSPAN to a collector that captured on Ethernet.
LinkEncapsulation erspan_type2_link(std::uint16_t session_id);
LinkEncapsulation erspan_type3_link(std::uint16_t session_id);
// An IEEE 802.11 data frame (To DS) carrying the packet after LLC/SNAP, without FCS.
LinkEncapsulation ieee80211_link();

}  // namespace pcapgen
