#include "tls_scenarios.h"

#include "capture_session.h"
#include "dns_exchanges.h"
#include "link_encapsulation.h"
#include "tls_scenario_steps.h"

#include <chrono>

namespace pcapgen {

using namespace std::chrono_literals;

void write_dns_nxdomain(const std::filesystem::path& file, const LabPki&)
{
    constexpr auto retry_after = 2'004'113'870ns;
    CaptureSession session(file, ethernet_link());
    DnsLookup lookup = smartreceiver_lookup();
    lookup.answer.reset();
    record_dns_lookup(session, lookup, 0ns);

    lookup.id = 0x51c9;
    lookup.device_port = 61077;
    ++lookup.device_ip_identification;
    ++lookup.resolver_ip_identification;
    record_dns_lookup(session, lookup, retry_after);
}

void write_dns_servfail(const std::filesystem::path& file, const LabPki&)
{
    constexpr auto retry_after = 2'003'981'204ns;
    CaptureSession session(file, ethernet_link());
    DnsLookup lookup = smartreceiver_lookup();
    lookup.answer.reset();
    lookup.rcode_without_answer = dns_rcode_server_failure;
    record_dns_lookup(session, lookup, 0ns);

    lookup.id = 0x51c9;
    lookup.device_port = 61077;
    ++lookup.device_ip_identification;
    ++lookup.resolver_ip_identification;
    record_dns_lookup(session, lookup, retry_after);
}

void write_dns_refused(const std::filesystem::path& file, const LabPki&)
{
    // The resolver refuses to resolve for the device (not in its allow-query/allow-recursion list); the device
    // does not retry within the capture.
    CaptureSession session(file, ethernet_link());
    DnsLookup lookup = smartreceiver_lookup();
    lookup.answer.reset();
    lookup.rcode_without_answer = dns_rcode_refused;
    record_dns_lookup(session, lookup, 0ns);
}

void write_dns_no_answer(const std::filesystem::path& file, const LabPki&)
{
    constexpr auto retransmit_after = 1'000'208'417ns;
    CaptureSession session(file, ethernet_link());
    DnsLookup lookup = smartreceiver_lookup();
    record_dns_query(session, lookup, 0ns);
    ++lookup.device_ip_identification;
    record_dns_query(session, lookup, retransmit_after);
}

void write_no_dns_no_sni(const std::filesystem::path& file, const LabPki& pki)
{
    // The device reaches smartreceiver by an address it already had (a static ip host, a lookup before the
    // capture) and sends no SNI: only the server's certificate names the server.
    DirectCaptureSetup setup;
    setup.lookup.reset();
    DirectLicensingCapture capture(file, setup);
    const LicensingTlsContexts contexts = licensing_tls_contexts(pki, TlsVersion::tls12);
    InMemoryTls tls(contexts.device.get(), contexts.server.get(), "", smartreceiver_host);
    record_healthy_tls_session(capture.recorder(), tls);
}

void write_dns_answer_then_no_sni(const std::filesystem::path& file, const LabPki& pki)
{
    DirectLicensingCapture capture(file);
    const LicensingTlsContexts contexts = licensing_tls_contexts(pki, TlsVersion::tls12);
    InMemoryTls tls(contexts.device.get(), contexts.server.get(), "", smartreceiver_host);
    record_healthy_tls_session(capture.recorder(), tls);
}

}  // namespace pcapgen
