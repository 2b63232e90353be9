#pragma once

// What differs between the IOS XE platforms trustcap epc writes for: the file system a
// capture is exported to, whether the capture point may sit on a logical interface, and
// whether the web UI offers Packet Capture, and whether Guest Shell can judge the capture on
// the device.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace trustcap {

struct EpcPlatform {
    std::string_view name;               // as given to --platform: "9800-40", "C9300", ...
    std::string_view display_name;       // "Catalyst 9800-40", "Catalyst 9300", ...
    std::string_view storage;            // where an export goes by default: "bootflash" or "flash"
    bool physical_ports_only = false;    // no SVI, port channel, subinterface or management port
    bool web_ui_packet_capture = false;  // Troubleshooting > Packet Capture
    bool guest_shell = false;            // IOx Guest Shell, where the static trustcap runs
};

// The platform named (case does not matter, a leading "C" is optional), or nullopt.
std::optional<EpcPlatform> find_epc_platform(std::string_view name);

// The names --platform accepts, joined for a message: "9800-L, 9800-40, ...".
std::string epc_platform_names();

// Why the interface cannot carry a capture point on the platform, or nullopt.
std::optional<std::string> interface_problem_on(const EpcPlatform& platform, std::string_view interface);

}  // namespace trustcap
