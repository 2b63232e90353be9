#include "tls_scenarios.h"

#include "lab_network.h"
#include "malformed_packets.h"
#include "standard_exchanges.h"
#include "tls_exchanges.h"
#include "tls_scenario_steps.h"

#include <algorithm>
#include <chrono>
#include <stdexcept>

namespace pcapgen {

namespace {

// A device configured with a small `ip tcp mss`: the server's first flight (1505 bytes) comes in three segments,
// the second of them wholly inside the Certificate message (flight bytes 70-1062).
constexpr std::uint16_t device_small_mss = 512;

// The server's flight in segments of the device's MSS; segment `missing` was sent and received but the capture
// does not have it. The device acknowledges the whole flight once.
void record_flight_missing_one_segment(FlowRecorder& recorder, std::span<const std::uint8_t> flight,
                                       std::size_t missing)
{
    TcpConversation& conversation = recorder.conversation();
    const std::size_t segment_size = conversation.sendable_segment_size(Side::server);
    std::size_t index = 0;
    for (std::size_t offset = 0; offset < flight.size(); offset += segment_size, ++index) {
        const std::size_t length = std::min(segment_size, flight.size() - offset);
        const TcpSegment segment =
            conversation.data(Side::server, flight.subspan(offset, length), offset + length == flight.size());
        const auto gap = index == 0 ? tls_gap::server_answer : gap::back_to_back;
        if (index == missing) {
            recorder.record_uncaptured(segment, gap);
        } else {
            recorder.record(segment, gap);
        }
    }
    if (missing + 1 >= index) {
        throw std::logic_error("the missing segment must lie inside the flight");
    }
    recorder.record(conversation.ack(Side::client), gap::local_reaction);
}

}  // namespace

void write_tls12_missing_server_segment(const std::filesystem::path& file, const LabPki& pki)
{
    constexpr std::size_t missing_segment = 1;  // the second: inside the server's Certificate message
    DirectCaptureSetup setup;
    setup.connection.client_maximum_segment_size = device_small_mss;
    DirectLicensingCapture capture(file, setup);
    FlowRecorder& recorder = capture.recorder();
    const LicensingTlsContexts contexts = licensing_tls_contexts(pki, TlsVersion::tls12);
    InMemoryTls tls(contexts.device.get(), contexts.server.get(), smartreceiver_host, smartreceiver_host);
    record_stream_bytes(recorder, Side::client, tls.advance(Side::client), gap::local_reaction);
    record_flight_missing_one_segment(recorder, tls.advance(Side::server), missing_segment);
    record_tls_handshake(recorder, tls, tls_gap::device_crypto, Side::client);
    if (!tls.handshake_complete(Side::client) || !tls.handshake_complete(Side::server)) {
        throw std::logic_error("handshake failed: " + tls.failure(Side::client).value_or("") +
                               tls.failure(Side::server).value_or(""));
    }
    record_smart_transport_exchange(recorder, tls);
    record_orderly_close(recorder, tls);
}

void write_malformed_frame_in_healthy(const std::filesystem::path& file, const LabPki& pki)
{
    // Right after the TCP handshake, a frame from the device whose IPv4 header says 60 bytes (IHL 15) but that
    // holds only 34 bytes of IP (a 48-byte runt, not padded); then the healthy session.
    constexpr std::size_t kept_ip_bytes = 34;
    constexpr std::uint16_t cut_packet_identification = 0x0b5e;
    DirectLicensingCapture capture(file);
    Ipv4Header header;
    header.source = lab::device_ipv4;
    header.destination = lab::smartreceiver_ipv4;
    header.protocol = ip_protocol_tcp;
    header.ttl = 255;
    header.identification = cut_packet_identification;
    capture.session().record_link_frame(
        unpadded_device_ethernet_frame(ipv4_packet_cut_inside_header(header, kept_ip_bytes)), Direction::from_device,
        gap::back_to_back);
    const LicensingTlsContexts contexts = licensing_tls_contexts(pki, TlsVersion::tls12);
    InMemoryTls tls(contexts.device.get(), contexts.server.get(), smartreceiver_host, smartreceiver_host);
    record_healthy_tls_session(capture.recorder(), tls);
}

}  // namespace pcapgen
