#include "ios_xe_command_forms.h"

#include <regex>

namespace trustcap::testing {
namespace {

enum class Mode { exec, configuration, trustpoint, app_hosting };

struct CommandForm {
    std::regex form;
    Mode mode;
    const char* source;  // where the form is verified: G1 c9800 guide, G2 its rev2, G3 Catalyst 9000 guide, or KB
};

// A value trustcap fills in, or a placeholder the user fills in.
const std::string value = R"((?:<[A-Za-z][A-Za-z0-9.-]*>|[A-Za-z0-9][A-Za-z0-9._:/-]*))";

CommandForm form(const std::string& pattern, Mode mode, const char* source) {
    std::string expanded;
    for (std::size_t at = 0; at < pattern.size(); ++at) {
        if (pattern.compare(at, 2, "$V") == 0) {
            expanded += value;
            ++at;
        } else {
            expanded += pattern[at];
        }
    }
    return {std::regex(expanded), mode, source};
}

const std::vector<CommandForm>& command_forms() {
    static const std::vector<CommandForm> forms = {
        form(R"(configure terminal)", Mode::exec, "G1:163"),
        form(R"(show license status)", Mode::exec, "G1:455"),
        form(R"(show license history message)", Mode::exec, "G1:462"),
        form(R"(show license eventlog \d+)", Mode::exec, "G3:174"),
        form(R"(show license tech support \| section Trust)", Mode::exec, "G3:476 (| sec Trust), G2:119"),
        form(R"(show crypto pki trustpoints)", Mode::exec, "G1:175"),
        form(R"(show crypto pki trustpool)", Mode::exec, "KB: Security PKI command reference"),
        form(R"(show crypto pki certificates $V)", Mode::exec, "KB: Security PKI command reference"),
        form(R"(show clock detail)", Mode::exec, "KB: Basic System Management command reference (G3:620 show clock)"),
        form(R"(show ntp associations)", Mode::exec, "KB: Basic System Management command reference"),
        form(R"(show hosts)", Mode::exec, "KB: IP Addressing Services command reference"),
        form(R"(show running-config \| include \S.*)", Mode::exec, "KB: output modifiers"),
        form(R"(show logging \| include \S.*)", Mode::exec, "KB: output modifiers"),
        form(R"(show tcp brief all)", Mode::exec, "KB: IP Application Services command reference"),
        form(R"(show ip http client secure status)", Mode::exec, "KB: HTTP Services command reference"),
        form(R"(telnet $V \d+(?: /vrf $V)? /source-interface $V)", Mode::exec, "G1:332, G3:278; /vrf KB"),
        form(R"(license smart sync all)", Mode::exec, "G3:680"),
        form(R"(license smart trust idtoken $V all force)", Mode::exec, "G1:172"),
        form(R"(monitor capture $V interface $V both(?: match any)?)", Mode::exec, "G3:816"),
        form(R"(monitor capture $V (?:start|stop))", Mode::exec, "G3:820, G3:846"),
        form(R"(monitor capture $V export location (?:flash|bootflash|usbflash0):\S+)", Mode::exec, "G3:850"),
        form(R"(monitor capture $V limit packet-len \d+)", Mode::exec, "KB: EPC command reference"),
        form(R"(monitor capture $V buffer size \d+)", Mode::exec, "KB: EPC command reference"),
        form(R"(dir flash:\S+)", Mode::exec, "KB: file system commands"),
        form(R"(debug ip http client all)", Mode::exec, "G3:876"),
        form(R"(debug crypto pki (?:transactions|messages))", Mode::exec, "G3:879-880"),
        form(R"(debug ssl openssl (?:states|errors))", Mode::exec, "G3:877-878"),
        form(R"(undebug all)", Mode::exec, "KB: debug commands"),
        form(R"(end)", Mode::configuration, "G1:171"),
        form(R"(ip http client secure-trustpoint $V)", Mode::configuration, "G1:165"),
        form(R"(ip http client source-interface $V)", Mode::configuration, "G1:164"),
        form(R"(ip http client secure-ciphersuite $V)", Mode::configuration, "KB: HTTP Services command reference"),
        form(R"(ip name-server $V)", Mode::configuration, "G2:99, G3:94"),
        form(R"(ip name-server vrf $V $V)", Mode::configuration, "KB: IP Addressing Services command reference"),
        form(R"(ip domain lookup source-interface $V)", Mode::configuration, "G3:96"),
        form(R"(license smart transport (?:smart|cslu))", Mode::configuration, "G1:166, G1:198"),
        form(R"(license smart url default)", Mode::configuration, "G1:167"),
        form(R"(license smart url cslu http://$V(?::\d+)?/cslu/v1/pi(?:/$V)?)", Mode::configuration, "G1:206, G2:47"),
        form(R"(license smart proxy address $V)", Mode::configuration, "G1:258"),
        form(R"(license smart proxy port $V)", Mode::configuration, "G1:259"),
        form(R"(license smart vrf $V)", Mode::configuration, "G3:87"),
        form(R"(ntp server $V)", Mode::configuration, "KB: Basic System Management command reference"),
        form(R"(crypto pki trustpoint $V)", Mode::configuration, "G1:225"),
        form(R"(revocation-check none)", Mode::trustpoint, "G1:226"),
    };
    return forms;
}

// Forms only the capture script prints.
const std::vector<CommandForm>& capture_script_forms() {
    static const std::vector<CommandForm> forms = {
        form(R"(ip access-list extended $V)", Mode::configuration, "KB: Security ACL command reference"),
        form(R"(no ip access-list extended $V)", Mode::configuration, "KB: Security ACL command reference"),
        form(R"(monitor capture $V control-plane both)", Mode::exec, "KB: EPC command reference"),
        form(R"(monitor capture $V access-list $V)", Mode::exec, "KB: EPC command reference"),
        form(R"(show monitor capture $V)", Mode::exec, "KB: EPC command reference"),
        form(R"(no monitor capture $V)", Mode::exec, "KB: EPC command reference"),
        form(R"(copy (?:flash|bootflash|usbflash0):\S+ \S+)", Mode::exec, "KB: file system commands"),
        form(R"(copy scp: (?:flash|bootflash):guest-share/$V)", Mode::exec, "KB: file system commands"),
        form(R"(iox)", Mode::configuration, "KB: Programmability Configuration Guide, Managing IOx; 222845 step 1"),
        form(R"(show iox-service)", Mode::exec, "KB: Programmability Configuration Guide, Managing IOx"),
        form(R"(app-hosting appid guestshell)", Mode::configuration,
             "KB: Programmability Configuration Guide, Enabling Guest Shell on the Management Interface"),
        form(R"(app-vnic management guest-interface \d+)", Mode::app_hosting,
             "KB: Programmability Configuration Guide, Enabling Guest Shell on the Management Interface"),
        form(R"(guestshell enable)", Mode::exec, "KB: Programmability Configuration Guide, Managing the Guest Shell"),
        form(R"(guestshell run (?:chmod 755 )?/(?:flash|bootflash)/guest-share/\S+(?: \S+)*)", Mode::exec,
             "KB: Programmability Configuration Guide (guestshell run); the guest-share path from public examples"),
    };
    return forms;
}

// An access-list entry under "ip access-list extended".
const std::regex access_list_entry(R"(permit (?:tcp|udp) (?:any|host \S+)(?: eq \d+)? (?:any|host \S+)(?: eq \d+)?)");

// Words that start an IOS XE command; a sentence must not hold one.
const std::regex command_in_prose(
    R"((?:^|[^A-Za-z-])(?:show (?:license|crypto|clock|ip|hosts|running-config|logging|tcp|ntp|monitor)|license smart |ip http |ip name-server|ip domain|crypto pki|telnet [A-Za-z0-9<]|monitor capture|ntp server|copy (?:flash|bootflash|usbflash0)|dir flash|debug |configure terminal))");

const std::regex stray_angle_brackets(R"(<(?![A-Za-z][A-Za-z0-9.-]*>)|(?:^|[^A-Za-z0-9.-])>)");

const CommandForm* find_form(const std::string& line, bool with_capture_script) {
    for (const CommandForm& candidate : command_forms())
        if (std::regex_match(line, candidate.form)) return &candidate;
    if (with_capture_script)
        for (const CommandForm& candidate : capture_script_forms())
            if (std::regex_match(line, candidate.form)) return &candidate;
    return nullptr;
}

std::optional<std::string> check(const std::vector<std::string>& lines, bool capture_script) {
    Mode mode = Mode::exec;
    bool in_access_list = false;
    for (const std::string& raw : lines) {
        if (capture_script && (raw.empty() || raw.front() == '!')) continue;
        const bool indented = capture_script && raw.starts_with(" ");
        const std::string line = indented ? raw.substr(1) : raw;
        if (line.empty()) return "an empty line";
        if (capture_script && line.find('<') != std::string::npos) return "a placeholder left to fill: " + raw;
        if (std::regex_search(line, stray_angle_brackets)) return "angle brackets that are no placeholder: " + raw;
        if (!capture_script && std::isupper(static_cast<unsigned char>(line.front()))) {
            if (std::regex_search(line, command_in_prose)) return "a command inside a sentence: " + raw;
            continue;
        }
        if (in_access_list && indented) {
            if (!std::regex_match(line, access_list_entry)) return "not an access-list entry: " + raw;
            continue;
        }
        in_access_list = false;
        const CommandForm* found = find_form(line, capture_script);
        if (found == nullptr) return "not a verified IOS XE command form: " + raw;
        if (line == "configure terminal") {
            if (mode != Mode::exec) return "configure terminal inside configuration mode";
            mode = Mode::configuration;
            continue;
        }
        if (line == "end") {
            if (mode == Mode::exec) return "end outside configuration mode";
            mode = Mode::exec;
            continue;
        }
        switch (found->mode) {
            case Mode::exec:
                if (mode != Mode::exec) return "an exec command in configuration mode: " + raw;
                break;
            case Mode::configuration:
                if (mode == Mode::exec) return "a configuration command outside configure terminal: " + raw;
                mode = line.starts_with("crypto pki trustpoint ") ? Mode::trustpoint
                       : line.starts_with("app-hosting appid ")   ? Mode::app_hosting
                                                                  : Mode::configuration;
                in_access_list = line.starts_with("ip access-list extended ");
                break;
            case Mode::trustpoint:
                if (mode != Mode::trustpoint) return "a trustpoint command outside crypto pki trustpoint: " + raw;
                break;
            case Mode::app_hosting:
                if (mode != Mode::app_hosting) return "an app-hosting command outside app-hosting appid: " + raw;
                break;
        }
    }
    if (mode != Mode::exec) return std::string("configuration mode is left open (no end)");
    return std::nullopt;
}

}  // namespace

std::optional<std::string> check_fix_lines(const std::vector<std::string>& lines) { return check(lines, false); }

std::optional<std::string> check_capture_script(const std::vector<std::string>& lines) { return check(lines, true); }

}  // namespace trustcap::testing
