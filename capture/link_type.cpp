#include "capture/link_type.h"

#include <pcap/pcap.h>

namespace trustcap {

std::optional<LinkType> supported_link_type(int dlt) {
    switch (dlt) {
        case 0: return LinkType::null_loopback;
        case 1: return LinkType::ethernet;
        case 12:
        case 14: return LinkType::raw_ip;  // DLT_RAW is 14 on OpenBSD-written files
        case 101: return LinkType::raw_ip;
        case 108: return LinkType::bsd_loop;
        case 113: return LinkType::linux_sll;
        case 228: return LinkType::raw_ipv4;
        case 229: return LinkType::raw_ipv6;
        case 276: return LinkType::linux_sll2;
        default: return std::nullopt;
    }
}

std::string link_type_name(int dlt) {
    if (const char* name = pcap_datalink_val_to_name(dlt)) return name;
    return "DLT " + std::to_string(dlt);
}

}  // namespace trustcap
