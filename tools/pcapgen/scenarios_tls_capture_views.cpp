#include "tls_scenarios.h"

#include "capture_clock.h"
#include "standard_exchanges.h"
#include "tls_exchanges.h"
#include "tls_scenario_steps.h"

namespace pcapgen {

namespace {

// 2021-08-23T11:31:13Z.
constexpr Timestamp capture_2021_start{1629718273, 0};

// 2019-06-01T08:00:00Z: a device clock never set by NTP, years behind.
constexpr Timestamp clock_behind_start{1559376000, 0};

}  // namespace

void write_capture_2021_valid_then(const std::filesystem::path& file, const LabPki& pki)
{
    DirectCaptureSetup setup;
    setup.start = capture_2021_start;
    DirectLicensingCapture capture(file, setup);
    TlsEndpointSettings device_settings{TlsVersion::tls12, &pki.device_2021(), pki.root_ca_2021().get()};
    device_settings.capture_time = capture_2021_start.seconds;
    TlsEndpointSettings server_settings{TlsVersion::tls12, &pki.smartreceiver_2021(), pki.root_ca_2021().get()};
    server_settings.capture_time = capture_2021_start.seconds;
    const SslCtxPtr device = make_client_context(device_settings);
    const SslCtxPtr server = make_server_context(server_settings);
    InMemoryTls tls(device.get(), server.get(), smartreceiver_host, smartreceiver_host);
    record_healthy_tls_session(capture.recorder(), tls);
}

void write_tls12_device_clock_behind(const std::filesystem::path& file, const LabPki& pki)
{
    // The capture is stamped by a clock years behind; both ends of the TLS judge certificates at the true time.
    DirectCaptureSetup setup;
    setup.start = clock_behind_start;
    DirectLicensingCapture capture(file, setup);
    const LicensingTlsContexts contexts = licensing_tls_contexts(pki, TlsVersion::tls12);
    InMemoryTls tls(contexts.device.get(), contexts.server.get(), smartreceiver_host, smartreceiver_host);
    record_healthy_tls_session(capture.recorder(), tls);
}

void write_tls12_device_clock_behind_rejected(const std::filesystem::path& file, const LabPki& pki)
{
    // The device's clock, which stamps the capture, is years behind: it judges smartreceiver's certificate not yet
    // valid and ends the handshake; the server judges at the true time.
    DirectCaptureSetup setup;
    setup.start = clock_behind_start;
    DirectLicensingCapture capture(file, setup);
    TlsEndpointSettings device_settings{TlsVersion::tls12, &pki.device(), pki.root_ca().get()};
    device_settings.capture_time = clock_behind_start.seconds;
    const SslCtxPtr device = make_client_context(device_settings);
    const SslCtxPtr server = make_server_context({TlsVersion::tls12, &pki.smartreceiver(), pki.root_ca().get()});
    InMemoryTls tls(device.get(), server.get(), smartreceiver_host, smartreceiver_host);
    record_tls_handshake(capture.recorder(), tls, gap::local_reaction);
    require_alert_sent(tls, Side::client, trustcap::TlsAlertDescription::bad_certificate);

    TcpConversation& conversation = capture.conversation();
    capture.recorder().record(conversation.fin(Side::client), gap::back_to_back);
    capture.recorder().record(conversation.fin(Side::server), gap::round_trip);
    capture.recorder().record(conversation.ack(Side::client), gap::round_trip);
}

void write_one_sided_device_only(const std::filesystem::path& file, const LabPki& pki)
{
    // A capture filter on the device's outgoing packets only: no DNS answer, nothing from the server.
    DirectCaptureSetup setup;
    setup.lookup.reset();
    setup.captured_direction = Direction::from_device;
    DirectLicensingCapture capture(file, setup);
    const LicensingTlsContexts contexts = licensing_tls_contexts(pki, TlsVersion::tls12);
    InMemoryTls tls(contexts.device.get(), contexts.server.get(), smartreceiver_host, smartreceiver_host);
    record_healthy_tls_session(capture.recorder(), tls);
}

}  // namespace pcapgen
