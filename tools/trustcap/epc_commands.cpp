#include "epc_commands.h"

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <set>
#include <stdexcept>
#include <string_view>

#include "epc_platforms.h"
#include "report/licensing_targets.h"

namespace trustcap {

namespace {

constexpr std::size_t max_capture_name_length = 31;
constexpr std::string_view pcap_suffix = ".pcap";
constexpr std::uint16_t https_port = 443;
constexpr std::uint16_t dns_port = 53;
constexpr int buffer_size_mb = 100;

struct HostPort {
    std::string host;
    std::optional<std::uint16_t> port;
    bool is_address = false;
};

bool is_digit(char c) { return std::isdigit(static_cast<unsigned char>(c)) != 0; }

bool has_space_or_control(std::string_view text) {
    return std::any_of(text.begin(), text.end(), [](char c) {
        auto byte = static_cast<unsigned char>(c);
        return std::isspace(byte) != 0 || std::iscntrl(byte) != 0;
    });
}

// The text with control characters shown as '?', so that a message stays on one line.
std::string printable(std::string_view text) {
    std::string shown(text);
    std::replace_if(
        shown.begin(), shown.end(), [](char c) { return std::iscntrl(static_cast<unsigned char>(c)) != 0; }, '?');
    return shown;
}

std::optional<std::uint16_t> parse_port(std::string_view text) {
    if (text.empty() || text.size() > 5 || !std::all_of(text.begin(), text.end(), is_digit)) return std::nullopt;
    unsigned value = 0;
    for (char c : text) value = value * 10 + static_cast<unsigned>(c - '0');
    if (value == 0 || value > 65535) return std::nullopt;
    return static_cast<std::uint16_t>(value);
}

bool is_ipv4_address(std::string_view text) {
    int octets = 0;
    while (true) {
        std::size_t dot = text.find('.');
        std::string_view octet = text.substr(0, dot);
        if (octet.empty() || octet.size() > 3 || !std::all_of(octet.begin(), octet.end(), is_digit)) return false;
        if (std::stoi(std::string(octet)) > 255) return false;
        ++octets;
        if (dot == std::string_view::npos) break;
        text.remove_prefix(dot + 1);
    }
    return octets == 4;
}

bool looks_numeric(std::string_view text) {
    return std::all_of(text.begin(), text.end(), [](char c) { return is_digit(c) || c == '.'; });
}

bool is_host_name(std::string_view text) {
    if (text.empty() || text.size() > 253 || text.front() == '.' || text.front() == '-' || text.back() == '.') {
        return false;
    }
    return std::all_of(text.begin(), text.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '-' || c == '.' || c == '_';
    });
}

// Why "HOST|IP[:PORT]" is unusable for an IPv4 access list, or nullopt.
std::optional<std::string> endpoint_problem(const std::string& text, bool port_required) {
    const std::string expected =
        port_required ? "expected HOST:PORT or IP:PORT" : "expected HOST, IP, HOST:PORT or IP:PORT";
    if (text.empty()) return "an empty value: " + expected;
    if (has_space_or_control(text))
        return "\"" + printable(text) + "\" contains spaces or control characters: " + expected;
    if (text.front() == '[' || std::count(text.begin(), text.end(), ':') > 1) {
        return text + ": IPv6 is not supported here, the capture filter is an IPv4 access list; give the IPv4 address";
    }
    std::size_t colon = text.find(':');
    std::string host = text.substr(0, colon);
    if (colon != std::string::npos && !parse_port(std::string_view(text).substr(colon + 1))) {
        return text + ": the port must be a number from 1 to 65535";
    }
    if (colon == std::string::npos && port_required) return text + ": no port; " + expected;
    if (looks_numeric(host) ? !is_ipv4_address(host) : !is_host_name(host)) {
        return text + ": \"" + host + "\" is neither an IPv4 address nor a host name; " + expected;
    }
    return std::nullopt;
}

HostPort split_host_port(const std::string& text) {
    HostPort endpoint;
    std::size_t colon = text.find(':');
    endpoint.host = text.substr(0, colon);
    if (colon != std::string::npos) endpoint.port = parse_port(std::string_view(text).substr(colon + 1));
    endpoint.is_address = is_ipv4_address(endpoint.host);
    return endpoint;
}

bool same_name(std::string_view a, std::string_view b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
        return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
    });
}

