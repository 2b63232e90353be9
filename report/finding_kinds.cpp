#include "report/finding_kinds.h"

#include <algorithm>
#include <array>
#include <stdexcept>

namespace trustcap {
namespace {

using K = FindingKind;
using F = FindingFamily;
constexpr Severity error = Severity::error;
constexpr Severity warning = Severity::warning;
constexpr Severity info = Severity::info;

constexpr StepSet none = 0;
constexpr StepSet connect = step_bit(StepName::connect);
constexpr StepSet tcp = step_bit(StepName::tcp);
constexpr StepSet tls = step_bit(StepName::tls);
constexpr StepSet appdata = step_bit(StepName::appdata);
constexpr StepSet any_step_after_connect = tcp | tls | appdata | step_bit(StepName::teardown);
constexpr bool absence = true;
constexpr bool both_directions = true;
constexpr std::nullopt_t no_root_cause = std::nullopt;

// The order of the rows is the order of FindingKind.
constexpr std::array catalogue{
    // kind, id, family, severity, absence, both directions, explains, reason rank, root-cause rank, doc
    FindingKindInfo{K::proxy_auth_required, "proxy.auth_required", F::proxy, error, false, false, connect, 0, no_root_cause,
                    "the proxy asked for authentication, which IOS XE's proxy client cannot give"},
    FindingKindInfo{K::proxy_refused, "proxy.refused", F::proxy, error, false, false, connect, 0, no_root_cause,
                    "the proxy refused the CONNECT request"},
    FindingKindInfo{K::proxy_no_answer, "proxy.no_answer", F::proxy, error, absence, false, connect, 0, no_root_cause,
                    "the proxy never answered the CONNECT request"},
    FindingKindInfo{K::proxy_bypassed, "proxy.bypassed", F::proxy, error, false, false, connect, 0, no_root_cause,
                    "the device went straight to the server although a proxy was named"},
    FindingKindInfo{K::tcp_rst_to_syn, "tcp.rst_to_syn", F::tcp, error, false, false, tcp, 0, no_root_cause,
                    "the SYN was answered by a reset: the connection was refused"},
    FindingKindInfo{K::tcp_icmp_unreachable, "tcp.icmp_unreachable", F::tcp, error, false, false, tcp, 1, no_root_cause,
                    "the SYN was answered by an ICMP unreachable: filtered or no route"},
    FindingKindInfo{K::tcp_no_synack, "tcp.no_synack", F::tcp, error, absence, false, tcp, 2, no_root_cause,
                    "the SYN was never answered"},
    FindingKindInfo{K::tcp_reset, "tcp.reset", F::tcp, error, false, false, any_step_after_connect, 3, no_root_cause,
                    "a reset ended the connection: who sent it, at which step, after what"},
    FindingKindInfo{K::tcp_reset_injected, "tcp.reset_injected", F::tcp, error, false, false, any_step_after_connect, 3, 3,
                    "a reset forged by a middlebox, or one the connection ignored"},
    FindingKindInfo{K::tcp_abortive_close, "tcp.abortive_close", F::tcp, warning, false, false, none, 0, no_root_cause,
                    "a reset closed a connection whose exchange was over"},
    FindingKindInfo{K::tcp_data_injected, "tcp.data_injected", F::tcp, warning, false, false, none, 0, no_root_cause,
                    "a retransmission carries other bytes than the first copy"},
    FindingKindInfo{K::tls_alert_named, "tls.alert.<name>", F::tls, error, false, both_directions, tls, 0, no_root_cause,
                    "a TLS alert, named by its description"},
    FindingKindInfo{K::tls_encrypted_alert, "tls.encrypted_alert", F::tls, error, false, both_directions, tls, 2, no_root_cause,
                    "an encrypted TLS alert ended the handshake"},
    FindingKindInfo{K::tls_alert_inferred, "tls.alert", F::tls, error, false, both_directions, tls, 2, no_root_cause,
                    "TLS 1.3: an alert-sized encrypted record from the server ended the session"},
    FindingKindInfo{K::tls13_client_abort, "tls13.client_abort", F::tls, error, false, both_directions, tls, 1, 4,
                    "TLS 1.3: the device gave up right after the server's encrypted flight"},
    FindingKindInfo{K::tls_clock_wrong, "tls.clock_wrong", F::tls, error, false, both_directions, tls, 2, 0,
                    "the capture's clock is wrong: certificates are judged out of their dates"},
    FindingKindInfo{K::tls_interception, "tls.interception", F::tls, error, false, both_directions, tls, 2, 1,
                    "the server's certificate was not Cisco's: SSL decryption in the path"},
    FindingKindInfo{K::tls_untrusted_chain, "tls.untrusted_chain", F::tls, error, false, both_directions, tls, 2, no_root_cause,
                    "the server's chain does not lead to a trusted CA"},
    FindingKindInfo{K::tls_name_mismatch, "tls.name_mismatch", F::tls, error, false, both_directions, tls, 2, no_root_cause,
                    "the server's certificate does not name the server"},
    FindingKindInfo{K::tls_client_cert_expired, "tls.client_cert_expired", F::tls, error, false, both_directions, tls, 2, 2,
                    "the device's certificate was out of its dates"},
    FindingKindInfo{K::tls_not_tls, "tls.not_tls", F::tls, error, false, both_directions, tls, 2, no_root_cause,
                    "the bytes on the connection are not TLS"},
    FindingKindInfo{K::tls_client_hello_unanswered, "tls.client_hello_unanswered", F::tls, error, false, both_directions, tls, 2,
                    no_root_cause, "the Client Hello got no answer"},
    FindingKindInfo{K::tls_certificate_key_refused, "tls.certificate_key_refused", F::tls, warning, false, both_directions, tls, 2,
                    no_root_cause, "a certificate's key has absurd parameters"},
    FindingKindInfo{K::tls_chain_too_long, "tls.chain_too_long", F::tls, warning, false, both_directions, tls, 2, no_root_cause,
                    "a chain of more than 16 certificates"},
    FindingKindInfo{K::tls_handshake_message_too_large, "tls.handshake_message_too_large", F::tls, warning, false,
                    both_directions, tls, 2, no_root_cause, "a handshake message over the dissector's limit"},
    FindingKindInfo{K::tls_certificate_bytes_limit, "tls.certificate_bytes_limit", F::tls, warning, false, both_directions, tls, 2,
                    no_root_cause, "certificates past the dissector's limit"},
    FindingKindInfo{K::tls_message_limit, "tls.message_limit", F::tls, warning, false, both_directions, tls, 2, no_root_cause,
                    "TLS messages past the dissector's limit"},
    FindingKindInfo{K::app_no_response, "app.no_response", F::app, error, absence, both_directions, appdata, 0, no_root_cause,
                    "the device's request got no answer"},
    FindingKindInfo{K::app_http_error, "app.http_error", F::app, error, false, false, appdata, 0, no_root_cause,
                    "plain HTTP: the server answered with a status that is not 2xx"},
    FindingKindInfo{K::http_head_too_long, "http.head_too_long", F::http, warning, false, false, none, 0, no_root_cause,
                    "an HTTP head over the dissector's limit"},
    FindingKindInfo{K::legacy_tools_cisco_com, "legacy.tools_cisco_com", F::configuration, warning, false, false, none, 0,
                    no_root_cause, "traditional Smart Licensing or Call Home"},
    FindingKindInfo{K::flow_healthy, "flow.healthy", F::flow, info, false, false, none, 0, no_root_cause,
                    "the exchange worked"},
    FindingKindInfo{K::dns_no_answer, "dns.no_answer", F::dns, error, false, false, none, 0, no_root_cause,
                    "a DNS query got no response"},
    FindingKindInfo{K::dns_no_address, "dns.no_address", F::dns, error, false, false, none, 0, no_root_cause,
                    "a DNS answer without an address"},
    FindingKindInfo{K::dns_nxdomain, "dns.nxdomain", F::dns, error, false, false, none, 0, no_root_cause,
                    "the name does not exist"},
    FindingKindInfo{K::dns_servfail, "dns.servfail", F::dns, error, false, false, none, 0, no_root_cause,
                    "the DNS server failed to resolve the name"},
    FindingKindInfo{K::dns_refused, "dns.refused", F::dns, error, false, false, none, 0, no_root_cause,
                    "the DNS server refused the query"},
    FindingKindInfo{K::dns_no_query, "dns.no_query", F::dns, warning, false, false, none, 0, no_root_cause,
                    "the licensing server's name was never looked up"},
    FindingKindInfo{K::dns_unread_messages, "dns.unread_messages", F::dns, info, false, false, none, 0, no_root_cause,
                    "DNS messages that were not read"},
    FindingKindInfo{K::capture_one_sided, "capture.one_sided", F::capture, warning, false, false, none, 0, no_root_cause,
                    "only one direction of the connection was captured"},
    FindingKindInfo{K::capture_truncated_packets, "capture.truncated_packets", F::capture, warning, false, false, none, 0,
                    no_root_cause, "packets cut by the snap length"},
    FindingKindInfo{K::capture_missing_segments, "capture.missing_segments", F::capture, warning, false, false, none, 0,
                    no_root_cause, "segments the capture missed"},
    FindingKindInfo{K::capture_ended_mid_flow, "capture.ended_mid_flow", F::capture, warning, absence, false, none, 0,
                    no_root_cause, "the capture ended while the connection was open"},
    FindingKindInfo{K::capture_truncated_file, "capture.truncated_file", F::capture, error, false, false, none, 0,
                    no_root_cause, "the capture file ends in the middle of a packet"},
    FindingKindInfo{K::capture_no_licensing_traffic, "capture.no_licensing_traffic", F::capture, error, false, false, none, 0,
                    no_root_cause, "no licensing connection in the capture"},
    FindingKindInfo{K::capture_malformed_packets, "capture.malformed_packets", F::capture, info, false, false, none, 0,
                    no_root_cause, "packets that could not be decoded"},
    FindingKindInfo{K::capture_memory_limit, "capture.memory_limit", F::capture, warning, false, false, none, 0, no_root_cause,
                    "a memory or table limit made trustcap let flows go"},
    FindingKindInfo{K::capture_fragment_limit, "capture.fragment_limit", F::capture, warning, false, false, none, 0,
                    no_root_cause, "IP datagrams dropped by a reassembly limit"},
    FindingKindInfo{K::capture_attempts_summarised, "capture.attempts_summarised", F::capture, warning, false, false, none, 0,
                    no_root_cause, "more connection attempts than are listed"},
    FindingKindInfo{K::capture_interrupted, "capture.interrupted", F::capture, warning, false, false, none, 0, no_root_cause,
                    "a signal stopped the reading before the end"},
    FindingKindInfo{K::capture_kernel_drops, "capture.kernel_drops", F::capture, warning, false, false, none, 0, no_root_cause,
                    "live: the kernel or interface dropped packets"},
    FindingKindInfo{K::capture_drops_hide_step, "capture.drops_hide_step", F::capture, warning, false, false, none, 0,
                    no_root_cause, "live: drops could hide a step, which is unknown"},
    FindingKindInfo{K::capture_stopped, "capture.stopped", F::capture, error, false, false, none, 0, no_root_cause,
                    "live: reading the interface or writing the capture failed"},
};

constexpr bool rows_in_enum_order() {
    for (std::size_t i = 0; i < catalogue.size(); ++i)
        if (static_cast<std::size_t>(catalogue[i].kind) != i) return false;
    return static_cast<std::size_t>(K::capture_stopped) + 1 == catalogue.size();
}
static_assert(rows_in_enum_order(), "one catalogue row per FindingKind, in the enum's order");

}  // namespace

std::span<const FindingKindInfo> finding_catalogue() { return catalogue; }

const FindingKindInfo& finding_kind_info(FindingKind kind) { return catalogue.at(static_cast<std::size_t>(kind)); }

std::string finding_id(FindingKind kind, std::string_view name) {
    std::string_view id = finding_kind_info(kind).id;
    std::size_t placeholder = id.find("<name>");
    if (placeholder == std::string_view::npos) return std::string(id);
    if (name.empty()) throw std::logic_error("finding_id: " + std::string(id) + " needs a name");
    return std::string(id.substr(0, placeholder)) + std::string(name);
}

std::optional<FindingKind> finding_kind_of(std::string_view id) {
    auto is_name = [](std::string_view name) {
        return !name.empty() && std::all_of(name.begin(), name.end(), [](char c) {
            return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
        });
    };
    for (const FindingKindInfo& info : catalogue) {
        std::size_t placeholder = info.id.find("<name>");
        if (placeholder == std::string_view::npos ? id == info.id
                                                  : id.starts_with(info.id.substr(0, placeholder)) &&
                                                        is_name(id.substr(placeholder)))
            return info.kind;
    }
    return std::nullopt;
}

}  // namespace trustcap
