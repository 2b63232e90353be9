// The licensing server's chain is judged as the device judges it: against the
// CAs that sign Cisco's licensing servers and the user's --ca-bundle, never
// against the trust store of the machine that reads the capture.

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <string>
#include <vector>

#include "capture_corpus.h"
#include "process.h"

namespace trustcap::testing {
namespace {

using Json = nlohmann::json;

const std::string pcaps = TRUSTCAP_PCAPS_DIR;
const std::string healthy = pcaps + "/generated-tls/tls12-mutual-healthy.pcap";
const std::string lab_root = pcaps + "/generated-tls/lab-root-ca.pem";

// trustcap's JSON report of `capture`, with the machine's trust store replaced by `system_bundle`.
Json report_with_system_bundle(const std::string& system_bundle, const std::vector<std::string>& options) {
    std::vector<std::string> arguments{"/usr/bin/env", "SSL_CERT_FILE=" + system_bundle, "SSL_CERT_DIR=/nonexistent",
                                       trustcap_binary(), "--format", "json"};
    arguments.insert(arguments.end(), options.begin(), options.end());
    arguments.push_back(healthy);
    ProcessResult run = run_process(arguments);
    EXPECT_LE(run.exit_status, 1) << run.standard_error;
    return Json::parse(run.standard_output);
}

std::vector<std::string> ids_of(const Json& flow) {
    std::vector<std::string> ids;
    for (const Json& finding : flow.at("findings")) ids.push_back(finding.at("id").get<std::string>());
    return ids;
}

const Json& finding(const Json& flow, const std::string& id) {
    for (const Json& candidate : flow.at("findings"))
        if (candidate.at("id") == id) return candidate;
    ADD_FAILURE() << "no " << id << " in " << flow.at("findings").dump();
    static const Json none = Json::object({{"severity", nullptr}});
    return none;
}

// A company inspection CA with a bland name that the laptop trusts: the
// licensing name's chain leads to neither Cisco's CAs nor --ca-bundle.
TEST(LicensingTrust, AChainTheMachineTrustsIsStillInterceptionForTheLicensingServer) {
    const Json report = report_with_system_bundle(lab_root, {});
    const Json& flow = report.at("flows").at(0);
    EXPECT_EQ(flow.at("kind"), "licensing");
    const Json& interception = finding(flow, "tls.interception");
    EXPECT_EQ(interception.at("severity"), "warning") << "the device accepted the chain, so licensing works for now";
    EXPECT_EQ(interception.at("frames"), Json::array({7}));
    EXPECT_EQ(finding(flow, "tls.untrusted_chain").at("severity"), "warning");
    const Json& verification = flow.at("tls").at("server_chain_verification");
    EXPECT_EQ(verification.at("verified"), false);
    EXPECT_EQ(verification.at("anchor"), nullptr);
}

// The same chain given with --ca-bundle is the user's word: accepted, and the
// report says which CA it chained to and where that CA came from.
TEST(LicensingTrust, ACaGivenWithCaBundleIsAcceptedAndNamed) {
    const Json report = report_with_system_bundle("/nonexistent", {"--ca-bundle", lab_root});
    const Json& flow = report.at("flows").at(0);
    EXPECT_EQ(ids_of(flow), std::vector<std::string>{"flow.healthy"});
    const Json& verification = flow.at("tls").at("server_chain_verification");
    EXPECT_EQ(verification.at("verified"), true);
    EXPECT_EQ(verification.at("anchor"), "CN=Trustcap Lab Root CA,O=Trustcap Lab,C=US");
    EXPECT_EQ(verification.at("anchor_origin"), "--ca-bundle " + lab_root);
}

}  // namespace
}  // namespace trustcap::testing
