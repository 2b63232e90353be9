#include "report/attempts.h"

#include <gtest/gtest.h>

#include "test_findings.h"

namespace trustcap {
namespace {

FlowReport connection(const char* device, const char* server, const char* name, std::int64_t start) {
    FlowReport flow;
    flow.client = Endpoint{*IpAddress::parse(device), 51000};
    flow.server = Endpoint{*IpAddress::parse(server), 443};
    flow.server_name = name;
    flow.start = Timestamp{start, 0};
    return flow;
}

TEST(Attempts, OneServerIsOneNameOrOneAddress) {
    std::vector<FlowReport> flows = {
        connection("10.20.30.40", "146.112.59.25", "", 100),                         // no name yet
        connection("10.20.30.40", "146.112.59.25", "smartreceiver.cisco.com", 160),  // the same address, named
        connection("10.20.30.40", "146.112.59.26", "smartreceiver.cisco.com", 220),  // the same name, another address
        connection("10.20.30.41", "146.112.59.25", "smartreceiver.cisco.com", 230),  // another device
        connection("10.20.30.40", "72.163.4.38", "tools.cisco.com", 240),            // another server
    };
    std::vector<AttemptGroup> groups = group_attempts(flows);
    ASSERT_EQ(3u, groups.size());
    EXPECT_EQ((std::vector<std::size_t>{0, 1, 2}), groups[0].flows);
    EXPECT_EQ("smartreceiver.cisco.com", groups[0].server);
    EXPECT_EQ(std::vector<std::size_t>{3}, groups[1].flows);
    EXPECT_EQ(std::vector<std::size_t>{4}, groups[2].flows);
}

TEST(Attempts, EachGroupIsInTheOrderItsConnectionsBegan) {
    std::vector<FlowReport> flows = {connection("10.20.30.40", "146.112.59.25", "smartreceiver.cisco.com", 300),
                                     connection("10.20.30.40", "146.112.59.25", "smartreceiver.cisco.com", 100)};
    std::vector<AttemptGroup> groups = group_attempts(flows);
    ASSERT_EQ(1u, groups.size());
    EXPECT_EQ((std::vector<std::size_t>{1, 0}), groups[0].flows);
}

TEST(Attempts, FailedIsNotCannotBeJudged) {
    FlowReport flow = connection("10.20.30.40", "146.112.59.25", "smartreceiver.cisco.com", 100);
    flow.steps = {StepResult{StepName::appdata, StepStatus::not_seen, {}, "no request"}};
    EXPECT_FALSE(attempt_failed(flow));
    flow.steps[0].status = StepStatus::fail;
    EXPECT_TRUE(attempt_failed(flow));
    flow.steps[0].status = StepStatus::pass;
    flow.findings = {test_finding("tls.interception", Severity::error, 1, "", "", {}, {})};
    EXPECT_TRUE(attempt_failed(flow));
}

}  // namespace
}  // namespace trustcap
