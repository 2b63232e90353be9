#include "report/ios_xe_fixes.h"

namespace trustcap {

std::vector<std::string> configuration(std::vector<std::string> lines) {
    lines.insert(lines.begin(), "configure terminal");
    lines.emplace_back("end");
    return lines;
}

std::vector<std::string> reachability_test(const std::string& host, std::uint16_t port) {
    const std::string target = "telnet " + host + " " + std::to_string(port);
    return {"Test the path from the device with telnet, not ping (the guides' test; the licensing servers do not all "
            "answer pings):",
            target + " /source-interface <interface>",
            "Where the licensing traffic leaves through a VRF, test in that VRF, and have Smart Licensing use it:",
            target + " /vrf <vrf> /source-interface <interface>", "configure terminal", "license smart vrf <vrf>",
            "end"};
}

std::vector<std::string> then(std::vector<std::string> lines, const std::vector<std::string>& more) {
    lines.insert(lines.end(), more.begin(), more.end());
    return lines;
}

}  // namespace trustcap
