#pragma once

// The text behind `trustcap epc`: the IOS XE commands (Embedded Packet Capture on a
// Catalyst 9800 WLC or Catalyst 9000 switch) that capture one licensing attempt,
// export it, and hand it to trustcap.

#include <optional>
#include <string>
#include <vector>

namespace trustcap {

struct EpcOptions {
    std::string interface;  // e.g. "GigabitEthernet1/0/48" (required); "control-plane" captures the CPU's traffic
    std::string capture_name = "CSSM";
    std::string file_name = "cssm.pcap";  // written to `storage`
    std::string storage;                  // flash, bootflash or usbflash0; empty: the platform's (or flash)
    std::string platform;                 // "9800-40", "C9300", ... (see epc_platforms.h); empty: none named
    std::vector<std::string> proxies;     // "10.1.1.8:3128" (HOST|IP:PORT as given to trustcap --proxy)
    std::vector<std::string> servers;     // on-prem SSM/CSLU "10.50.0.10:8443" or "ssm.corp:8443"
    std::optional<std::string> idtoken;   // when set, the trigger is `license smart trust idtoken <token> all force`
    std::vector<std::string> addresses;   // "NAME=IPv4": an address of smartreceiver.cisco.com, a proxy or a server
    std::string copy_to;                  // e.g. "scp://user@10.1.1.5/" or "tftp://10.1.1.5/"; empty: the device asks
};

// The whole printable text, ready to paste. Throws std::invalid_argument with the
// message of check_epc_options() when the options are unusable.
std::string epc_commands(const EpcOptions& options);

// One line on why the options are unusable, or nullopt.
std::optional<std::string> check_epc_options(const EpcOptions& options);

}  // namespace trustcap
