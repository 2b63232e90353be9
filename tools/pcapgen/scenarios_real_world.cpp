// Real-world capture conditions for the captures without TLS (issue 10).
#include "scenarios.h"

#include "capture_session.h"
#include "flow_recorder.h"
#include "link_encapsulation.h"
#include "standard_exchanges.h"

#include <cstdint>

namespace pcapgen {

void write_syn_options_cut_by_snaplen(const std::filesystem::path& file)
{
    // Snap length 60: Ethernet (14), IPv4 (20) and the fixed TCP header (20) leave 6 bytes, so the SYN and the
    // SYN-ACK keep MSS, NOP and only the kind byte of window scale of their 12 option bytes; data segments keep 6
    // payload bytes. Pure ACKs (54 bytes) are whole.
    constexpr std::uint32_t options_cutting_snapshot_length = 60;
    CaptureSession session(file, ethernet_link(), options_cutting_snapshot_length);
    TcpConversation conversation = licensing_conversation();
    FlowRecorder recorder(session, conversation);
    record_complete_connection(recorder);
}

}  // namespace pcapgen
