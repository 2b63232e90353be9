#pragma once

#include <optional>
#include <string>

namespace trustcap {

// The link-layer headers trustcap decodes. Values are libpcap's DLT_ numbers
// as pcap_datalink() reports them on Linux.
enum class LinkType : int {
    null_loopback = 0,     // DLT_NULL: 4-byte address family in host byte order
    ethernet = 1,          // DLT_EN10MB
    raw_ip = 12,           // DLT_RAW (LINKTYPE_RAW 101 is mapped to this by libpcap)
    bsd_loop = 108,        // DLT_LOOP: 4-byte address family in network byte order
    linux_sll = 113,       // DLT_LINUX_SLL
    raw_ipv4 = 228,        // DLT_IPV4
    raw_ipv6 = 229,        // DLT_IPV6
    linux_sll2 = 276,      // DLT_LINUX_SLL2
};

// The supported link type for a libpcap DLT value, or nullopt.
std::optional<LinkType> supported_link_type(int dlt);

// libpcap's short name for a DLT value ("EN10MB", "LINUX_SLL2"), or "DLT <n>".
std::string link_type_name(int dlt);

}  // namespace trustcap
