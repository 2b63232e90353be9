// Every capture in pcaps/ gives the verdict written down beside it: exit
// status, the flows checked, each step's status and frames, and the findings.
#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <set>

#include <nlohmann/json.hpp>

#include "capture_corpus.h"
#include "process.h"

namespace trustcap::testing {
namespace {

using Json = nlohmann::json;

std::string endpoint_text(const Json& endpoint) {
    std::string ip = endpoint.at("ip");
    std::string port = std::to_string(endpoint.at("port").get<int>());
    return ip.find(':') != std::string::npos ? "[" + ip + "]:" + port : ip + ":" + port;
}

std::multiset<std::string> finding_ids(const Json& findings) {
    std::multiset<std::string> ids;
    for (const Json& finding : findings) ids.insert(finding.at("id").get<std::string>());
    return ids;
}

void expect_findings(const Json& expected, const Json& actual, const std::string& where) {
    EXPECT_EQ(finding_ids(expected), finding_ids(actual)) << where << ": finding ids differ";
    for (const Json& wanted : expected) {
        if (!wanted.contains("frames")) continue;
        bool matched = false;
        for (const Json& got : actual)
            if (got.at("id") == wanted.at("id") && got.at("frames") == wanted.at("frames")) matched = true;
        EXPECT_TRUE(matched) << where << ": no finding " << wanted.at("id") << " with frames " << wanted.at("frames")
                             << "; got " << actual.dump();
    }
}

void expect_flow(const Json& expected, const Json& actual) {
    std::string where = "flow " + expected.at("client").get<std::string>() + " -> " +
                        expected.at("server").get<std::string>();
    std::map<std::string, Json> steps;
    for (const Json& step : actual.at("steps")) steps[step.at("step")] = step;
    for (const auto& [name, wanted] : expected.at("steps").items()) {
        ASSERT_TRUE(steps.contains(name)) << where << ": no step " << name;
        EXPECT_EQ(wanted.at("status"), steps[name].at("status")) << where << ", step " << name << ": "
                                                                  << steps[name].at("detail");
        if (wanted.contains("frames")) {
            EXPECT_EQ(wanted.at("frames"), steps[name].at("frames")) << where << ", step " << name;
        }
    }
    expect_findings(expected.at("findings"), actual.at("findings"), where);
}

class VerdictTest : public ::testing::TestWithParam<CorpusEntry> {};

TEST_P(VerdictTest, MatchesExpectedVerdict) {
    const CorpusEntry& entry = GetParam();
    Json expected = expected_verdict(entry);
    ProcessResult run = run_trustcap_as_expected(entry);

    ASSERT_EQ(expected.at("exit_status").get<int>(), run.exit_status) << run.standard_error;
    if (run.exit_status == 2) {
        EXPECT_TRUE(run.standard_output.empty());
        EXPECT_EQ(1, std::count(run.standard_error.begin(), run.standard_error.end(), '\n'))
            << "an unusable input gets exactly one line: " << run.standard_error;
        return;
    }
    Json report = Json::parse(run.standard_output);
    EXPECT_EQ(1, report.at("schema_version"));
    EXPECT_EQ(run.exit_status == 0 ? "healthy" : "problem", report.at("verdict"));
    if (expected.contains("capture")) {
        for (const auto& [key, value] : expected.at("capture").items())
            EXPECT_EQ(value, report.at("capture").at(key)) << "capture." << key;
    }

    const Json& flows = report.at("flows");
    const Json& expected_flows = expected.at("flows");
    ASSERT_EQ(expected_flows.size(), flows.size()) << "flows checked: " << flows.dump().substr(0, 2000);
    for (std::size_t i = 0; i < flows.size(); ++i) {
        EXPECT_EQ(expected_flows[i].at("client"), endpoint_text(flows[i].at("client"))) << "flow " << i;
        EXPECT_EQ(expected_flows[i].at("server"), endpoint_text(flows[i].at("server"))) << "flow " << i;
        expect_flow(expected_flows[i], flows[i]);
    }

    Json capture_findings = Json::array();
    for (const Json& finding : report.at("findings"))
        if (finding.at("flow").is_null()) capture_findings.push_back(finding);
    expect_findings(expected.value("findings", Json::array()), capture_findings, "capture");
}

INSTANTIATE_TEST_SUITE_P(Pcaps, VerdictTest, ::testing::ValuesIn(capture_corpus()),
                         [](const ::testing::TestParamInfo<CorpusEntry>& info) { return info.param.test_name; });

TEST(Corpus, IsNotEmpty) { EXPECT_GE(capture_corpus().size(), 20u); }

}  // namespace
}  // namespace trustcap::testing
