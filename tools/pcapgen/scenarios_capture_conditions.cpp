#include "scenarios.h"

#include "capture_session.h"
#include "flow_recorder.h"
#include "link_encapsulation.h"
#include "standard_exchanges.h"

#include <chrono>
#include <cstring>
#include <fstream>
#include <stdexcept>

namespace pcapgen {

using namespace std::chrono_literals;

namespace {

constexpr std::uintmax_t pcap_file_header_size = 24;
constexpr std::uintmax_t pcap_record_header_size = 16;
constexpr std::uintmax_t pcap_record_caplen_offset = 8;

struct PcapRecordLocation {
    std::uintmax_t offset = 0;
    std::uint32_t captured_length = 0;
};

// Where the 1-based `frame_number`'s record starts in a classic pcap file written on this host.
PcapRecordLocation locate_pcap_record(const std::filesystem::path& file, std::uint64_t frame_number)
{
    std::ifstream input(file, std::ios::binary);
    std::uintmax_t offset = pcap_file_header_size;
    for (std::uint64_t frame = 1;; ++frame) {
        char header[pcap_record_header_size];
        input.seekg(static_cast<std::streamoff>(offset));
        if (!input.read(header, sizeof header)) {
            throw std::runtime_error("capture has fewer frames than expected: " + file.string());
        }
        std::uint32_t captured_length = 0;
        std::memcpy(&captured_length, header + pcap_record_caplen_offset, sizeof captured_length);
        if (frame == frame_number) {
            return {offset, captured_length};
        }
        offset += pcap_record_header_size + captured_length;
    }
}

}  // namespace

void write_complete_connection_cut_file(const std::filesystem::path& file)
{
    constexpr std::uint64_t frame_cut_in_half = 9;
    {
        CaptureSession session(file, ethernet_link());
        TcpConversation conversation = licensing_conversation();
        FlowRecorder recorder(session, conversation);
        record_complete_connection(recorder);
    }
    const PcapRecordLocation record = locate_pcap_record(file, frame_cut_in_half);
    std::filesystem::resize_file(file, record.offset + pcap_record_header_size + record.captured_length / 2);
}

void write_capture_starts_mid_flow(const std::filesystem::path& file)
{
    CaptureSession session(file, ethernet_link());
    TcpConversation conversation = licensing_conversation();
    // The handshake and a first exchange happen before the capture starts: generated, never recorded.
    conversation.syn();
    conversation.syn_ack();
    conversation.data(Side::client, first_request_segment_size);
    conversation.data(Side::server, full_response_segment_size);

    FlowRecorder recorder(session, conversation);
    recorder.record(conversation.data(Side::client, 420, false), 0ns);
    recorder.record(conversation.data(Side::client, 133), gap::back_to_back);
    recorder.record(conversation.ack(Side::server), gap::round_trip);
    recorder.record(conversation.data(Side::server, full_response_segment_size, false), gap::server_think_time);
    recorder.record(conversation.data(Side::server, 377), gap::back_to_back);
    recorder.record(conversation.ack(Side::client), gap::local_reaction);
    recorder.record(conversation.fin(Side::server), gap::server_think_time);
    recorder.record(conversation.fin(Side::client), gap::local_reaction);
    recorder.record(conversation.ack(Side::server), gap::round_trip);
}

void write_snaplen_96(const std::filesystem::path& file)
{
    constexpr std::uint32_t short_snapshot_length = 96;
    CaptureSession session(file, ethernet_link(), short_snapshot_length);
    TcpConversation conversation = licensing_conversation();
    FlowRecorder recorder(session, conversation);
    record_complete_connection(recorder);
}

void write_capture_ends_before_fin(const std::filesystem::path& file)
{
    CaptureSession session(file, ethernet_link());
    TcpConversation conversation = licensing_conversation();
    FlowRecorder recorder(session, conversation);
    record_handshake(recorder);
    record_client_request(recorder);
    record_server_response(recorder);
}

void write_unsupported_link_type(const std::filesystem::path& file)
{
    CaptureSession session(file, ieee80211_link());
    TcpConversation conversation = licensing_conversation();
    FlowRecorder recorder(session, conversation);
    recorder.record(conversation.syn(), 0ns);
}

}  // namespace pcapgen