struct NamedAddress {
    std::string name;
    std::string address;
};

NamedAddress split_named_address(const std::string& text) {
    std::size_t equals = text.find('=');
    if (equals == std::string::npos) return {text, ""};
    return {text.substr(0, equals), text.substr(equals + 1)};
}

bool is_direct(const EpcOptions& options) { return options.proxies.empty() && options.servers.empty(); }

// The names the capture filter needs addresses for: smartreceiver.cisco.com when the device goes
// direct, and every proxy or server given by name.
std::vector<std::string> names_to_resolve(const EpcOptions& options) {
    std::vector<std::string> names;
    if (is_direct(options)) names.emplace_back(smart_receiver_host);
    for (const auto* endpoints : {&options.proxies, &options.servers}) {
        for (const std::string& endpoint : *endpoints) {
            HostPort host_port = split_host_port(endpoint);
            const bool known = std::any_of(names.begin(), names.end(),
                                           [&](const std::string& name) { return same_name(name, host_port.host); });
            if (!host_port.is_address && !known) names.push_back(host_port.host);
        }
    }
    return names;
}

std::vector<std::string> addresses_given_for(const std::string& name, const EpcOptions& options) {
    std::vector<std::string> addresses;
    for (const std::string& entry : options.addresses) {
        NamedAddress named = split_named_address(entry);
        if (same_name(named.name, name)) addresses.push_back(named.address);
    }
    return addresses;
}

// What access-list entries name for a host: "host 10.1.1.8" for an address, one such term for
// each address --address gave a name, or "any" for a name without one.
std::vector<std::string> acl_hosts(const std::string& host, const EpcOptions& options) {
    if (is_ipv4_address(host)) return {"host " + host};
    std::vector<std::string> hosts;
    for (const std::string& address : addresses_given_for(host, options)) hosts.push_back("host " + address);
    if (hosts.empty()) hosts.emplace_back("any");
    return hosts;
}

std::string acl_name_for(const EpcOptions& options) { return options.capture_name + "-ACL"; }

std::string storage_of(const EpcOptions& options) {
    if (!options.storage.empty()) return options.storage;
    if (auto platform = find_epc_platform(options.platform)) return std::string(platform->storage);
    return "flash";
}

std::string copy_destination(const EpcOptions& options) {
    if (options.copy_to.empty()) return "scp:";
    std::string destination = options.copy_to;
    if (destination.back() == '/') destination += options.file_name;
    return destination;
}

bool is_control_plane(const EpcOptions& options) { return options.interface == "control-plane"; }

// Collects the printed lines; "!" starts an IOS XE comment, so the whole text can be pasted.
class Script {
public:
    void comment(const std::string& text) { text_ += text.empty() ? "!\n" : "! " + text + "\n"; }
    void command(const std::string& text) { text_ += text + "\n"; }
    void acl_entry(const std::string& text) {
        if (acl_entries_.insert(text).second) text_ += " " + text + "\n";
    }
    [[nodiscard]] const std::string& text() const { return text_; }

private:
    std::string text_;
    std::set<std::string> acl_entries_;  // IOS XE keeps one of two equal entries; so does the script
};

void permit_both_directions(Script& script, const std::string& protocol, const std::string& host, std::uint16_t port) {
    const std::string port_text = std::to_string(port);
    script.acl_entry("permit " + protocol + " any " + host + " eq " + port_text);
    script.acl_entry("permit " + protocol + " " + host + " eq " + port_text + " any");
}

void permit_host(Script& script, const std::string& host, std::uint16_t port, const EpcOptions& options) {
    for (const std::string& term : acl_hosts(host, options)) permit_both_directions(script, "tcp", term, port);
}

void explain_unresolved_names(Script& script, const EpcOptions& options) {
    std::vector<std::string> unresolved;
    for (const std::string& name : names_to_resolve(options)) {
        if (addresses_given_for(name, options).empty()) unresolved.push_back(name);
    }
    if (unresolved.empty()) return;
    for (const std::string& name : unresolved) {
        script.comment("  No --address for " + name + ": its entries match that port on any host, which on a");
        script.comment("  busy interface fills the buffer with other traffic.");
    }
    script.comment("  To narrow them, look the names up on the device (show hosts NAME, after a telnet to");
    script.comment("  the name and port has resolved it) and run trustcap epc again with --address NAME=IP,");
    script.comment("  once for each address (smartreceiver.cisco.com has several).");
}

