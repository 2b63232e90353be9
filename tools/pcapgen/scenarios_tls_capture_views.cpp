#include "tls_scenarios.h"

#include "capture_clock.h"
#include "tls_scenario_steps.h"

namespace pcapgen {

namespace {

// 2021-08-23T11:31:13Z.
constexpr Timestamp capture_2021_start{1629718273, 0};

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
