#include "standard_exchanges.h"

#include "lab_network.h"

namespace pcapgen {

TcpConversation licensing_conversation(const LicensingConnectionParameters& parameters)
{
    const TcpEndpoint client{parameters.over_ipv6 ? lab::device_ipv6 : lab::device_ipv4, parameters.client_port};
    const IpAddress smartreceiver = parameters.over_ipv6 ? lab::smartreceiver_ipv6 : lab::smartreceiver_ipv4;
    const TcpEndpoint server{parameters.server_address.value_or(smartreceiver), parameters.server_port};
    TcpHostSettings client_settings;
    client_settings.initial_sequence_number = parameters.client_initial_sequence_number;
    client_settings.syn_window = 64240;
    client_settings.window = 502;
    client_settings.maximum_segment_size = parameters.client_maximum_segment_size;
    TcpHostSettings server_settings;
    server_settings.initial_sequence_number = parameters.server_initial_sequence_number;
    server_settings.syn_window = 65160;
    server_settings.window = 501;
    server_settings.maximum_segment_size = 1400;
    return TcpConversation(client, server, client_settings, server_settings, parameters.payload_seed);
}

void record_handshake(FlowRecorder& recorder, std::chrono::nanoseconds gap_before_syn)
{
    TcpConversation& conversation = recorder.conversation();
    recorder.record(conversation.syn(), gap_before_syn);
    recorder.record(conversation.syn_ack(), gap::round_trip);
    recorder.record(conversation.ack(Side::client), gap::local_reaction);
}

void record_client_request(FlowRecorder& recorder)
{
    TcpConversation& conversation = recorder.conversation();
    recorder.record(conversation.data(Side::client, first_request_segment_size), gap::local_reaction);
    recorder.record(conversation.data(Side::client, second_request_segment_size), gap::back_to_back);
}

void record_server_response(FlowRecorder& recorder)
{
    TcpConversation& conversation = recorder.conversation();
    recorder.record(conversation.ack(Side::server), gap::round_trip);
    recorder.record(conversation.data(Side::server, full_response_segment_size, false), gap::server_think_time);
    recorder.record(conversation.data(Side::server, full_response_segment_size, false), gap::back_to_back);
    recorder.record(conversation.data(Side::server, last_response_segment_size), gap::back_to_back);
    recorder.record(conversation.ack(Side::client), gap::local_reaction);
}

void record_client_close(FlowRecorder& recorder)
{
    TcpConversation& conversation = recorder.conversation();
    recorder.record(conversation.fin(Side::client), gap::device_think_time);
    recorder.record(conversation.fin(Side::server), gap::round_trip);
    recorder.record(conversation.ack(Side::client), gap::local_reaction);
}

void record_complete_connection(FlowRecorder& recorder, std::chrono::nanoseconds gap_before_syn)
{
    record_handshake(recorder, gap_before_syn);
    record_client_request(recorder);
    record_server_response(recorder);
    record_client_close(recorder);
}

}  // namespace pcapgen
