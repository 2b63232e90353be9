#pragma once

#include <filesystem>
#include <string_view>
#include <vector>

namespace pcapgen {

struct Scenario {
    std::string_view file_name;
    void (*write)(const std::filesystem::path& file);
};

// Every capture the generator writes, in the order it writes them.
std::vector<Scenario> all_scenarios();

// scenarios_handshake_failures.cpp
void write_syn_unanswered(const std::filesystem::path& file);
void write_syn_answered_by_rst(const std::filesystem::path& file);
void write_syn_icmp_admin_prohibited(const std::filesystem::path& file);
void write_syn_icmpv6_admin_prohibited(const std::filesystem::path& file);

// scenarios_connection_lifecycle.cpp
void write_complete_connection(const std::filesystem::path& file);
void write_server_reset_mid_stream(const std::filesystem::path& file);
void write_client_reset_mid_stream(const std::filesystem::path& file);
void write_reordered_and_retransmitted(const std::filesystem::path& file);
void write_port_reuse(const std::filesystem::path& file);

// scenarios_encapsulations.cpp
void write_complete_connection_vlan(const std::filesystem::path& file);
void write_complete_connection_qinq(const std::filesystem::path& file);
void write_complete_connection_linux_sll(const std::filesystem::path& file);
void write_complete_connection_linux_sll2(const std::filesystem::path& file);
void write_complete_connection_raw_ip(const std::filesystem::path& file);
void write_complete_connection_bsd_loopback(const std::filesystem::path& file);
void write_complete_connection_ipv6(const std::filesystem::path& file);
void write_complete_connection_gre(const std::filesystem::path& file);
void write_complete_connection_erspan_type2(const std::filesystem::path& file);
void write_complete_connection_erspan_type3(const std::filesystem::path& file);
void write_complete_connection_mpls(const std::filesystem::path& file);
void write_complete_connection_ipv4_options(const std::filesystem::path& file);
void write_complete_connection_ipv4_fragments(const std::filesystem::path& file);
void write_complete_connection_ipv6_fragments(const std::filesystem::path& file);
void write_complete_connection_nanosecond(const std::filesystem::path& file);

// scenarios_capture_conditions.cpp
void write_complete_connection_cut_file(const std::filesystem::path& file);
void write_capture_starts_mid_flow(const std::filesystem::path& file);
void write_snaplen_96(const std::filesystem::path& file);
void write_capture_ends_before_fin(const std::filesystem::path& file);
void write_unsupported_link_type(const std::filesystem::path& file);

// scenarios_traffic_selection.cpp
void write_port_8443_with_background(const std::filesystem::path& file);
void write_background_traffic_only(const std::filesystem::path& file);

// scenarios_real_world.cpp
void write_syn_options_cut_by_snaplen(const std::filesystem::path& file);

}  // namespace pcapgen
