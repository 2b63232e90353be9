#include "report/inspection_products.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <string_view>
#include <utility>

namespace trustcap {
namespace {

// Words found in the issuer names of the CAs that TLS-inspecting firewalls
// and proxies create, and the product they belong to.
constexpr std::array<std::pair<std::string_view, std::string_view>, 24> known_issuers = {{
    {"fortinet", "Fortinet FortiGate"},
    {"fortigate", "Fortinet FortiGate"},
    {"palo alto", "Palo Alto Networks"},
    {"zscaler", "Zscaler"},
    {"umbrella", "Cisco Umbrella"},
    {"opendns", "Cisco Umbrella"},
    {"firepower", "Cisco Secure Firewall"},
    {"secure firewall", "Cisco Secure Firewall"},
    {"check point", "Check Point"},
    {"checkpoint", "Check Point"},
    {"sophos", "Sophos"},
    {"forcepoint", "Forcepoint"},
    {"websense", "Forcepoint"},
    {"blue coat", "Blue Coat / Symantec"},
    {"bluecoat", "Blue Coat / Symantec"},
    {"symantec web", "Blue Coat / Symantec"},
    {"netskope", "Netskope"},
    {"barracuda", "Barracuda"},
    {"watchguard", "WatchGuard"},
    {"sonicwall", "SonicWall"},
    {"mcafee", "McAfee / Skyhigh"},
    {"skyhigh", "McAfee / Skyhigh"},
    {"squid", "Squid"},
    {"ssl inspection", "an SSL-inspection proxy"},
}};

}  // namespace

std::optional<std::string> inspection_product(const std::string& issuer) {
    std::string lower(issuer.size(), ' ');
    std::transform(issuer.begin(), issuer.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
    for (const auto& [word, product] : known_issuers)
        if (lower.find(word) != std::string::npos) return std::string(product);
    return std::nullopt;
}

}  // namespace trustcap
