#pragma once

#include "flow_recorder.h"
#include "tcp_conversation.h"

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>

namespace pcapgen {

struct LicensingConnectionParameters {
    bool over_ipv6 = false;
    std::optional<IpAddress> server_address;  // another server than smartreceiver, e.g. an on-prem SSM
    std::uint16_t client_port = 51512;
    std::uint16_t server_port = 443;
    std::uint32_t client_initial_sequence_number = 0x5f3a9c21;
    std::uint32_t server_initial_sequence_number = 0xc84e1b07;
    std::uint64_t payload_seed = 0x7472757374636170;
    std::uint16_t client_maximum_segment_size = 1460;  // what the device announces in its SYN
};

// The device's connection to smartreceiver.cisco.com (or to `server_port` on the same server, or to
// `server_address`).
TcpConversation licensing_conversation(const LicensingConnectionParameters& parameters = {});

// The sizes of the request and the response every complete connection carries.
inline constexpr std::size_t first_request_segment_size = 517;
inline constexpr std::size_t second_request_segment_size = 1286;
inline constexpr std::size_t full_response_segment_size = 1460;
inline constexpr std::size_t last_response_segment_size = 912;

// Gaps seen from a capture point next to the device: ~28 ms round trip to the server.
namespace gap {
using namespace std::chrono_literals;
inline constexpr std::chrono::nanoseconds round_trip = 28'412'337ns;
inline constexpr std::chrono::nanoseconds local_reaction = 187'052ns;
inline constexpr std::chrono::nanoseconds back_to_back = 94'118ns;
inline constexpr std::chrono::nanoseconds server_think_time = 6'512'903ns;
inline constexpr std::chrono::nanoseconds device_think_time = 12'480'261ns;
}  // namespace gap

// SYN, SYN-ACK, ACK: three frames.
void record_handshake(FlowRecorder& recorder, std::chrono::nanoseconds gap_before_syn = {});
// The client's request in two segments: two frames.
void record_client_request(FlowRecorder& recorder);
// The server's ACK, three response segments, the client's ACK: five frames.
void record_server_response(FlowRecorder& recorder);
// Client FIN, server FIN-ACK, client ACK: three frames.
void record_client_close(FlowRecorder& recorder);
// All of the above: thirteen frames, handshake 1-3, teardown 11-13.
void record_complete_connection(FlowRecorder& recorder, std::chrono::nanoseconds gap_before_syn = {});

}  // namespace pcapgen
