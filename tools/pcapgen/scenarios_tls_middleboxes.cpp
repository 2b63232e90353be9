#include "tls_scenarios.h"

#include "standard_exchanges.h"
#include "tls13_record_protection.h"
#include "tls_exchanges.h"
#include "tls_scenario_steps.h"

#include "dissect/tls_alert.h"

#include <chrono>
#include <stdexcept>

namespace pcapgen {

using namespace std::chrono_literals;

namespace {

constexpr std::size_t unprotected_alert_record_size = 7;

// A FortiGate next to the device: its own packets leave with TTL 255.
HostIpProfile fortigate_ip_profile()
{
    HostIpProfile profile;
    profile.ttl = 255;
    profile.first_identification = 0x3f02;
    return profile;
}


}  // namespace

void write_tls12_interception_fortinet(const std::filesystem::path& file, const LabPki& pki)
{
    // smartreceiver's SYN-ACK (TTL 52) passes the firewall; from then on the FortiGate answers in smartreceiver's
    // name (TTL 255), with a certificate it issued itself and without asking for the device's.
    DirectLicensingCapture capture(file);
    FlowRecorder& recorder = capture.recorder();
    recorder.hand_over(Side::server, fortigate_ip_profile());
    const SslCtxPtr device = make_client_context({TlsVersion::tls12, &pki.device(), pki.root_ca().get()});
    TlsEndpointSettings firewall_settings{TlsVersion::tls12, &pki.fortigate_intercepted_smartreceiver(), nullptr};
    firewall_settings.request_client_certificate = false;
    const SslCtxPtr firewall = make_server_context(firewall_settings);
    InMemoryTls tls(device.get(), firewall.get(), smartreceiver_host, smartreceiver_host);
    record_tls_handshake(recorder, tls, gap::local_reaction);
    require_alert_sent(tls, Side::client, trustcap::TlsAlertDescription::unknown_ca);

    TcpConversation& conversation = capture.conversation();
    recorder.record(conversation.fin(Side::client), gap::back_to_back);
    recorder.record(conversation.fin(Side::server), gap::local_reaction);
    recorder.record(conversation.ack(Side::client), gap::local_reaction);
}

void write_tls13_client_abort(const std::filesystem::path& file, const LabPki& pki)
{
    DirectLicensingCapture capture(file);
    FlowRecorder& recorder = capture.recorder();
    const LicensingTlsContexts contexts = intercepted_tls13_contexts(pki);
    InMemoryTls tls(contexts.device.get(), contexts.server.get(), smartreceiver_host, smartreceiver_host);
    record_handshake_flight(recorder, tls, Side::client, gap::local_reaction);
    record_handshake_flight(recorder, tls, Side::server, tls_gap::server_answer);

    // The device rejects the chain. OpenSSL 3.0 would send this alert in the clear, since it switches its own
    // writing to the handshake keys only for its next flight; RFC 8446 wants every record after the Server Hello
    // protected, as other stacks send it: the alert sealed with the device's handshake traffic key, its first
    // record under that key.
    if (tls.advance(Side::client).size() != unprotected_alert_record_size) {
        throw std::logic_error("OpenSSL no longer sends this alert unprotected; use its own record");
    }
    require_alert_sent(tls, Side::client, trustcap::TlsAlertDescription::unknown_ca);
    const std::uint8_t alert[] = {wire_value(trustcap::TlsAlertLevel::fatal),
                                  wire_value(trustcap::TlsAlertDescription::unknown_ca)};
    // OpenSSL derives the device's handshake traffic secret on the device side only for its next flight; the
    // server side has it already, and it is the same secret.
    const Bytes sealed_alert =
        seal_tls13_record(tls.secret(Side::server, "CLIENT_HANDSHAKE_TRAFFIC_SECRET"), 0, tls_content_type_alert, alert);
    record_stream_bytes(recorder, Side::client, sealed_alert, tls_gap::device_crypto);

    TcpConversation& conversation = capture.conversation();
    capture.recorder().record(conversation.fin(Side::client), gap::back_to_back);
    capture.recorder().record(conversation.fin(Side::server), gap::round_trip);
    capture.recorder().record(conversation.ack(Side::client), gap::local_reaction);
}

void write_tls12_reset_injected(const std::filesystem::path& file, const LabPki& pki)
{
    constexpr auto ips_reaction = 2'306'415ns;
    DirectLicensingCapture capture(file);
    FlowRecorder& recorder = capture.recorder();
    const LicensingTlsContexts contexts = licensing_tls_contexts(pki, TlsVersion::tls12);
    InMemoryTls tls(contexts.device.get(), contexts.server.get(), smartreceiver_host, smartreceiver_host);
    record_stream_bytes(recorder, Side::client, tls.advance(Side::client), gap::local_reaction);

    // The IPS sees the Client Hello and resets the connection in smartreceiver's name; the server never answers.
    HostIpProfile ips = forging_middlebox_ip_profile();
    recorder.record_forged(capture.conversation().rst(Side::server), ips, ips_reaction);
}

}  // namespace pcapgen
