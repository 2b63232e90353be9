#pragma once

#include "flow_recorder.h"
#include "in_memory_tls.h"

#include <chrono>
#include <cstddef>
#include <span>
#include <string_view>

namespace pcapgen {

namespace tls_gap {
using namespace std::chrono_literals;
// A switch's CPU signing and deriving keys before its next flight.
inline constexpr std::chrono::nanoseconds device_crypto = 4'218'553ns;
// smartreceiver's answer to a flight: the round trip plus its own work.
inline constexpr std::chrono::nanoseconds server_answer = 29'903'115ns;
}  // namespace tls_gap

// The sender's next stream bytes in segments of at most the size the receiver allows, PSH on the last; `gap`
// before the first, back to back after it. Returns the number of segments written.
std::size_t record_stream_bytes(FlowRecorder& recorder, Side sender, std::span<const std::uint8_t> bytes,
                                std::chrono::nanoseconds gap);

// Runs the handshake flight by flight, `first_to_act` first, each flight written with record_stream_bytes; the
// receiver of a flight of several segments acknowledges it before answering. Stops when both sides are done,
// or once a side has failed, its alert has been written and the other side has read it.
void record_tls_handshake(FlowRecorder& recorder, InMemoryTls& tls, std::chrono::nanoseconds gap_before_first,
                          Side first_to_act = Side::client);

// One application-data write, read by the other side.
void record_application_data(FlowRecorder& recorder, InMemoryTls& tls, Side sender, std::string_view plaintext,
                             std::chrono::nanoseconds gap);

// The sender's close_notify, read by the other side.
void record_close_notify(FlowRecorder& recorder, InMemoryTls& tls, Side sender, std::chrono::nanoseconds gap);

}  // namespace pcapgen
