#include "scenarios.h"

namespace pcapgen {

std::vector<Scenario> all_scenarios()
{
    return {
        {"syn-unanswered.pcap", write_syn_unanswered},
        {"syn-answered-by-rst.pcap", write_syn_answered_by_rst},
        {"syn-icmp-admin-prohibited.pcap", write_syn_icmp_admin_prohibited},
        {"syn-icmpv6-admin-prohibited.pcap", write_syn_icmpv6_admin_prohibited},
        {"complete-connection.pcap", write_complete_connection},
        {"server-reset-mid-stream.pcap", write_server_reset_mid_stream},
        {"client-reset-mid-stream.pcap", write_client_reset_mid_stream},
        {"reordered-and-retransmitted.pcap", write_reordered_and_retransmitted},
        {"port-reuse.pcap", write_port_reuse},
        {"complete-connection-vlan.pcap", write_complete_connection_vlan},
        {"complete-connection-qinq.pcap", write_complete_connection_qinq},
        {"complete-connection-linux-sll.pcap", write_complete_connection_linux_sll},
        {"complete-connection-linux-sll2.pcap", write_complete_connection_linux_sll2},
        {"complete-connection-raw-ip.pcap", write_complete_connection_raw_ip},
        {"complete-connection-bsd-loopback.pcap", write_complete_connection_bsd_loopback},
        {"complete-connection-ipv6.pcap", write_complete_connection_ipv6},
        {"complete-connection-gre.pcap", write_complete_connection_gre},
        {"complete-connection-erspan-type2.pcap", write_complete_connection_erspan_type2},
        {"complete-connection-erspan-type3.pcap", write_complete_connection_erspan_type3},
        {"complete-connection-mpls.pcap", write_complete_connection_mpls},
        {"complete-connection-ipv4-options.pcap", write_complete_connection_ipv4_options},
        {"complete-connection-ipv4-fragments.pcap", write_complete_connection_ipv4_fragments},
        {"complete-connection-ipv6-fragments.pcap", write_complete_connection_ipv6_fragments},
        {"complete-connection-nanosecond.pcap", write_complete_connection_nanosecond},
        {"complete-connection-cut-file.pcap", write_complete_connection_cut_file},
        {"capture-starts-mid-flow.pcap", write_capture_starts_mid_flow},
        {"snaplen-96.pcap", write_snaplen_96},
        {"capture-ends-before-fin.pcap", write_capture_ends_before_fin},
        {"unsupported-link-type-80211.pcap", write_unsupported_link_type},
        {"port-8443-with-background.pcap", write_port_8443_with_background},
        {"background-traffic-only.pcap", write_background_traffic_only},
        {"syn-options-cut-by-snaplen.pcap", write_syn_options_cut_by_snaplen},
    };
}

}  // namespace pcapgen
