#include "tls_scenario_steps.h"

#include "dns_exchanges.h"
#include "http_messages.h"
#include "link_encapsulation.h"
#include "standard_exchanges.h"
#include "tls_exchanges.h"

#include <stdexcept>
#include <string>

namespace pcapgen {

using namespace std::chrono_literals;

DirectLicensingCapture::DirectLicensingCapture(const std::filesystem::path& file, const DirectCaptureSetup& setup)
    : session_(file, ethernet_link(), default_snapshot_length, TimestampPrecision::microseconds, setup.start),
      conversation_(licensing_conversation(setup.connection)),
      recorder_(session_, conversation_, device_ip_profile(), setup.server_ip_profile)
{
    constexpr auto dns_answer_to_syn = 412'906ns;
    if (setup.captured_direction) {
        session_.capture_only(*setup.captured_direction);
    }
    if (setup.lookup) {
        record_dns_lookup(session_, *setup.lookup, 0ns);
    }
    record_handshake(recorder_, setup.lookup ? dns_answer_to_syn : 0ns);
}

LicensingTlsContexts licensing_tls_contexts(const LabPki& pki, TlsVersion version)
{
    return {make_client_context({version, &pki.device(), pki.root_ca().get()}),
            make_server_context({version, &pki.smartreceiver(), pki.root_ca().get()})};
}

LicensingTlsContexts intercepted_tls13_contexts(const LabPki& pki)
{
    TlsEndpointSettings firewall_settings{TlsVersion::tls13, &pki.intercepted_smartreceiver(), nullptr};
    firewall_settings.request_client_certificate = false;
    return {make_client_context({TlsVersion::tls13, &pki.device(), pki.root_ca().get()}),
            make_server_context(firewall_settings)};
}

void record_smart_transport_exchange(FlowRecorder& recorder, InMemoryTls& tls)
{
    record_application_data(recorder, tls, Side::client, smart_transport_request(), gap::local_reaction);
    record_application_data(recorder, tls, Side::server, smart_transport_response(),
                            gap::round_trip + gap::server_think_time);
    recorder.record(recorder.conversation().ack(Side::client), gap::local_reaction);
}

void record_orderly_close(FlowRecorder& recorder, InMemoryTls& tls)
{
    record_close_notify(recorder, tls, Side::client, gap::device_think_time);
    record_close_notify(recorder, tls, Side::server, gap::round_trip);
    record_client_close(recorder);
}

void record_healthy_tls_session(FlowRecorder& recorder, InMemoryTls& tls)
{
    record_tls_handshake(recorder, tls, gap::local_reaction);
    for (const Side side : {Side::client, Side::server}) {
        if (!tls.handshake_complete(side)) {
            throw std::logic_error("lab TLS handshake failed: " + tls.failure(side).value_or("no failure recorded"));
        }
    }
    record_smart_transport_exchange(recorder, tls);
    record_orderly_close(recorder, tls);
}

void record_handshake_flight(FlowRecorder& recorder, InMemoryTls& tls, Side sender, std::chrono::nanoseconds gap)
{
    if (record_stream_bytes(recorder, sender, tls.advance(sender), gap) > 1) {
        recorder.record(recorder.conversation().ack(opposite(sender)), gap::local_reaction);
    }
}

void require_alert_sent(const InMemoryTls& tls, Side side, trustcap::TlsAlertDescription description)
{
    if (!tls.failed(side) || tls.alert_sent(side) != wire_value(description)) {
        throw std::logic_error("expected alert " + std::to_string(wire_value(description)) + " was not sent; sent " +
                               std::to_string(tls.alert_sent(side).value_or(0)));
    }
}

}  // namespace pcapgen
