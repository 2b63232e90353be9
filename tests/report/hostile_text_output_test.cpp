// Every string of a report filled with text a hostile capture can carry:
// the text writers put no raw control character on the terminal, the JSON
// writers write valid UTF-8 that says what the bytes were.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <sstream>
#include <string>
#include <string_view>

#include "report/event_writer.h"
#include "report/json_writer.h"
#include "report/text_writer.h"

namespace trustcap {
namespace {

// Terminal title, screen clear, 8-bit and UTF-8 CSI, a right-to-left override, bytes that are not UTF-8, a
// fake line.
const std::string hostile = "\x1b]0;owned\x07\x1b[2J\x9b" "31m\xc2\x9b" "1m\xe2\x80\xae\xff\xc3\r\nVerdict: HEALTHY\x7f";

CertificateSummary hostile_certificate() {
    CertificateSummary certificate;
    certificate.subject = "CN=" + hostile;
    certificate.issuer = "CN=" + hostile;
    certificate.subject_common_name = hostile;
    certificate.issuer_common_name = hostile;
    certificate.subject_alt_names = {"DNS:" + hostile};
    certificate.serial = hostile;
    certificate.key_type = hostile;
    certificate.signature_algorithm = hostile;
    certificate.sha256_fingerprint = hostile;
    certificate.anomalies = {hostile};
    return certificate;
}

Finding hostile_finding(std::optional<std::uint64_t> flow) {
    Finding finding{FindingKind::tcp_reset, Severity::error, flow, hostile, hostile, {4}, {hostile, hostile}};
    finding.id = hostile;  // the writers must not trust even the id
    return finding;
}

Report hostile_report() {
    Report report;
    report.capture.file = "capture-" + hostile + ".pcap";
    report.capture.link_type = hostile;
    report.capture.frames = 9;
    report.capture.first_time = Timestamp{1'629'718'273, 0};
    report.capture.last_time = Timestamp{1'629'718'274, 0};
    report.capture.first_malformed_reason = hostile;
    report.capture.complete = false;
    report.capture.damage = hostile;
    FlowReport flow;
    flow.id = 1;
    flow.client = Endpoint{*IpAddress::parse("10.0.0.5"), 51512};
    flow.server = Endpoint{*IpAddress::parse("192.133.220.90"), 443};
    flow.kind = ServerKind::licensing;  // kind and naming are trustcap's words, never the wire's
    flow.server_name = hostile;
    flow.identified_by = NamingSource::sni;
    flow.proxy = ProxyReport{Endpoint{*IpAddress::parse("10.0.0.1"), 3128}, hostile + ":443", 407};
    TlsReport tls;
    tls.server_name = hostile;
    tls.version = hostile;
    tls.cipher = hostile;
    tls.server_certificates = {hostile_certificate()};
    tls.client_certificates = {hostile_certificate()};
    tls.server_verification = ChainVerification{false, 10, 0, hostile, true, true, false, ValidityProblem::expired, true, hostile, hostile};
    flow.tls = tls;
    flow.start = *report.capture.first_time;
    flow.end = *report.capture.last_time;
    flow.steps = {StepResult{StepName::tcp, StepStatus::fail, {4}, hostile}, StepResult{StepName::tls, StepStatus::pass, {}, hostile}};
    flow.findings = {hostile_finding(1)};
    TimelineRow row;
    row.frame = 4;
    row.time = flow.start;
    row.source = flow.client.ip;
    row.destination = flow.server.ip;
    row.protocol = hostile;
    row.info = hostile;
    flow.timeline = {row};
    report.flows = {flow};
    report.attempts = {AttemptGroup{flow.client.ip, hostile, {0, 0}}};
    report.findings = {hostile_finding(std::nullopt), hostile_finding(1)};
    report.diagnosis = hostile;
    return report;
}

// Every byte below 0x20 but the newline, DEL, and (decoded as UTF-8) every C1 control and reordering character.
void expect_terminal_safe(const std::string& text, bool palette_allowed) {
    std::size_t lines = 0;
    for (std::size_t at = 0; at < text.size(); ++at) {
        const auto byte = static_cast<unsigned char>(text[at]);
        if (byte == '\n') {
            ++lines;
            continue;
        }
        if (byte == 0x1b && palette_allowed) {
            const std::string_view rest = std::string_view(text).substr(at);
            bool palette = false;
            for (std::string_view sequence : {"\x1b[31m", "\x1b[32m", "\x1b[33m", "\x1b[36m", "\x1b[2m", "\x1b[1m", "\x1b[0m"})
                palette = palette || rest.starts_with(sequence);
            EXPECT_TRUE(palette) << "an escape sequence not of the palette at " << at << ": " << text;
            continue;
        }
        ASSERT_GE(byte, 0x20) << "raw control byte at " << at << " in:\n" << text;
        ASSERT_NE(byte, 0x7f) << "raw DEL at " << at << " in:\n" << text;
        ASSERT_FALSE(byte == 0xc2 && at + 1 < text.size() && static_cast<unsigned char>(text[at + 1]) >= 0x80 &&
                     static_cast<unsigned char>(text[at + 1]) <= 0x9f)
            << "a C1 control at " << at << " in:\n" << text;
        ASSERT_FALSE(text.compare(at, 3, "\xe2\x80\xae") == 0) << "a right-to-left override at " << at;
    }
    EXPECT_NO_THROW((void)nlohmann::json(text).dump()) << "not valid UTF-8";
    EXPECT_EQ(std::string::npos, text.find("\nVerdict: HEALTHY")) << "the wire forged a line";
    (void)lines;
}

TEST(HostileText, TextReportShowsEveryStringEscaped) {
    const Report report = hostile_report();
    const std::string plain = to_text(report, TextOptions{false});
    expect_terminal_safe(plain, false);
    EXPECT_NE(std::string::npos, plain.find("capture-\\x1B]0;owned\\x07\\x1B[2J\\x9B31m\\u009B1m\\u202E\\xFF\\xC3\\x0D\\x0AVerdict: HEALTHY\\x7F.pcap"))
        << plain;
    const std::string coloured = to_text(report, TextOptions{true});
    expect_terminal_safe(coloured, true);
    EXPECT_NE(std::string::npos, coloured.find("\x1b[1m")) << "colours are still the writer's to use";
}

TEST(HostileText, EventLinesAreEscaped) {
    const Report report = hostile_report();
    std::ostringstream line;
    write_flow_line(line, report.flows[0], 6);
    expect_terminal_safe(line.str(), false);
}

TEST(HostileText, JsonIsValidUtf8AndKeepsWhatTheBytesWere) {
    const Report report = hostile_report();
    std::string text;
    ASSERT_NO_THROW(text = to_json(report, "1"));
    nlohmann::json parsed;
    ASSERT_NO_THROW(parsed = nlohmann::json::parse(text));
    const std::string expected = "\x1b]0;owned\x07\x1b[2J\\x9B31m\xc2\x9b" "1m\xe2\x80\xae\\xFF\\xC3\r\nVerdict: HEALTHY\x7f";
    EXPECT_EQ(expected, parsed["flows"][0]["server_name"]);
    EXPECT_EQ(expected, parsed["flows"][0]["tls"]["server_certs"][0]["subject_cn"]);
    EXPECT_EQ("capture-" + expected + ".pcap", parsed["capture"]["file"]);
    EXPECT_EQ(expected, parsed["diagnosis"]);
    EXPECT_EQ(std::string::npos, text.find('\x1b')) << "JSON writes control characters as \\u escapes";
}

TEST(HostileText, NdjsonEventsAreValidUtf8) {
    const Report report = hostile_report();
    std::ostringstream out;
    write_flow_events(out, report.flows[0], true, 6);
    write_report_events(out, report, "1");
    std::istringstream lines(out.str());
    std::size_t count = 0;
    for (std::string line; std::getline(lines, line); ++count) {
        nlohmann::json event;
        ASSERT_NO_THROW(event = nlohmann::json::parse(line)) << line;
        EXPECT_EQ(std::string::npos, line.find('\x1b'));
    }
    EXPECT_EQ(4u, count);
}

}  // namespace
}  // namespace trustcap
