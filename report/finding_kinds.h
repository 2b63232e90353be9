#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "report/step.h"

namespace trustcap {

enum class Severity { info, warning, error };

// Every kind of finding trustcap reports. The catalogue (finding_kinds.cpp)
// holds one row per kind; the README's table of findings documents each.
enum class FindingKind : std::uint8_t {
    proxy_auth_required,
    proxy_refused,
    proxy_no_answer,
    proxy_bypassed,
    tcp_rst_to_syn,
    tcp_icmp_unreachable,
    tcp_no_synack,
    tcp_reset,
    tcp_reset_injected,
    tcp_abortive_close,
    tcp_data_injected,
    tls_alert_named,
    tls_encrypted_alert,
    tls_alert_inferred,
    tls13_client_abort,
    tls_clock_wrong,
    tls_interception,
    tls_untrusted_chain,
    tls_name_mismatch,
    tls_client_cert_expired,
    tls_not_tls,
    tls_client_hello_unanswered,
    tls_certificate_key_refused,
    tls_chain_too_long,
    tls_handshake_message_too_large,
    tls_certificate_bytes_limit,
    tls_message_limit,
    app_no_response,
    app_http_error,
    http_head_too_long,
    legacy_tools_cisco_com,
    flow_healthy,
    dns_no_answer,
    dns_no_address,
    dns_nxdomain,
    dns_servfail,
    dns_refused,
    dns_no_query,
    dns_unread_messages,
    capture_one_sided,
    capture_truncated_packets,
    capture_missing_segments,
    capture_ended_mid_flow,
    capture_truncated_file,
    capture_no_licensing_traffic,
    capture_malformed_packets,
    capture_memory_limit,
    capture_fragment_limit,
    capture_attempts_summarised,
    capture_interrupted,
    capture_kernel_drops,
    capture_drops_hide_step,
    capture_stopped,
};

// The part of the exchange a kind of finding speaks of.
enum class FindingFamily : std::uint8_t { proxy, tcp, tls, app, http, configuration, flow, dns, capture };

// Which failed steps a kind of finding can explain, as a set of StepName bits.
using StepSet = std::uint8_t;
constexpr StepSet step_bit(StepName step) { return static_cast<StepSet>(1u << static_cast<unsigned>(step)); }

struct FindingKindInfo {
    FindingKind kind;
    // Stable, dotted, lower case; "<name>" stands for a part filled in per finding.
    std::string_view id;
    FindingFamily family;
    Severity default_severity;
    // No frame shows the failure, only a packet's absence (a SYN-ACK, an
    // answer, the rest of a connection), so packets the capture lost may hold
    // it. Not so for a Client Hello left unanswered: the device's giving up
    // shows; nor for capture-wide DNS findings, which no flow's losses explain.
    bool rests_on_absence;
    // Judged from what the dissectors read of both directions: void when only one was captured.
    // (tls13.client_abort included: it needs the server's flight and the device's reply.)
    bool needs_both_directions;
    // The failed steps it can name the reason of, and its rank there: lower speaks first.
    StepSet explains;
    std::uint8_t reason_rank;
    // A cause behind the symptom a step's reason shows; lower ranks first.
    std::optional<std::uint8_t> root_cause_rank;
    std::string_view doc;
};

std::span<const FindingKindInfo> finding_catalogue();
const FindingKindInfo& finding_kind_info(FindingKind kind);
// The id a finding of this kind carries; `name` fills "<name>" where the kind has one.
std::string finding_id(FindingKind kind, std::string_view name = {});
// The kind of a finding's id, "tls.alert.unknown_ca" included; none for an id no kind has.
std::optional<FindingKind> finding_kind_of(std::string_view id);

}  // namespace trustcap
