#include "report/limit_checks.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "dissect/http_message.h"
#include "report/capture_checks.h"

namespace trustcap {
namespace {

const Finding* find(const std::vector<Finding>& findings, const std::string& id) {
    const auto found = std::find_if(findings.begin(), findings.end(), [&](const Finding& f) { return f.id == id; });
    return found == findings.end() ? nullptr : &*found;
}

TcpFlow flow_with_id(std::uint64_t id) {
    TcpFlow flow;
    flow.id = id;
    return flow;
}

TEST(LimitChecks, NothingHitNothingSaid) {
    const ConnectionDissector connection;
    EXPECT_TRUE(assess_dissection_limits(flow_with_id(1), facts_of(connection), TlsSummary{}).empty());
}

TEST(LimitChecks, AnHttpHeadPastTheLimitNamesTheFigureAndFrame) {
    ConnectionDissector connection;
    const std::string start = "CONNECT smartreceiver.cisco.com:443 HTTP/1.1\r\nX: ";
    const std::vector<std::uint8_t> head(start.begin(), start.end());
    const std::vector<std::uint8_t> padding(max_http_head_bytes, 'a');
    connection.on_data(Direction::client_to_server, 0, head, 4, Timestamp{});
    connection.on_data(Direction::client_to_server, head.size(), padding, 9, Timestamp{});
    const std::vector<Finding> findings = assess_dissection_limits(flow_with_id(3), facts_of(connection), TlsSummary{});
    const Finding* finding = find(findings, "http.head_too_long");
    ASSERT_NE(finding, nullptr);
    EXPECT_EQ(finding->flow, 3U);
    EXPECT_EQ(finding->frames, std::vector<std::uint64_t>{9});
    EXPECT_NE(finding->summary.find("device's HTTP head passed trustcap's limit of 16 KiB in frame 9"),
              std::string::npos)
        << finding->summary;
}

TEST(LimitChecks, ALongChainAndARefusedKeyAreEachAFinding) {
    TlsSummary tls;
    CertificateChain chain;
    chain.frame = 6;
    chain.sent = max_certificates_per_chain + 1;
    CertificateSummary ordinary;
    CertificateSummary hostile;
    hostile.subject = "CN=smartreceiver.cisco.com";
    hostile.refused_key = "its RSA public exponent has 3071 bits, more than 33 bits";
    chain.certificates = {ordinary, hostile, hostile};
    tls.server_chain = chain;
    const std::vector<Finding> findings = assess_dissection_limits(flow_with_id(2), ConnectionFacts{}, tls);

    const Finding* long_chain = find(findings, "tls.chain_too_long");
    ASSERT_NE(long_chain, nullptr);
    EXPECT_EQ(long_chain->frames, std::vector<std::uint64_t>{6});
    EXPECT_NE(long_chain->summary.find("holds 17 certificates; only the first 16"), std::string::npos)
        << long_chain->summary;

    const Finding* refused = find(findings, "tls.certificate_key_refused");
    ASSERT_NE(refused, nullptr);
    EXPECT_EQ(refused->frames, std::vector<std::uint64_t>{6});
    EXPECT_NE(refused->summary.find("holds 2 certificates whose key trustcap refused to use; certificate 2 "
                                    "(CN=smartreceiver.cisco.com): its RSA public exponent has 3071 bits"),
              std::string::npos)
        << refused->summary;
}

TEST(LimitChecks, AChainAtTheLimitIsNotALimitHit) {
    TlsSummary tls;
    tls.client_chain.emplace().sent = max_certificates_per_chain;
    EXPECT_TRUE(assess_dissection_limits(flow_with_id(2), ConnectionFacts{}, tls).empty());
}

TEST(CaptureLimitChecks, FragmentLimitsNameEachLimitWithItsFigureAndFirstFrame) {
    CaptureSummary capture;
    capture.ip_fragments.too_many_fragments = {3, 41};
    capture.ip_fragments.evicted = {1, 90};
    const std::vector<Finding> findings =
        assess_capture(capture, {}, false, 0, DnsTransactionTable{}, LicensingTargets{});
    const Finding* finding = find(findings, "capture.fragment_limit");
    ASSERT_NE(finding, nullptr);
    EXPECT_EQ(finding->frames, (std::vector<std::uint64_t>{41, 90}));
    EXPECT_NE(finding->summary.find("3 came in more than 128 fragments (first in frame 41)"), std::string::npos)
        << finding->summary;
    EXPECT_NE(finding->summary.find("4 MiB of fragments"), std::string::npos) << finding->summary;
    EXPECT_EQ(find(assess_capture(CaptureSummary{}, {}, false, 0, DnsTransactionTable{}, LicensingTargets{}),
                   "capture.fragment_limit"),
              nullptr);
}

TEST(CaptureLimitChecks, ASpentMemoryBudgetIsToldWithItsFigureFirstFrameAndCost) {
    CaptureSummary capture;
    capture.memory.limit_bytes = std::size_t{64} << 20;
    capture.memory.first_reached_frame = 1234;
    capture.memory.flows_evicted = 50;
    capture.memory.flows_dropped = 3;
    capture.flows_dropped = 5;  // 3 of them for the budget, 2 at the --max-flows record cap
    const std::vector<Finding> findings =
        assess_capture(capture, {}, false, 0, DnsTransactionTable{}, LicensingTargets{});
    const Finding* finding = find(findings, "capture.memory_limit");
    ASSERT_NE(finding, nullptr);
    EXPECT_EQ(finding->frames, std::vector<std::uint64_t>{1234});
    EXPECT_EQ("trustcap's memory limits were reached: the budget of 64 MiB for the connections' state was spent "
              "(first at frame 1234): 50 open flows were let go early, least recently active first, and 3 "
              "finished flows were left out of the report; 2 finished flows were dropped from the report "
              "(--max-flows records kept)",
              finding->summary);
    EXPECT_EQ(find(assess_capture(CaptureSummary{}, {}, false, 0, DnsTransactionTable{}, LicensingTargets{}),
                   "capture.memory_limit"),
              nullptr);
}

}  // namespace
}  // namespace trustcap
