#include "report/flow_identity.h"

#include <gtest/gtest.h>

#include "report/licensing_interest.h"

namespace trustcap {
namespace {

const Endpoint cisco{*IpAddress::parse("146.112.59.25"), 443};
const Endpoint onprem{*IpAddress::parse("10.1.1.20"), 443};
const Endpoint cslu{*IpAddress::parse("10.1.1.30"), cslu_port};
const Endpoint proxy{*IpAddress::parse("10.1.1.3"), 3128};

LicensingTargets with(std::vector<std::string> servers, std::vector<std::string> proxies = {}) {
    LicensingTargets targets;
    for (const std::string& text : servers) targets.servers.push_back(*NamedEndpoint::parse(text));
    for (const std::string& text : proxies) targets.proxies.push_back(*NamedEndpoint::parse(text));
    return targets;
}

TEST(FlowIdentity, TheDevicesOwnNamesComeBeforeTheCertificatesAndALicensingNameBeforeOthers) {
    ConnectionNames names;
    names.sni = "www.example.com";
    names.dns_names = {"smartreceiver.cisco.com"};
    names.certificate_names = {"tools.cisco.com"};
    FlowIdentity identity = identify_flow(cisco, names, {});
    EXPECT_EQ(ServerKind::licensing, identity.kind);
    EXPECT_EQ(NamingSource::dns, identity.named_by);
    EXPECT_EQ("smartreceiver.cisco.com", identity.server_name);
    EXPECT_EQ("www.example.com", identity.requested_name) << "the certificate is checked against what the device asked for";
}

TEST(FlowIdentity, ACertificateNamesOnlyANamelessConnectionAndOnlyForALicensingName) {
    ConnectionNames names;
    names.certificate_names = {"www.example.com", "tools.cisco.com"};
    FlowIdentity identity = identify_flow(cisco, names, {});
    EXPECT_EQ(ServerKind::legacy, identity.kind);
    EXPECT_EQ(NamingSource::certificate, identity.named_by);
    EXPECT_EQ("", identity.requested_name);

    names.certificate_names = {"www.example.com"};
    identity = identify_flow(cisco, names, {});
    EXPECT_EQ(ServerKind::other, identity.kind);
    EXPECT_EQ(NamingSource::none, identity.named_by);
    EXPECT_EQ("", identity.server_name) << "another connection keeps its address as its name";
}

TEST(FlowIdentity, OnPremServersByTheUsersNameCsluPortOrPath) {
    ConnectionNames none;
    FlowIdentity named = identify_flow(onprem, none, with({"10.1.1.20"}));
    EXPECT_EQ(ServerKind::onprem, named.kind);
    EXPECT_EQ(NamingSource::server, named.named_by);
    EXPECT_EQ("10.1.1.20", named.server_name);

    FlowIdentity by_port = identify_flow(cslu, none, {});
    EXPECT_EQ(ServerKind::onprem, by_port.kind);
    EXPECT_EQ(NamingSource::port, by_port.named_by);
    EXPECT_EQ("10.1.1.30:8182", by_port.server_name);

    ConnectionNames plain;
    plain.http_target = "/cslu/v1/pi/tenant";
    FlowIdentity by_path = identify_flow(Endpoint{onprem.ip, 80}, plain, {});
    EXPECT_EQ(ServerKind::onprem, by_path.kind);
    EXPECT_EQ(NamingSource::path, by_path.named_by);

    plain.http_target = "/index.html";
    EXPECT_EQ(ServerKind::other, identify_flow(Endpoint{onprem.ip, 80}, plain, {}).kind);
}

TEST(FlowIdentity, ThroughAProxyTheConnectTargetCounts) {
    ConnectionNames names;
    names.connect_host = "smartreceiver.cisco.com";
    FlowIdentity identity = identify_flow(proxy, names, with({}, {"10.1.1.3:3128"}));
    EXPECT_EQ(ServerKind::licensing, identity.kind);
    EXPECT_EQ(NamingSource::connect, identity.named_by);
    EXPECT_TRUE(identity.configured_proxy);

    names.connect_host = "www.example.com";
    identity = identify_flow(proxy, names, with({"10.1.1.3"}, {"10.1.1.3:3128"}));
    EXPECT_EQ(ServerKind::other, identity.kind) << "a --server matched by address is not the CONNECT target";
    EXPECT_EQ("www.example.com", identity.server_name);

    names.connect_host = "SSM.Example.COM";
    identity = identify_flow(proxy, names, with({"ssm.example.com"}, {"10.1.1.3:3128"}));
    EXPECT_EQ(ServerKind::onprem, identity.kind) << "a host name in any case";
    EXPECT_EQ(NamingSource::server, identity.named_by);
    names.connect_host = "10.1.1.20";
    EXPECT_EQ(ServerKind::onprem, identify_flow(proxy, names, with({"10.1.1.20"})).kind) << "an address";

    ConnectionNames nameless;
    identity = identify_flow(proxy, nameless, with({}, {"10.1.1.3:3128"}));
    EXPECT_EQ(ServerKind::licensing, identity.kind) << "a connection to the named proxy before its CONNECT was read";
    EXPECT_EQ(NamingSource::proxy, identity.named_by);
}

TEST(LicensingInterest, KeepsWhatTheIdentityNamesAndWhatTheUserAskedFor) {
    DnsTransactionTable dns;
    TcpFlow flow;
    flow.server = cisco;
    LicensingTargets none;
    std::set<std::uint16_t> no_ports;
    auto interested = licensing_interest(flow, dns, none, no_ports);
    EXPECT_TRUE(interested("smartreceiver.cisco.com", ""));
    EXPECT_TRUE(interested("", "tools.cisco.com:443"));
    EXPECT_FALSE(interested("www.example.com", ""));
    EXPECT_FALSE(interested("", ""));

    std::set<std::uint16_t> port_443{443};
    EXPECT_TRUE(licensing_interest(flow, dns, none, port_443)("www.example.com", "")) << "--port 443";
    LicensingTargets all;
    all.all_flows = true;
    EXPECT_TRUE(licensing_interest(flow, dns, all, no_ports)("www.example.com", "")) << "--all-flows";
    flow.server = onprem;
    LicensingTargets server = with({"10.1.1.20"});
    EXPECT_TRUE(licensing_interest(flow, dns, server, no_ports)("", "")) << "--server";
    flow.server = proxy;
    LicensingTargets proxies = with({}, {"10.1.1.3:3128"});
    EXPECT_TRUE(licensing_interest(flow, dns, proxies, no_ports)("", "www.example.com:443")) << "--proxy";
}

}  // namespace
}  // namespace trustcap
