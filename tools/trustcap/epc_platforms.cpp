#include "epc_platforms.h"

#include <algorithm>
#include <array>
#include <cctype>

namespace trustcap {

namespace {

// Storage: the file system each platform boots from ("boot system bootflash:packages.conf"
// on the Catalyst 9800, 9400 and 9500; "flash:packages.conf" on the 9200 and 9300) in its
// release notes' upgrade steps; the Catalyst 9000 troubleshooting guide exports to flash:
// on a C9300X.
// Physical ports only: Network Management Configuration Guide, Catalyst 9200, "Restrictions
// for Configuring Embedded Packet Capture" (no logical ports, VRFs or management ports).
// Web UI: the Catalyst 9800 smart licensing troubleshooting guide, "Packet Captures".
// Guest Shell: Cisco's "Automate Catalyst 9000 Switches Using Python Scripts" and "Troubleshoot
// Guest Shell on Catalyst 9K" (9300, 9400, 9500). Not the 9200: no Guest Shell on the 9200L,
// and the application hosting guide excludes the 9200 where the Python note lists it. No Guest
// Shell documentation was found for the Catalyst 9800.
constexpr std::array<EpcPlatform, 8> platforms{{
    {"9800-L", "Catalyst 9800-L", "bootflash", false, true, false},
    {"9800-40", "Catalyst 9800-40", "bootflash", false, true, false},
    {"9800-80", "Catalyst 9800-80", "bootflash", false, true, false},
    {"9800-CL", "Catalyst 9800-CL", "bootflash", false, true, false},
    {"C9200", "Catalyst 9200", "flash", true, false, false},
    {"C9300", "Catalyst 9300", "flash", false, false, true},
    {"C9400", "Catalyst 9400", "bootflash", false, false, true},
    {"C9500", "Catalyst 9500", "bootflash", false, false, true},
}};

std::string upper(std::string_view text) {
    std::string result(text);
    std::transform(result.begin(), result.end(), result.begin(),
                   [](char c) { return static_cast<char>(std::toupper(static_cast<unsigned char>(c))); });
    return result;
}

bool starts_with_any(const std::string& text, std::initializer_list<std::string_view> prefixes) {
    return std::any_of(prefixes.begin(), prefixes.end(), [&](std::string_view prefix) { return text.starts_with(prefix); });
}

}  // namespace

std::optional<EpcPlatform> find_epc_platform(std::string_view name) {
    std::string wanted = upper(name);
    for (const EpcPlatform& platform : platforms) {
        std::string known(platform.name);
        std::string without_c = known.starts_with('C') ? known.substr(1) : "C" + known;
        if (wanted == known || wanted == without_c) return platform;
    }
    return std::nullopt;
}

std::string epc_platform_names() {
    std::string names;
    for (const EpcPlatform& platform : platforms) {
        if (!names.empty()) names += ", ";
        names += platform.name;
    }
    return names;
}

std::optional<std::string> interface_problem_on(const EpcPlatform& platform, std::string_view interface) {
    if (!platform.physical_ports_only || interface == "control-plane") return std::nullopt;
    std::string name = upper(interface);
    std::erase(name, ' ');
    const std::size_t number = name.find_first_of("0123456789");
    const std::string type = name.substr(0, number);
    const bool management_port = number != std::string::npos && !type.empty() &&
                                 std::string_view("GIGABITETHERNET").starts_with(type) &&
                                 name.substr(number) == "0/0";
    const bool logical = starts_with_any(name, {"VL", "PO", "TU", "LO", "BDI"}) || name.find('.') != std::string::npos;
    if (!logical && !management_port) return std::nullopt;
    return "interface " + std::string(interface) + ": a " + std::string(platform.display_name) +
           " captures on physical ports only (no VLAN interface, port channel, subinterface or management port); "
           "give the physical port the traffic leaves by, or control-plane";
}

}  // namespace trustcap
