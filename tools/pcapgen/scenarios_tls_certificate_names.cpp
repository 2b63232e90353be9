#include "tls_scenarios.h"

#include "tls_scenario_steps.h"

namespace pcapgen {

void write_tls12_name_mismatch(const std::filesystem::path& file, const LabPki& pki)
{
    // The server presents www.example.com, issued by the lab root: the chain verifies, the name is not the one in
    // the SNI. The device checks the chain but not the name (no expected host), so the session goes on as usual.
    DirectLicensingCapture capture(file);
    const SslCtxPtr device = make_client_context({TlsVersion::tls12, &pki.device(), pki.root_ca().get()});
    const SslCtxPtr server = make_server_context({TlsVersion::tls12, &pki.www_example_com(), pki.root_ca().get()});
    InMemoryTls tls(device.get(), server.get(), smartreceiver_host, "");
    record_healthy_tls_session(capture.recorder(), tls);
}

}  // namespace pcapgen
