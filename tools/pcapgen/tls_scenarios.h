#pragma once

#include "lab_pki.h"

#include <filesystem>
#include <string_view>
#include <vector>

namespace pcapgen {

// A capture with real TLS, written with certificates of the lab PKI.
struct TlsScenario {
    std::string_view file_name;
    void (*write)(const std::filesystem::path& file, const LabPki& pki);
};

// Every TLS capture the generator writes, in the order it writes them.
std::vector<TlsScenario> all_tls_scenarios();

// The file trustcap gets as --ca-bundle for these captures.
inline constexpr std::string_view lab_root_ca_file_name = "lab-root-ca.pem";
// The --ca-bundle for the capture from 2021 (its root, "Trustcap Lab Root CA 2021").
inline constexpr std::string_view lab_root_ca_2021_file_name = "lab-root-ca-2021.pem";

// scenarios_tls_healthy.cpp
void write_tls12_mutual_healthy(const std::filesystem::path& file, const LabPki& pki);
void write_tls13_healthy(const std::filesystem::path& file, const LabPki& pki);
void write_tls12_big_chain_reordered(const std::filesystem::path& file, const LabPki& pki);

// scenarios_tls_certificate_names.cpp
void write_tls12_name_mismatch(const std::filesystem::path& file, const LabPki& pki);

// scenarios_tls_capture_defects.cpp
void write_tls12_missing_server_segment(const std::filesystem::path& file, const LabPki& pki);
void write_malformed_frame_in_healthy(const std::filesystem::path& file, const LabPki& pki);

// scenarios_tls_failures.cpp
void write_tls12_expired_device_certificate(const std::filesystem::path& file, const LabPki& pki);
void write_tls12_server_unknown_ca(const std::filesystem::path& file, const LabPki& pki);
void write_tls12_no_response(const std::filesystem::path& file, const LabPki& pki);

// scenarios_tls_hostile_certificates.cpp
void write_tls12_huge_rsa_exponent_chain(const std::filesystem::path& file, const LabPki& pki);

// scenarios_tls_middleboxes.cpp
void write_tls12_interception_fortinet(const std::filesystem::path& file, const LabPki& pki);
void write_tls13_client_abort(const std::filesystem::path& file, const LabPki& pki);
void write_tls12_reset_injected(const std::filesystem::path& file, const LabPki& pki);

// scenarios_tls_alerts.cpp
void write_tls12_alert_protocol_version(const std::filesystem::path& file, const LabPki& pki);
void write_tls12_alert_certificate_expired(const std::filesystem::path& file, const LabPki& pki);
void write_tls13_server_rejects_device_certificate(const std::filesystem::path& file, const LabPki& pki);

// scenarios_tls_other_servers.cpp
void write_legacy_tools_cisco_com(const std::filesystem::path& file, const LabPki& pki);
void write_onprem_ssm_self_signed(const std::filesystem::path& file, const LabPki& pki);

// scenarios_tls_capture_views.cpp
void write_capture_2021_valid_then(const std::filesystem::path& file, const LabPki& pki);
void write_cslu_http_wrong_path(const std::filesystem::path& file, const LabPki& pki);
void write_cslu_http_second_exchange_fails(const std::filesystem::path& file, const LabPki& pki);
void write_cslu_http_healthy(const std::filesystem::path& file, const LabPki& pki);
void write_ssm_onprem_http_chunked_then_error(const std::filesystem::path& file, const LabPki& pki);
void write_no_dns_no_sni(const std::filesystem::path& file, const LabPki& pki);
void write_tls12_device_clock_behind(const std::filesystem::path& file, const LabPki& pki);
void write_tls12_device_clock_behind_rejected(const std::filesystem::path& file, const LabPki& pki);
void write_one_sided_device_only(const std::filesystem::path& file, const LabPki& pki);

// scenarios_proxy.cpp
void write_tls12_mutual_via_proxy(const std::filesystem::path& file, const LabPki& pki);
void write_proxy_auth_required(const std::filesystem::path& file, const LabPki& pki);
void write_proxy_forbidden(const std::filesystem::path& file, const LabPki& pki);
void write_proxy_bypassed(const std::filesystem::path& file, const LabPki& pki);
void write_proxy_no_answer(const std::filesystem::path& file, const LabPki& pki);

// scenarios_tls_lab_behaviours.cpp
void write_tls13_tickets_after_request(const std::filesystem::path& file, const LabPki& pki);
void write_tls13_client_alert_in_clear(const std::filesystem::path& file, const LabPki& pki);
void write_tls12_reset_injected_bare_rst(const std::filesystem::path& file, const LabPki& pki);
void write_proxy_auth_required_multisegment(const std::filesystem::path& file, const LabPki& pki);

// scenarios_name_resolution.cpp
void write_dns_nxdomain(const std::filesystem::path& file, const LabPki& pki);
void write_dns_answer_then_no_sni(const std::filesystem::path& file, const LabPki& pki);
void write_dns_servfail(const std::filesystem::path& file, const LabPki& pki);
void write_dns_no_answer(const std::filesystem::path& file, const LabPki& pki);
void write_dns_refused(const std::filesystem::path& file, const LabPki& pki);

// scenarios_tls_real_world_tcp.cpp
void write_tls12_racing_forged_rst(const std::filesystem::path& file, const LabPki& pki);
void write_tls12_out_of_window_rst(const std::filesystem::path& file, const LabPki& pki);
void write_tls12_synack_before_syn(const std::filesystem::path& file, const LabPki& pki);
void write_tls12_rst_after_both_fins(const std::filesystem::path& file, const LabPki& pki);
void write_tls12_server_rst_after_device_fin(const std::filesystem::path& file, const LabPki& pki);

// scenarios_tls_real_world_versions.cpp
void write_tls12_warning_alert_unrecognized_name(const std::filesystem::path& file, const LabPki& pki);
void write_sslv2_client_hello_unanswered(const std::filesystem::path& file, const LabPki& pki);
void write_sslv3_client_hello_refused(const std::filesystem::path& file, const LabPki& pki);

// scenarios_tls_real_world_attempts.cpp
void write_tls12_client_hello_unanswered(const std::filesystem::path& file, const LabPki& pki);
void write_proxy_client_hello_unanswered(const std::filesystem::path& file, const LabPki& pki);
void write_tls12_unknown_ca_three_attempts(const std::filesystem::path& file, const LabPki& pki);
void write_syn_reset_then_healthy_retry(const std::filesystem::path& file, const LabPki& pki);
void write_syn_at_capture_end(const std::filesystem::path& file, const LabPki& pki);

}  // namespace pcapgen
