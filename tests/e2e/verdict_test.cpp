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

// Every field an expected finding records (frames, severity) must match one actual finding of its id.
void expect_findings(const Json& expected, const Json& actual, const std::string& where) {
    EXPECT_EQ(finding_ids(expected), finding_ids(actual)) << where << ": finding ids differ";
    for (const Json& wanted : expected) {
        bool matched = false;
        for (const Json& got : actual) {
            bool same = got.at("id") == wanted.at("id");
            for (const auto& [key, value] : wanted.items()) same = same && got.contains(key) && got.at(key) == value;
            matched = matched || same;
        }
        EXPECT_TRUE(matched) << where << ": no finding " << wanted.dump() << "; got " << actual.dump();
    }
}

// A name the expected file leaves empty ("" or null) is one the report must not have either.
Json name_or_null(const Json& value) { return value.is_string() && value.get<std::string>().empty() ? Json() : value; }

void expect_identity(const Json& expected, const Json& actual, const std::string& where) {
    for (const char* key : {"server_name", "kind", "identified_by"}) {
        if (!expected.contains(key)) continue;
        EXPECT_EQ(name_or_null(expected.at(key)), name_or_null(actual.at(key))) << where << ": " << key;
    }
    if (expected.contains("proxy")) {
        const Json& wanted = expected.at("proxy");
        if (wanted.is_null()) {
            EXPECT_TRUE(actual.at("proxy").is_null()) << where << ": proxy " << actual.at("proxy").dump();
        } else {
            ASSERT_TRUE(actual.at("proxy").is_object()) << where << ": no proxy";
            for (const auto& [key, value] : wanted.items())
                EXPECT_EQ(value, actual.at("proxy").at(key)) << where << ": proxy." << key;
        }
    }
}

void expect_attempts(const Json& expected, const Json& actual) {
    ASSERT_EQ(expected.size(), actual.size()) << "attempt groups: " << actual.dump();
    for (std::size_t i = 0; i < expected.size(); ++i) {
        EXPECT_EQ(expected[i].at("server"), actual[i].at("server")) << "attempt group " << i;
        EXPECT_EQ(expected[i].at("connections"), actual[i].at("connections")) << "attempt group " << i;
        EXPECT_EQ(expected[i].at("healthy"), actual[i].at("healthy")) << "attempt group " << i;
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
    expect_identity(expected, actual, where);
    // With --keylog: what the key log decrypted (tls.decryption).
    if (expected.contains("tls_decryption")) {
        ASSERT_TRUE(actual.at("tls").is_object() && actual.at("tls").contains("decryption")) << where << ": no tls.decryption";
        for (const auto& [key, value] : expected.at("tls_decryption").items())
            EXPECT_EQ(value, actual.at("tls").at("decryption").at(key)) << where << ": tls.decryption." << key;
    }
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

    const std::string diagnosis = report.at("diagnosis");
    EXPECT_FALSE(diagnosis.find("failed") != std::string::npos && diagnosis.find("cannot be judged") != std::string::npos)
        << "a diagnosis says either that a step failed or that one cannot be judged: " << diagnosis;
    for (const Json& mention : expected.value("diagnosis_mentions", Json::array()))
        EXPECT_NE(std::string::npos, report.at("diagnosis").get<std::string>().find(mention.get<std::string>()))
            << "the diagnosis does not mention \"" << mention.get<std::string>() << "\": " << report.at("diagnosis");
    if (expected.contains("attempts")) expect_attempts(expected.at("attempts"), report.at("attempts"));

    Json capture_findings = Json::array();
    for (const Json& finding : report.at("findings"))
        if (finding.at("flow").is_null()) capture_findings.push_back(finding);
    expect_findings(expected.value("findings", Json::array()), capture_findings, "capture");
}

INSTANTIATE_TEST_SUITE_P(Pcaps, VerdictTest, ::testing::ValuesIn(capture_corpus()),
                         [](const ::testing::TestParamInfo<CorpusEntry>& info) { return info.param.test_name; });

TEST(Corpus, IsNotEmpty) { EXPECT_GE(capture_corpus().size(), 20u); }

// NAME.keylog.expected.json files are further runs of NAME.pcap, not files without a capture.
TEST(Corpus, HoldsTheRunsWithAKeyLog) {
    std::size_t runs = 0;
    for (const CorpusEntry& entry : capture_corpus())
        if (entry.expected.filename().string().ends_with(".keylog.expected.json")) {
            ++runs;
            EXPECT_EQ(entry.expected.parent_path() / (entry.capture.stem().string() + ".keylog.expected.json"),
                      entry.expected);
            EXPECT_TRUE(entry.test_name.ends_with("_keylog")) << entry.test_name;
        }
    EXPECT_GE(runs, 4u);
}

}  // namespace
}  // namespace trustcap::testing
