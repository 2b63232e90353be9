#include "span_capture.h"

#include "capture_session.h"
#include "flow_recorder.h"
#include "link_encapsulation.h"
#include "standard_exchanges.h"

#include <array>
#include <chrono>
#include <memory>
#include <string>
#include <vector>

namespace pcapgen {

using namespace std::chrono_literals;

namespace {

constexpr std::size_t concurrent_connections = 64;
constexpr std::size_t licensing_every = 1000;
constexpr std::size_t response_segments = 16;
constexpr std::size_t segment_size = 1400;
constexpr std::array<std::uint16_t, 5> server_ports = {443, 80, 8080, 443, 22};

IpAddress host(int network, std::size_t index) {
    return IpAddress::parse("10." + std::to_string(network) + "." + std::to_string(index / 250 % 250) + "." +
                            std::to_string(index % 250 + 1));
}

// One background connection and how far it has got.
struct Background {
    std::unique_ptr<TcpConversation> conversation;
    std::unique_ptr<FlowRecorder> recorder;
    std::size_t step = 0;
};

Background start_background(CaptureSession& session, std::size_t index) {
    TcpHostSettings client;
    client.initial_sequence_number = static_cast<std::uint32_t>(index * 2'654'435'761u);
    TcpHostSettings server;
    server.initial_sequence_number = static_cast<std::uint32_t>(index * 40'503u + 7);
    Background background;
    background.conversation = std::make_unique<TcpConversation>(
        TcpEndpoint{host(1, index), static_cast<std::uint16_t>(20'000 + index % 40'000)},
        TcpEndpoint{host(2, index % 997), server_ports[index % server_ports.size()]}, client, server, index);
    background.recorder = std::make_unique<FlowRecorder>(session, *background.conversation);
    return background;
}

// Records the connection's next packet; false when it is finished.
bool advance(Background& background) {
    TcpConversation& conversation = *background.conversation;
    FlowRecorder& recorder = *background.recorder;
    std::size_t step = background.step++;
    if (step == 0) recorder.record(conversation.syn(), 20us);
    else if (step == 1) recorder.record(conversation.syn_ack(), 20us);
    else if (step == 2) recorder.record(conversation.ack(Side::client), 20us);
    else if (step == 3) recorder.record(conversation.data(Side::client, 300), 20us);
    else if (step < 4 + response_segments) recorder.record(conversation.data(Side::server, segment_size), 20us);
    else if (step == 4 + response_segments) recorder.record(conversation.ack(Side::client), 20us);
    else if (step == 5 + response_segments) recorder.record(conversation.fin(Side::client), 20us);
    else if (step == 6 + response_segments) recorder.record(conversation.fin(Side::server), 20us);
    else if (step == 7 + response_segments) recorder.record(conversation.ack(Side::client), 20us);
    else return false;
    return true;
}

}  // namespace

void write_span_capture(const std::filesystem::path& file, std::size_t connections) {
    CaptureSession session(file, ethernet_link());
    std::vector<Background> active;
    std::size_t started = 0;
    while (started < connections || !active.empty()) {
        while (active.size() < concurrent_connections && started < connections) {
            if (started % licensing_every == 0) {
                LicensingConnectionParameters parameters;
                parameters.client_port = static_cast<std::uint16_t>(50'000 + started / licensing_every % 10'000);
                parameters.client_initial_sequence_number += static_cast<std::uint32_t>(started);
                TcpConversation licensing = licensing_conversation(parameters);
                FlowRecorder recorder(session, licensing);
                record_complete_connection(recorder, 50us);
            }
            active.push_back(start_background(session, started++));
        }
        for (std::size_t i = 0; i < active.size();) {
            if (advance(active[i])) {
                ++i;
            } else {
                active[i] = std::move(active.back());
                active.pop_back();
            }
        }
    }
}

}  // namespace pcapgen
