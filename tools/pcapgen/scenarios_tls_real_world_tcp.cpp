// Healthy licensing sessions with what real stacks, firewalls and capture points add at the TCP level (issue 10):
// a forged RST racing the real SYN-ACK, an out-of-window RST the connection outlives, a SYN-ACK captured before
// its SYN, and abortive closes after a complete exchange.
#include "tls_scenarios.h"

#include "capture_session.h"
#include "dns_exchanges.h"
#include "http_messages.h"
#include "link_encapsulation.h"
#include "standard_exchanges.h"
#include "tls_exchanges.h"
#include "tls_scenario_steps.h"

#include <chrono>
#include <cstdint>
#include <stdexcept>

namespace pcapgen {

using namespace std::chrono_literals;

namespace {

constexpr auto dns_answer_to_syn = 412'906ns;

// A capture that starts with the device's lookup of smartreceiver.cisco.com (two frames) and leaves the TCP
// handshake to the scenario.
struct LicensingCaptureWithoutHandshake {
    explicit LicensingCaptureWithoutHandshake(const std::filesystem::path& file)
        : session(file, ethernet_link()), conversation(licensing_conversation()), recorder(session, conversation)
    {
        record_dns_lookup(session, smartreceiver_lookup(), 0ns);
    }

    CaptureSession session;
    TcpConversation conversation;
    FlowRecorder recorder;
};

// The handshake, the request and the response of a healthy mutual TLS 1.2 session, and both close_notify alerts;
// the TCP close is left to the scenario.
void record_tls12_session_up_to_close(FlowRecorder& recorder, const LabPki& pki)
{
    const LicensingTlsContexts contexts = licensing_tls_contexts(pki, TlsVersion::tls12);
    InMemoryTls tls(contexts.device.get(), contexts.server.get(), smartreceiver_host, smartreceiver_host);
    record_tls_handshake(recorder, tls, gap::local_reaction);
    for (const Side side : {Side::client, Side::server}) {
        if (!tls.handshake_complete(side)) {
            throw std::logic_error("lab TLS handshake failed: " + tls.failure(side).value_or("no failure recorded"));
        }
    }
    record_smart_transport_exchange(recorder, tls);
    record_close_notify(recorder, tls, Side::client, gap::device_think_time);
    record_close_notify(recorder, tls, Side::server, gap::round_trip);
}


}  // namespace

void write_tls12_racing_forged_rst(const std::filesystem::path& file, const LabPki& pki)
{
    // The firewall sees the SYN to smartreceiver and answers it at once with a RST-ACK in the server's name
    // (ack = ISN+1, acceptable in SYN-SENT, but TTL 250); the device's stack ignores it, as it would one that
    // does not carry the server's TTL, and the real SYN-ACK arrives a round trip after the SYN.
    constexpr auto firewall_reaction = 1'187'344ns;
    LicensingCaptureWithoutHandshake capture(file);
    FlowRecorder& recorder = capture.recorder;
    TcpConversation& conversation = capture.conversation;
    recorder.record(conversation.syn(), dns_answer_to_syn);
    HostIpProfile firewall = forging_middlebox_ip_profile();
    recorder.record_forged(conversation.rst_answering_syn(), firewall, firewall_reaction);
    recorder.record(conversation.syn_ack(), gap::round_trip - firewall_reaction);
    recorder.record(conversation.ack(Side::client), gap::local_reaction);
    const LicensingTlsContexts contexts = licensing_tls_contexts(pki, TlsVersion::tls12);
    InMemoryTls tls(contexts.device.get(), contexts.server.get(), smartreceiver_host, smartreceiver_host);
    record_healthy_tls_session(recorder, tls);
}

void write_tls12_out_of_window_rst(const std::filesystem::path& file, const LabPki& pki)
{
    // After the device's request, a RST in the server's name whose sequence number lies 1 GiB before what the
    // device expects (a stale connection's, or a blind guess), far outside its 64,256-byte window; same TTL and
    // next IP ID as the server's packets, so the sequence number is the only sign. The device drops it
    // (RFC 9293 3.10.7.4) and the exchange goes on. (A number beyond the window would do as well for the device,
    // but tshark would then take the server's later segments for retransmissions and not dissect them.)
    constexpr std::uint32_t far_outside_window = 0x4000'0000;
    constexpr auto rst_after_request = 9'305'116ns;
    DirectLicensingCapture capture(file);
    FlowRecorder& recorder = capture.recorder();
    TcpConversation& conversation = capture.conversation();
    const LicensingTlsContexts contexts = licensing_tls_contexts(pki, TlsVersion::tls12);
    InMemoryTls tls(contexts.device.get(), contexts.server.get(), smartreceiver_host, smartreceiver_host);
    record_tls_handshake(recorder, tls, gap::local_reaction);
    if (!tls.handshake_complete(Side::client) || !tls.handshake_complete(Side::server)) {
        throw std::logic_error("lab TLS handshake failed");
    }
    record_application_data(recorder, tls, Side::client, smart_transport_request(), gap::local_reaction);
    TcpSegment stray_rst = conversation.rst(Side::server);
    stray_rst.sequence_number -= far_outside_window;
    recorder.record(stray_rst, rst_after_request);
    record_application_data(recorder, tls, Side::server, smart_transport_response(),
                            gap::round_trip + gap::server_think_time - rst_after_request);
    recorder.record(conversation.ack(Side::client), gap::local_reaction);
    record_orderly_close(recorder, tls);
}

void write_tls12_synack_before_syn(const std::filesystem::path& file, const LabPki& pki)
{
    // A capture point that merges two directions (a span of two ports, a multi-queue NIC) with the server a few
    // microseconds away: the SYN-ACK's timestamp comes 11 us before the SYN's.
    constexpr auto syn_after_synack = 11'208ns;
    constexpr auto ack_after_syn = 63'417ns;
    LicensingCaptureWithoutHandshake capture(file);
    FlowRecorder& recorder = capture.recorder;
    TcpConversation& conversation = capture.conversation;
    const TcpSegment syn = conversation.syn();
    recorder.record(conversation.syn_ack(), dns_answer_to_syn);
    recorder.record(syn, syn_after_synack);
    recorder.record(conversation.ack(Side::client), ack_after_syn);
    const LicensingTlsContexts contexts = licensing_tls_contexts(pki, TlsVersion::tls12);
    InMemoryTls tls(contexts.device.get(), contexts.server.get(), smartreceiver_host, smartreceiver_host);
    record_healthy_tls_session(recorder, tls);
}

void write_tls12_rst_after_both_fins(const std::filesystem::path& file, const LabPki& pki)
{
    // The device closes first; after the server's FIN-ACK the device resets instead of acknowledging (its socket
    // was already gone), in sequence, acknowledging the server's FIN.
    DirectLicensingCapture capture(file);
    FlowRecorder& recorder = capture.recorder();
    TcpConversation& conversation = capture.conversation();
    record_tls12_session_up_to_close(recorder, pki);
    recorder.record(conversation.fin(Side::client), gap::device_think_time);
    recorder.record(conversation.fin(Side::server), gap::round_trip);
    recorder.record(conversation.rst(Side::client), gap::local_reaction);
}

void write_tls12_server_rst_after_device_fin(const std::filesystem::path& file, const LabPki& pki)
{
    // The device closes first; the server (a load balancer's habit) answers the FIN with a RST-ACK.
    DirectLicensingCapture capture(file);
    FlowRecorder& recorder = capture.recorder();
    TcpConversation& conversation = capture.conversation();
    record_tls12_session_up_to_close(recorder, pki);
    recorder.record(conversation.fin(Side::client), gap::device_think_time);
    recorder.record(conversation.rst(Side::server), gap::round_trip);
}

}  // namespace pcapgen
