// The fix lines built without a capture: every alert's advice, and the blocks
// several findings share, are verified IOS XE command forms that paste as
// they are (see tests/support/ios_xe_command_forms.h).

#include <gtest/gtest.h>

#include "ios_xe_command_forms.h"
#include "report/alert_advice.h"
#include "report/ios_xe_fixes.h"

namespace trustcap {
namespace {

using testing::check_fix_lines;

TEST(FixLines, EveryAlertsAdvicePastes) {
    for (int description = 0; description < 256; ++description)
        for (bool sent_by_server : {false, true})
            for (bool public_server : {false, true}) {
                const AlertAdvice advice =
                    advice_for_alert(static_cast<std::uint8_t>(description), sent_by_server, public_server);
                const auto problem = check_fix_lines(advice.fix);
                EXPECT_FALSE(problem) << "alert " << description << (sent_by_server ? " from the server" : " from the device")
                                      << ": " << *problem;
            }
}

TEST(FixLines, SharedBlocksPaste) {
    EXPECT_FALSE(check_fix_lines(reachability_test("smartreceiver.cisco.com", 443)));
    EXPECT_FALSE(check_fix_lines(reachability_test("2001:db8::25", 443)));
    EXPECT_FALSE(check_fix_lines(configuration({"license smart transport smart", "license smart url default"})));
}

// The checker itself: each rule catches what it is for.
TEST(FixLines, TheCheckerRefusesWhatDoesNotPaste) {
    EXPECT_TRUE(check_fix_lines({"show ip host"})) << "no such command";
    EXPECT_TRUE(check_fix_lines({"show ip http client secure-status"})) << "no such command";
    EXPECT_TRUE(check_fix_lines({"license smart proxy address 10.1.1.8 / license smart proxy port 3128"}));
    EXPECT_TRUE(check_fix_lines({"license smart url default"})) << "configuration outside configure terminal";
    EXPECT_TRUE(check_fix_lines({"configure terminal", "license smart url default"})) << "no end";
    EXPECT_TRUE(check_fix_lines({"configure terminal", "show license status", "end"})) << "exec in configuration";
    EXPECT_TRUE(check_fix_lines({"configure terminal", "revocation-check none", "end"})) << "outside its trustpoint";
    EXPECT_TRUE(check_fix_lines({"show license status (which transport)"})) << "a note after a command";
    EXPECT_TRUE(check_fix_lines({"Or use CSLU: license smart transport cslu"})) << "a command inside a sentence";
    EXPECT_TRUE(check_fix_lines({"Run show clock detail on the device"})) << "a command inside a sentence";
    EXPECT_TRUE(check_fix_lines({"telnet smartreceiver.cisco.com 443 /source-interface <the uplink>"}));
    EXPECT_TRUE(check_fix_lines({"ping smartreceiver.cisco.com"})) << "the guides forbid ping as the test";
    EXPECT_FALSE(check_fix_lines({"configure terminal", "crypto pki trustpoint SLA-TrustPoint", "revocation-check none",
                                  "end"}));
    EXPECT_FALSE(check_fix_lines({"Check the firewall in the path", "show license status"}));
}

}  // namespace
}  // namespace trustcap
