#include "report/finding_kinds.h"

#include <gtest/gtest.h>

#include <fstream>
#include <regex>
#include <set>
#include <sstream>
#include <string>

#include "report/finding.h"

namespace trustcap {
namespace {

// The ids in the first column of the README's table of findings.
std::set<std::string> ids_documented_in_readme() {
    std::ifstream readme(TRUSTCAP_SOURCE_DIR "/README.md");
    EXPECT_TRUE(readme) << "README.md not found";
    std::set<std::string> ids;
    std::string line;
    bool in_table = false;
    const std::regex code("`([^`]+)`");
    while (std::getline(readme, line)) {
        if (line.starts_with("| finding | what it means |")) {
            in_table = true;
            continue;
        }
        if (!in_table || line.starts_with("|---")) continue;
        if (!line.starts_with("| ")) break;
        std::string first_column = line.substr(2, line.find(" |", 2) - 2);
        for (std::sregex_iterator it(first_column.begin(), first_column.end(), code), end; it != end; ++it)
            ids.insert((*it)[1]);
    }
    return ids;
}

TEST(FindingCatalogue, EveryKindIsDocumentedInTheReadmeAndTheReadmeNamesNoOther) {
    std::set<std::string> documented = ids_documented_in_readme();
    ASSERT_FALSE(documented.empty()) << "the README's table of findings was not found";
    std::set<std::string> catalogued;
    for (const FindingKindInfo& info : finding_catalogue()) {
        catalogued.insert(std::string(info.id));
        EXPECT_TRUE(documented.contains(std::string(info.id))) << info.id << " is not in the README's table of findings";
    }
    for (const std::string& id : documented)
        EXPECT_TRUE(catalogued.contains(id)) << "the README documents " << id << ", which no finding kind has";
}

TEST(FindingCatalogue, IdsAreUniqueDottedAndDocumented) {
    std::set<std::string_view> ids;
    const std::regex form(R"([a-z0-9]+\.[a-z_]+(\.<name>)?)");
    for (const FindingKindInfo& info : finding_catalogue()) {
        EXPECT_TRUE(ids.insert(info.id).second) << info.id << " twice";
        EXPECT_TRUE(std::regex_match(std::string(info.id), form)) << info.id;
        EXPECT_FALSE(info.doc.empty()) << info.id;
    }
}

TEST(FindingCatalogue, AnIdLeadsBackToItsKind) {
    for (const FindingKindInfo& info : finding_catalogue()) {
        std::string id = info.id.find("<name>") == std::string_view::npos ? finding_id(info.kind)
                                                                          : finding_id(info.kind, "unknown_ca");
        EXPECT_EQ(info.kind, finding_kind_of(id)) << id;
    }
    EXPECT_EQ(FindingKind::tls_alert_inferred, finding_kind_of("tls.alert"));
    EXPECT_EQ("tls.alert.unknown_ca", finding_id(FindingKind::tls_alert_named, "unknown_ca"));
    EXPECT_FALSE(finding_kind_of("tls.alert."));
    EXPECT_FALSE(finding_kind_of("tls.alert.<name>")) << "a named kind whose name was never filled in";
    EXPECT_EQ(FindingKind::tls_alert_named, finding_kind_of("tls.alert.alert_99"));
    EXPECT_FALSE(finding_kind_of("tcp.resets"));
    EXPECT_THROW(finding_id(FindingKind::tls_alert_named), std::logic_error);
}

TEST(FindingCatalogue, AFindingTakesItsIdAndDefaultSeverityFromItsKind) {
    Finding refused{FindingKind::tcp_rst_to_syn, 4, "refused", "why"};
    EXPECT_EQ("tcp.rst_to_syn", refused.id);
    EXPECT_EQ(Severity::error, refused.severity);
    Finding cut{FindingKind::capture_ended_mid_flow, 4, "cut", "why"};
    EXPECT_EQ(Severity::warning, cut.severity);
    Finding alert = Finding{FindingKind::tls_alert_named, Severity::warning, 4, "alert", "why"}.named("bad_certificate");
    EXPECT_EQ("tls.alert.bad_certificate", alert.id);
    EXPECT_EQ(Severity::warning, alert.severity);
}

// What the diagnosis and the capture-loss rules rely on.
TEST(FindingCatalogue, ReasonsRootCausesAndAbsencesAreWhereTheJudgementExpectsThem) {
    for (const FindingKindInfo& info : finding_catalogue()) {
        if (info.family == FindingFamily::proxy) {
            EXPECT_EQ(step_bit(StepName::connect), info.explains) << info.id;
        }
        if (info.family == FindingFamily::tls) {
            EXPECT_TRUE(info.explains & step_bit(StepName::tls)) << info.id;
        }
        if (info.family == FindingFamily::capture || info.family == FindingFamily::dns) {
            EXPECT_EQ(0, info.explains) << info.id << ": capture and DNS findings explain no step of a flow";
        }
    }
    EXPECT_LT(finding_kind_info(FindingKind::tls_alert_named).reason_rank,
              finding_kind_info(FindingKind::tls13_client_abort).reason_rank);
    EXPECT_LT(finding_kind_info(FindingKind::tcp_rst_to_syn).reason_rank,
              finding_kind_info(FindingKind::tcp_no_synack).reason_rank);
    EXPECT_TRUE(finding_kind_info(FindingKind::tcp_no_synack).rests_on_absence);
    EXPECT_TRUE(finding_kind_info(FindingKind::app_no_response).rests_on_absence);
    EXPECT_FALSE(finding_kind_info(FindingKind::tcp_rst_to_syn).rests_on_absence);
    ASSERT_TRUE(finding_kind_info(FindingKind::tls_clock_wrong).root_cause_rank);
    ASSERT_TRUE(finding_kind_info(FindingKind::tls_interception).root_cause_rank);
    EXPECT_LT(*finding_kind_info(FindingKind::tls_clock_wrong).root_cause_rank,
              *finding_kind_info(FindingKind::tls_interception).root_cause_rank);
}

}  // namespace
}  // namespace trustcap
