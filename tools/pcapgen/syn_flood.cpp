#include "syn_flood.h"

#include "capture_session.h"
#include "flow_recorder.h"
#include "link_encapsulation.h"

#include <chrono>
#include <string>

namespace pcapgen {

using namespace std::chrono_literals;

namespace {

IpAddress flooding_host(std::size_t index) {
    return IpAddress::parse("10." + std::to_string(index >> 16 & 0xff) + "." + std::to_string(index >> 8 & 0xff) + "." +
                            std::to_string(index & 0xff));
}

}  // namespace

void write_syn_flood(const std::filesystem::path& file, std::size_t count) {
    CaptureSession session(file, ethernet_link());
    const TcpEndpoint target{IpAddress::parse("192.0.2.10"), 443};
    for (std::size_t index = 0; index < count; ++index) {
        TcpHostSettings client;
        client.initial_sequence_number = static_cast<std::uint32_t>(index * 2'654'435'761u);
        TcpConversation attempt(TcpEndpoint{flooding_host(index), static_cast<std::uint16_t>(1024 + index % 60'000)},
                                target, client, TcpHostSettings{}, index);
        FlowRecorder recorder(session, attempt);
        recorder.record(attempt.syn(), 100us);
    }
}

}  // namespace pcapgen
