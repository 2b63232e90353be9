#pragma once

#include <span>
#include <string_view>

namespace trustcap {

// A root CA that signs the chains of Cisco's licensing servers, as IOS XE
// trusts it: built in, so that the judgement does not depend on the trust
// store of the machine reading the capture.
struct LicensingTrustAnchor {
    std::string_view name;
    std::string_view pem;
};

// The roots a chain for smartreceiver.cisco.com or tools.cisco.com must lead
// to; any other issuer is something in the path answering for the server.
std::span<const LicensingTrustAnchor> licensing_trust_anchors();

}  // namespace trustcap