void write_access_list(Script& script, const EpcOptions& options) {
    script.comment("1. An access list for the licensing traffic and DNS, in both directions.");
    for (const std::string& proxy : options.proxies) {
        script.comment("  Through the proxy " + proxy + " (license smart proxy): TCP to and from it.");
    }
    for (const std::string& server : options.servers) {
        HostPort endpoint = split_host_port(server);
        script.comment(endpoint.port
                           ? "  The on-prem SSM/CSLU " + server + ": TCP to and from it."
                           : "  The on-prem SSM/CSLU " + server + ": TCP to and from ports " +
                                 std::to_string(plain_http_port) + " and " + std::to_string(https_port) +
                                 " (SSM On-Prem) and " + std::to_string(cslu_port) + " (CSLU).");
    }
    if (is_direct(options)) {
        script.comment(std::string("  Direct to ") + smart_receiver_host + ":" + std::to_string(https_port) +
                       ": TCP to and from it.");
    }
    explain_unresolved_names(script, options);
    script.comment("  DNS (UDP and TCP 53) shows whether the names resolved.");
    script.command("configure terminal");
    script.command("ip access-list extended " + acl_name_for(options));
    for (const std::string& proxy : options.proxies) {
        HostPort endpoint = split_host_port(proxy);
        permit_host(script, endpoint.host, *endpoint.port, options);
    }
    for (const std::string& server : options.servers) {
        HostPort endpoint = split_host_port(server);
        for (std::uint16_t port : endpoint.port ? std::vector<std::uint16_t>{*endpoint.port}
                                                : std::vector<std::uint16_t>{plain_http_port, https_port, cslu_port}) {
            permit_host(script, endpoint.host, port, options);
        }
    }
    if (is_direct(options)) permit_host(script, smart_receiver_host, https_port, options);
    script.acl_entry("permit udp any any eq " + std::to_string(dns_port));
    script.acl_entry("permit udp any eq " + std::to_string(dns_port) + " any");
    script.acl_entry("permit tcp any any eq " + std::to_string(dns_port));
    script.acl_entry("permit tcp any eq " + std::to_string(dns_port) + " any");
    script.command("end");
}

void write_capture_definition(Script& script, const EpcOptions& options) {
    const std::string capture = "monitor capture " + options.capture_name;
    script.comment("2. The capture: both directions, filtered by the access list, a 100 MB buffer.");
    if (is_control_plane(options)) {
        script.comment("  On the control plane: every packet the device itself sends or receives.");
    } else {
        script.comment("  On the port the licensing traffic leaves by.");
        auto platform = find_epc_platform(options.platform);
        if (!platform) {
            script.comment("  A Catalyst 9200 captures on physical ports only: for an SVI, a port channel or the");
            script.comment("  management port give the interface as control-plane (\"control-plane both\").");
        }
    }
    script.comment("  No \"limit packet-len\": trustcap needs whole packets to read the certificates.");
    script.command(capture +
                   (is_control_plane(options) ? " control-plane both" : " interface " + options.interface + " both"));
    script.command(capture + " access-list " + acl_name_for(options));
    script.command(capture + " buffer size " + std::to_string(buffer_size_mb));
    script.command("show monitor capture " + options.capture_name);
}

