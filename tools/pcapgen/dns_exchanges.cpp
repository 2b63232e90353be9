#include "dns_exchanges.h"

#include "dns_message_builder.h"
#include "lab_network.h"
#include "network_layer_builder.h"
#include "transport_layer_builder.h"

namespace pcapgen {

namespace {

constexpr std::uint16_t dns_port = 53;

Bytes udp_packet(const IpAddress& source, std::uint16_t source_port, const IpAddress& destination,
                 std::uint16_t destination_port, std::uint8_t ttl, std::uint16_t identification,
                 std::span<const std::uint8_t> payload)
{
    Ipv4Header header;
    header.source = source;
    header.destination = destination;
    header.protocol = ip_protocol_udp;
    header.ttl = ttl;
    header.dont_fragment = false;
    header.identification = identification;
    return ipv4_packet(header, udp_datagram(source_port, destination_port, payload, source, destination));
}

}  // namespace

void record_dns_query(CaptureSession& session, const DnsLookup& lookup, std::chrono::nanoseconds gap)
{
    session.record_ip_packet(udp_packet(lab::device_ipv4, lookup.device_port, lab::dns_resolver_ipv4, dns_port, 255,
                                        lookup.device_ip_identification, dns_a_query(lookup.id, lookup.name)),
                             Direction::from_device, gap);
}

void record_dns_lookup(CaptureSession& session, const DnsLookup& lookup, std::chrono::nanoseconds gap)
{
    record_dns_query(session, lookup, gap);
    const Bytes response = dns_a_response(lookup.id, lookup.name,
                                          lookup.answer ? dns_rcode_no_error : lookup.rcode_without_answer,
                                          lookup.answer);
    session.record_ip_packet(udp_packet(lab::dns_resolver_ipv4, dns_port, lab::device_ipv4, lookup.device_port, 64,
                                        lookup.resolver_ip_identification, response),
                             Direction::to_device, dns_resolver_reply_time);
}

DnsLookup smartreceiver_lookup()
{
    return DnsLookup{0x3a7e, 61034, 0x1c40, 0x9b12, lab::smartreceiver_ipv4};
}

}  // namespace pcapgen
