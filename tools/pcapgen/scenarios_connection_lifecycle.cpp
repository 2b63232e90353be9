#include "scenarios.h"

#include "capture_session.h"
#include "deterministic_bytes.h"
#include "flow_recorder.h"
#include "link_encapsulation.h"
#include "standard_exchanges.h"

#include <chrono>

namespace pcapgen {

using namespace std::chrono_literals;

void write_complete_connection(const std::filesystem::path& file)
{
    CaptureSession session(file, ethernet_link());
    TcpConversation conversation = licensing_conversation();
    FlowRecorder recorder(session, conversation);
    record_complete_connection(recorder);
}

void write_server_reset_mid_stream(const std::filesystem::path& file)
{
    CaptureSession session(file, ethernet_link());
    TcpConversation conversation = licensing_conversation();
    FlowRecorder recorder(session, conversation);
    record_handshake(recorder);
    record_client_request(recorder);
    recorder.record(conversation.ack(Side::server), gap::round_trip);
    recorder.record(conversation.data(Side::server, full_response_segment_size), gap::server_think_time);
    recorder.record(conversation.ack(Side::client), gap::local_reaction);
    recorder.record(conversation.rst(Side::server), gap::round_trip);
}

void write_client_reset_mid_stream(const std::filesystem::path& file)
{
    CaptureSession session(file, ethernet_link());
    TcpConversation conversation = licensing_conversation();
    FlowRecorder recorder(session, conversation);
    record_handshake(recorder);
    record_client_request(recorder);
    recorder.record(conversation.ack(Side::server), gap::round_trip);
    recorder.record(conversation.data(Side::server, full_response_segment_size, false), gap::server_think_time);
    recorder.record(conversation.data(Side::server, full_response_segment_size, false), gap::back_to_back);
    recorder.record(conversation.data(Side::server, last_response_segment_size), gap::back_to_back);
    recorder.record(conversation.rst(Side::client), gap::device_think_time);
}

void write_reordered_and_retransmitted(const std::filesystem::path& file)
{
    constexpr auto retransmission_timeout = 212'771'004ns;
    CaptureSession session(file, ethernet_link());
    TcpConversation conversation = licensing_conversation();
    FlowRecorder recorder(session, conversation);
    record_handshake(recorder);

    // The second request segment is retransmitted unchanged.
    recorder.record(conversation.data(Side::client, first_request_segment_size), gap::local_reaction);
    const TcpSegment second_request = conversation.data(Side::client, 300);
    recorder.record(second_request, gap::back_to_back);
    recorder.record(second_request, retransmission_timeout);
    recorder.record(conversation.ack(Side::server), gap::round_trip);

    // The response's second segment arrives before its first.
    const TcpSegment first_response = conversation.data(Side::server, full_response_segment_size, false);
    const TcpSegment second_response = conversation.data(Side::server, full_response_segment_size, false);
    recorder.record(second_response, gap::server_think_time);
    recorder.record(conversation.ack_up_to(Side::client, 0), gap::local_reaction);
    recorder.record(first_response, gap::back_to_back);
    recorder.record(conversation.ack(Side::client), gap::local_reaction);

    // The device's ACK of the last segment is lost upstream; the server retransmits it with different bytes.
    TcpSegment last_response = conversation.data(Side::server, 700);
    recorder.record(last_response, gap::back_to_back);
    recorder.record(conversation.ack(Side::client), gap::local_reaction);
    last_response.payload = DeterministicBytes(0xd1ffe7e47b17e5).next(last_response.payload.size());
    recorder.record(last_response, retransmission_timeout);
    recorder.record(conversation.ack(Side::client), gap::local_reaction);

    // A segment that partly overlaps the one before it: 100 bytes again, then 200 new ones.
    const std::size_t third_request_offset = conversation.bytes_sent(Side::client);
    recorder.record(conversation.data(Side::client, 300), gap::device_think_time);
    recorder.record(conversation.data_at(Side::client, third_request_offset + 200, 300), gap::back_to_back);
    recorder.record(conversation.ack(Side::server), gap::round_trip);

    record_client_close(recorder);
}

void write_port_reuse(const std::filesystem::path& file)
{
    CaptureSession session(file, ethernet_link());
    TcpConversation first = licensing_conversation();
    FlowRecorder first_recorder(session, first);
    record_complete_connection(first_recorder);

    LicensingConnectionParameters second_parameters;
    second_parameters.client_initial_sequence_number = 0x93d4e2f8;
    second_parameters.server_initial_sequence_number = 0x1b7c6a35;
    second_parameters.payload_seed = 0x706f727472657573;
    TcpConversation second = licensing_conversation(second_parameters);
    HostIpProfile device_profile = device_ip_profile();
    device_profile.first_identification = 0x1c60;
    HostIpProfile server_profile = smartreceiver_ip_profile();
    server_profile.first_identification = 0x3f52;
    FlowRecorder second_recorder(session, second, device_profile, server_profile);
    record_complete_connection(second_recorder, 5'204'118'307ns);
}

}  // namespace pcapgen