void write_capture_run(Script& script, const EpcOptions& options) {
    const std::string capture = "monitor capture " + options.capture_name;
    script.comment("3. Start the capture, then make the device talk to the licensing server.");
    script.command(capture + " start");
    if (options.idtoken) {
        script.command("license smart trust idtoken " + *options.idtoken + " all force");
    } else {
        script.command("license smart sync all");
    }
    script.comment("  Wait until these show the outcome (a minute or two; repeat them): the trust code");
    script.comment("  installed or the report acknowledged, or the communication failure.");
    script.command("show license status");
    script.command("show license history message");
    script.comment("");
    const std::string file = storage_of(options) + ":" + options.file_name;
    script.comment("4. Stop, save to " + file + ", clean up, then copy it off the device.");
    script.comment("  The copy comes last: it asks questions (confirm, password) that would swallow");
    script.comment("  any line pasted after it.");
    script.command(capture + " stop");
    script.command(capture + " export location " + file);
    script.command("no " + capture);
    script.command("configure terminal");
    script.command("no ip access-list extended " + acl_name_for(options));
    script.command("end");
    if (options.copy_to.empty()) {
        script.comment("  The device asks for your computer's address, your user name, the file name and the");
        script.comment("  password (--copy-to scp://USER@HOST/ writes them into the line).");
    }
    script.command("copy " + file + " " + copy_destination(options));
}

void write_web_ui_alternative(Script& script, const EpcOptions& options) {
    script.comment("5. On a Catalyst 9800 the web UI can run the capture instead of block 2 to 4");
    script.comment("  (create the access list of block 1 first):");
    script.comment("  Troubleshooting > Packet Capture > + Add");
    script.comment("  - Capture Name: " + options.capture_name);
    script.comment("  - Filter by: ACL " + acl_name_for(options));
    script.comment("  - Monitor Control Plane: on");
    script.comment("  - Buffer Size (MB): " + std::to_string(buffer_size_mb));
    script.comment("  - Interface: " +
                   (is_control_plane(options) ? std::string("none (the control plane is enough)") : options.interface));
    script.comment("  - Apply to Device, Start, trigger the sync as in block 3, Stop, then Export");
    script.comment("    (Desktop, pcap) to save the file on your computer.");
}

// trustcap with the options the capture was planned for, then the capture.
std::string trustcap_command(const std::string& program, const EpcOptions& options, const std::string& capture) {
    std::string command = program;
    for (const std::string& proxy : options.proxies) command += " --proxy " + proxy;
    for (const std::string& server : options.servers) command += " --server " + server;
    return command + " " + capture;
}

void write_trustcap_command(Script& script, const EpcOptions& options, int block) {
    script.comment(std::to_string(block) + ". On your computer, analyse the copied file:");
    script.comment("  " + trustcap_command("trustcap", options, options.file_name));
}

// Guest Shell sees one directory of the device's storage, guest-share, under the storage's
// name: flash:guest-share/ is /flash/guest-share/ inside it. Cisco's Programmability
// Configuration Guide asks for an application or management interface before guestshell
// enable; the management port is the one every Catalyst 9300, 9400 and 9500 has.
void write_guest_shell_alternative(Script& script, const EpcOptions& options, const EpcPlatform& platform, int block) {
    const std::string share = std::string(platform.storage) + ":guest-share/";
    const std::string share_inside = "/" + std::string(platform.storage) + "/guest-share/";
    script.comment(std::to_string(block) + ". Or judge the file on the " + std::string(platform.display_name) +
                   " itself, in Guest Shell, with the static");
    script.comment("  trustcap (README: \"On the switch\"). Enter these lines one at a time: IOx takes");
    script.comment("  a few minutes to start (show iox-service: running), and each copy asks questions.");
    script.command("configure terminal");
    script.command("iox");
    script.command("app-hosting appid guestshell");
    script.command(" app-vnic management guest-interface 0");
    script.command("end");
    script.command("show iox-service");
    script.command("guestshell enable");
    script.command("copy " + storage_of(options) + ":" + options.file_name + " " + share + options.file_name);
    script.command("copy scp: " + share + "trustcap");
    script.command("guestshell run chmod 755 " + share_inside + "trustcap");
    script.command("guestshell run " +
                   trustcap_command(share_inside + "trustcap", options, share_inside + options.file_name));
}

