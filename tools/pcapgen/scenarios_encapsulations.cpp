#include "scenarios.h"

#include "capture_session.h"
#include "flow_recorder.h"
#include "link_encapsulation.h"
#include "standard_exchanges.h"

#include <array>
#include <chrono>
#include <vector>

namespace pcapgen {

using namespace std::chrono_literals;

namespace {

// The device's IPv6 packets: hop limit 64 and an (empty) destination-options extension header.
HostIpProfile device_ipv6_profile_with_destination_options()
{
    HostIpProfile profile = device_ip_profile();
    profile.ttl = 64;
    profile.ipv6_extension_headers = {Ipv6ExtensionHeader{ipv6_header_destination_options, {}}};
    return profile;
}

void write_complete_connection_over(const std::filesystem::path& file, LinkEncapsulation link)
{
    CaptureSession session(file, std::move(link));
    TcpConversation conversation = licensing_conversation();
    FlowRecorder recorder(session, conversation);
    record_complete_connection(recorder);
}

// The complete connection with the second request segment sent as three fragments: last, first, middle.
void record_complete_connection_with_fragmented_request(FlowRecorder& recorder)
{
    TcpConversation& conversation = recorder.conversation();
    constexpr std::size_t max_fragment_payload = 480;
    constexpr std::array<std::size_t, 3> fragment_order{2, 0, 1};
    record_handshake(recorder);
    recorder.record(conversation.data(Side::client, first_request_segment_size), gap::local_reaction);
    recorder.record_as_fragments(conversation.data(Side::client, second_request_segment_size), max_fragment_payload,
                                 fragment_order, gap::back_to_back, 41'377ns);
    record_server_response(recorder);
    record_client_close(recorder);
}

}  // namespace

void write_complete_connection_vlan(const std::filesystem::path& file)
{
    write_complete_connection_over(file, vlan_tagged_link({VlanTag{ethertype_8021q, 30, 0}}));
}

void write_complete_connection_qinq(const std::filesystem::path& file)
{
    write_complete_connection_over(
        file, vlan_tagged_link({VlanTag{ethertype_8021ad, 100, 0}, VlanTag{ethertype_8021q, 30, 0}}));
}

void write_complete_connection_linux_sll(const std::filesystem::path& file)
{
    write_complete_connection_over(file, linux_sll_link());
}

void write_complete_connection_linux_sll2(const std::filesystem::path& file)
{
    write_complete_connection_over(file, linux_sll2_link(3));
}

void write_complete_connection_raw_ip(const std::filesystem::path& file)
{
    write_complete_connection_over(file, raw_ip_link());
}

void write_complete_connection_bsd_loopback(const std::filesystem::path& file)
{
    write_complete_connection_over(file, bsd_loopback_link());
}

void write_complete_connection_gre(const std::filesystem::path& file)
{
    write_complete_connection_over(file, gre_tunnel_link(1001));
}

void write_complete_connection_erspan_type2(const std::filesystem::path& file)
{
    write_complete_connection_over(file, erspan_type2_link(7));
}

void write_complete_connection_erspan_type3(const std::filesystem::path& file)
{
    write_complete_connection_over(file, erspan_type3_link(8));
}

void write_complete_connection_mpls(const std::filesystem::path& file)
{
    const std::vector<MplsLabel> from_device_labels{MplsLabel{24001, 0, 255}, MplsLabel{16005, 0, 255}};
    const std::vector<MplsLabel> to_device_labels{MplsLabel{24017, 0, 60}, MplsLabel{16002, 0, 60}};
    write_complete_connection_over(file, mpls_link(from_device_labels, to_device_labels));
}

void write_complete_connection_ipv6(const std::filesystem::path& file)
{
    CaptureSession session(file, ethernet_link());
    LicensingConnectionParameters parameters;
    parameters.over_ipv6 = true;
    TcpConversation conversation = licensing_conversation(parameters);
    FlowRecorder recorder(session, conversation, device_ipv6_profile_with_destination_options());
    record_complete_connection(recorder);
}

void write_complete_connection_ipv4_options(const std::filesystem::path& file)
{
    constexpr std::uint8_t record_route = 7;
    constexpr std::uint8_t two_empty_slots_length = 3 + 2 * 4;
    constexpr std::uint8_t first_slot_pointer = 4;
    CaptureSession session(file, ethernet_link());
    TcpConversation conversation = licensing_conversation();
    HostIpProfile device_profile = device_ip_profile();
    device_profile.ipv4_options = {record_route, two_empty_slots_length, first_slot_pointer, 0, 0, 0, 0, 0, 0, 0, 0};
    FlowRecorder recorder(session, conversation, device_profile);
    record_complete_connection(recorder);
}

void write_complete_connection_ipv4_fragments(const std::filesystem::path& file)
{
    CaptureSession session(file, ethernet_link());
    TcpConversation conversation = licensing_conversation();
    FlowRecorder recorder(session, conversation);
    record_complete_connection_with_fragmented_request(recorder);
}

void write_complete_connection_ipv6_fragments(const std::filesystem::path& file)
{
    CaptureSession session(file, ethernet_link());
    LicensingConnectionParameters parameters;
    parameters.over_ipv6 = true;
    TcpConversation conversation = licensing_conversation(parameters);
    FlowRecorder recorder(session, conversation, device_ipv6_profile_with_destination_options());
    record_complete_connection_with_fragmented_request(recorder);
}

void write_complete_connection_nanosecond(const std::filesystem::path& file)
{
    CaptureSession session(file, ethernet_link(), default_snapshot_length, TimestampPrecision::nanoseconds,
                           Timestamp{capture_start.seconds, 317});
    TcpConversation conversation = licensing_conversation();
    FlowRecorder recorder(session, conversation);
    record_complete_connection(recorder);
}

}  // namespace pcapgen
