#include "report/flow_retention.h"

#include <gtest/gtest.h>

#include "dissect/connection_dissector.h"
#include "report/attempt_summary.h"
#include "report/capture_checks.h"
#include "report/json_values.h"
#include "report/text_writer.h"
#include "tcp_flow_fixtures.h"

namespace trustcap {
namespace {

using namespace testing;

// A SYN to port 443 that nothing answered in a minute and a half.
TcpFlow unanswered_syn(std::uint64_t frame, const char* device, const char* target = "192.0.2.10") {
    TcpFlow flow = base_flow();
    flow.id = frame;
    flow.client = Endpoint{*IpAddress::parse(device), 40000};
    flow.server = Endpoint{*IpAddress::parse(target), 443};
    flow.first_frame = frame;
    flow.last_frame = frame;
    flow.first_time = Timestamp{100, 0};
    flow.last_time = Timestamp{100, 0};
    flow.watched_until = Timestamp{190, 0};
    client(flow).syn_frames = {frame};
    client(flow).packets = 1;
    return flow;
}

constexpr std::size_t ample_budget = std::size_t{1} << 30;

JudgingContext attempts_on_443() {
    JudgingContext context;
    context.attempt_ports = {443};
    return context;
}

// A connection to port 8443, which the context checks (--port 8443): always worth keeping.
TcpFlow established_on_8443() {
    TcpFlow flow = unanswered_syn(7, "10.0.0.1");
    established(flow);
    flow.server.port = 8443;
    return flow;
}

JudgingContext checking_8443() {
    JudgingContext context = attempts_on_443();
    context.checked_ports = {8443};
    return context;
}

FlowRetention::Decision decide(FlowRetention& retention, const TcpFlow& flow, const JudgingContext& context) {
    return retention.decide(FlowEvidence{&flow, nullptr, {}}, context, flow.held_bytes());
}

TEST(FlowRetention, UnidentifiedAttemptsPastTheFirstFewAreSummarised) {
    MemoryBudget budget{ample_budget};
    FlowRetention retention(1000, budget);
    JudgingContext context = attempts_on_443();
    for (std::uint64_t frame = 1; frame <= FlowRetention::unidentified_attempts_listed; ++frame)
        EXPECT_EQ(FlowRetention::Decision::keep, decide(retention, unanswered_syn(frame, "10.0.0.1"), context));
    for (std::uint64_t frame = 17; frame <= 116; ++frame)
        EXPECT_EQ(FlowRetention::Decision::summarised,
                  decide(retention, unanswered_syn(frame, frame % 2 ? "10.0.0.1" : "10.0.0.2"), context));

    SummarisedAttempts summary = retention.summarised();
    EXPECT_EQ(100u, summary.count);
    EXPECT_EQ(17u, summary.first_frame);
    EXPECT_EQ(116u, summary.last_frame);
    EXPECT_EQ(100u, summary.no_answer);
    EXPECT_EQ(0u, summary.refused);
    ASSERT_EQ(1u, summary.targets.size());
    EXPECT_EQ("192.0.2.10:443", summary.targets[0].server.to_string());
    EXPECT_EQ(100u, summary.targets[0].connections);
    EXPECT_EQ(2u, summary.distinct_devices);
    EXPECT_TRUE(summary.distinct_devices_exact);
    EXPECT_EQ(0u, retention.dropped());
    EXPECT_EQ(0u, retention.not_checked().count);  // summarised flows are not "other flows"
    EXPECT_EQ(100u, retention.not_checked().https_servers.at(summary.targets[0].server));
}

TEST(FlowRetention, FlowsTheReportWouldNotCheckAreOnlyCounted) {
    MemoryBudget budget{ample_budget};
    FlowRetention retention(1000, budget);
    TcpFlow web = unanswered_syn(1, "10.0.0.1");
    web.server.port = 80;
    EXPECT_EQ(FlowRetention::Decision::not_checked, decide(retention, web, attempts_on_443()));
    EXPECT_EQ(1u, retention.not_checked().count);
}

TEST(FlowRetention, ARefusedScanIsToldAsRefusedAndItsTargetsAreBounded) {
    MemoryBudget budget{ample_budget};
    FlowRetention retention(1000, budget);
    JudgingContext context = attempts_on_443();
    std::uint64_t frame = 0;
    for (int target = 0; target < 40; ++target) {
        std::string address = "198.18.0." + std::to_string(target + 1);
        for (int repeat = 0; repeat <= target % 3; ++repeat) {
            TcpFlow flow = unanswered_syn(++frame, "10.0.0.5", address.c_str());
            server(flow).packets = 1;
            server(flow).rst_packets = 1;
            server(flow).resets = {reset_at(frame)};
            flow.last_frame = frame;
            decide(retention, flow, context);
        }
    }
    SummarisedAttempts summary = retention.summarised();
    EXPECT_EQ(frame - FlowRetention::unidentified_attempts_listed, summary.count);
    EXPECT_EQ(summary.count, summary.refused);
    EXPECT_EQ(AttemptSummariser::targets_listed, summary.targets.size());
    EXPECT_GE(summary.targets.front().connections, summary.targets.back().connections);
    EXPECT_EQ(3u, summary.targets.front().connections);
    EXPECT_EQ(1u, summary.distinct_devices);
}

TEST(FlowRetention, PastTheRecordCapFlowsAreDroppedAndAttemptsStillSummarised) {
    MemoryBudget budget{ample_budget};
    FlowRetention retention(2, budget);
    JudgingContext context = attempts_on_443();
    context.checked_ports = {8443};
    TcpFlow asked = unanswered_syn(1, "10.0.0.1");
    established(asked);
    asked.server.port = 8443;
    EXPECT_EQ(FlowRetention::Decision::keep, decide(retention, asked, context));
    EXPECT_EQ(FlowRetention::Decision::keep, decide(retention, asked, context));
    EXPECT_EQ(FlowRetention::Decision::dropped, decide(retention, asked, context));
    EXPECT_EQ(FlowRetention::Decision::summarised, decide(retention, unanswered_syn(9, "10.0.0.1"), context));
    EXPECT_EQ(1u, retention.dropped());
    EXPECT_EQ(1u, retention.summarised().count);
}

TEST(FlowRetention, AFlowThatWouldSpendTheMemoryBudgetIsDroppedAndTheBudgetSaysWhere) {
    const TcpFlow asked = established_on_8443();
    const JudgingContext context = checking_8443();
    MemoryBudget budget{asked.held_bytes() * 4 + 20};  // kept flows may take half: two of them
    budget.set_current_frame(42);
    FlowRetention retention(1000, budget);

    EXPECT_EQ(FlowRetention::Decision::keep, decide(retention, asked, context));
    EXPECT_EQ(FlowRetention::Decision::keep, decide(retention, asked, context));
    EXPECT_EQ(asked.held_bytes() * 2, budget.used());
    EXPECT_FALSE(budget.first_reached_frame());
    EXPECT_EQ(FlowRetention::Decision::dropped, decide(retention, asked, context));
    EXPECT_EQ(1u, retention.dropped());
    EXPECT_EQ(1u, retention.dropped_for_memory());
    EXPECT_EQ(std::optional<std::uint64_t>{42}, budget.first_reached_frame());

    // A kept flow the report then leaves out gives its share back.
    retention.count_not_reported(FlowEvidence{&asked, nullptr, {}}, asked.held_bytes());
    EXPECT_EQ(asked.held_bytes(), budget.used());
    EXPECT_EQ(FlowRetention::Decision::keep, decide(retention, asked, context));
}

TEST(FlowRetention, KeptFlowsTakeAtMostHalfTheBudgetSoOpenFlowsAreStillRead) {
    const TcpFlow asked = established_on_8443();
    const JudgingContext context = checking_8443();
    MemoryBudget budget{asked.held_bytes() * 10};
    FlowRetention retention(1000, budget);
    for (int i = 0; i < 5; ++i) EXPECT_EQ(FlowRetention::Decision::keep, decide(retention, asked, context));
    EXPECT_EQ(FlowRetention::Decision::dropped, decide(retention, asked, context));
    EXPECT_TRUE(budget.has_room_for(asked.held_bytes())) << "the open flows' half is left";
    EXPECT_EQ(1u, retention.dropped_for_memory());
}

// TLS that never showed whom it was for (the capture began after its Client
// Hello) may still be the licensing connection, while memory allows.
TEST(FlowRetention, UndecidedTlsIsKeptUntilMemoryRanShortOrWhenItWasLetGoEarly) {
    ConnectionDissector undecided([](const std::string&, const std::string&) { return false; });
    const std::vector<std::uint8_t> server_alert{0x15, 0x03, 0x03, 0x00, 0x02, 0x02, 0x28};
    undecided.on_data(Direction::server_to_client, 0, server_alert, 5, Timestamp{});
    ASSERT_TRUE(undecided.carries_tls());
    ASSERT_FALSE(undecided.is_of_interest());
    const ConnectionFacts undecided_facts = facts_of(undecided);
    TcpFlow flow = unanswered_syn(3, "10.0.0.1", "198.51.100.7");
    established(flow);
    const JudgingContext context = attempts_on_443();
    MemoryBudget budget{ample_budget};
    FlowRetention retention(1000, budget);
    auto decide_tls = [&](const TcpFlow& judged) {
        return retention.decide(FlowEvidence{&judged, &undecided_facts, {}}, context, judged.held_bytes());
    };

    EXPECT_EQ(FlowRetention::Decision::keep, decide_tls(flow));
    TcpFlow evicted = flow;
    evicted.evicted = true;
    EXPECT_EQ(FlowRetention::Decision::not_checked, decide_tls(evicted));
    budget.note_reached();
    EXPECT_EQ(FlowRetention::Decision::not_checked, decide_tls(flow));
}

// The open flows may fill the budget (the flow table then lets the oldest go):
// a finished flow worth keeping still gets its place in the kept half.
TEST(FlowRetention, AFlowWorthKeepingIsKeptWhenTheOpenFlowsFilledTheBudget) {
    const TcpFlow asked = established_on_8443();
    MemoryBudget budget{asked.held_bytes() * 10};
    budget.change(0, budget.limit());
    FlowRetention retention(1000, budget);
    EXPECT_EQ(FlowRetention::Decision::keep, decide(retention, asked, checking_8443()));
    EXPECT_EQ(0u, retention.dropped());
}

TEST(AttemptSummariser, CountsDistinctDevicesAndServersInBoundedMemory) {
    AttemptSummariser summariser;
    for (std::uint32_t i = 0; i < AttemptSummariser::max_tracked + 100; ++i) {
        TcpFlow flow = unanswered_syn(i + 1, "10.0.0.1");
        flow.client.ip = *IpAddress::parse("10." + std::to_string(i >> 16) + "." + std::to_string((i >> 8) & 255) +
                                           "." + std::to_string(i & 255));
        summariser.add(flow);
    }
    SummarisedAttempts summary = summariser.summary();
    EXPECT_EQ(AttemptSummariser::max_tracked + 100, summary.count);
    EXPECT_EQ(AttemptSummariser::max_tracked, summary.distinct_devices);
    EXPECT_FALSE(summary.distinct_devices_exact);
    EXPECT_EQ(1u, summary.distinct_targets);
    EXPECT_TRUE(summary.distinct_targets_exact);
}

TEST(SummarisedAttempts, AreToldInTheFindingTextAndJson) {
    AttemptSummariser summariser;
    summariser.add(unanswered_syn(17, "10.0.0.1"));
    summariser.add(unanswered_syn(40, "10.0.0.2", "192.0.2.11"));
    Report report;
    report.summarised_attempts = summariser.summary();

    std::optional<Finding> finding = assess_summarised_attempts(report.summarised_attempts);
    ASSERT_TRUE(finding);
    EXPECT_EQ("capture.attempts_summarised", finding->id);
    EXPECT_EQ((std::vector<std::uint64_t>{17, 40}), finding->frames);
    EXPECT_NE(std::string::npos, finding->summary.find("2 more connection attempts from 2 devices to 2 servers"));
    EXPECT_FALSE(assess_summarised_attempts(SummarisedAttempts{}));

    Json head = report_head_json(report, "test");
    const Json& json = head.at("summarised_attempts");
    EXPECT_EQ(2u, json.at("count"));
    EXPECT_EQ(17u, json.at("first_frame"));
    EXPECT_EQ(40u, json.at("last_frame"));
    EXPECT_EQ(2u, json.at("no_answer"));
    EXPECT_EQ(2u, json.at("targets").size());
    EXPECT_EQ(2u, json.at("distinct_targets"));
    EXPECT_TRUE(report_head_json(Report{}, "test").at("summarised_attempts").is_null());

    std::string text = to_text(report, TextOptions{});
    EXPECT_NE(std::string::npos, text.find("Attempts not listed: 2 (frames 17 to 40): 2 no answer"));
}

}  // namespace
}  // namespace trustcap
