#include "report/capture_checks.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "dissect/dns_message.h"

namespace trustcap {
namespace {

const Endpoint device{*IpAddress::parse("10.20.30.40"), 40000};
const Endpoint resolver{*IpAddress::parse("10.20.30.53"), 53};
const Endpoint onprem{*IpAddress::parse("10.50.0.10"), 8443};
const Endpoint web{*IpAddress::parse("93.184.216.34"), 443};

// ssm.corp.example resolved to 10.50.0.10 by the capture's resolver.
DnsTransactionTable resolved_onprem_name() {
    DnsMessage query;
    query.id = 9;
    query.questions = {DnsQuestion{"ssm.corp.example", dns_type::a, 1}};
    DnsMessage answer = query;
    answer.is_response = true;
    answer.answers = {DnsAnswer{"ssm.corp.example", dns_type::a, 1, 60, onprem.ip}};
    DnsTransactionTable dns;
    dns.add(query, device, resolver, 1, {});
    dns.add(answer, resolver, device, 2, {});
    return dns;
}

const Finding& find(const std::vector<Finding>& findings, const std::string& id) {
    auto found = std::find_if(findings.begin(), findings.end(), [&](const Finding& f) { return f.id == id; });
    if (found == findings.end()) throw std::runtime_error("no finding " + id);
    return *found;
}

bool fix_has(const Finding& finding, const std::string& wanted) {
    return std::any_of(finding.fix.begin(), finding.fix.end(),
                       [&](const std::string& line) { return line.find(wanted) != std::string::npos; });
}

TEST(CaptureChecks, WithoutLicensingTrafficTheServersSeenAreNamedAndTheBusiestOfferedForServer) {
    CaptureSummary capture;
    capture.frames = 21;
    const HttpsServerCounts servers{{onprem, 3}, {web, 1}};
    const std::vector<Finding> findings =
        assess_capture(capture, servers, true, 4, resolved_onprem_name(), LicensingTargets{});
    const Finding& none = find(findings, "capture.no_licensing_traffic");
    EXPECT_NE(std::string::npos,
              none.explanation.find("Seen instead (TLS, HTTP or port 443): 10.50.0.10:8443 (ssm.corp.example, 3 "
                                    "connections), 93.184.216.34:443 (1 connection)"))
        << none.explanation;
    EXPECT_EQ(std::string::npos, none.explanation.find("..")) << none.explanation;
    EXPECT_TRUE(fix_has(none, "--server 10.50.0.10:8443 for the busiest"));
}

TEST(CaptureChecks, ANameServerThatAnswersIsNotToldToBeConfigured) {
    const std::vector<Finding> findings =
        assess_capture(CaptureSummary{}, {}, true, 0, resolved_onprem_name(), LicensingTargets{});
    const Finding& none = find(findings, "capture.no_licensing_traffic");
    EXPECT_NE(std::string::npos, none.explanation.find("does not cross. Names looked up: ssm.corp.example."))
        << none.explanation;
    const Finding& no_query = find(findings, "dns.no_query");
    EXPECT_NE(std::string::npos, no_query.explanation.find("(ssm.corp.example resolved)"));
    EXPECT_FALSE(fix_has(no_query, "ip name-server"));
    EXPECT_TRUE(fix_has(no_query, "show running-config | include license smart"));

    const std::vector<Finding> without_answers =
        assess_capture(CaptureSummary{}, {}, true, 0, DnsTransactionTable{}, LicensingTargets{});
    const Finding& silent = find(without_answers, "dns.no_query");
    EXPECT_TRUE(fix_has(silent, "ip name-server <dns-server>")) << "without any answer the resolver may be missing";
}

}  // namespace
}  // namespace trustcap
