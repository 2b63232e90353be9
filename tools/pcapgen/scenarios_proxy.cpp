#include "tls_scenarios.h"

#include "capture_session.h"
#include "flow_recorder.h"
#include "http_messages.h"
#include "link_encapsulation.h"
#include "proxy_exchanges.h"
#include "standard_exchanges.h"
#include "tls_exchanges.h"
#include "tls_scenario_steps.h"

#include <chrono>

namespace pcapgen {

using namespace std::chrono_literals;

void write_tls12_mutual_via_proxy(const std::filesystem::path& file, const LabPki& pki)
{
    CaptureSession session(file, ethernet_link());
    TcpConversation conversation = proxy_conversation();
    FlowRecorder recorder(session, conversation, device_ip_profile(), proxy_ip_profile());
    record_tunnel_to_smartreceiver(recorder);

    const LicensingTlsContexts contexts = licensing_tls_contexts(pki, TlsVersion::tls12);
    InMemoryTls tls(contexts.device.get(), contexts.server.get(), smartreceiver_host, smartreceiver_host);
    record_healthy_tls_session(recorder, tls);
}

void write_proxy_auth_required(const std::filesystem::path& file, const LabPki&)
{
    CaptureSession session(file, ethernet_link());
    TcpConversation conversation = proxy_conversation();
    FlowRecorder recorder(session, conversation, device_ip_profile(), proxy_ip_profile());
    record_handshake(recorder);
    record_connect_to_smartreceiver(recorder);
    record_stream_bytes(recorder, Side::server, text_bytes(proxy_authentication_required()),
                        proxy_local_reply_time);
    recorder.record(conversation.fin(Side::server), gap::back_to_back);
    recorder.record(conversation.fin(Side::client), gap::local_reaction);
    recorder.record(conversation.ack(Side::server), proxy_local_reply_time);
}

void write_proxy_forbidden(const std::filesystem::path& file, const LabPki&)
{
    CaptureSession session(file, ethernet_link());
    TcpConversation conversation = proxy_conversation();
    FlowRecorder recorder(session, conversation, device_ip_profile(), proxy_ip_profile());
    record_handshake(recorder);
    record_connect_to_smartreceiver(recorder);
    record_stream_bytes(recorder, Side::server, text_bytes(proxy_forbidden()), proxy_local_reply_time);
    recorder.record(conversation.fin(Side::server), gap::back_to_back);
    recorder.record(conversation.fin(Side::client), gap::local_reaction);
    recorder.record(conversation.ack(Side::server), proxy_local_reply_time);
}

void write_proxy_no_answer(const std::filesystem::path& file, const LabPki&)
{
    // The proxy takes the CONNECT (its delayed ACK) but never answers it; after a while it closes the connection.
    constexpr auto proxy_delayed_ack = 40'112'507ns;
    constexpr auto proxy_gives_up_after = 30'001'846'133ns;
    CaptureSession session(file, ethernet_link());
    TcpConversation conversation = proxy_conversation();
    FlowRecorder recorder(session, conversation, device_ip_profile(), proxy_ip_profile());
    record_handshake(recorder);
    record_connect_to_smartreceiver(recorder);
    recorder.record(conversation.ack(Side::server), proxy_delayed_ack);
    recorder.record(conversation.fin(Side::server), proxy_gives_up_after);
    recorder.record(conversation.fin(Side::client), gap::local_reaction);
    recorder.record(conversation.ack(Side::server), proxy_local_reply_time);
}

void write_proxy_bypassed(const std::filesystem::path& file, const LabPki& pki)
{
    // The device goes to smartreceiver directly; trustcap is told the device should use the proxy.
    DirectLicensingCapture capture(file);
    const LicensingTlsContexts contexts = licensing_tls_contexts(pki, TlsVersion::tls12);
    InMemoryTls tls(contexts.device.get(), contexts.server.get(), smartreceiver_host, smartreceiver_host);
    record_healthy_tls_session(capture.recorder(), tls);
}

}  // namespace pcapgen
