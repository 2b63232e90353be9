// TCP stream reassembly through the flow table: a sequence of segments
// between a few endpoints, each with its direction, flags, sequence and
// acknowledgment numbers (near each side's initial sequence number, or
// anywhere), payload length and time step, and now and then an ICMP error
// quoting one of them. Small caps from the first bytes reach the limits,
// the memory budget among them. Every stream is checked for ordered,
// gapless delivery, and the budget for being kept and given back.
#include <array>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <memory>

#include "capture/flow_tracker.h"
#include "fuzz_input.h"
#include "stream_order_check.h"

namespace {

using namespace trustcap;

constexpr std::uint16_t service_port = 443;

IpAddress address(std::uint8_t last) {
    std::uint8_t bytes[4] = {192, 0, 2, last};
    return IpAddress::v4(Bytes(bytes, 4));
}

FlowTracker::Limits limits_from(fuzz::FuzzInput& input) {
    FlowTracker::Limits limits;
    std::uint8_t caps = input.u8();
    limits.max_flows = 1 + (caps & 3);
    limits.max_timeline_packets = 1 + ((caps >> 2) & 15);
    limits.idle_timeout_seconds = 30;
    limits.max_total_buffered_bytes = (caps & 0x40) ? 512 : (64u << 10);
    limits.reassembly.max_buffered_bytes = (caps & 0x80) ? 256 : (16u << 10);
    std::uint8_t tail_and_budget = input.u8();
    limits.reassembly.retained_tail_bytes = 1 + (tail_and_budget & 0x7f) * 16u;
    if ((tail_and_budget & 0x80) != 0) limits.max_memory_bytes = 8u << 10;
    return limits;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    fuzz::FuzzInput input(data, size);
    FlowTracker tracker([](std::uint16_t port) { return port == service_port; },
                        [](const Endpoint& client, const Endpoint&) { return client.port != 4; },
                        [](const TcpFlow&) { return std::make_unique<fuzz::StreamOrderCheck>(); },
                        limits_from(input));
    if (input.flag())
        tracker.finish_flows_early(FlowCompletionTimes{1, 20}, [](const TcpFlow& flow) { return flow.id % 2 == 0; });

    const std::array<std::uint32_t, 2> initial_seq{0xFFFFFF00u, 0x1000u};  // one side wraps around
    Timestamp now{1'600'000'000, 0};
    std::uint64_t frame = 0;
    while (!input.empty()) {
        DecodedPacket packet;
        packet.frame = ++frame;
        std::uint8_t shape = input.u8();
        bool from_server = (shape & 1) != 0;
        Endpoint client{address(1), static_cast<std::uint16_t>(1 + ((shape >> 1) & 3))};
        Endpoint server{address(2), service_port};
        const Endpoint& source = from_server ? server : client;
        const Endpoint& destination = from_server ? client : server;
        packet.source = source.ip;
        packet.source_port = source.port;
        packet.destination = destination.ip;
        packet.destination_port = destination.port;
        packet.ip_ttl = 64;

        if ((shape & 0x08) != 0) {
            now.nanoseconds = (now.nanoseconds + 1'000'000u * input.u8()) % 1'000'000'000u;
            now.seconds += input.u8() & 0x3f;
        }
        packet.time = now;

        if ((shape & 0xF0) == 0xF0) {  // an ICMP error from a router, quoting this packet
            packet.transport = Transport::icmp;
            packet.source = address(254);
            packet.icmp = IcmpMessage{false, 3, input.u8(), IcmpQuote{source.ip, destination.ip, 6, source.port,
                                                                      destination.port, initial_seq[from_server] + input.u8()}};
            tracker.add(packet);
            continue;
        }
        packet.transport = Transport::tcp;
        packet.ip_protocol = 6;
        packet.tcp.flags = input.u8();
        bool anywhere = (shape & 0x10) != 0;
        packet.tcp.seq = anywhere ? input.u32() : initial_seq[from_server] + input.u16();
        packet.tcp.ack = anywhere ? input.u32() : initial_seq[!from_server] + input.u16();
        packet.tcp.window = input.u16();
        if ((shape & 0x20) != 0) {
            packet.tcp.has_window_scale = true;
            packet.tcp.window_scale = input.u8() % 16;
        }
        packet.payload = input.take(input.u8());
        packet.payload_wire_length = static_cast<std::uint32_t>(packet.payload.size());
        if ((shape & 0x40) != 0) {
            packet.cut_by_snaplen = true;
            packet.payload_wire_length += input.u8();
        }
        tracker.add(packet);
        if ((shape & 0x80) != 0 && (shape & 0x0F) == 0x0F) tracker.advance_clock(now);
        // Nothing else charges the budget here: the table lets flows go until it holds.
        if (tracker.memory_budget().spent()) std::abort();
    }
    tracker.finish();
    if (tracker.memory_budget().used() != 0) std::abort();  // every flow's charge given back
    return 0;
}
