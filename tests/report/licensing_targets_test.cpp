#include "report/licensing_targets.h"

#include <gtest/gtest.h>

#include "report/dns_checks.h"

namespace trustcap {
namespace {

TEST(NamedEndpoint, ParsesHostsAddressesAndPorts) {
    auto host = NamedEndpoint::parse("SSM.corp.example:8443");
    ASSERT_TRUE(host);
    EXPECT_EQ("ssm.corp.example", host->host);
    EXPECT_EQ(8443, host->port);
    auto address = NamedEndpoint::parse("10.1.1.20:8182");
    ASSERT_TRUE(address && address->address);
    EXPECT_EQ("10.1.1.20", address->address->to_string());
    auto v6 = NamedEndpoint::parse("[2001:db8::5]:3128");
    ASSERT_TRUE(v6 && v6->address);
    EXPECT_EQ("[2001:db8::5]:3128", v6->to_string());
    auto bare_v6 = NamedEndpoint::parse("2001:db8::5");
    ASSERT_TRUE(bare_v6 && bare_v6->address);
    EXPECT_FALSE(bare_v6->port);
    for (const char* bad : {"", "host:0", "host:70000", "host:port", "[2001:db8::5", "bad host", ":443"})
        EXPECT_FALSE(NamedEndpoint::parse(bad)) << bad;
}

TEST(NamedEndpoint, MatchesByAddressOrByNameAndPort) {
    Endpoint server{*IpAddress::parse("10.1.1.20"), 8182};
    EXPECT_TRUE(NamedEndpoint::parse("10.1.1.20")->matches(server, {}));
    EXPECT_TRUE(NamedEndpoint::parse("10.1.1.20:8182")->matches(server, {}));
    EXPECT_FALSE(NamedEndpoint::parse("10.1.1.20:443")->matches(server, {}));
    EXPECT_TRUE(NamedEndpoint::parse("cslu.corp")->matches(server, {"CSLU.corp"}));
    EXPECT_FALSE(NamedEndpoint::parse("cslu.corp")->matches(server, {"other.corp"}));
}

TEST(LicensingTargets, KnowsTheLicensingNames) {
    EXPECT_EQ(ServerKind::licensing, kind_of_name("smartreceiver.cisco.com"));
    EXPECT_EQ(ServerKind::licensing, kind_of_name("SmartReceiver.Cisco.com."));
    EXPECT_EQ(ServerKind::legacy, kind_of_name("tools.cisco.com"));
    EXPECT_EQ(ServerKind::other, kind_of_name("smartreceiver.cisco.com.evil.example"));
    EXPECT_EQ("smartreceiver.cisco.com", host_of_target("smartreceiver.cisco.com:443"));
    EXPECT_EQ("2001:db8::1", host_of_target("[2001:db8::1]:443"));
}

DnsMessage message(bool response, std::uint8_t rcode, const std::string& name, std::uint16_t type = dns_type::a) {
    DnsMessage dns;
    dns.id = 7;
    dns.is_response = response;
    dns.rcode = rcode;
    dns.questions = {DnsQuestion{name, type, 1}};
    return dns;
}

const Endpoint device{*IpAddress::parse("10.20.30.40"), 40000};
const Endpoint resolver{*IpAddress::parse("10.20.30.53"), 53};

TEST(DnsChecks, NxdomainForTheLicensingNameIsAnError) {
    DnsTransactionTable table;
    table.add(message(false, 0, "smartreceiver.cisco.com"), device, resolver, 1, {});
    table.add(message(true, dns_rcode::name_error, "smartreceiver.cisco.com"), resolver, device, 2, {});
    auto findings = assess_dns(table, {});
    ASSERT_EQ(1u, findings.size());
    EXPECT_EQ("dns.nxdomain", findings[0].id);
    EXPECT_EQ(Severity::error, findings[0].severity);
    EXPECT_EQ((std::vector<std::uint64_t>{1, 2}), findings[0].frames);
    EXPECT_TRUE(has_licensing_query(table, {}));
}

TEST(DnsChecks, UnansweredAndServfailAreReportedOtherNamesAreNot) {
    DnsTransactionTable table;
    table.add(message(false, 0, "smartreceiver.cisco.com"), device, resolver, 1, {});
    table.add(message(false, 0, "tools.cisco.com"), device, Endpoint{resolver.ip, 53}, 2, {});
    DnsMessage servfail = message(true, dns_rcode::server_failure, "tools.cisco.com");
    table.add(servfail, resolver, device, 3, {});
    table.add(message(false, 0, "www.example.com"), device, resolver, 4, {});
    std::vector<std::string> ids;
    for (const Finding& finding : assess_dns(table, {})) ids.push_back(finding.id);
    EXPECT_EQ((std::vector<std::string>{"dns.no_answer", "dns.servfail"}), ids);
}

// No response and an answer without an address are two findings, not one id for both.
TEST(DnsChecks, AnAnswerWithoutAnAddressIsNotAMissingAnswer) {
    DnsTransactionTable table;
    table.add(message(false, 0, "smartreceiver.cisco.com"), device, resolver, 1, {});
    table.add(message(true, dns_rcode::no_error, "smartreceiver.cisco.com"), resolver, device, 2, {});
    auto findings = assess_dns(table, {});
    ASSERT_EQ(1u, findings.size());
    EXPECT_EQ("dns.no_address", findings[0].id);
    EXPECT_EQ(FindingKind::dns_no_address, findings[0].kind);
    EXPECT_EQ((std::vector<std::uint64_t>{1, 2}), findings[0].frames);
    EXPECT_NE(std::string::npos, findings[0].summary.find("holds no address (NOERROR)")) << findings[0].summary;
}

TEST(DnsChecks, AFailureFollowedBySuccessIsOnlyAWarning) {
    DnsTransactionTable table;
    table.add(message(false, 0, "smartreceiver.cisco.com"), device, resolver, 1, {});
    table.add(message(true, dns_rcode::server_failure, "smartreceiver.cisco.com"), resolver, device, 2, {});
    DnsMessage retry = message(false, 0, "smartreceiver.cisco.com");
    retry.id = 8;
    table.add(retry, device, resolver, 3, {});
    DnsMessage answer = message(true, 0, "smartreceiver.cisco.com");
    answer.id = 8;
    answer.answers = {DnsAnswer{"smartreceiver.cisco.com", dns_type::a, 1, 60, *IpAddress::parse("146.112.59.25")}};
    table.add(answer, resolver, device, 4, {});
    auto findings = assess_dns(table, {});
    ASSERT_EQ(1u, findings.size());
    EXPECT_EQ(Severity::warning, findings[0].severity);
    EXPECT_EQ(std::vector<std::string>{"smartreceiver.cisco.com"}, table.names_for(*IpAddress::parse("146.112.59.25"), 5));
    EXPECT_TRUE(table.names_for(*IpAddress::parse("146.112.59.25"), 3).empty());
}

TEST(DnsChecks, ARetransmittedQueryIsOneLookupAndAnAnswerPairsWithTheLatestUnansweredQuery) {
    DnsTransactionTable table;
    table.add(message(false, 0, "smartreceiver.cisco.com"), device, resolver, 1, {});
    table.add(message(false, 0, "smartreceiver.cisco.com"), device, resolver, 2, {});
    table.add(message(true, dns_rcode::server_failure, "smartreceiver.cisco.com"), resolver, device, 3, {});
    table.add(message(false, 0, "smartreceiver.cisco.com"), device, resolver, 4, {});  // same id, asked again
    table.add(message(true, 0, "smartreceiver.cisco.com"), resolver, device, 5, {});
    table.add(message(true, 0, "smartreceiver.cisco.com"), resolver, device, 6, {});  // answers nothing pending
    ASSERT_EQ(2u, table.transactions().size());
    EXPECT_EQ(1u, table.transactions()[0].retransmissions);
    EXPECT_EQ(std::optional<std::uint64_t>{3}, table.transactions()[0].response_frame);
    EXPECT_EQ(4u, table.transactions()[1].query_frame);
    EXPECT_EQ(std::optional<std::uint64_t>{5}, table.transactions()[1].response_frame);
    EXPECT_EQ(1u, table.unmatched_responses());
}

TEST(DnsChecks, MessagesNotReadAreToldWithTheFirstFrameAndReason) {
    DnsTransactionTable table;
    EXPECT_TRUE(assess_dns(table, {}).empty());
    table.note_unreadable({}, device, resolver, 7, "question 1 of 1: compression pointer at offset 12 points to itself");
    table.note_unreadable({}, resolver, device, 9, "another reason");
    std::vector<Finding> findings = assess_dns(table, {});
    ASSERT_EQ(1u, findings.size());
    EXPECT_EQ("dns.unread_messages", findings[0].id);
    EXPECT_EQ(Severity::info, findings[0].severity);
    EXPECT_EQ(std::vector<std::uint64_t>{7}, findings[0].frames);
    EXPECT_EQ("DNS messages were not read: 2 to or from port 53 could not be read (first in frame 7: question 1 of "
              "1: compression pointer at offset 12 points to itself)",
              findings[0].summary);
}

TEST(DnsChecks, AnUnreadableAnswerStillAnswersItsQueryAndIsNoMissingAnswer) {
    DnsTransactionTable table;
    table.add(message(false, 0, "smartreceiver.cisco.com"), device, resolver, 3, {});
    // Its header (id 7, a response, NOERROR) and then a name whose pointer loops.
    const std::vector<std::uint8_t> answer{0, 7, 0x81, 0x80, 0, 1, 0, 1, 0, 0, 0, 0, 0xc0, 0x0c};
    table.note_unreadable(Bytes(answer).first(11), resolver, device, 4, "the header is cut");
    EXPECT_FALSE(table.transactions()[0].response_frame) << "a cut header answers nothing";
    table.note_unreadable(answer, device, resolver, 4, "sent the other way");
    EXPECT_FALSE(table.transactions()[0].response_frame) << "a response goes from the server to the device";
    table.note_unreadable(answer, resolver, device, 5, "question 1 of 1: compression pointer at offset 12 points to itself");
    ASSERT_EQ(std::optional<std::uint64_t>{5}, table.transactions()[0].response_frame);
    EXPECT_TRUE(table.transactions()[0].response_unread);

    std::vector<Finding> findings = assess_dns(table, {});
    ASSERT_EQ(1u, findings.size()) << "no dns.no_answer: the server did answer";
    EXPECT_EQ("dns.unread_messages", findings[0].id);
    EXPECT_EQ(Severity::warning, findings[0].severity);
    EXPECT_EQ((std::vector<std::uint64_t>{4, 5}), findings[0].frames);
    EXPECT_NE(std::string::npos,
              findings[0].summary.find("Among them the answer to the lookup of smartreceiver.cisco.com in frame 5"))
        << findings[0].summary;

    // A readable copy that follows (the first was cut or forged) still answers it.
    DnsMessage readable = message(true, 0, "smartreceiver.cisco.com");
    readable.answers = {DnsAnswer{"smartreceiver.cisco.com", dns_type::a, 1, 60, *IpAddress::parse("146.112.59.25")}};
    table.add(readable, resolver, device, 6, {});
    EXPECT_EQ(0u, table.unmatched_responses());
    EXPECT_EQ(std::optional<std::uint64_t>{6}, table.transactions()[0].response_frame);
    EXPECT_FALSE(table.transactions()[0].response_unread);
    EXPECT_EQ(std::vector<std::string>{"smartreceiver.cisco.com"},
              table.names_for(*IpAddress::parse("146.112.59.25"), 6));
}

TEST(DnsChecks, QueriesPastTheTableAreCountedAndWarnedOf) {
    DnsTransactionTable table;
    for (std::uint64_t frame = 1; frame <= DnsTransactionTable::max_transactions + 5; ++frame) {
        DnsMessage query = message(false, 0, "host" + std::to_string(frame) + ".example");
        query.id = static_cast<std::uint16_t>(frame);
        table.add(query, device, resolver, frame, {});
    }
    EXPECT_EQ(DnsTransactionTable::max_transactions, table.transactions().size());
    EXPECT_EQ(5u, table.dropped());
    std::vector<Finding> findings = assess_dns(table, {});
    ASSERT_EQ(1u, findings.size());
    EXPECT_EQ(Severity::warning, findings[0].severity);
    EXPECT_EQ(std::vector<std::uint64_t>{10'001}, findings[0].frames);
    EXPECT_NE(std::string::npos, findings[0].summary.find("5 queries from frame 10001 on were past trustcap's limit "
                                                          "of 10000 lookups"))
        << findings[0].summary;
}

TEST(LicensingTargets, RecognisesThePathsOnlyCsluAndSsmOnPremServe) {
    EXPECT_TRUE(is_onprem_licensing_path("/cslu/v1/pi"));
    EXPECT_TRUE(is_onprem_licensing_path("/cslu/v1/pi/SA-Tenant-1"));
    EXPECT_TRUE(is_onprem_licensing_path("http://10.50.0.20:8182/cslu/v1/pi"));
    EXPECT_TRUE(is_onprem_licensing_path("/SmartTransport"));
    EXPECT_TRUE(is_onprem_licensing_path("/smarttransport?x=1"));
    EXPECT_TRUE(is_onprem_licensing_path("/Transportgateway/services/DeviceRequestHandler"));
    EXPECT_FALSE(is_onprem_licensing_path("/"));
    EXPECT_FALSE(is_onprem_licensing_path("/csluX"));
    EXPECT_FALSE(is_onprem_licensing_path("/index.html"));
    EXPECT_FALSE(is_onprem_licensing_path("http://example.com"));
}

}  // namespace
}  // namespace trustcap
