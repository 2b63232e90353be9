#include "report/icmp_names.h"

namespace trustcap {
namespace {

const char* unreachable_v4(std::uint8_t code) {
    switch (code) {
        case 0: return "Network unreachable";
        case 1: return "Host unreachable";
        case 2: return "Protocol unreachable";
        case 3: return "Port unreachable";
        case 4: return "Fragmentation needed";
        case 5: return "Source route failed";
        case 6: return "Destination network unknown";
        case 7: return "Destination host unknown";
        case 9: return "Network administratively prohibited";
        case 10: return "Host administratively prohibited";
        case 11: return "Network unreachable for TOS";
        case 12: return "Host unreachable for TOS";
        case 13: return "Communication administratively filtered";
        default: return nullptr;
    }
}

const char* unreachable_v6(std::uint8_t code) {
    switch (code) {
        case 0: return "no route to destination";
        case 1: return "communication with destination administratively prohibited";
        case 2: return "beyond scope of source address";
        case 3: return "address unreachable";
        case 4: return "port unreachable";
        case 5: return "source address failed ingress/egress policy";
        case 6: return "reject route to destination";
        default: return nullptr;
    }
}

std::string with_code(const char* message, const char* detail, std::uint8_t code) {
    if (detail) return std::string(message) + " (" + detail + ")";
    return std::string(message) + " (code " + std::to_string(code) + ")";
}

}  // namespace

std::string icmp_error_text(bool v6, std::uint8_t type, std::uint8_t code) {
    if (v6) {
        switch (type) {
            case 1: return with_code("Destination Unreachable", unreachable_v6(code), code);
            case 2: return "Packet Too Big";
            case 3: return code == 0 ? "Time Exceeded (hop limit exceeded in transit)" : "Time Exceeded";
            case 4: return "Parameter Problem";
            default: return "ICMPv6 type " + std::to_string(type) + " code " + std::to_string(code);
        }
    }
    switch (type) {
        case 3: return with_code("Destination unreachable", unreachable_v4(code), code);
        case 4: return "Source quench";
        case 5: return "Redirect";
        case 11: return code == 0 ? "Time-to-live exceeded (Time to live exceeded in transit)" : "Time-to-live exceeded";
        case 12: return "Parameter problem";
        default: return "ICMP type " + std::to_string(type) + " code " + std::to_string(code);
    }
}

bool icmp_is_administrative(bool v6, std::uint8_t type, std::uint8_t code) {
    if (v6) return type == 1 && (code == 1 || code == 5 || code == 6);
    return type == 3 && (code == 9 || code == 10 || code == 13);
}

}  // namespace trustcap
