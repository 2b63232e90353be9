// Every fix line trustcap prints pastes at the device's prompt: one verified
// IOS XE command form per line, configuration between configure terminal and
// end (see tests/support/ios_xe_command_forms.h), on every capture in pcaps/
// and in the scripts of trustcap epc.

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <string>
#include <vector>

#include "capture_corpus.h"
#include "ios_xe_command_forms.h"
#include "process.h"

namespace trustcap::testing {
namespace {

using Json = nlohmann::json;

class FixLinesTest : public ::testing::TestWithParam<CorpusEntry> {};

TEST_P(FixLinesTest, EveryFixPastesAtTheDevicePrompt) {
    if (expected_verdict(GetParam()).value("exit_status", 0) > 1) GTEST_SKIP() << "no report: the capture is unusable";
    const ProcessResult run = run_trustcap_as_expected(GetParam());
    ASSERT_LE(run.exit_status, 1) << run.standard_error;
    const Json report = Json::parse(run.standard_output);
    std::vector<Json> findings(report.at("findings").begin(), report.at("findings").end());
    for (const Json& flow : report.at("flows"))
        for (const Json& finding : flow.at("findings")) findings.push_back(finding);
    for (const Json& finding : findings) {
        const std::vector<std::string> fix = finding.value("fix", std::vector<std::string>{});
        const auto problem = check_fix_lines(fix);
        EXPECT_FALSE(problem) << finding.at("id").get<std::string>() << ": " << *problem;
    }
}

INSTANTIATE_TEST_SUITE_P(Pcaps, FixLinesTest, ::testing::ValuesIn(capture_corpus()),
                         [](const auto& info) { return info.param.test_name; });

TEST(FixLines, EveryCaptureScriptPastesAtTheDevicePrompt) {
    const std::vector<std::vector<std::string>> option_sets = {
        {"--interface", "GigabitEthernet1/0/48"},
        {"--interface", "control-plane"},
        {"--interface", "Te1/0/1", "--proxy", "10.1.1.8:3128"},
        {"--interface", "Gi0/0/1", "--server", "10.50.0.20:8182", "--server", "ssm.corp.example"},
        {"--interface", "Gi1/0/1", "--idtoken", "ODRlYjBiZDItYzdhMi00", "--copy-to", "scp://admin@10.1.1.5/"},
        {"--interface", "Gi1/0/1", "--storage", "usbflash0"},
        {"--interface", "Gi1", "--platform", "9800-CL", "--address", "smartreceiver.cisco.com=146.112.59.25"},
        {"--interface", "Gi1/0/1", "--platform", "C9300", "--proxy", "proxy.corp:8080", "--address",
         "proxy.corp=10.1.1.8"},
        {"--interface", "Te1/0/1", "--platform", "C9500", "--server", "10.50.0.20:8182"},
    };
    for (const auto& options : option_sets) {
        std::vector<std::string> arguments{trustcap_binary(), "epc"};
        arguments.insert(arguments.end(), options.begin(), options.end());
        const ProcessResult run = run_process(arguments);
        ASSERT_EQ(run.exit_status, 0) << run.standard_error;
        const auto problem = check_capture_script(lines_of(run.standard_output));
        EXPECT_FALSE(problem) << options[1] << ": " << *problem;
    }
}

}  // namespace
}  // namespace trustcap::testing
