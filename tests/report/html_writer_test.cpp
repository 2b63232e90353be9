#include <gtest/gtest.h>

#include "test_findings.h"

#include <regex>
#include <sstream>
#include <string>

#include "capture/packet.h"
#include "report/html_writer.h"

namespace trustcap {
namespace {

TimelineRow tcp_row(std::uint64_t frame, const Endpoint& from, const Endpoint& to, std::uint8_t flags) {
    TimelineRow row;
    row.frame = frame;
    row.time = Timestamp{1'710'234'900, static_cast<std::uint32_t>(frame * 1'000'000)};
    row.source = from.ip;
    row.destination = to.ip;
    row.source_port = from.port;
    row.destination_port = to.port;
    row.protocol = "TCP";
    row.tcp_flags = flags;
    row.info = std::to_string(from.port) + " \u2192 " + std::to_string(to.port);
    return row;
}

// Device and server: a handshake, a Client Hello, and the device's Unknown CA alert in frame 5.
FlowReport unknown_ca_flow() {
    FlowReport flow;
    flow.id = 1;
    flow.client = Endpoint{*IpAddress::parse("10.20.30.40"), 51512};
    flow.server = Endpoint{*IpAddress::parse("146.112.59.25"), 443};
    flow.kind = ServerKind::licensing;
    flow.server_name = "smartreceiver.cisco.com";
    flow.identified_by = NamingSource::sni;
    flow.start = Timestamp{1'710'234'900, 1'000'000};
    flow.end = Timestamp{1'710'234'900, 6'000'000};
    TimelineRow hello = tcp_row(4, flow.client, flow.server, tcp_flag::psh | tcp_flag::ack);
    hello.protocol = "TLSv1.2";
    hello.tls_handshake_types = {1};
    hello.info = "Client Hello (SNI=smartreceiver.cisco.com)";
    TimelineRow alert = tcp_row(5, flow.client, flow.server, tcp_flag::psh | tcp_flag::ack);
    alert.protocol = "TLSv1.2";
    alert.tls_alerts = {{2, 48}};
    alert.info = "Alert (Level: Fatal, Description: Unknown CA)";
    flow.timeline = {tcp_row(1, flow.client, flow.server, tcp_flag::syn),
                     tcp_row(2, flow.server, flow.client, tcp_flag::syn | tcp_flag::ack),
                     tcp_row(3, flow.client, flow.server, tcp_flag::ack), hello, alert};
    flow.steps = {StepResult{StepName::connect, StepStatus::not_applicable, {}, "no proxy"},
                  StepResult{StepName::tcp, StepStatus::pass, {1, 2, 3}, "SYN, SYN-ACK, ACK"},
                  StepResult{StepName::tls, StepStatus::fail, {4, 5}, "the device ended the handshake with an alert"}};
    flow.findings = {test_finding("tls.alert.unknown_ca", Severity::error, 1, "The device rejected the certificate",
                             "why", {5}, {"Exempt smartreceiver.cisco.com from SSL decryption", "show crypto pki trustpool"}),
                     test_finding("flow.healthy", Severity::info, 1, "a note", "why", {1, 2}, {})};
    return flow;
}

// Through a proxy: a handshake with the proxy and its 407 answer to the CONNECT in frame 5.
FlowReport proxy_flow() {
    FlowReport flow;
    flow.id = 2;
    flow.client = Endpoint{*IpAddress::parse("10.99.1.2"), 35346};
    flow.server = Endpoint{*IpAddress::parse("10.99.1.1"), 3128};
    flow.proxy = ProxyReport{flow.server, "smartreceiver.cisco.com:443", 407};
    flow.start = Timestamp{1'710'234'900, 1'000'000};
    flow.end = flow.start;
    TimelineRow connect = tcp_row(4, flow.client, flow.server, tcp_flag::psh | tcp_flag::ack);
    connect.protocol = "HTTP";
    connect.info = "CONNECT smartreceiver.cisco.com:443 HTTP/1.1";
    TimelineRow refused = tcp_row(5, flow.server, flow.client, tcp_flag::psh | tcp_flag::ack);
    refused.protocol = "HTTP";
    refused.info = "HTTP/1.1 407 Proxy Authentication Required";
    flow.timeline = {tcp_row(1, flow.client, flow.server, tcp_flag::syn),
                     tcp_row(2, flow.server, flow.client, tcp_flag::syn | tcp_flag::ack),
                     tcp_row(3, flow.client, flow.server, tcp_flag::ack), connect, refused};
    flow.timeline_omitted = 3;
    flow.steps = {StepResult{StepName::connect, StepStatus::fail, {4, 5}, "the proxy asked for credentials"}};
    return flow;
}

Report sample_report() {
    Report report;
    report.capture.file = "sample.pcap";
    report.capture.link_type = "EN10MB";
    report.capture.frames = 5;
    report.capture.first_time = Timestamp{1'710'234'900, 0};
    report.capture.last_time = Timestamp{1'710'234'900, 6'000'000};
    report.flows = {unknown_ca_flow(), proxy_flow()};
    report.findings = report.flows[0].findings;
    report.diagnosis = "The licensing connection failed at step tls.";
    return report;
}

std::size_t count_of(const std::string& text, const std::string& wanted) {
    std::size_t count = 0;
    for (std::size_t at = text.find(wanted); at != std::string::npos; at = text.find(wanted, at + wanted.size()))
        ++count;
    return count;
}

// The SVG of the flow with `id`, from its opening tag to its closing one.
std::string ladder_of(const std::string& html, std::uint64_t id) {
    const std::size_t section = html.find("<section class=\"flow\" id=\"flow-" + std::to_string(id) + "\"");
    const std::size_t start = html.find("<svg class=\"ladder\"", section);
    const std::size_t end = html.find("</svg>", start);
    EXPECT_NE(std::string::npos, section);
    EXPECT_NE(std::string::npos, end);
    return html.substr(start, end - start);
}

// The class of the arrow whose label starts with the frame `frame`.
std::string arrow_class_of(const std::string& svg, std::uint64_t frame) {
    std::smatch match;
    const std::regex arrow("<g class=\"(arrow[^\"]*)\" data-frame=\"" + std::to_string(frame) + "\"><title>Frame " +
                           std::to_string(frame) + ",");
    return std::regex_search(svg, match, arrow) ? match[1].str() : "";
}

TEST(HtmlWriter, IsOneSelfContainedPageWithTheCspAndNoScript) {
    const std::string html = to_html(sample_report());
    EXPECT_TRUE(html.starts_with("<!DOCTYPE html>\n<html lang=\"en\">"));
    EXPECT_NE(std::string::npos, html.find("<meta charset=\"utf-8\">"));
    EXPECT_NE(std::string::npos, html.find("<meta name=\"viewport\""));
    EXPECT_NE(std::string::npos, html.find("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
                                           "style-src 'unsafe-inline'; img-src data:\">"));
    EXPECT_EQ(std::string::npos, html.find("<script"));
    EXPECT_EQ(std::string::npos, html.find("<link"));
    EXPECT_EQ(std::string::npos, html.find("<img"));
    EXPECT_EQ(std::string::npos, html.find("url("));
    EXPECT_EQ(std::string::npos, html.find("@import"));
}

TEST(HtmlWriter, RefersToNothingOnTheNetwork) {
    std::string html = to_html(sample_report());
    EXPECT_EQ(count_of(html, "xmlns=\"http://www.w3.org/2000/svg\""), count_of(html, "http://") + count_of(html, "https://"))
        << "an unexpected http reference";
    EXPECT_FALSE(std::regex_search(html, std::regex(R"((src|href)\s*=\s*["']?(https?:)?//)", std::regex::icase)));
    EXPECT_FALSE(std::regex_search(html, std::regex(R"(href\s*=\s*["'][^#"'])")));
}

TEST(HtmlWriter, DrawsOneLadderPerFlowWithAnArrowPerTimelineRow) {
    const Report report = sample_report();
    const std::string html = to_html(report);
    EXPECT_EQ(report.flows.size(), count_of(html, "<svg class=\"ladder\" role=\"img\""));
    for (const FlowReport& flow : report.flows) {
        const std::string svg = ladder_of(html, flow.id);
        EXPECT_EQ(flow.timeline.size(), count_of(svg, "<g class=\"arrow")) << "flow " << flow.id;
        EXPECT_NE(std::string::npos, svg.find("<title id=")) << "flow " << flow.id;
        EXPECT_NE(std::string::npos, svg.find("<desc id=")) << "flow " << flow.id;
    }
}

TEST(HtmlWriter, MarksOnlyTheEvidenceOfAFailureAsFailing) {
    const std::string svg = ladder_of(to_html(sample_report()), 1);
    EXPECT_EQ("arrow failing", arrow_class_of(svg, 5));
    // The failed step tls is explained by the finding on frame 5: its Client Hello is not marked.
    for (std::uint64_t frame : {1, 2, 3, 4}) EXPECT_EQ("arrow", arrow_class_of(svg, frame)) << "frame " << frame;
    EXPECT_EQ(1u, count_of(svg, "class=\"arrow failing\""));
    EXPECT_NE(std::string::npos, svg.find(">\u2717 tls.alert.unknown_ca<")) << "a text marker besides the colour";
}

TEST(HtmlWriter, AProxyFlowHasThreeLifelinesADirectOneTwo) {
    const std::string html = to_html(sample_report());
    const std::string direct = ladder_of(html, 1);
    const std::string proxied = ladder_of(html, 2);
    EXPECT_EQ(2u, count_of(direct, "<g class=\"lifeline\""));
    EXPECT_EQ(3u, count_of(proxied, "<g class=\"lifeline\""));
    EXPECT_NE(std::string::npos, proxied.find(">smartreceiver.cisco.com:443<")) << "the server is the CONNECT target";
    EXPECT_NE(std::string::npos, proxied.find("3 packets not shown"));
    // A failed step without a finding is marked where it ended.
    EXPECT_EQ(1u, count_of(proxied, "class=\"arrow failing\""));
    EXPECT_EQ("arrow failing", arrow_class_of(proxied, 5));
    EXPECT_NE(std::string::npos, proxied.find("\u2717 step connect failed"));
}

// The text of the arrow for `frame` in one flow's diagram, up to its end.
std::string arrow_of(const std::string& svg, std::uint64_t frame) {
    const std::size_t start = svg.find("data-frame=\"" + std::to_string(frame) + "\"");
    if (start == std::string::npos) return "";
    return svg.substr(start, svg.find("</g>", start) - start);
}

TEST(HtmlWriter, TlsThroughAnOpenTunnelIsDrawnToTheServerRelayedAtTheProxy) {
    Report report = sample_report();
    FlowReport& flow = report.flows[1];
    flow.proxy->status = 200;
    flow.timeline[4].info = "HTTP/1.1 200 Connection established";
    flow.steps = {StepResult{StepName::connect, StepStatus::pass, {4, 5}, "answered 200"}};
    TimelineRow hello = flow.timeline[3];
    hello.frame = 6;
    hello.protocol = "TLSv1.2";
    hello.tls_handshake_types = {1};
    hello.info = "Client Hello";
    flow.timeline.push_back(hello);
    const std::string svg = ladder_of(to_html(report), flow.id);
    EXPECT_NE(std::string::npos, arrow_of(svg, 6).find("class=\"relay\"")) << arrow_of(svg, 6);
    for (std::uint64_t frame : {1, 4, 5}) EXPECT_EQ(std::string::npos, arrow_of(svg, frame).find("relay")) << frame;
    EXPECT_NE(std::string::npos, svg.find("TLS goes through its tunnel"));

    flow.proxy->status = 407;  // no tunnel: the Client Hello would stop at the proxy
    flow.steps = {StepResult{StepName::connect, StepStatus::fail, {4, 5}, "refused"}};
    EXPECT_EQ(std::string::npos, arrow_of(ladder_of(to_html(report), flow.id), 6).find("relay"));
}

TEST(HtmlWriter, DrawsAStepBandOverTheRowsOfEachStep) {
    const std::string svg = ladder_of(to_html(sample_report()), 1);
    EXPECT_EQ(2u, count_of(svg, "<g class=\"band "));  // connect has no frames
    EXPECT_NE(std::string::npos, svg.find("<g class=\"band pass\"><title>tcp: PASS"));
    EXPECT_NE(std::string::npos, svg.find("<g class=\"band fail\"><title>tls: FAIL"));
}

TEST(HtmlWriter, DrawsInferredMessagesDashedAndSaysSo) {
    Report report = sample_report();
    TimelineRow& hello = report.flows[0].timeline[3];
    hello.info = "Encrypted handshake (client flight: [Certificate, CertificateVerify,] Finished, inferred)";
    const std::string svg = ladder_of(to_html(report), 1);
    EXPECT_EQ(1u, count_of(svg, "class=\"inferred\""));
    EXPECT_NE(std::string::npos, svg.find("inferred: encrypted"));
}

TEST(HtmlWriter, EscapesHostileTextEverywhere) {
    Report report = sample_report();
    const std::string script = "<script>alert(1)</script>";
    report.capture.file = script + ".pcap";
    report.flows[0].server_name = script;
    report.flows[0].timeline[3].info = script;
    report.flows[0].timeline[3].tls_handshake_types.clear();
    report.flows[0].findings[0].fix = {script};
    report.flows[1].proxy->connect_target = "\"'><svg onload=x>\x1b[2J";
    const std::string html = to_html(report);
    EXPECT_EQ(std::string::npos, html.find("<script")) << html;
    EXPECT_EQ(std::string::npos, html.find("<svg onload"));
    EXPECT_EQ(std::string::npos, html.find('\x1b'));
    EXPECT_NE(std::string::npos, html.find("&lt;script&gt;alert(1)&lt;/script&gt;"));
}

TEST(HtmlWriter, ShortensLongLabelsInTheDiagramButKeepsThemInTheTitle) {
    Report report = sample_report();
    const std::string long_name(300, 'a');
    report.flows[0].server_name = long_name;
    report.flows[0].timeline[3].info = long_name;
    report.flows[0].timeline[3].tls_handshake_types.clear();
    const std::string svg = ladder_of(to_html(report), 1);
    EXPECT_FALSE(std::regex_search(svg, std::regex(">[^<]*a{120}[^<]*</text>"))) << "no label runs off the diagram";
    EXPECT_NE(std::string::npos, svg.find("a\u2026</text>"));
    EXPECT_TRUE(std::regex_search(svg, std::regex("<title>[^<]*a{300}[^<]*</title>"))) << "the full text stays";
}

TEST(HtmlWriter, ShowsTheVerdictStepsAndFixesAsText) {
    const std::string html = to_html(sample_report());
    EXPECT_NE(std::string::npos, html.find("Verdict: PROBLEM"));
    EXPECT_NE(std::string::npos, html.find("The licensing connection failed at step tls."));
    EXPECT_NE(std::string::npos, html.find("<section class=\"flow\" id=\"flow-1\">"));
    EXPECT_NE(std::string::npos, html.find("<span class=\"status fail\">FAIL</span>"));
    EXPECT_NE(std::string::npos, html.find("<pre><code>! Exempt smartreceiver.cisco.com from SSL decryption\n"
                                           "show crypto pki trustpool</code></pre>"));
}

TEST(HtmlWriter, TheSameReportGivesTheSameBytes) {
    const Report report = sample_report();
    EXPECT_EQ(to_html(report), to_html(report));
    std::ostringstream streamed;
    write_html(streamed, report);
    EXPECT_EQ(to_html(report), streamed.str());
}

}  // namespace
}  // namespace trustcap
