#include "report/frame_comments.h"

#include <gtest/gtest.h>

#include "test_findings.h"

#include <string>

#include "report/wire_text.h"

namespace trustcap {
namespace {

Report report_with(std::vector<Finding> findings) {
    Report report;
    report.findings = std::move(findings);
    return report;
}

TEST(FrameComments, EveryEvidenceFrameGetsTheFindingsThatNameIt) {
    const Report report = report_with({
        test_finding("dns.no_answer", Severity::error, std::nullopt, "No DNS answer", "why", {2}, {}),
        test_finding("tls.alert.unknown_ca", Severity::error, 1, "The device rejected the certificate", "why", {10}, {}),
        test_finding("tls.interception", Severity::warning, 1, "TLS is intercepted", "why", {8, 10}, {}),
        test_finding("flow.healthy", Severity::info, 2, "It worked", "why", {}, {}),
    });
    const auto comments = frame_comments(report);
    ASSERT_EQ(3U, comments.size());
    EXPECT_EQ("trustcap: dns.no_answer (error): No DNS answer", comments.at(2));
    EXPECT_EQ("trustcap: tls.interception (warning, flow 1): TLS is intercepted", comments.at(8));
    EXPECT_EQ("trustcap: tls.alert.unknown_ca (error, flow 1): The device rejected the certificate; "
              "trustcap: tls.interception (warning, flow 1): TLS is intercepted",
              comments.at(10));
}

TEST(FrameComments, TextFromTheCaptureIsMadePrintable) {
    const Report report =
        report_with({test_finding("tls.name_mismatch", Severity::error, 1, "Certificate for evil\x1b[2J.example\xff", "why",
                             {4}, {})});
    EXPECT_EQ("trustcap: tls.name_mismatch (error, flow 1): Certificate for evil\\x1B[2J.example\\xFF",
              frame_comments(report).at(4));
}

TEST(FrameComments, ACommentLongerThanAPcapngOptionIsCutAtACharacterWithAnEllipsis) {
    std::string summary;
    while (summary.size() < 70000) summary += "\u00e9";  // two bytes each: a cut may fall inside one
    const std::string comment =
        frame_comments(report_with({test_finding("tcp.reset", Severity::error, 1, summary, "why", {1}, {})})).at(1);
    EXPECT_LE(comment.size(), 65535U - 64U);
    EXPECT_GT(comment.size(), 65535U - 64U - 5U);
    EXPECT_TRUE(comment.ends_with("\u00e9\u2026")) << comment.substr(comment.size() - 8);
    EXPECT_TRUE(is_valid_utf8(comment));
}

}  // namespace
}  // namespace trustcap
