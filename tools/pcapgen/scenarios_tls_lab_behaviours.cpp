// Scenarios that model what the real stacks of pcaps/lab/ did and the first generated captures did not: OpenSSL's
// two session tickets arriving after the request, OpenSSL 3.0's plaintext alert during a TLS 1.3 server flight,
// iptables' bare RST against a data segment, squid's multi-segment 407 page; with Linux TCP habits (the Client
// Hello and every flight ACKed on their own, the server closing first).
#include "tls_scenarios.h"

#include "http_messages.h"
#include "link_encapsulation.h"
#include "proxy_exchanges.h"
#include "standard_exchanges.h"
#include "tls13_record_protection.h"
#include "tls_exchanges.h"
#include "tls_record_framing.h"
#include "tls_scenario_steps.h"
#include "transport_layer_builder.h"

#include <algorithm>
#include <chrono>
#include <span>
#include <stdexcept>
#include <string>

namespace pcapgen {

using namespace std::chrono_literals;

namespace {

constexpr std::size_t unprotected_alert_record_size = 7;

// A Linux server's kernel ACKs the Client Hello a round trip after it left; the server's flight follows once
// the TLS library has answered.
void record_client_hello_and_server_flight(FlowRecorder& recorder, InMemoryTls& tls)
{
    record_stream_bytes(recorder, Side::client, tls.advance(Side::client), gap::local_reaction);
    recorder.record(recorder.conversation().ack(Side::server), gap::round_trip);
    record_handshake_flight(recorder, tls, Side::server, tls_gap::server_answer - gap::round_trip);
}

// smartreceiver one routed hop from the capture point, as the lab's s_server: TTL 63.
HostIpProfile one_hop_server_ip_profile()
{
    HostIpProfile profile = smartreceiver_ip_profile();
    profile.ttl = 63;
    return profile;
}

// iptables REJECT --reject-with tcp-reset on the router next to the device: Linux's nf_send_reset writes TTL 64,
// IP ID 0, DF.
HostIpProfile iptables_reject_ip_profile()
{
    HostIpProfile profile;
    profile.ttl = 64;
    profile.first_identification = 0;
    return profile;
}

// The RST Linux's nf_send_reset answers a segment that carries an ACK with: its sequence number is that
// segment's acknowledgement number, and it has no ACK flag of its own.
TcpSegment bare_rst_answering(const TcpSegment& rejected)
{
    return TcpSegment{opposite(rejected.sender), rejected.acknowledgment_number, 0, tcp_flag::rst, 0, {}, {}};
}

}  // namespace

void write_tls13_tickets_after_request(const std::filesystem::path& file, const LabPki& pki)
{
    // The tickets left the server as it read the device's flight: a round trip after that flight, just after the
    // request (which followed the flight by two local reactions).
    constexpr auto request_to_tickets = gap::round_trip - 2 * gap::local_reaction;
    DirectLicensingCapture capture(file);
    FlowRecorder& recorder = capture.recorder();
    TcpConversation& conversation = capture.conversation();
    const SslCtxPtr device = make_client_context({TlsVersion::tls13, &pki.device(), pki.root_ca().get()});
    TlsEndpointSettings server_settings{TlsVersion::tls13, &pki.smartreceiver(), pki.root_ca().get()};
    server_settings.session_tickets = 2;  // OpenSSL's default
    const SslCtxPtr server = make_server_context(server_settings);
    InMemoryTls tls(device.get(), server.get(), smartreceiver_host, smartreceiver_host);

    record_client_hello_and_server_flight(recorder, tls);
    record_handshake_flight(recorder, tls, Side::client, tls_gap::device_crypto);
    // The server's answer to the device's Finished: its two NewSessionTickets, each holding the session with the
    // device's certificate. They are on their way while the device already sends its request.
    const Bytes tickets = tls.advance(Side::server);
    if (!tls.handshake_complete(Side::client) || !tls.handshake_complete(Side::server)) {
        throw std::logic_error("TLS 1.3 handshake failed: " + tls.failure(Side::client).value_or("") +
                               tls.failure(Side::server).value_or(""));
    }
    const auto ticket_records = split_tls_records(tickets);
    if (ticket_records.size() != 2) {
        throw std::logic_error("the server did not send two session tickets");
    }
    record_application_data(recorder, tls, Side::client, smart_transport_request(), gap::local_reaction);
    std::chrono::nanoseconds gap = request_to_tickets;
    for (const auto record : ticket_records) {
        record_stream_bytes(recorder, Side::server, record, gap);
        gap = gap::back_to_back;
    }
    recorder.record(conversation.ack(Side::client), gap::local_reaction);
    record_application_data(recorder, tls, Side::server, smart_transport_response(),
                            gap::round_trip - request_to_tickets + gap::server_think_time);
    recorder.record(conversation.ack(Side::client), gap::local_reaction);

    // The server closes first: its close_notify, the device's, then the server's FIN.
    record_close_notify(recorder, tls, Side::server, gap::back_to_back);
    recorder.record(conversation.ack(Side::client), gap::local_reaction);
    record_close_notify(recorder, tls, Side::client, gap::back_to_back);
    recorder.record(conversation.fin(Side::server), gap::round_trip);
    recorder.record(conversation.fin(Side::client), gap::local_reaction);
    recorder.record(conversation.ack(Side::server), gap::round_trip);
}

void write_tls13_client_alert_in_clear(const std::filesystem::path& file, const LabPki& pki)
{
    DirectLicensingCapture capture(file);
    FlowRecorder& recorder = capture.recorder();
    const LicensingTlsContexts contexts = intercepted_tls13_contexts(pki);
    InMemoryTls tls(contexts.device.get(), contexts.server.get(), smartreceiver_host, smartreceiver_host);
    record_client_hello_and_server_flight(recorder, tls);

    // The device rejects the chain while reading the Certificate; OpenSSL 3.0 writes its alert with the keys it
    // writes with so far, none: a plaintext alert record.
    const Bytes alert = tls.advance(Side::client);
    if (alert.size() != unprotected_alert_record_size || alert.front() != tls_content_type_alert) {
        throw std::logic_error("OpenSSL no longer sends this alert unprotected");
    }
    require_alert_sent(tls, Side::client, trustcap::TlsAlertDescription::unknown_ca);
    record_stream_bytes(recorder, Side::client, alert, tls_gap::device_crypto);
    // The CertificateVerify and Finished records are still unread in the device's socket: closing it sends a
    // RST-ACK instead of a FIN.
    recorder.record(capture.conversation().rst(Side::client), gap::back_to_back);
}

void write_tls12_reset_injected_bare_rst(const std::filesystem::path& file, const LabPki& pki)
{
    constexpr auto firewall_reaction = 352'906ns;
    DirectCaptureSetup setup;
    setup.server_ip_profile = one_hop_server_ip_profile();
    DirectLicensingCapture capture(file, setup);
    FlowRecorder& recorder = capture.recorder();
    TcpConversation& conversation = capture.conversation();
    const LicensingTlsContexts contexts = licensing_tls_contexts(pki, TlsVersion::tls12);
    InMemoryTls tls(contexts.device.get(), contexts.server.get(), smartreceiver_host, smartreceiver_host);
    record_client_hello_and_server_flight(recorder, tls);

    // The device's flight: the first segment carries its certificate's name, which the firewall's string match
    // catches after the capture point; the firewall drops it and rejects it with a bare RST in the server's
    // name. The second segment passes, and the server SACKs it beyond the hole.
    const Bytes flight = tls.advance(Side::client);
    const std::size_t flight_start = conversation.bytes_sent(Side::client);
    const std::size_t first_length = conversation.sendable_segment_size(Side::client);
    if (flight.size() <= first_length) {
        throw std::logic_error("the device's flight fits one segment");
    }
    const TcpSegment carrying_name =
        conversation.data(Side::client, std::span<const std::uint8_t>(flight).first(first_length), false);
    recorder.record(carrying_name, tls_gap::device_crypto);
    const TcpSegment rest = conversation.data(Side::client, std::span<const std::uint8_t>(flight).subspan(first_length));
    recorder.record(rest, gap::back_to_back);
    HostIpProfile firewall = iptables_reject_ip_profile();
    recorder.record_forged(bare_rst_answering(carrying_name), firewall, firewall_reaction);

    TcpSegment duplicate_ack = conversation.ack_up_to(Side::server, flight_start);
    duplicate_ack.options = tcp_sack_option(rest.sequence_number,
                                            rest.sequence_number + static_cast<std::uint32_t>(rest.payload.size()));
    recorder.record(duplicate_ack, gap::round_trip - firewall_reaction);
}

void write_proxy_auth_required_multisegment(const std::filesystem::path& file, const LabPki&)
{
    CaptureSession session(file, ethernet_link());
    TcpConversation conversation = proxy_conversation();
    FlowRecorder recorder(session, conversation, device_ip_profile(), proxy_ip_profile());
    record_handshake(recorder);
    record_connect_to_smartreceiver(recorder);
    recorder.record(conversation.ack(Side::server), gap::local_reaction);

    // squid's page leaves in MSS-sized segments; the device ACKs each.
    const std::string answer = proxy_authentication_required_html_page();
    const std::span<const std::uint8_t> bytes = text_bytes(answer);
    const std::size_t segment_size = conversation.sendable_segment_size(Side::server);
    std::chrono::nanoseconds gap = proxy_local_reply_time;
    for (std::size_t offset = 0; offset < bytes.size(); offset += segment_size) {
        const std::size_t length = std::min(segment_size, bytes.size() - offset);
        recorder.record(conversation.data(Side::server, bytes.subspan(offset, length), offset + length == bytes.size()),
                        gap);
        recorder.record(conversation.ack(Side::client), gap::local_reaction);
        gap = gap::back_to_back;
    }
    // The device gives up on the proxy and closes first.
    recorder.record(conversation.fin(Side::client), gap::device_think_time);
    recorder.record(conversation.fin(Side::server), gap::local_reaction);
    recorder.record(conversation.ack(Side::client), gap::local_reaction);
}

}  // namespace pcapgen
