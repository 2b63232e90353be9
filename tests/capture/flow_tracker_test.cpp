#include "capture/flow_tracker.h"

#include <gtest/gtest.h>

#include <deque>
#include <string>
#include <vector>

namespace trustcap {
namespace {

const Endpoint device{*IpAddress::parse("10.20.30.40"), 51512};
const Endpoint server{*IpAddress::parse("146.112.59.25"), 443};
const Endpoint web{*IpAddress::parse("93.184.216.34"), 80};

class PacketMaker {
public:
    DecodedPacket tcp(const Endpoint& from, const Endpoint& to, std::uint8_t flags, std::uint32_t seq,
                      std::uint32_t ack, std::string_view payload = {}, std::uint8_t ttl = 64) {
        DecodedPacket packet;
        packet.frame = ++frame_;
        packet.time = Timestamp{1'710'234'900 + static_cast<std::int64_t>(frame_), 0};
        packet.source = from.ip;
        packet.destination = to.ip;
        packet.source_port = from.port;
        packet.destination_port = to.port;
        packet.ip_ttl = ttl;
        packet.ip_protocol = 6;
        packet.transport = Transport::tcp;
        packet.tcp.seq = seq;
        packet.tcp.ack = ack;
        packet.tcp.flags = flags;
        packet.tcp.window = 64240;
        packets_.emplace_back(payload);
        packet.payload = Bytes(reinterpret_cast<const std::uint8_t*>(packets_.back().data()), packets_.back().size());
        packet.payload_wire_length = static_cast<std::uint32_t>(payload.size());
        return packet;
    }
    DecodedPacket icmp_unreachable(const IpAddress& router, const Endpoint& quoted_from, const Endpoint& quoted_to,
                                   std::uint8_t code) {
        DecodedPacket packet;
        packet.frame = ++frame_;
        packet.time = Timestamp{1'710'234'900 + static_cast<std::int64_t>(frame_), 0};
        packet.source = router;
        packet.destination = quoted_from.ip;
        packet.ip_protocol = 1;
        packet.transport = Transport::icmp;
        packet.icmp = IcmpMessage{false, 3, code, IcmpQuote{quoted_from.ip, quoted_to.ip, 6, quoted_from.port,
                                                             quoted_to.port, std::nullopt}};
        return packet;
    }
    void skip_frames(std::uint64_t count) { frame_ += count; }

private:
    std::uint64_t frame_ = 0;
    std::deque<std::string> packets_;
};

using namespace tcp_flag;

// What a flow's consumer received; outlives the consumer, which the tracker owns.
struct StreamLog {
    std::string to_server;
    std::string to_client;
    std::vector<std::uint64_t> gap_frames;
};

class RecordingConsumer : public StreamConsumer {
public:
    explicit RecordingConsumer(StreamLog& log) : log_(log) {}
    void on_data(Direction direction, std::uint64_t, Bytes bytes, std::uint64_t, const Timestamp&) override {
        (direction == Direction::client_to_server ? log_.to_server : log_.to_client).append(bytes.begin(), bytes.end());
    }
    void on_gap(Direction, std::uint64_t, std::uint64_t, std::uint64_t frame, GapReason) override {
        log_.gap_frames.push_back(frame);
    }

private:
    StreamLog& log_;
};

class FlowTrackerTest : public ::testing::Test {
protected:
    FlowTracker make_tracker(FlowTracker::Limits limits = {}) {
        return FlowTracker([](std::uint16_t port) { return port == 443; },
                           [](const Endpoint&, const Endpoint& to) { return to.port == 443; },
                           [this](const TcpFlow&) { return std::make_unique<RecordingConsumer>(logs.emplace_back()); },
                           limits);
    }
    void complete_connection(FlowTracker& tracker, std::uint32_t client_isn = 1000, std::uint32_t server_isn = 5000) {
        tracker.add(make.tcp(device, server, syn, client_isn, 0));
        tracker.add(make.tcp(server, device, syn | ack, server_isn, client_isn + 1));
        tracker.add(make.tcp(device, server, ack, client_isn + 1, server_isn + 1));
        tracker.add(make.tcp(device, server, psh | ack, client_isn + 1, server_isn + 1, "hello"));
        tracker.add(make.tcp(server, device, psh | ack, server_isn + 1, client_isn + 6, "world!"));
        tracker.add(make.tcp(device, server, fin | ack, client_isn + 6, server_isn + 7));
        tracker.add(make.tcp(server, device, fin | ack, server_isn + 7, client_isn + 7));
        tracker.add(make.tcp(device, server, ack, client_isn + 7, server_isn + 8));
    }

    PacketMaker make;
    std::deque<StreamLog> logs;
};

TEST_F(FlowTrackerTest, RecordsHandshakeDataAndTeardownFrames) {
    FlowTracker tracker = make_tracker();
    complete_connection(tracker);
    tracker.finish();

    ASSERT_EQ(1u, tracker.finished_flows().size());
    const TcpFlow& flow = *tracker.finished_flows().front();
    EXPECT_EQ(device, flow.client);
    EXPECT_EQ(server, flow.server);
    EXPECT_TRUE(flow.roles_from_syn);
    const FlowDirection& client = flow.side(Direction::client_to_server);
    const FlowDirection& peer = flow.side(Direction::server_to_client);
    EXPECT_EQ(std::vector<std::uint64_t>{1}, client.syn_frames);
    EXPECT_EQ(std::vector<std::uint64_t>{2}, peer.syn_frames);
    EXPECT_EQ(3u, flow.handshake_ack_frame);
    EXPECT_EQ(4u, client.first_data_frame);
    EXPECT_EQ(5u, peer.first_data_frame);
    EXPECT_EQ(6u, client.fin_frame);
    EXPECT_EQ(7u, peer.fin_frame);
    EXPECT_EQ(7u, client.fin_acked_frame);
    EXPECT_EQ(8u, peer.fin_acked_frame);
    EXPECT_EQ(5u, client.payload_bytes);
    ASSERT_EQ(1u, logs.size());
    EXPECT_EQ("hello", logs[0].to_server);
    EXPECT_EQ("world!", logs[0].to_client);
}

TEST_F(FlowTrackerTest, SynRetransmissionsStayInOneFlow) {
    FlowTracker tracker = make_tracker();
    tracker.add(make.tcp(device, server, syn, 1000, 0));
    tracker.add(make.tcp(device, server, syn, 1000, 0));
    tracker.add(make.tcp(device, server, syn, 1000, 0));
    tracker.finish();
    ASSERT_EQ(1u, tracker.finished_flows().size());
    EXPECT_EQ((std::vector<std::uint64_t>{1, 2, 3}), tracker.finished_flows()[0]->side(Direction::client_to_server).syn_frames);
}

TEST_F(FlowTrackerTest, NewSynWithOtherSequenceStartsNewFlow) {
    FlowTracker tracker = make_tracker();
    complete_connection(tracker, 1000, 5000);
    complete_connection(tracker, 900'000, 70'000);
    tracker.finish();
    ASSERT_EQ(2u, tracker.finished_flows().size());
    EXPECT_EQ(1u, tracker.finished_flows()[0]->first_frame);
    EXPECT_EQ(9u, tracker.finished_flows()[1]->first_frame);
    EXPECT_EQ(9u, tracker.finished_flows()[1]->side(Direction::client_to_server).syn_frames.front());
    EXPECT_EQ(2u, tracker.counters().tcp_flows);
}

TEST_F(FlowTrackerTest, MidStreamFlowTakesTheServicePortAsServer) {
    FlowTracker tracker = make_tracker();
    tracker.add(make.tcp(server, device, psh | ack, 77, 99, "data"));
    tracker.add(make.tcp(device, server, ack, 99, 81));
    tracker.finish();
    ASSERT_EQ(1u, tracker.finished_flows().size());
    const TcpFlow& flow = *tracker.finished_flows()[0];
    EXPECT_FALSE(flow.roles_from_syn);
    EXPECT_EQ(device, flow.client);
    EXPECT_EQ(server, flow.server);
    EXPECT_EQ(4u, flow.side(Direction::server_to_client).payload_bytes);
}

TEST_F(FlowTrackerTest, SynAckSenderIsTheServerWhenTheSynIsMissing) {
    FlowTracker tracker = make_tracker();
    Endpoint odd_server{*IpAddress::parse("192.0.2.9"), 60000};
    Endpoint odd_client{*IpAddress::parse("192.0.2.8"), 443};
    FlowTracker any = FlowTracker([](std::uint16_t) { return false; }, [](const Endpoint&, const Endpoint&) { return true; },
                                  nullptr);
    any.add(make.tcp(odd_server, odd_client, syn | ack, 1, 2));
    any.finish();
    ASSERT_EQ(1u, any.finished_flows().size());
    EXPECT_EQ(odd_server, any.finished_flows()[0]->server);
}

TEST_F(FlowTrackerTest, ResetFramesAreRecordedPerSide) {
    FlowTracker tracker = make_tracker();
    tracker.add(make.tcp(device, server, syn, 1000, 0));
    tracker.add(make.tcp(server, device, rst | ack, 0, 1001, {}, 250));
    tracker.finish();
    const TcpFlow& flow = *tracker.finished_flows()[0];
    EXPECT_EQ(std::vector<std::uint64_t>{2}, flow.side(Direction::server_to_client).rst_frames);
    EXPECT_FALSE(flow.handshake_ack_frame);
}

TEST_F(FlowTrackerTest, IcmpErrorIsMatchedToTheFlowItQuotes) {
    FlowTracker tracker = make_tracker();
    tracker.add(make.tcp(device, server, syn, 1000, 0));
    IpAddress router = *IpAddress::parse("10.20.30.1");
    tracker.add(make.icmp_unreachable(router, device, server, 13));
    Endpoint other_port{device.ip, 51999};
    tracker.add(make.icmp_unreachable(router, other_port, server, 13));
    tracker.finish();
    const TcpFlow& flow = *tracker.finished_flows()[0];
    ASSERT_EQ(1u, flow.icmp_errors.size());
    EXPECT_EQ(2u, flow.icmp_errors[0].frame);
    EXPECT_EQ(13, flow.icmp_errors[0].code);
    EXPECT_EQ(router, flow.icmp_errors[0].sender);
    EXPECT_EQ(1u, tracker.counters().icmp_errors_unmatched);
    ASSERT_EQ(2u, flow.timeline.size());
    EXPECT_TRUE(flow.timeline[1].is_icmp);
}

TEST_F(FlowTrackerTest, UnselectedFlowsAreCountedButNotRecorded) {
    FlowTracker tracker = make_tracker();
    Endpoint browser{device.ip, 40000};
    tracker.add(make.tcp(browser, web, syn, 1, 0));
    tracker.add(make.tcp(web, browser, syn | ack, 9, 2));
    complete_connection(tracker);
    tracker.finish();
    EXPECT_EQ(2u, tracker.counters().tcp_flows);
    EXPECT_EQ(1u, tracker.counters().checked_flows);
    ASSERT_EQ(1u, tracker.finished_flows().size());
    EXPECT_EQ(server, tracker.finished_flows()[0]->server);
}

TEST_F(FlowTrackerTest, IdleFlowsAreRetiredAndMarked) {
    FlowTracker::Limits limits;
    limits.idle_timeout_seconds = 30;
    FlowTracker tracker = make_tracker(limits);
    tracker.add(make.tcp(device, server, syn, 1000, 0));
    make.skip_frames(100);  // 100 s later in this maker's clock
    Endpoint second{device.ip, 51513};
    tracker.add(make.tcp(second, server, syn, 2000, 0));
    EXPECT_EQ(1u, tracker.active_flows());
    tracker.finish();
    ASSERT_EQ(2u, tracker.finished_flows().size());
    EXPECT_TRUE(tracker.finished_flows()[0]->ended_by_idle_timeout);
    EXPECT_FALSE(tracker.finished_flows()[1]->ended_by_idle_timeout);
}

TEST_F(FlowTrackerTest, FullTableEvictsAndCounts) {
    FlowTracker::Limits limits;
    limits.max_flows = 10;
    FlowTracker tracker = make_tracker(limits);
    for (std::uint16_t port = 40000; port < 40100; ++port)
        tracker.add(make.tcp(Endpoint{device.ip, port}, server, syn, port, 0));
    EXPECT_LE(tracker.active_flows(), 10u);
    EXPECT_GE(tracker.counters().flows_evicted, 90u);
    tracker.finish();
    EXPECT_EQ(100u, tracker.finished_flows().size());
}

TEST_F(FlowTrackerTest, TimelineIsCapped) {
    FlowTracker::Limits limits;
    limits.max_timeline_packets = 4;
    FlowTracker tracker = make_tracker(limits);
    for (int i = 0; i < 10; ++i) tracker.add(make.tcp(device, server, syn, 1000, 0));
    tracker.finish();
    const TcpFlow& flow = *tracker.finished_flows()[0];
    EXPECT_EQ(4u, flow.timeline.size());
    EXPECT_EQ(6u, flow.timeline_omitted);
}

TEST_F(FlowTrackerTest, RelativeSequenceNumbersInTimeline) {
    FlowTracker tracker = make_tracker();
    complete_connection(tracker, 4'294'967'000u, 5000);
    tracker.finish();
    const TcpFlow& flow = *tracker.finished_flows()[0];
    ASSERT_GE(flow.timeline.size(), 4u);
    EXPECT_EQ(0u, flow.timeline[0].relative_seq);
    EXPECT_EQ(1u, flow.timeline[1].relative_ack);
    EXPECT_EQ(1u, flow.timeline[2].relative_seq);
    EXPECT_EQ("hello", logs[0].to_server);
}

TEST_F(FlowTrackerTest, RetransmittedDataIsMarked) {
    FlowTracker tracker = make_tracker();
    tracker.add(make.tcp(device, server, syn, 1000, 0));
    tracker.add(make.tcp(server, device, syn | ack, 5000, 1001));
    tracker.add(make.tcp(device, server, ack, 1001, 5001));
    tracker.add(make.tcp(device, server, psh | ack, 1001, 5001, "hello"));
    tracker.add(make.tcp(device, server, psh | ack, 1001, 5001, "hello"));
    tracker.finish();
    const TcpFlow& flow = *tracker.finished_flows()[0];
    ASSERT_EQ(5u, flow.timeline.size());
    EXPECT_TRUE(flow.timeline[4].notes & packet_note::retransmission);
    EXPECT_EQ(1u, flow.side(Direction::client_to_server).reassembly.retransmissions);
}

TEST_F(FlowTrackerTest, BytesAcknowledgedButNeverCapturedAreMissing) {
    FlowTracker tracker = make_tracker();
    tracker.add(make.tcp(device, server, syn, 1000, 0));
    tracker.add(make.tcp(server, device, syn | ack, 5000, 1001));
    tracker.add(make.tcp(device, server, ack, 1001, 5001));
    tracker.add(make.tcp(device, server, psh | ack, 1001, 5001, "hello"));
    make.skip_frames(1);  // the device's next segment ("world") is not in the capture
    tracker.add(make.tcp(server, device, ack, 5001, 1011));
    tracker.finish();
    const TcpFlow& flow = *tracker.finished_flows()[0];
    EXPECT_EQ(std::vector<std::uint64_t>{6}, flow.side(Direction::client_to_server).missing_data_frames);
    EXPECT_TRUE(flow.side(Direction::server_to_client).missing_data_frames.empty());
    EXPECT_EQ(std::vector<std::uint64_t>{6}, logs[0].gap_frames);
}

}  // namespace
}  // namespace trustcap
