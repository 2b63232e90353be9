#include "scenarios.h"

#include "capture_session.h"
#include "flow_recorder.h"
#include "lab_network.h"
#include "link_encapsulation.h"
#include "network_layer_builder.h"
#include "standard_exchanges.h"
#include "syslog_messages.h"
#include "transport_layer_builder.h"

#include <chrono>
#include <string_view>

namespace pcapgen {

using namespace std::chrono_literals;

namespace {

constexpr std::uint16_t web_client_port = 51530;

TcpConversation web_conversation()
{
    TcpHostSettings client_settings;
    client_settings.initial_sequence_number = 0x2e81f0a4;
    TcpHostSettings server_settings;
    server_settings.initial_sequence_number = 0x7d05c3b9;
    server_settings.syn_window = 65535;
    server_settings.window = 1026;
    server_settings.window_scale_shift = 6;
    return TcpConversation(TcpEndpoint{lab::device_ipv4, web_client_port},
                           TcpEndpoint{lab::web_server_ipv4, lab::http_port}, client_settings, server_settings,
                           0x62616b67726f756e);
}

// The device's own complaint, sent to its syslog server while the capture runs.
constexpr std::string_view comm_failed_message =
    "<187>1042: Mar 12 09:15:00.118 UTC: %SMART_LIC-3-COMM_FAILED: Communications failure with the "
    "Cisco Smart Software Manager (CSSM)";
constexpr std::uint16_t comm_failed_ip_identification = 0x0b17;

}  // namespace

void write_port_8443_with_background(const std::filesystem::path& file)
{
    CaptureSession session(file, ethernet_link());
    LicensingConnectionParameters parameters;
    parameters.server_port = lab::alternate_https_port;
    TcpConversation licensing = licensing_conversation(parameters);
    FlowRecorder licensing_recorder(session, licensing);
    TcpConversation web = web_conversation();
    HostIpProfile web_server_profile = smartreceiver_ip_profile();
    web_server_profile.ttl = 55;
    web_server_profile.first_identification = 0x4410;
    HostIpProfile device_profile = device_ip_profile();
    device_profile.first_identification = 0x2200;
    FlowRecorder web_recorder(session, web, device_profile, web_server_profile);

    record_handshake(licensing_recorder);
    record_handshake(web_recorder, 3'118'442ns);
    record_syslog_message(session, comm_failed_message, comm_failed_ip_identification, 1'402'775ns);
    record_client_request(licensing_recorder);
    record_server_response(licensing_recorder);
    web_recorder.record(web.data(Side::client, 143), gap::local_reaction);
    web_recorder.record(web.data(Side::server, 388), gap::round_trip);
    web_recorder.record(web.ack(Side::client), gap::local_reaction);
    record_client_close(licensing_recorder);
    record_client_close(web_recorder);
}

void write_background_traffic_only(const std::filesystem::path& file)
{
    CaptureSession session(file, ethernet_link());
    TcpConversation web = web_conversation();
    FlowRecorder web_recorder(session, web);
    record_handshake(web_recorder);
    record_syslog_message(session, comm_failed_message, comm_failed_ip_identification, 1'402'775ns);
    web_recorder.record(web.data(Side::client, 143), gap::local_reaction);
    web_recorder.record(web.data(Side::server, 388), gap::round_trip);
    web_recorder.record(web.ack(Side::client), gap::local_reaction);
    record_client_close(web_recorder);
}

}  // namespace pcapgen
