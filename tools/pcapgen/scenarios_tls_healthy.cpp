#include "tls_scenarios.h"

#include "standard_exchanges.h"
#include "tls_exchanges.h"
#include "tls_scenario_steps.h"

#include <algorithm>
#include <chrono>
#include <stdexcept>
#include <vector>

namespace pcapgen {

using namespace std::chrono_literals;

namespace {

void write_direct_healthy_session(const std::filesystem::path& file, const LabPki& pki, TlsVersion version)
{
    DirectLicensingCapture capture(file);
    const LicensingTlsContexts contexts = licensing_tls_contexts(pki, version);
    InMemoryTls tls(contexts.device.get(), contexts.server.get(), smartreceiver_host, smartreceiver_host);
    record_healthy_tls_session(capture.recorder(), tls);
}

// The server's first flight in small segments as a middlebox might re-segment it: a few pairs swapped, one
// segment sent again after a retransmission timeout although it had arrived. The device acknowledges every tenth
// segment, and at once when a segment arrives out of order or fills a hole.
void record_resegmented_flight(FlowRecorder& recorder, std::span<const std::uint8_t> flight)
{
    constexpr std::size_t small_segment = 200;
    constexpr std::size_t acknowledge_every = 10;
    const std::vector<std::size_t> swapped_pairs{4, 23, 51};
    constexpr std::size_t retransmitted = 37;
    constexpr std::size_t retransmitted_after = 40;
    constexpr auto retransmission_timeout = 204'118'502ns;

    TcpConversation& conversation = recorder.conversation();
    const std::size_t flight_start = conversation.bytes_sent(Side::server);
    std::vector<TcpSegment> segments;
    for (std::size_t offset = 0; offset < flight.size(); offset += small_segment) {
        const std::size_t length = std::min(small_segment, flight.size() - offset);
        segments.push_back(
            conversation.data(Side::server, flight.subspan(offset, length), offset + length == flight.size()));
    }
    std::vector<std::size_t> order;
    for (std::size_t index = 0; index < segments.size(); ++index) {
        order.push_back(index);
    }
    for (const std::size_t first : swapped_pairs) {
        std::swap(order.at(first), order.at(first + 1));
    }
    order.insert(std::find(order.begin(), order.end(), retransmitted_after) + 1, retransmitted);

    std::vector<bool> arrived(segments.size(), false);
    std::size_t contiguous = 0;  // segments received in order so far
    std::size_t since_acknowledgment = 0;
    for (std::size_t position = 0; position < order.size(); ++position) {
        const std::size_t index = order[position];
        const bool repeated = arrived[index];
        recorder.record(segments[index], position == 0 ? tls_gap::server_answer
                                         : repeated    ? retransmission_timeout
                                                       : gap::back_to_back);
        const bool in_order = index == contiguous;
        arrived[index] = true;
        while (contiguous < segments.size() && arrived[contiguous]) {
            ++contiguous;
        }
        ++since_acknowledgment;
        const bool hole_filled = in_order && contiguous > index + 1;
        if (!in_order || repeated || hole_filled || since_acknowledgment == acknowledge_every || contiguous == segments.size()) {
            const std::size_t acknowledged = contiguous == segments.size()
                                                 ? flight.size()
                                                 : contiguous * small_segment;
            recorder.record(conversation.ack_up_to(Side::client, flight_start + acknowledged), gap::local_reaction);
            since_acknowledgment = 0;
        }
    }
}

}  // namespace

void write_tls12_mutual_healthy(const std::filesystem::path& file, const LabPki& pki)
{
    write_direct_healthy_session(file, pki, TlsVersion::tls12);
}

void write_tls13_healthy(const std::filesystem::path& file, const LabPki& pki)
{
    write_direct_healthy_session(file, pki, TlsVersion::tls13);
}

void write_tls12_big_chain_reordered(const std::filesystem::path& file, const LabPki& pki)
{
    DirectLicensingCapture capture(file);
    FlowRecorder& recorder = capture.recorder();
    const SslCtxPtr device = make_client_context({TlsVersion::tls12, &pki.device(), pki.root_ca().get()});
    const SslCtxPtr server =
        make_server_context({TlsVersion::tls12, &pki.smartreceiver_with_big_chain(), pki.root_ca().get()});
    InMemoryTls tls(device.get(), server.get(), smartreceiver_host, smartreceiver_host);
    record_stream_bytes(recorder, Side::client, tls.advance(Side::client), gap::local_reaction);
    record_resegmented_flight(recorder, tls.advance(Side::server));
    record_tls_handshake(recorder, tls, tls_gap::device_crypto, Side::client);
    if (!tls.handshake_complete(Side::client) || !tls.handshake_complete(Side::server)) {
        throw std::logic_error("big-chain handshake failed: " + tls.failure(Side::client).value_or("") +
                               tls.failure(Side::server).value_or(""));
    }
    record_smart_transport_exchange(recorder, tls);
    record_orderly_close(recorder, tls);
}

}  // namespace pcapgen
