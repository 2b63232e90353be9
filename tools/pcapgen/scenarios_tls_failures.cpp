#include "tls_scenarios.h"

#include "http_messages.h"
#include "standard_exchanges.h"
#include "tls_exchanges.h"
#include "tls_scenario_steps.h"

#include <chrono>
#include <stdexcept>

namespace pcapgen {

using namespace std::chrono_literals;

void write_tls12_expired_device_certificate(const std::filesystem::path& file, const LabPki& pki)
{
    DirectLicensingCapture capture(file);
    const SslCtxPtr device =
        make_client_context({TlsVersion::tls12, &pki.device_with_expired_certificate(), pki.root_ca().get()});
    TlsEndpointSettings server_settings{TlsVersion::tls12, &pki.smartreceiver(), pki.root_ca().get()};
    server_settings.refuse_expired_peer_as_unknown_ca = true;
    const SslCtxPtr server = make_server_context(server_settings);
    InMemoryTls tls(device.get(), server.get(), smartreceiver_host, smartreceiver_host);
    record_tls_handshake(capture.recorder(), tls, gap::local_reaction);
    require_alert_sent(tls, Side::server, trustcap::TlsAlertDescription::unknown_ca);

    TcpConversation& conversation = capture.conversation();
    capture.recorder().record(conversation.fin(Side::server), gap::back_to_back);
    capture.recorder().record(conversation.fin(Side::client), gap::local_reaction);
    capture.recorder().record(conversation.ack(Side::server), gap::round_trip);
}

void write_tls12_server_unknown_ca(const std::filesystem::path& file, const LabPki& pki)
{
    DirectLicensingCapture capture(file);
    const SslCtxPtr device = make_client_context({TlsVersion::tls12, &pki.device(), pki.root_ca().get()});
    const SslCtxPtr firewall =
        make_server_context({TlsVersion::tls12, &pki.intercepted_smartreceiver(), pki.root_ca().get()});
    InMemoryTls tls(device.get(), firewall.get(), smartreceiver_host, smartreceiver_host);
    record_tls_handshake(capture.recorder(), tls, gap::local_reaction);
    require_alert_sent(tls, Side::client, trustcap::TlsAlertDescription::unknown_ca);

    TcpConversation& conversation = capture.conversation();
    capture.recorder().record(conversation.fin(Side::client), gap::back_to_back);
    capture.recorder().record(conversation.fin(Side::server), gap::round_trip);
    capture.recorder().record(conversation.ack(Side::client), gap::local_reaction);
}

void write_tls12_no_response(const std::filesystem::path& file, const LabPki& pki)
{
    constexpr auto device_gives_up_after = 60'000'418'229ns;
    DirectLicensingCapture capture(file);
    const LicensingTlsContexts contexts = licensing_tls_contexts(pki, TlsVersion::tls12);
    InMemoryTls tls(contexts.device.get(), contexts.server.get(), smartreceiver_host, smartreceiver_host);
    FlowRecorder& recorder = capture.recorder();
    record_tls_handshake(recorder, tls, gap::local_reaction);
    if (!tls.handshake_complete(Side::client) || !tls.handshake_complete(Side::server)) {
        throw std::logic_error("lab TLS handshake failed");
    }

    TcpConversation& conversation = capture.conversation();
    record_application_data(recorder, tls, Side::client, smart_transport_request(), gap::local_reaction);
    recorder.record(conversation.ack(Side::server), gap::round_trip);
    record_stream_bytes(recorder, Side::client, tls.close(Side::client), device_gives_up_after);
    recorder.record(conversation.fin(Side::client), gap::back_to_back);
    recorder.record(conversation.fin(Side::server), gap::round_trip);
    recorder.record(conversation.ack(Side::client), gap::local_reaction);
}

}  // namespace pcapgen
