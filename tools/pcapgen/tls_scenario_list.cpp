#include "tls_scenarios.h"

namespace pcapgen {

std::vector<TlsScenario> all_tls_scenarios()
{
    return {
        {"tls12-mutual-healthy.pcap", write_tls12_mutual_healthy},
        {"tls12-mutual-via-proxy.pcap", write_tls12_mutual_via_proxy},
        {"tls13-healthy.pcap", write_tls13_healthy},
        {"tls12-expired-device-certificate.pcap", write_tls12_expired_device_certificate},
        {"tls12-server-unknown-ca.pcap", write_tls12_server_unknown_ca},
        {"tls12-no-response.pcap", write_tls12_no_response},
        {"proxy-auth-required.pcap", write_proxy_auth_required},
        {"dns-nxdomain.pcap", write_dns_nxdomain},
        {"dns-answer-then-no-sni.pcap", write_dns_answer_then_no_sni},
        {"tls12-big-chain-reordered.pcap", write_tls12_big_chain_reordered},
        {"tls12-interception-fortinet.pcap", write_tls12_interception_fortinet},
        {"tls13-client-abort.pcap", write_tls13_client_abort},
        {"tls13-server-rejects-device-certificate.pcap", write_tls13_server_rejects_device_certificate},
        {"tls12-reset-injected.pcap", write_tls12_reset_injected},
        {"legacy-tools-cisco-com.pcap", write_legacy_tools_cisco_com},
        {"proxy-bypassed.pcap", write_proxy_bypassed},
        {"proxy-forbidden.pcap", write_proxy_forbidden},
        {"dns-servfail.pcap", write_dns_servfail},
        {"dns-no-answer.pcap", write_dns_no_answer},
        {"onprem-ssm-self-signed.pcap", write_onprem_ssm_self_signed},
        {"capture-2021-valid-then.pcap", write_capture_2021_valid_then},
        {"one-sided-device-only.pcap", write_one_sided_device_only},
        {"tls12-alert-protocol-version.pcap", write_tls12_alert_protocol_version},
        {"tls12-alert-certificate-expired.pcap", write_tls12_alert_certificate_expired},
        {"tls12-name-mismatch.pcap", write_tls12_name_mismatch},
        {"dns-refused.pcap", write_dns_refused},
        {"proxy-no-answer.pcap", write_proxy_no_answer},
        {"tls12-missing-server-segment.pcap", write_tls12_missing_server_segment},
        {"malformed-frame-in-healthy.pcap", write_malformed_frame_in_healthy},
        {"tls13-tickets-after-request.pcap", write_tls13_tickets_after_request},
        {"tls13-client-alert-in-clear.pcap", write_tls13_client_alert_in_clear},
        {"tls12-reset-injected-bare-rst.pcap", write_tls12_reset_injected_bare_rst},
        {"proxy-auth-required-multisegment.pcap", write_proxy_auth_required_multisegment},
        {"tls12-racing-forged-rst.pcap", write_tls12_racing_forged_rst},
        {"tls12-out-of-window-rst.pcap", write_tls12_out_of_window_rst},
        {"tls12-synack-before-syn.pcap", write_tls12_synack_before_syn},
        {"tls12-rst-after-both-fins.pcap", write_tls12_rst_after_both_fins},
        {"tls12-server-rst-after-device-fin.pcap", write_tls12_server_rst_after_device_fin},
        {"tls12-warning-alert-unrecognized-name.pcap", write_tls12_warning_alert_unrecognized_name},
        {"sslv2-client-hello-unanswered.pcap", write_sslv2_client_hello_unanswered},
        {"sslv3-client-hello-refused.pcap", write_sslv3_client_hello_refused},
        {"tls12-client-hello-unanswered.pcap", write_tls12_client_hello_unanswered},
        {"proxy-client-hello-unanswered.pcap", write_proxy_client_hello_unanswered},
        {"tls12-unknown-ca-three-attempts.pcap", write_tls12_unknown_ca_three_attempts},
        {"syn-reset-then-healthy-retry.pcap", write_syn_reset_then_healthy_retry},
        {"syn-at-capture-end.pcap", write_syn_at_capture_end},
        {"tls12-huge-rsa-exponent-chain.pcap", write_tls12_huge_rsa_exponent_chain},
    };
}

}  // namespace pcapgen
