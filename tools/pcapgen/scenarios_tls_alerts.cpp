#include "tls_scenarios.h"

#include "http_messages.h"
#include "standard_exchanges.h"
#include "tls_exchanges.h"
#include "tls_scenario_steps.h"

#include <chrono>
#include <stdexcept>

namespace pcapgen {

using namespace std::chrono_literals;

namespace {

// After the server's fatal alert: server FIN, device FIN, server ACK.
void record_server_close_after_alert(DirectLicensingCapture& capture)
{
    TcpConversation& conversation = capture.conversation();
    capture.recorder().record(conversation.fin(Side::server), gap::back_to_back);
    capture.recorder().record(conversation.fin(Side::client), gap::local_reaction);
    capture.recorder().record(conversation.ack(Side::server), gap::round_trip);
}

}  // namespace

void write_tls12_alert_protocol_version(const std::filesystem::path& file, const LabPki& pki)
{
    DirectLicensingCapture capture(file);
    const SslCtxPtr device =
        make_client_context({TlsVersion::tls10_to_tls11, &pki.device(), pki.root_ca().get()});
    const SslCtxPtr server = make_server_context({TlsVersion::tls12, &pki.smartreceiver(), pki.root_ca().get()});
    InMemoryTls tls(device.get(), server.get(), smartreceiver_host, smartreceiver_host);
    record_tls_handshake(capture.recorder(), tls, gap::local_reaction);
    require_alert_sent(tls, Side::server, trustcap::TlsAlertDescription::protocol_version);
    record_server_close_after_alert(capture);
}

void write_tls12_alert_certificate_expired(const std::filesystem::path& file, const LabPki& pki)
{
    DirectLicensingCapture capture(file);
    const SslCtxPtr device =
        make_client_context({TlsVersion::tls12, &pki.device_with_expired_certificate(), pki.root_ca().get()});
    const SslCtxPtr server = make_server_context({TlsVersion::tls12, &pki.smartreceiver(), pki.root_ca().get()});
    InMemoryTls tls(device.get(), server.get(), smartreceiver_host, smartreceiver_host);
    record_tls_handshake(capture.recorder(), tls, gap::local_reaction);
    require_alert_sent(tls, Side::server, trustcap::TlsAlertDescription::certificate_expired);
    record_server_close_after_alert(capture);
}

void write_tls13_server_rejects_device_certificate(const std::filesystem::path& file, const LabPki& pki)
{
    DirectLicensingCapture capture(file);
    FlowRecorder& recorder = capture.recorder();
    const SslCtxPtr device =
        make_client_context({TlsVersion::tls13, &pki.device_with_expired_certificate(), pki.root_ca().get()});
    const SslCtxPtr server = make_server_context({TlsVersion::tls13, &pki.smartreceiver(), pki.root_ca().get()});
    InMemoryTls tls(device.get(), server.get(), smartreceiver_host, smartreceiver_host);
    record_handshake_flight(recorder, tls, Side::client, gap::local_reaction);
    record_handshake_flight(recorder, tls, Side::server, tls_gap::server_answer);
    record_handshake_flight(recorder, tls, Side::client, tls_gap::device_crypto);
    if (!tls.handshake_complete(Side::client)) {
        throw std::logic_error("the device did not finish its TLS 1.3 handshake: " +
                               tls.failure(Side::client).value_or("no failure recorded"));
    }

    // A TLS 1.3 client is done once its Finished is sent: the device sends its request before the server has
    // judged its certificate.
    record_stream_bytes(recorder, Side::client, tls.write(Side::client, smart_transport_request()),
                        gap::local_reaction);
    record_stream_bytes(recorder, Side::server, tls.advance(Side::server), tls_gap::server_answer);
    require_alert_sent(tls, Side::server, trustcap::TlsAlertDescription::certificate_expired);
    if (!tls.advance(Side::client).empty() || !tls.failed(Side::client)) {
        throw std::logic_error("the device did not take the server's alert as fatal");
    }
    record_server_close_after_alert(capture);
}

}  // namespace pcapgen
