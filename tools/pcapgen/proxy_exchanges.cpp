#include "proxy_exchanges.h"

#include "http_messages.h"
#include "lab_network.h"
#include "standard_exchanges.h"
#include "tls_exchanges.h"

namespace pcapgen {

TcpConversation proxy_conversation()
{
    TcpHostSettings device_settings;
    device_settings.initial_sequence_number = 0x6b0e3d52;
    TcpHostSettings proxy_settings;
    proxy_settings.initial_sequence_number = 0x21f79ac4;
    proxy_settings.window = 501;
    return TcpConversation(TcpEndpoint{lab::device_ipv4, 51514}, TcpEndpoint{lab::proxy_ipv4, lab::proxy_port},
                           device_settings, proxy_settings, 0x70726f7879636f6e);
}

HostIpProfile proxy_ip_profile()
{
    HostIpProfile profile;
    profile.ttl = 64;
    profile.first_identification = 0x52c0;
    return profile;
}

void record_connect_to_smartreceiver(FlowRecorder& recorder)
{
    record_stream_bytes(recorder, Side::client, text_bytes(proxy_connect_request("smartreceiver.cisco.com:443")),
                        gap::local_reaction);
}

void record_tunnel_to_smartreceiver(FlowRecorder& recorder)
{
    record_handshake(recorder);
    record_connect_to_smartreceiver(recorder);
    record_stream_bytes(recorder, Side::server, text_bytes(proxy_connection_established()),
                        proxy_upstream_connect_time);
}

}  // namespace pcapgen