// Why an "--address NAME=IP" is unusable, or nullopt.
std::optional<std::string> address_problem(const std::string& entry, const EpcOptions& options) {
    NamedAddress named = split_named_address(entry);
    if (has_space_or_control(entry) || entry.find('=') == std::string::npos || named.name.empty()) {
        return "address \"" + printable(entry) + "\": expected NAME=IP, e.g. smartreceiver.cisco.com=192.0.2.10";
    }
    if (!is_ipv4_address(named.address)) {
        return "address " + entry + ": \"" + named.address +
               "\" is no IPv4 address (the capture filter is an IPv4 access list)";
    }
    std::vector<std::string> names = names_to_resolve(options);
    bool used = std::any_of(names.begin(), names.end(), [&](const std::string& name) { return same_name(name, named.name); });
    if (!used) {
        return "address " + entry + ": the capture filter names no " + named.name + "; give --address for " +
               (is_direct(options) ? std::string(smart_receiver_host) : std::string("a --proxy or --server given by name"));
    }
    return std::nullopt;
}

}  // namespace

std::optional<std::string> check_epc_options(const EpcOptions& options) {
    if (options.interface.empty()) {
        return "no interface: give the one the licensing traffic leaves by, e.g. GigabitEthernet1/0/48";
    }
    if (has_space_or_control(options.interface)) {
        return "interface \"" + printable(options.interface) +
               "\" contains spaces or control characters; write it as one word, "
               "e.g. GigabitEthernet1/0/48";
    }
    const std::string& name = options.capture_name;
    bool name_valid =
        !name.empty() && name.size() <= max_capture_name_length && std::all_of(name.begin(), name.end(), [](char c) {
            return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '-' || c == '_';
        });
    if (!name_valid) {
        return "capture name \"" + printable(name) + "\": use 1 to 31 letters, digits, '-' or '_'";
    }
    const std::string& file = options.file_name;
    bool file_valid = file.size() > pcap_suffix.size() && file.ends_with(pcap_suffix) &&
                      std::all_of(file.begin(), file.end(), [](char c) {
                          return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '-' || c == '_' || c == '.';
                      });
    if (!file_valid) {
        return "file name \"" + printable(file) +
               "\": use letters, digits, '-', '_' or '.', ending in .pcap, without flash:";
    }
    if (!options.platform.empty()) {
        auto platform = find_epc_platform(options.platform);
        if (!platform) {
            return "platform \"" + printable(options.platform) + "\": give one of " + epc_platform_names();
        }
        if (auto problem = interface_problem_on(*platform, options.interface)) return problem;
    }
    if (!options.storage.empty() && options.storage != "flash" && options.storage != "bootflash" &&
        options.storage != "usbflash0") {
        return "storage \"" + printable(options.storage) + "\": give flash, bootflash or usbflash0";
    }
    for (const std::string& proxy : options.proxies) {
        if (auto problem = endpoint_problem(proxy, true)) return "proxy " + *problem;
    }
    for (const std::string& server : options.servers) {
        if (auto problem = endpoint_problem(server, false)) return "server " + *problem;
    }
    if (options.idtoken && (options.idtoken->empty() || has_space_or_control(*options.idtoken))) {
        return "idtoken: the token is empty or contains spaces or control characters; paste it as one word";
    }
    for (const std::string& address : options.addresses) {
        if (auto problem = address_problem(address, options)) return problem;
    }
    if (has_space_or_control(options.copy_to)) {
        return "copy destination \"" + printable(options.copy_to) + "\" contains spaces or control characters";
    }
    return std::nullopt;
}

std::string epc_commands(const EpcOptions& options) {
    if (auto problem = check_epc_options(options)) throw std::invalid_argument(*problem);
    Script script;
    auto platform = find_epc_platform(options.platform);
    script.comment("trustcap epc: capture one licensing attempt with Embedded Packet Capture (IOS XE" +
                   (platform ? ", " + std::string(platform->display_name) : "") + ").");
    script.comment("Paste each block at the privileged EXEC prompt (#), in order.");
    script.comment("");
    write_access_list(script, options);
    script.comment("");
    write_capture_definition(script, options);
    script.comment("");
    write_capture_run(script, options);
    script.comment("");
    const bool web_ui = !platform || platform->web_ui_packet_capture;
    if (web_ui) {
        write_web_ui_alternative(script, options);
        script.comment("");
    }
    const int computer_block = web_ui ? 6 : 5;
    write_trustcap_command(script, options, computer_block);
    if (platform && platform->guest_shell) {
        script.comment("");
        write_guest_shell_alternative(script, options, *platform, computer_block + 1);
    }
    return script.text();
}

}  // namespace trustcap
