#include "syslog_messages.h"

#include "byte_writer.h"
#include "lab_network.h"
#include "network_layer_builder.h"
#include "transport_layer_builder.h"

namespace pcapgen {

void record_syslog_message(CaptureSession& session, std::string_view message, std::uint16_t ip_identification,
                           std::chrono::nanoseconds gap)
{
    constexpr std::uint16_t syslog_client_port = 59214;
    constexpr std::uint16_t syslog_port = 514;
    Ipv4Header header;
    header.source = lab::device_ipv4;
    header.destination = lab::syslog_server_ipv4;
    header.protocol = ip_protocol_udp;
    header.ttl = 255;
    header.dont_fragment = false;
    header.identification = ip_identification;
    session.record_ip_packet(ipv4_packet(header, udp_datagram(syslog_client_port, syslog_port, text_bytes(message),
                                                              header.source, header.destination)),
                             Direction::from_device, gap);
}

}  // namespace pcapgen
