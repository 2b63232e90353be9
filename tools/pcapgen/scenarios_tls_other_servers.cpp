#include "tls_scenarios.h"

#include "dns_exchanges.h"
#include "lab_network.h"
#include "tls_scenario_steps.h"

#include <string_view>

namespace pcapgen {

namespace {

constexpr std::string_view tools_host = "tools.cisco.com";
constexpr std::string_view onprem_ssm_host = "ssm.corp.example";

// An on-prem SSM in the data centre, one router away.
HostIpProfile onprem_ssm_ip_profile()
{
    HostIpProfile profile;
    profile.ttl = 63;
    profile.first_identification = 0x0a51;
    return profile;
}

}  // namespace

void write_legacy_tools_cisco_com(const std::filesystem::path& file, const LabPki& pki)
{
    DirectCaptureSetup setup;
    setup.lookup = DnsLookup{0x6c21, 61188, 0x1c40, 0x9b12, lab::tools_cisco_com_ipv4, tools_host};
    setup.connection.server_address = lab::tools_cisco_com_ipv4;
    DirectLicensingCapture capture(file, setup);
    const SslCtxPtr device = make_client_context({TlsVersion::tls12, &pki.device(), pki.root_ca().get()});
    const SslCtxPtr server = make_server_context({TlsVersion::tls12, &pki.tools_cisco_com(), pki.root_ca().get()});
    InMemoryTls tls(device.get(), server.get(), tools_host, tools_host);
    record_healthy_tls_session(capture.recorder(), tls);
}

void write_onprem_ssm_self_signed(const std::filesystem::path& file, const LabPki& pki)
{
    DirectCaptureSetup setup;
    setup.lookup = DnsLookup{0x2b94, 61203, 0x1c40, 0x4d01, lab::onprem_ssm_ipv4, onprem_ssm_host};
    setup.connection.server_address = lab::onprem_ssm_ipv4;
    setup.connection.server_port = lab::alternate_https_port;
    setup.server_ip_profile = onprem_ssm_ip_profile();
    DirectLicensingCapture capture(file, setup);
    // The device trusts the SSM's self-signed certificate itself (a trustpoint made from it); the SSM verifies
    // the device's certificate against the lab root.
    const SslCtxPtr device =
        make_client_context({TlsVersion::tls12, &pki.device(), pki.onprem_ssm().certificate.get()});
    const SslCtxPtr server = make_server_context({TlsVersion::tls12, &pki.onprem_ssm(), pki.root_ca().get()});
    InMemoryTls tls(device.get(), server.get(), onprem_ssm_host, onprem_ssm_host);
    record_healthy_tls_session(capture.recorder(), tls);
}

}  // namespace pcapgen
