// How licensing attempts end in real captures (issue 10): a Client Hello nobody answers (direct and through the
// proxy), the device retrying a minute apart, a failed attempt followed by a healthy one, and a capture that ends
// right after a SYN.
#include "tls_scenarios.h"

#include "capture_session.h"
#include "dns_exchanges.h"
#include "http_messages.h"
#include "lab_network.h"
#include "link_encapsulation.h"
#include "network_layer_builder.h"
#include "proxy_exchanges.h"
#include "standard_exchanges.h"
#include "syslog_messages.h"
#include "tls_exchanges.h"
#include "tls_scenario_steps.h"
#include "transport_layer_builder.h"

#include <chrono>
#include <cstdint>
#include <string_view>

namespace pcapgen {

using namespace std::chrono_literals;

namespace {

constexpr auto dns_answer_to_syn = 412'906ns;
// The device gives up on a Client Hello nobody answers after 20 s.
constexpr auto device_gives_up_after = 20'000'611'408ns;
// A Linux server's (or squid's) delayed ACK of a segment it has nothing to answer to yet.
constexpr auto delayed_ack = 40'213'775ns;
// The device's licensing agent retries a minute after an attempt failed.
constexpr auto retry_after = 60'001'204'817ns;

// One of the device's connections to smartreceiver:443, each from its own port with its own ISNs; the device's
// and the server's IP IDs go on from one connection to the next.
struct Attempt {
    std::uint16_t client_port;
    std::uint32_t client_initial_sequence_number;
    std::uint32_t server_initial_sequence_number;
    std::uint16_t device_first_identification;
    std::uint16_t server_first_identification;
};

TcpConversation attempt_conversation(const Attempt& attempt)
{
    LicensingConnectionParameters parameters;
    parameters.client_port = attempt.client_port;
    parameters.client_initial_sequence_number = attempt.client_initial_sequence_number;
    parameters.server_initial_sequence_number = attempt.server_initial_sequence_number;
    return licensing_conversation(parameters);
}

HostIpProfile attempt_device_profile(const Attempt& attempt)
{
    HostIpProfile profile = device_ip_profile();
    profile.first_identification = attempt.device_first_identification;
    return profile;
}

HostIpProfile attempt_server_profile(const Attempt& attempt)
{
    HostIpProfile profile = smartreceiver_ip_profile();
    profile.first_identification = attempt.server_first_identification;
    return profile;
}

// The Client Hello, the receiver's delayed ACK, nothing for 20 s, then the device's FIN, the receiver's FIN and
// the device's ACK.
void record_unanswered_client_hello(FlowRecorder& recorder, InMemoryTls& tls, std::chrono::nanoseconds ack_after)
{
    TcpConversation& conversation = recorder.conversation();
    record_stream_bytes(recorder, Side::client, tls.advance(Side::client), gap::local_reaction);
    recorder.record(conversation.ack(Side::server), ack_after);
    recorder.record(conversation.fin(Side::client), device_gives_up_after - ack_after);
    recorder.record(conversation.fin(Side::server), gap::round_trip);
    recorder.record(conversation.ack(Side::client), gap::local_reaction);
}

}  // namespace

void write_tls12_client_hello_unanswered(const std::filesystem::path& file, const LabPki& pki)
{
    // Something between the device and smartreceiver (a firewall or IPS black-holing TLS to it) lets the TCP
    // handshake through and acknowledges the Client Hello, but nothing answers it.
    DirectLicensingCapture capture(file);
    const LicensingTlsContexts contexts = licensing_tls_contexts(pki, TlsVersion::tls12);
    InMemoryTls tls(contexts.device.get(), contexts.server.get(), smartreceiver_host, smartreceiver_host);
    record_unanswered_client_hello(capture.recorder(), tls, gap::round_trip + delayed_ack);
}

void write_proxy_client_hello_unanswered(const std::filesystem::path& file, const LabPki& pki)
{
    // The proxy opens the tunnel (200), but the far side never answers the Client Hello sent through it.
    CaptureSession session(file, ethernet_link());
    TcpConversation conversation = proxy_conversation();
    FlowRecorder recorder(session, conversation, device_ip_profile(), proxy_ip_profile());
    record_tunnel_to_smartreceiver(recorder);
    const LicensingTlsContexts contexts = licensing_tls_contexts(pki, TlsVersion::tls12);
    InMemoryTls tls(contexts.device.get(), contexts.server.get(), smartreceiver_host, smartreceiver_host);
    record_unanswered_client_hello(recorder, tls, delayed_ack);
}

void write_tls12_unknown_ca_three_attempts(const std::filesystem::path& file, const LabPki& pki)
{
    // The device's certificate has expired; smartreceiver refuses it with a fatal unknown_ca alert, and the device
    // tries again a minute later, twice, from a new port each time.
    const Attempt attempts[] = {
        {51512, 0x5f3a9c21, 0xc84e1b07, 0x1c46, 0x8e21},
        {53017, 0x0b7d44e9, 0x3e9215c2, 0x1c52, 0x8e2d},
        {54990, 0xa3c0e857, 0x71f4b90d, 0x1c5e, 0x8e39},
    };
    CaptureSession session(file, ethernet_link());
    record_dns_lookup(session, smartreceiver_lookup(), 0ns);
    const SslCtxPtr device =
        make_client_context({TlsVersion::tls12, &pki.device_with_expired_certificate(), pki.root_ca().get()});
    TlsEndpointSettings server_settings{TlsVersion::tls12, &pki.smartreceiver(), pki.root_ca().get()};
    server_settings.refuse_expired_peer_as_unknown_ca = true;
    const SslCtxPtr server = make_server_context(server_settings);
    std::chrono::nanoseconds gap_before_syn = dns_answer_to_syn;
    for (const Attempt& attempt : attempts) {
        TcpConversation conversation = attempt_conversation(attempt);
        FlowRecorder recorder(session, conversation, attempt_device_profile(attempt), attempt_server_profile(attempt));
        record_handshake(recorder, gap_before_syn);
        InMemoryTls tls(device.get(), server.get(), smartreceiver_host, smartreceiver_host);
        record_tls_handshake(recorder, tls, gap::local_reaction);
        require_alert_sent(tls, Side::server, trustcap::TlsAlertDescription::unknown_ca);
        recorder.record(conversation.fin(Side::server), gap::back_to_back);
        recorder.record(conversation.fin(Side::client), gap::local_reaction);
        recorder.record(conversation.ack(Side::server), gap::round_trip);
        gap_before_syn = retry_after;
    }
}

void write_syn_reset_then_healthy_retry(const std::filesystem::path& file, const LabPki& pki)
{
    // smartreceiver's listener is not up: the first SYN is answered by a RST-ACK (TTL 52, the server's own); a
    // minute later the device tries again from a new port and the session is healthy.
    const Attempt refused{51512, 0x5f3a9c21, 0xc84e1b07, 0x1c46, 0x8e21};
    const Attempt healthy{53017, 0x0b7d44e9, 0x3e9215c2, 0x1c47, 0x8e22};
    CaptureSession session(file, ethernet_link());
    record_dns_lookup(session, smartreceiver_lookup(), 0ns);
    {
        TcpConversation conversation = attempt_conversation(refused);
        FlowRecorder recorder(session, conversation, attempt_device_profile(refused), attempt_server_profile(refused));
        recorder.record(conversation.syn(), dns_answer_to_syn);
        recorder.record(conversation.rst_answering_syn(), gap::round_trip);
    }
    TcpConversation conversation = attempt_conversation(healthy);
    FlowRecorder recorder(session, conversation, attempt_device_profile(healthy), attempt_server_profile(healthy));
    record_handshake(recorder, retry_after);
    const LicensingTlsContexts contexts = licensing_tls_contexts(pki, TlsVersion::tls12);
    InMemoryTls tls(contexts.device.get(), contexts.server.get(), smartreceiver_host, smartreceiver_host);
    record_healthy_tls_session(recorder, tls);
}

void write_syn_at_capture_end(const std::filesystem::path& file, const LabPki&)
{
    // The capture is stopped half a second after the device's SYN, before any answer could be judged missing:
    // the last frame is an unrelated syslog message.
    constexpr auto syn_to_capture_end = 500'118'206ns;
    CaptureSession session(file, ethernet_link());
    record_dns_lookup(session, smartreceiver_lookup(), 0ns);
    TcpConversation conversation = licensing_conversation();
    FlowRecorder recorder(session, conversation);
    recorder.record(conversation.syn(), dns_answer_to_syn);
    record_syslog_message(session,
                          "<189>1043: Mar 12 09:15:00.507 UTC: %SYS-5-CONFIG_I: Configured from console by admin "
                          "on vty0 (10.20.30.77)",
                          0x0b18, syn_to_capture_end);
}

}  // namespace pcapgen
