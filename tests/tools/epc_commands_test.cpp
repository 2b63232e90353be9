#include "tools/trustcap/epc_commands.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <functional>
#include <sstream>
#include <stdexcept>

namespace trustcap {
namespace {

EpcOptions options_on(const std::string& interface) {
    EpcOptions options;
    options.interface = interface;
    return options;
}

std::vector<std::string> lines_of(const std::string& text) {
    std::vector<std::string> lines;
    std::istringstream stream(text);
    for (std::string line; std::getline(stream, line);) lines.push_back(line);
    return lines;
}

bool has_line(const std::string& text, const std::string& wanted) {
    for (const std::string& line : lines_of(text)) {
        if (line == wanted) return true;
    }
    return false;
}

void expect_dns_both_ways(const std::string& text) {
    EXPECT_TRUE(has_line(text, " permit udp any any eq 53"));
    EXPECT_TRUE(has_line(text, " permit udp any eq 53 any"));
    EXPECT_TRUE(has_line(text, " permit tcp any any eq 53"));
    EXPECT_TRUE(has_line(text, " permit tcp any eq 53 any"));
}

bool has_placeholder(const std::string& text) { return text.find('<') != std::string::npos; }

TEST(EpcCommands, DirectCaseWithoutAddressesMatchesTheHttpsPortOfAnyHost) {
    std::string text = epc_commands(options_on("GigabitEthernet1/0/48"));
    EXPECT_TRUE(has_line(text, "ip access-list extended CSSM-ACL"));
    EXPECT_TRUE(has_line(text, " permit tcp any any eq 443"));
    EXPECT_TRUE(has_line(text, " permit tcp any eq 443 any"));
    expect_dns_both_ways(text);
    EXPECT_FALSE(has_placeholder(text)) << text;
    EXPECT_NE(std::string::npos, text.find("No --address for smartreceiver.cisco.com"));
    EXPECT_NE(std::string::npos, text.find("--address NAME=IP"));
    EXPECT_EQ(std::string::npos, text.find("ping ")) << "the guides test with telnet, never ping";
    EXPECT_NE(std::string::npos, text.find("several"));
}

TEST(EpcCommands, EveryAddressGivenForSmartreceiverGetsItsPairOfEntries) {
    EpcOptions options = options_on("Gi1/0/48");
    options.addresses = {"smartreceiver.cisco.com=146.112.59.25", "SmartReceiver.Cisco.com=72.163.15.144"};
    std::string text = epc_commands(options);
    for (const char* address : {"146.112.59.25", "72.163.15.144"}) {
        EXPECT_TRUE(has_line(text, std::string(" permit tcp any host ") + address + " eq 443"));
        EXPECT_TRUE(has_line(text, std::string(" permit tcp host ") + address + " eq 443 any"));
    }
    EXPECT_FALSE(has_line(text, " permit tcp any any eq 443"));
    EXPECT_EQ(std::string::npos, text.find("No --address"));
}

TEST(EpcCommands, CaptureCommandsNameTheInterfaceCaptureAndFile) {
    std::string text = epc_commands(options_on("GigabitEthernet1/0/48"));
    EXPECT_TRUE(has_line(text, "monitor capture CSSM interface GigabitEthernet1/0/48 both"));
    EXPECT_TRUE(has_line(text, "monitor capture CSSM access-list CSSM-ACL"));
    EXPECT_TRUE(has_line(text, "monitor capture CSSM buffer size 100"));
    EXPECT_TRUE(has_line(text, "monitor capture CSSM start"));
    EXPECT_TRUE(has_line(text, "license smart sync all"));
    EXPECT_TRUE(has_line(text, "show license status"));
    EXPECT_TRUE(has_line(text, "show license history message"));
    EXPECT_TRUE(has_line(text, "monitor capture CSSM stop"));
    EXPECT_TRUE(has_line(text, "monitor capture CSSM export location flash:cssm.pcap"));
    EXPECT_TRUE(has_line(text, "no monitor capture CSSM"));
    EXPECT_TRUE(has_line(text, "no ip access-list extended CSSM-ACL"));
    EXPECT_TRUE(has_line(text, "!   trustcap cssm.pcap"));
}

// The copy asks questions: a line pasted after it would be read as an answer, so the clean-up comes first.
TEST(EpcCommands, CommandsComeInWorkflowOrder) {
    std::string text = epc_commands(options_on("Gi1/0/48"));
    std::vector<std::string> in_order = {"ip access-list extended CSSM-ACL\n",
                                         "monitor capture CSSM interface Gi1/0/48 both\n",
                                         "monitor capture CSSM start\n",
                                         "license smart sync all\n",
                                         "show license status\n",
                                         "monitor capture CSSM stop\n",
                                         "monitor capture CSSM export location flash:cssm.pcap\n",
                                         "no monitor capture CSSM\n",
                                         "no ip access-list extended CSSM-ACL\n",
                                         "end\n",
                                         "copy flash:cssm.pcap ",
                                         "Troubleshooting > Packet Capture",
                                         "trustcap cssm.pcap"};
    std::size_t previous = 0;
    for (const std::string& piece : in_order) {
        std::size_t at = text.find(piece, previous);
        ASSERT_NE(std::string::npos, at) << piece;
        previous = at;
    }
}

TEST(EpcCommands, ProxyCasePermitsTheProxyBothWaysAndMirrorsTheOption) {
    EpcOptions options = options_on("TenGigabitEthernet0/0/1");
    options.proxies = {"10.1.1.8:3128"};
    std::string text = epc_commands(options);
    EXPECT_TRUE(has_line(text, " permit tcp any host 10.1.1.8 eq 3128"));
    EXPECT_TRUE(has_line(text, " permit tcp host 10.1.1.8 eq 3128 any"));
    expect_dns_both_ways(text);
    EXPECT_FALSE(has_line(text, " permit tcp any any eq 443")) << "the device talks to the proxy only";
    EXPECT_TRUE(has_line(text, "!   trustcap --proxy 10.1.1.8:3128 cssm.pcap"));
}

TEST(EpcCommands, ProxyGivenByNameMatchesItsPortUntilAnAddressIsGiven) {
    EpcOptions options = options_on("Gi1/0/1");
    options.proxies = {"proxy.corp:8080"};
    std::string text = epc_commands(options);
    EXPECT_TRUE(has_line(text, " permit tcp any any eq 8080"));
    EXPECT_TRUE(has_line(text, " permit tcp any eq 8080 any"));
    EXPECT_NE(std::string::npos, text.find("No --address for proxy.corp"));
    EXPECT_FALSE(has_placeholder(text)) << text;
    options.addresses = {"proxy.corp=10.1.1.8"};
    text = epc_commands(options);
    EXPECT_TRUE(has_line(text, " permit tcp any host 10.1.1.8 eq 8080"));
    EXPECT_TRUE(has_line(text, " permit tcp host 10.1.1.8 eq 8080 any"));
    EXPECT_FALSE(has_line(text, " permit tcp any any eq 8080"));
}

TEST(EpcCommands, OnPremServerWithPortPermitsThatPort) {
    EpcOptions options = options_on("Gi1/0/48");
    options.servers = {"10.50.0.10:8443"};
    std::string text = epc_commands(options);
    EXPECT_TRUE(has_line(text, " permit tcp any host 10.50.0.10 eq 8443"));
    EXPECT_TRUE(has_line(text, " permit tcp host 10.50.0.10 eq 8443 any"));
    EXPECT_FALSE(has_line(text, " permit tcp any host 10.50.0.10 eq 443"));
    EXPECT_FALSE(has_line(text, " permit tcp any any eq 443"));
    EXPECT_TRUE(has_line(text, "!   trustcap --server 10.50.0.10:8443 cssm.pcap"));
}

// SSM On-Prem serves http://<server>/cslu/v1/pi/<tenant-id> on port 80 and HTTPS on 443; CSLU listens on 8182.
TEST(EpcCommands, OnPremServerWithoutPortPermitsHttpHttpsAndCslu) {
    EpcOptions options = options_on("Gi1/0/48");
    options.servers = {"ssm.corp"};
    options.addresses = {"ssm.corp=10.50.0.10"};
    std::string text = epc_commands(options);
    for (const char* port : {"80", "443", "8182"}) {
        EXPECT_TRUE(has_line(text, std::string(" permit tcp any host 10.50.0.10 eq ") + port));
        EXPECT_TRUE(has_line(text, std::string(" permit tcp host 10.50.0.10 eq ") + port + " any"));
    }
    EXPECT_TRUE(has_line(text, "!   trustcap --server ssm.corp cssm.pcap"));
}

TEST(EpcCommands, ProxiesAndServersAreAllMirrored) {
    EpcOptions options = options_on("Gi1/0/48");
    options.proxies = {"10.1.1.8:3128", "10.1.1.9:8080"};
    options.servers = {"ssm.corp:8443"};
    std::string text = epc_commands(options);
    EXPECT_TRUE(has_line(text, " permit tcp any host 10.1.1.9 eq 8080"));
    EXPECT_TRUE(has_line(text, " permit tcp any any eq 8443"));
    EXPECT_TRUE(
        has_line(text, "!   trustcap --proxy 10.1.1.8:3128 --proxy 10.1.1.9:8080 --server ssm.corp:8443 cssm.pcap"));
}

TEST(EpcCommands, TwoNamesWithoutAddressOnOnePortGiveOneEntryEachWay) {
    EpcOptions options = options_on("Gi1/0/48");
    options.proxies = {"proxy-a.corp:8080", "proxy-b.corp:8080"};
    std::vector<std::string> lines = lines_of(epc_commands(options));
    EXPECT_EQ(1, std::count(lines.begin(), lines.end(), " permit tcp any any eq 8080"));
    EXPECT_EQ(1, std::count(lines.begin(), lines.end(), " permit tcp any eq 8080 any"));
}

TEST(EpcCommands, IdtokenReplacesTheSync) {
    EpcOptions options = options_on("Gi1/0/48");
    options.idtoken = "NmY3ZTQ5ZmMtYzQ1OS00";
    std::string text = epc_commands(options);
    EXPECT_TRUE(has_line(text, "license smart trust idtoken NmY3ZTQ5ZmMtYzQ1OS00 all force"));
    EXPECT_FALSE(has_line(text, "license smart sync all"));
}

TEST(EpcCommands, CopyDestinationIsUsedAndCompletedWithTheFileName) {
    EpcOptions options = options_on("Gi1/0/48");
    options.copy_to = "scp://admin@10.1.1.5/";
    EXPECT_TRUE(has_line(epc_commands(options), "copy flash:cssm.pcap scp://admin@10.1.1.5/cssm.pcap"));
    options.copy_to = "tftp://10.1.1.5/captures/license.pcap";
    EXPECT_TRUE(has_line(epc_commands(options), "copy flash:cssm.pcap tftp://10.1.1.5/captures/license.pcap"));
}

TEST(EpcCommands, WithoutCopyDestinationTheDeviceAsksForIt) {
    std::string text = epc_commands(options_on("Gi1/0/48"));
    EXPECT_TRUE(has_line(text, "copy flash:cssm.pcap scp:"));
    EXPECT_FALSE(has_placeholder(text)) << text;
}

TEST(EpcCommands, CustomCaptureAndFileNamesAreUsedEverywhere) {
    EpcOptions options = options_on("Gi2/0/1");
    options.capture_name = "LIC_1";
    options.file_name = "lic-2024.pcap";
    std::string text = epc_commands(options);
    EXPECT_TRUE(has_line(text, "ip access-list extended LIC_1-ACL"));
    EXPECT_TRUE(has_line(text, "monitor capture LIC_1 interface Gi2/0/1 both"));
    EXPECT_TRUE(has_line(text, "monitor capture LIC_1 access-list LIC_1-ACL"));
    EXPECT_TRUE(has_line(text, "monitor capture LIC_1 export location flash:lic-2024.pcap"));
    EXPECT_TRUE(has_line(text, "no monitor capture LIC_1"));
    EXPECT_TRUE(has_line(text, "!   - Capture Name: LIC_1"));
    EXPECT_TRUE(has_line(text, "!   trustcap lic-2024.pcap"));
    EXPECT_EQ(std::string::npos, text.find("CSSM"));
}

TEST(EpcCommands, ControlPlaneIsCapturedWithItsOwnForm) {
    std::string text = epc_commands(options_on("control-plane"));
    EXPECT_TRUE(has_line(text, "monitor capture CSSM control-plane both"));
    EXPECT_EQ(std::string::npos, text.find("interface control-plane"));
}

TEST(EpcCommands, WebUiAlternativeListsTheSettings) {
    std::string text = epc_commands(options_on("GigabitEthernet1"));
    EXPECT_NE(std::string::npos, text.find("Troubleshooting > Packet Capture"));
    EXPECT_TRUE(has_line(text, "!   - Monitor Control Plane: on"));
    EXPECT_TRUE(has_line(text, "!   - Buffer Size (MB): 100"));
    EXPECT_TRUE(has_line(text, "!   - Filter by: ACL CSSM-ACL"));
    EXPECT_TRUE(has_line(text, "!   - Interface: GigabitEthernet1"));
}

TEST(EpcCommands, EveryLineIsCleanAndEveryCommentIsMarked) {
    EpcOptions options = options_on("Gi1/0/48");
    options.proxies = {"proxy.corp:3128"};
    options.servers = {"10.50.0.10"};
    options.idtoken = "token";
    options.platform = "C9500";  // with the Guest Shell block
    std::string text = epc_commands(options);
    ASSERT_NE(std::string::npos, text.find("guestshell run"));
    ASSERT_FALSE(text.empty());
    EXPECT_EQ('\n', text.back());
    EXPECT_EQ(std::string::npos, text.find('\t'));
    EXPECT_EQ(std::string::npos, text.find('\r'));
    for (const std::string& line : lines_of(text)) {
        ASSERT_FALSE(line.empty());
        EXPECT_NE(' ', line.back()) << line;
        if (line.starts_with('!')) {  // a command is as long as it must be
            EXPECT_LE(line.size(), 110u) << line;
        }
    }
}

TEST(EpcCommands, UnusableOptionsThrowWithTheCheckMessage) {
    try {
        epc_commands(options_on(""));
        FAIL() << "expected std::invalid_argument";
    } catch (const std::invalid_argument& error) {
        EXPECT_EQ(*check_epc_options(options_on("")), error.what());
    }
}

TEST(CheckEpcOptions, AcceptsUsableOptions) {
    EpcOptions options = options_on("GigabitEthernet1/0/48");
    options.proxies = {"10.1.1.8:3128", "proxy.corp:8080"};
    options.servers = {"10.50.0.10:8443", "ssm.corp", "10.50.0.11"};
    options.idtoken = "NmY3ZTQ5ZmMtYzQ1OS00%0AMTY2NjE3OTk4fDdM";
    options.copy_to = "scp://user@10.1.1.5/";
    options.capture_name = "A-b_9";
    EXPECT_EQ(std::nullopt, check_epc_options(options));
    EXPECT_EQ(std::nullopt, check_epc_options(options_on("control-plane")));
}

struct BadOptionsCase {
    const char* what;
    EpcOptions options;
    const char* message_mentions;
};

EpcOptions with(const std::function<void(EpcOptions&)>& change) {
    EpcOptions options = options_on("Gi1/0/48");
    change(options);
    return options;
}

TEST(CheckEpcOptions, RejectsEachBadInputWithOneLine) {
    std::vector<BadOptionsCase> cases = {
        {"empty interface", with([](EpcOptions& o) { o.interface.clear(); }), "interface"},
        {"interface with a space", with([](EpcOptions& o) { o.interface = "Gi 1/0/48"; }), "interface"},
        {"interface with a control char", with([](EpcOptions& o) { o.interface = "Gi1/0/48\n"; }), "interface"},
        {"empty capture name", with([](EpcOptions& o) { o.capture_name.clear(); }), "capture name"},
        {"capture name too long", with([](EpcOptions& o) { o.capture_name = std::string(32, 'A'); }), "capture name"},
        {"capture name with a dot", with([](EpcOptions& o) { o.capture_name = "CSSM.1"; }), "capture name"},
        {"capture name with a space", with([](EpcOptions& o) { o.capture_name = "CS SM"; }), "capture name"},
        {"file not .pcap", with([](EpcOptions& o) { o.file_name = "cssm.pcapng"; }), "file name"},
        {"file only the suffix", with([](EpcOptions& o) { o.file_name = ".pcap"; }), "file name"},
        {"file with flash:", with([](EpcOptions& o) { o.file_name = "flash:cssm.pcap"; }), "file name"},
        {"proxy without port", with([](EpcOptions& o) { o.proxies = {"10.1.1.8"}; }), "proxy"},
        {"proxy with port 0", with([](EpcOptions& o) { o.proxies = {"10.1.1.8:0"}; }), "proxy"},
        {"proxy with port too big", with([](EpcOptions& o) { o.proxies = {"10.1.1.8:65536"}; }), "proxy"},
        {"proxy with bad address", with([](EpcOptions& o) { o.proxies = {"10.1.1.300:3128"}; }), "proxy"},
        {"proxy empty", with([](EpcOptions& o) { o.proxies = {""}; }), "proxy"},
        {"proxy with a scheme", with([](EpcOptions& o) { o.proxies = {"http://proxy:3128"}; }), "proxy"},
        {"server with bad name", with([](EpcOptions& o) { o.servers = {"ssm corp:8443"}; }), "server"},
        {"server with empty port", with([](EpcOptions& o) { o.servers = {"ssm.corp:"}; }), "server"},
        {"server with empty host", with([](EpcOptions& o) { o.servers = {":8443"}; }), "server"},
        {"server as IPv6", with([](EpcOptions& o) { o.servers = {"[2001:db8::1]:8443"}; }), "IPv6"},
        {"idtoken with a space", with([](EpcOptions& o) { o.idtoken = "abc def"; }), "idtoken"},
        {"idtoken empty", with([](EpcOptions& o) { o.idtoken = ""; }), "idtoken"},
        {"copy_to with a space", with([](EpcOptions& o) { o.copy_to = "scp://u@h/ x"; }), "copy"},
        {"unknown platform", with([](EpcOptions& o) { o.platform = "9900"; }), "9800-L, 9800-40"},
        {"address without =", with([](EpcOptions& o) { o.addresses = {"146.112.59.25"}; }), "NAME=IP"},
        {"address not IPv4", with([](EpcOptions& o) { o.addresses = {"smartreceiver.cisco.com=x"}; }), "IPv4"},
        {"address of an unused name", with([](EpcOptions& o) { o.addresses = {"ssm.corp=10.1.1.1"}; }),
         "names no ssm.corp"},
        {"smartreceiver address behind a proxy", with([](EpcOptions& o) {
             o.proxies = {"10.1.1.8:3128"};
             o.addresses = {"smartreceiver.cisco.com=146.112.59.25"};
         }),
         "names no smartreceiver.cisco.com"},
    };
    for (const BadOptionsCase& bad : cases) {
        std::optional<std::string> message = check_epc_options(bad.options);
        ASSERT_TRUE(message) << bad.what;
        EXPECT_FALSE(message->empty()) << bad.what;
        EXPECT_EQ(std::string::npos, message->find('\n')) << bad.what << ": " << *message;
        EXPECT_NE(std::string::npos, message->find(bad.message_mentions)) << bad.what << ": " << *message;
    }
}

TEST(EpcCommands, ExportsToTheChosenFileSystem) {
    EpcOptions options = options_on("Gi1/0/48");
    options.storage = "bootflash";
    std::string text = epc_commands(options);
    EXPECT_TRUE(has_line(text, "monitor capture CSSM export location bootflash:cssm.pcap"));
    EXPECT_TRUE(has_line(text, "copy bootflash:cssm.pcap scp:"));
    EXPECT_EQ(std::string::npos, text.find(" flash:")) << "no line still names flash:";
    options.storage = "disk0";
    EXPECT_EQ("storage \"disk0\": give flash, bootflash or usbflash0", check_epc_options(options));
}

TEST(EpcCommands, ThePlatformChoosesTheFileSystemUnlessOneIsGiven) {
    const std::vector<std::pair<std::string, std::string>> platforms = {
        {"9800-L", "bootflash"}, {"9800-40", "bootflash"}, {"9800-80", "bootflash"}, {"9800-cl", "bootflash"},
        {"C9200", "flash"},      {"c9300", "flash"},       {"9400", "bootflash"},    {"C9500", "bootflash"},
        {"", "flash"}};
    for (const auto& [platform, storage] : platforms) {
        EpcOptions options = options_on("Gi1/0/48");
        options.platform = platform;
        ASSERT_EQ(std::nullopt, check_epc_options(options)) << platform;
        EXPECT_TRUE(has_line(epc_commands(options), "monitor capture CSSM export location " + storage + ":cssm.pcap"))
            << platform;
        options.storage = "usbflash0";
        EXPECT_TRUE(has_line(epc_commands(options), "monitor capture CSSM export location usbflash0:cssm.pcap"))
            << platform;
    }
}

TEST(EpcCommands, OnlyA9800GetsTheWebUiBlock) {
    EpcOptions options = options_on("Gi1/0/48");
    options.platform = "9800-40";
    std::string text = epc_commands(options);
    EXPECT_NE(std::string::npos, text.find("Troubleshooting > Packet Capture"));
    EXPECT_TRUE(has_line(text, "! 6. On your computer, analyse the copied file:"));
    EXPECT_NE(std::string::npos, text.find("(IOS XE, Catalyst 9800-40)"));
    options.platform = "C9300";
    text = epc_commands(options);
    EXPECT_EQ(std::string::npos, text.find("Troubleshooting > Packet Capture"));
    EXPECT_TRUE(has_line(text, "! 5. On your computer, analyse the copied file:"));
}

TEST(EpcCommands, ACatalyst9000SwitchWithGuestShellGetsTheStepsToJudgeTheFileThere) {
    const std::vector<std::pair<std::string, std::string>> switches = {
        {"C9300", "flash"}, {"C9400", "bootflash"}, {"c9500", "bootflash"}};
    for (const auto& [platform, storage] : switches) {
        EpcOptions options = options_on("Gi1/0/48");
        options.platform = platform;
        options.proxies = {"10.1.1.8:3128"};
        const std::string text = epc_commands(options);
        const std::string share = storage + ":guest-share/";
        const std::string inside = "/" + storage + "/guest-share/";
        std::vector<std::string> in_order = {"! 5. On your computer, analyse the copied file:\n",
                                             "! 6. Or judge the file on the Catalyst 9",
                                             "\nconfigure terminal\niox\napp-hosting appid guestshell\n"
                                             " app-vnic management guest-interface 0\nend\n"
                                             "show iox-service\nguestshell enable\n",
                                             "\ncopy " + storage + ":cssm.pcap " + share + "cssm.pcap\n",
                                             "\ncopy scp: " + share + "trustcap\n",
                                             "\nguestshell run chmod 755 " + inside + "trustcap\n",
                                             "\nguestshell run " + inside + "trustcap --proxy 10.1.1.8:3128 " + inside +
                                                 "cssm.pcap\n"};
        std::size_t previous = 0;
        for (const std::string& piece : in_order) {
            std::size_t at = text.find(piece, previous);
            ASSERT_NE(std::string::npos, at) << platform << ": " << piece;
            previous = at;
        }
        EXPECT_EQ(previous + in_order.back().size(), text.size()) << platform << ": the Guest Shell block comes last";
    }
}

TEST(EpcCommands, TheCaptureGoesToGuestShellFromWhereverItWasExported) {
    EpcOptions options = options_on("Gi1/0/48");
    options.platform = "C9300";
    options.storage = "usbflash0";
    options.file_name = "sync.pcap";
    const std::string text = epc_commands(options);
    EXPECT_TRUE(has_line(text, "copy usbflash0:sync.pcap flash:guest-share/sync.pcap"));
    EXPECT_TRUE(has_line(text, "guestshell run /flash/guest-share/trustcap /flash/guest-share/sync.pcap"));
}

TEST(EpcCommands, NoGuestShellStepsWhereThePlatformHasNoneOrIsNotKnown) {
    for (const char* platform : {"9800-L", "9800-40", "9800-80", "9800-CL", "C9200", ""}) {
        EpcOptions options = options_on("Gi1/0/48");
        options.platform = platform;
        const std::string text = epc_commands(options);
        EXPECT_EQ(std::string::npos, text.find("guest")) << platform;
        EXPECT_EQ(std::string::npos, text.find("iox")) << platform;
    }
}

TEST(CheckEpcOptions, A9200RefusesLogicalInterfacesAndItsManagementPort) {
    EpcOptions options = options_on("Gi1/0/48");
    options.platform = "C9200";
    EXPECT_EQ(std::nullopt, check_epc_options(options));
    for (const char* logical : {"Vlan10", "Port-channel1", "Po2", "Gi1/0/1.100", "GigabitEthernet0/0", "Gig0/0", "G0/0",
                                "Loopback0"}) {
        options.interface = logical;
        std::optional<std::string> problem = check_epc_options(options);
        ASSERT_TRUE(problem) << logical;
        EXPECT_NE(std::string::npos, problem->find("physical ports only")) << *problem;
    }
    options.interface = "control-plane";
    EXPECT_EQ(std::nullopt, check_epc_options(options));
    options.platform = "C9300";
    options.interface = "Vlan10";
    EXPECT_EQ(std::nullopt, check_epc_options(options)) << "only the 9200 guide restricts the attachment point";
}

}  // namespace
}  // namespace trustcap
