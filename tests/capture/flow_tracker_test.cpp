#include "capture/flow_tracker.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <deque>
#include <map>
#include <optional>
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

std::vector<std::uint64_t> reset_frames(const FlowDirection& side) {
    std::vector<std::uint64_t> frames;
    for (const TcpReset& reset : side.resets) frames.push_back(reset.frame);
    return frames;
}

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

    // SYN, SYN-ACK and ACK with the initial sequence numbers 1000 and 5000 (frames 1 to 3).
    void open_connection(FlowTracker& tracker) {
        tracker.add(make.tcp(device, server, syn, 1000, 0));
        tracker.add(make.tcp(server, device, syn | ack, 5000, 1001));
        tracker.add(make.tcp(device, server, ack, 1001, 5001));
    }

    // `count` SYNs from ports 40000 on, all at the same capture time.
    void open_attempts_at_one_instant(FlowTracker& tracker, std::uint16_t count) {
        for (std::uint16_t port = 40000; port < 40000 + count; ++port) {
            DecodedPacket packet = make.tcp(Endpoint{device.ip, port}, server, syn, port, 0);
            packet.time = Timestamp{1'710'234'900, 0};
            tracker.add(packet);
        }
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
    EXPECT_EQ(std::vector<std::uint64_t>{2}, reset_frames(flow.side(Direction::server_to_client)));
    EXPECT_FALSE(flow.handshake_ack_frame);
}

TEST_F(FlowTrackerTest, ForgedResetRacingTheSynAckIsOutlivedAndEverythingAfterItIsSafe) {
    FlowTracker tracker = make_tracker();
    tracker.add(make.tcp(device, server, syn, 1000, 0));
    tracker.add(make.tcp(server, device, rst | ack, 0, 1001, {}, 250));  // forged, acknowledges the SYN
    tracker.add(make.tcp(server, device, syn | ack, 5000, 1001, {}, 52));
    tracker.add(make.tcp(device, server, ack, 1001, 5001));
    tracker.add(make.tcp(device, server, psh | ack, 1001, 5001, "hello"));
    tracker.add(make.tcp(server, device, psh | ack, 5001, 1006, "world!", 52));
    tracker.add(make.tcp(device, server, syn, 1000, 0));  // a late retransmitted SYN
    tracker.finish();
    ASSERT_EQ(1u, tracker.finished_flows().size());
    const TcpFlow& flow = *tracker.finished_flows()[0];
    ASSERT_EQ(1u, flow.side(Direction::server_to_client).resets.size());
    const TcpReset& reset = flow.side(Direction::server_to_client).resets[0];
    EXPECT_TRUE(reset.acceptable);
    EXPECT_TRUE(reset.outlived);
    EXPECT_EQ(std::optional<std::uint64_t>{3}, reset.outlived_at);
    EXPECT_FALSE(reset.ended_connection());
    EXPECT_EQ(std::optional<std::uint64_t>{4}, flow.handshake_ack_frame);
    EXPECT_EQ(std::optional<std::uint8_t>{52}, flow.side(Direction::server_to_client).first_ttl);
    ASSERT_EQ(1u, logs.size());
    EXPECT_EQ("hello", logs[0].to_server);
    EXPECT_EQ("world!", logs[0].to_client);
}

TEST_F(FlowTrackerTest, ResetNotAcknowledgingTheSynIsNotAcceptable) {
    FlowTracker tracker = make_tracker();
    tracker.add(make.tcp(device, server, syn, 1000, 0));
    tracker.add(make.tcp(server, device, rst | ack, 0, 999));
    tracker.add(make.tcp(server, device, rst, 0, 0));
    tracker.finish();
    const auto& resets = tracker.finished_flows()[0]->side(Direction::server_to_client).resets;
    ASSERT_EQ(2u, resets.size());
    EXPECT_FALSE(resets[0].acceptable);
    EXPECT_FALSE(resets[1].acceptable);
}

TEST_F(FlowTrackerTest, ResetAcknowledgingTheSynEndsTheAttempt) {
    FlowTracker tracker = make_tracker();
    tracker.add(make.tcp(device, server, syn, 1000, 0));
    tracker.add(make.tcp(server, device, rst | ack, 0, 1001));
    tracker.add(make.tcp(device, server, syn, 1000, 0));  // the device retries the same SYN
    tracker.finish();
    ASSERT_EQ(1u, tracker.finished_flows().size());
    const TcpReset& reset = tracker.finished_flows()[0]->side(Direction::server_to_client).resets[0];
    EXPECT_TRUE(reset.ended_connection());
}

TEST_F(FlowTrackerTest, AServerResetAfterAnUncapturedSynAckIsJudgedByTheWindow) {
    FlowTracker tracker = make_tracker();
    tracker.add(make.tcp(device, server, syn, 1000, 0));
    tracker.add(make.tcp(device, server, ack, 1001, 5001));  // the SYN-ACK was not captured
    tracker.add(make.tcp(device, server, psh | ack, 1001, 5001, "GET /"));
    tracker.add(make.tcp(server, device, rst | ack, 5001, 1006));
    tracker.finish();
    const TcpReset& reset = tracker.finished_flows()[0]->side(Direction::server_to_client).resets[0];
    EXPECT_FALSE(reset.to_syn_sent);
    EXPECT_TRUE(reset.ended_connection());
}

TEST_F(FlowTrackerTest, ResetsAreJudgedAgainstTheReceiversWindow) {
    FlowTracker tracker = make_tracker();
    tracker.add(make.tcp(device, server, syn, 1000, 0));
    tracker.add(make.tcp(server, device, syn | ack, 5000, 1001));
    tracker.add(make.tcp(device, server, ack, 1001, 5001));
    tracker.add(make.tcp(device, server, psh | ack, 1001, 5001, "hello"));
    tracker.add(make.tcp(server, device, rst, 5001 + 0x40000000u, 0));  // far outside the device's window
    tracker.add(make.tcp(server, device, psh | ack, 5001, 1006, "world!"));
    tracker.add(make.tcp(server, device, rst | ack, 5007 + 100, 1006));  // inside it
    tracker.add(make.tcp(device, server, psh | ack, 1006, 5007, "late"));  // the device did not hear it yet
    tracker.finish();
    const auto& resets = tracker.finished_flows()[0]->side(Direction::server_to_client).resets;
    ASSERT_EQ(2u, resets.size());
    EXPECT_FALSE(resets[0].acceptable);
    EXPECT_TRUE(resets[1].acceptable);
    EXPECT_TRUE(resets[1].ended_connection());
}

TEST_F(FlowTrackerTest, SynAckCapturedBeforeItsSynIsOneFlow) {
    FlowTracker tracker = make_tracker();
    tracker.add(make.tcp(server, device, syn | ack, 5000, 1001));
    tracker.add(make.tcp(device, server, syn, 1000, 0));
    tracker.add(make.tcp(device, server, ack, 1001, 5001));
    tracker.add(make.tcp(device, server, psh | ack, 1001, 5001, "hello"));
    tracker.finish();
    ASSERT_EQ(1u, tracker.finished_flows().size());
    const TcpFlow& flow = *tracker.finished_flows()[0];
    EXPECT_TRUE(flow.roles_from_syn);
    EXPECT_EQ(device, flow.client);
    EXPECT_EQ(std::vector<std::uint64_t>{2}, flow.side(Direction::client_to_server).syn_frames);
    EXPECT_EQ(std::optional<std::uint64_t>{3}, flow.handshake_ack_frame);
    EXPECT_EQ("hello", logs[0].to_server);
}

TEST_F(FlowTrackerTest, AKeepAlivesGarbageByteIsNoRetransmission) {
    FlowTracker tracker = make_tracker();
    tracker.add(make.tcp(device, server, syn, 1000, 0));
    tracker.add(make.tcp(server, device, syn | ack, 5000, 1001));
    tracker.add(make.tcp(device, server, ack, 1001, 5001));
    tracker.add(make.tcp(device, server, psh | ack, 1001, 5001, "hello"));
    tracker.add(make.tcp(device, server, ack, 1005, 5001, "x"));  // keep-alive: one byte below what comes next
    tracker.add(make.tcp(device, server, ack, 1005, 5001));      // and one without a byte
    tracker.finish();
    const TcpFlow& flow = *tracker.finished_flows()[0];
    const FlowDirection& device_side = flow.side(Direction::client_to_server);
    EXPECT_EQ(0u, device_side.reassembly.inconsistent_retransmissions);
    EXPECT_EQ(0u, device_side.reassembly.retransmissions);
    EXPECT_EQ("hello", logs[0].to_server);
    ASSERT_GE(flow.timeline.size(), 2u);
    EXPECT_TRUE(flow.timeline[flow.timeline.size() - 2].notes & packet_note::keep_alive);
    EXPECT_TRUE(flow.timeline.back().notes & packet_note::keep_alive);
}

TEST_F(FlowTrackerTest, PortReuseWhoseSynAckIsCapturedBeforeItsSynIsANewFlow) {
    FlowTracker tracker = make_tracker();
    complete_connection(tracker, 1000, 5000);
    tracker.add(make.tcp(server, device, syn | ack, 9000, 7001));  // the new connection's SYN-ACK, first
    tracker.add(make.tcp(device, server, syn, 7000, 0));
    tracker.add(make.tcp(device, server, ack, 7001, 9001));
    tracker.finish();
    ASSERT_EQ(2u, tracker.finished_flows().size());
    const TcpFlow& second = *tracker.finished_flows()[1];
    EXPECT_EQ(9u, second.first_frame);
    EXPECT_EQ(device, second.client);
    EXPECT_EQ(std::optional<std::uint64_t>{11}, second.handshake_ack_frame);
    EXPECT_EQ(8u, tracker.finished_flows()[0]->last_frame);
}

TEST_F(FlowTrackerTest, HandshakeAckMayCoverAFastOpenSynAcksData) {
    FlowTracker tracker = make_tracker();
    tracker.add(make.tcp(device, server, syn, 1000, 0));
    tracker.add(make.tcp(server, device, syn | ack, 5000, 1001, "early"));
    tracker.add(make.tcp(device, server, ack, 1001, 5006));
    tracker.finish();
    const TcpFlow& flow = *tracker.finished_flows()[0];
    EXPECT_EQ(std::optional<std::uint64_t>{3}, flow.handshake_ack_frame);
    EXPECT_EQ("early", logs[0].to_client);
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

TEST_F(FlowTrackerTest, IdleFlowsStillExpireAfterAPacketFromTheFuture) {
    FlowTracker::Limits limits;
    limits.idle_timeout_seconds = 30;
    FlowTracker tracker = make_tracker(limits);
    auto syn_at = [&](std::uint16_t port, std::int64_t seconds_later) {
        DecodedPacket packet = make.tcp(Endpoint{device.ip, port}, server, syn, port, 0);
        packet.time = Timestamp{1'710'234'900 + seconds_later, 0};
        tracker.add(packet);
    };
    syn_at(51000, 0);
    syn_at(51001, 100'000);  // a stray packet dated a day later
    syn_at(51002, 5);        // back to the capture's own time
    syn_at(51003, 100);      // 95 s later: 51002 has been idle for longer than 30 s
    tracker.finish();
    ASSERT_EQ(4u, tracker.finished_flows().size());
    std::map<std::uint16_t, bool> idle;
    for (const auto& flow : tracker.finished_flows()) idle[flow->client.port] = flow->ended_by_idle_timeout;
    EXPECT_TRUE(idle[51000]);
    EXPECT_FALSE(idle[51001]);
    EXPECT_TRUE(idle[51002]);
    EXPECT_FALSE(idle[51003]);
}

TEST_F(FlowTrackerTest, AClockSteppingBackAndForthDoesNotWalkTheTableOnEveryPacket) {
    FlowTracker tracker = make_tracker();
    open_attempts_at_one_instant(tracker, 1000);
    std::uint64_t sweeps_before = tracker.counters().idle_sweeps;
    for (int i = 0; i < 2000; ++i) {
        DecodedPacket packet = make.tcp(Endpoint{device.ip, 40000}, server, syn, 40000, 0);
        packet.time = Timestamp{1'710'234'900 + (i % 2 == 0 ? 20 : 0), 0};
        tracker.add(packet);
    }
    // One walk per eighth of the table's size in packets at most: 2000 / 125.
    EXPECT_LE(tracker.counters().idle_sweeps - sweeps_before, 16u);
    EXPECT_EQ(1000u, tracker.active_flows());
}

TEST_F(FlowTrackerTest, AClockMovingOnWalksALargeTableEveryIntervalHoweverFewThePackets) {
    FlowTracker tracker = make_tracker();
    open_attempts_at_one_instant(tracker, 1000);
    std::uint64_t sweeps_before = tracker.counters().idle_sweeps;
    for (std::int64_t step = 1; step <= 5; ++step) tracker.advance_clock(Timestamp{1'710'234'900 + 11 * step, 0});
    EXPECT_EQ(5u, tracker.counters().idle_sweeps - sweeps_before);
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

TEST_F(FlowTrackerTest, AFullTableLetsGoOfTheLeastRecentlyActiveFlowNotTheOldest) {
    FlowTracker::Limits limits;
    limits.max_flows = 10;
    FlowTracker tracker = make_tracker(limits);
    for (std::uint16_t port = 40000; port < 40010; ++port)
        tracker.add(make.tcp(Endpoint{device.ip, port}, server, syn, port, 0));
    tracker.add(make.tcp(server, Endpoint{device.ip, 40000}, syn | ack, 7000, 40001));  // the first flow, active again
    tracker.add(make.tcp(Endpoint{device.ip, 40010}, server, syn, 40010, 0));       // a full table lets one go
    EXPECT_EQ(1u, tracker.counters().flows_evicted);
    tracker.finish();
    ASSERT_EQ(11u, tracker.finished_flows().size());
    for (const auto& flow : tracker.finished_flows())
        EXPECT_EQ(flow->client.port == 40001, flow->evicted) << "flow from port " << flow->client.port;
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

TEST_F(FlowTrackerTest, BytesAcknowledgedBeforeTheFirstCapturedByteAreStillMissing) {
    FlowTracker tracker = make_tracker();
    open_connection(tracker);
    make.skip_frames(2);  // the device's first two segments ("hello", "world") are not in the capture
    tracker.add(make.tcp(server, device, ack, 5001, 1006));
    tracker.add(make.tcp(server, device, ack, 5001, 1011));
    EXPECT_TRUE(logs.empty());
    tracker.add(make.tcp(device, server, psh | ack, 1011, 5001, "third"));
    tracker.finish();
    const TcpFlow& flow = *tracker.finished_flows()[0];
    EXPECT_EQ((std::vector<std::uint64_t>{6, 7}), flow.side(Direction::client_to_server).missing_data_frames);
    ASSERT_EQ(1u, logs.size());
    EXPECT_EQ((std::vector<std::uint64_t>{6, 7}), logs[0].gap_frames);
    EXPECT_EQ("third", logs[0].to_server);
}

TEST_F(FlowTrackerTest, BytesAcknowledgedButNeverCapturedAreMissingInAFlowWithoutACapturedByte) {
    FlowTracker tracker = make_tracker();
    open_connection(tracker);
    make.skip_frames(1);  // the device's "hello" is not in the capture
    tracker.add(make.tcp(server, device, ack, 5001, 1006));
    tracker.add(make.tcp(device, server, fin | ack, 1006, 5001));
    tracker.add(make.tcp(server, device, fin | ack, 5001, 1007));
    tracker.add(make.tcp(device, server, ack, 1007, 5002));
    tracker.add(make.tcp(device, server, psh | ack, 1007, 5002, "late"));  // after the close: not read
    tracker.finish();
    const TcpFlow& flow = *tracker.finished_flows()[0];
    EXPECT_EQ(std::vector<std::uint64_t>{5}, flow.side(Direction::client_to_server).missing_data_frames);
    ASSERT_EQ(1u, logs.size());
    EXPECT_EQ(std::vector<std::uint64_t>{5}, logs[0].gap_frames);
    EXPECT_EQ("", logs[0].to_server);
}

TEST_F(FlowTrackerTest, AHandshakeLeftIdleMakesNoConsumerUntilItsFirstByte) {
    FlowTracker tracker = make_tracker();
    for (std::uint16_t port = 30'000; port < 30'050; ++port) {
        Endpoint from{device.ip, port};
        tracker.add(make.tcp(from, server, syn, port, 0));
        tracker.add(make.tcp(server, from, syn | ack, 7000, port + 1u));
        tracker.add(make.tcp(from, server, ack, port + 1u, 7001));
        tracker.add(make.tcp(from, server, ack, port, 7001));  // a keep-alive
    }
    EXPECT_TRUE(logs.empty());
    Endpoint talker{device.ip, 30'007};
    tracker.add(make.tcp(talker, server, psh | ack, 30'008, 7001, "hello"));
    ASSERT_EQ(1u, logs.size());
    EXPECT_EQ("hello", logs[0].to_server);
    EXPECT_TRUE(logs[0].gap_frames.empty());
}

TEST_F(FlowTrackerTest, ASpentMemoryBudgetLetsTheLeastRecentlyActiveFlowsGo) {
    FlowTracker::Limits limits;
    limits.max_memory_bytes = 32 * 1024;
    FlowTracker tracker = make_tracker(limits);
    std::optional<std::uint64_t> first_evicted_frame;
    for (std::uint16_t port = 30'000; port < 30'200; ++port) {
        Endpoint from{device.ip, port};
        tracker.add(make.tcp(from, server, syn, port, 0));
        tracker.add(make.tcp(server, from, syn | ack, 7000, port + 1u));
        tracker.add(make.tcp(from, server, psh | ack, port + 1u, 7001, "hello"));
        ASSERT_LE(tracker.memory_budget().used(), limits.max_memory_bytes);
        if (!first_evicted_frame && tracker.counters().flows_evicted_for_memory > 0)
            first_evicted_frame = tracker.memory_budget().first_reached_frame();
    }
    EXPECT_GT(tracker.counters().flows_evicted_for_memory, 100u);
    EXPECT_EQ(0u, tracker.counters().flows_evicted);  // not the flow table's count cap
    EXPECT_LT(tracker.active_flows(), 30u);
    EXPECT_GT(tracker.active_flows(), 0u);
    ASSERT_TRUE(first_evicted_frame);
    EXPECT_EQ(tracker.memory_budget().first_reached_frame(), first_evicted_frame);
    tracker.finish();
    EXPECT_EQ(0u, tracker.memory_budget().used());
    ASSERT_EQ(200u, tracker.finished_flows().size());
    EXPECT_TRUE(tracker.finished_flows().front()->evicted);  // the oldest went first
    EXPECT_FALSE(tracker.finished_flows().back()->evicted);
    EXPECT_EQ(200u, logs.size());
    EXPECT_EQ("hello", logs.front().to_server);  // each flow's bytes reached its consumer before it went
}

// --- Flows finishing while the capture goes on (finish_flows_early) ---

// PacketMaker's clock: frame n is sent at base_seconds + n.
constexpr std::int64_t base_seconds = 1'710'234'900;
Timestamp at(std::int64_t seconds_after_base, std::uint32_t milliseconds = 0) {
    return Timestamp{base_seconds + seconds_after_base, milliseconds * 1'000'000u};
}

// What the listener was told, copied while the record is alive.
struct Reported {
    std::uint64_t id = 0;
    std::uint64_t first_frame = 0;
    Timestamp watched_until;
    bool ended_by_idle_timeout = false;
    std::vector<std::uint64_t> rst_frames;  // the server's
};

class EarlyFinishTest : public FlowTrackerTest {
protected:
    void finish_early(FlowTracker& tracker, double after_close = 2, double after_silence = 60) {
        tracker.finish_flows_early(FlowCompletionTimes{after_close, after_silence}, [this](const TcpFlow& flow) {
            reported.push_back(Reported{flow.id, flow.first_frame, flow.watched_until, flow.ended_by_idle_timeout,
                                        reset_frames(flow.side(Direction::server_to_client))});
            return keep;
        });
    }
    std::vector<Reported> reported;
    bool keep = true;
};

TEST_F(EarlyFinishTest, ClosedConnectionIsReportedOnceAfterTheCloseDelay) {
    FlowTracker tracker = make_tracker();
    finish_early(tracker);
    complete_connection(tracker);  // frames 1-8, the last ACK at base + 8 s
    EXPECT_TRUE(reported.empty());

    tracker.advance_clock(at(9, 750));  // 1.75 s after the last packet
    EXPECT_TRUE(reported.empty());
    EXPECT_TRUE(tracker.finished_flows().empty());

    tracker.advance_clock(at(10, 50));  // 2.05 s after it, 300 ms after the last sweep
    ASSERT_EQ(1u, reported.size());
    EXPECT_EQ(1u, reported[0].id);
    EXPECT_EQ(1u, reported[0].first_frame);
    EXPECT_EQ(at(10, 50), reported[0].watched_until);
    EXPECT_FALSE(reported[0].ended_by_idle_timeout);
    ASSERT_EQ(1u, tracker.finished_flows().size());
    EXPECT_EQ(at(10, 50), tracker.finished_flows()[0]->watched_until);
    EXPECT_EQ(8u, tracker.finished_flows()[0]->last_frame);

    tracker.advance_clock(at(11));
    tracker.advance_clock(at(70));  // past the silence delay too
    EXPECT_EQ(1u, reported.size());
    tracker.finish();
    EXPECT_EQ(1u, reported.size());
    ASSERT_EQ(1u, tracker.finished_flows().size());
    EXPECT_EQ(at(10, 50), tracker.finished_flows()[0]->watched_until);
    ASSERT_EQ(1u, logs.size());
    EXPECT_EQ("hello", logs[0].to_server);
    EXPECT_EQ("world!", logs[0].to_client);
}

TEST_F(EarlyFinishTest, ConnectionWithOnlySynsIsReportedAfterTheSilenceAsIdle) {
    FlowTracker tracker = make_tracker();
    finish_early(tracker, 2, 5);
    tracker.add(make.tcp(device, server, syn, 1000, 0));  // base + 1 s
    tracker.add(make.tcp(device, server, syn, 1000, 0));  // base + 2 s

    tracker.advance_clock(at(4, 500));  // past the close delay: an open flow is not done yet
    EXPECT_TRUE(reported.empty());
    tracker.advance_clock(at(6, 900));  // 4.9 s of silence
    EXPECT_TRUE(reported.empty());
    EXPECT_TRUE(tracker.finished_flows().empty());

    tracker.advance_clock(at(7, 200));  // 5.2 s of silence
    ASSERT_EQ(1u, reported.size());
    EXPECT_TRUE(reported[0].ended_by_idle_timeout);
    EXPECT_EQ(at(7, 200), reported[0].watched_until);
    ASSERT_EQ(1u, tracker.finished_flows().size());
    EXPECT_EQ((std::vector<std::uint64_t>{1, 2}),
              tracker.finished_flows()[0]->side(Direction::client_to_server).syn_frames);
}

// Which flows a tight budget keeps depends on the order flows finish: flows
// a sweep finishes together go in the order they began, wherever the table
// holds them.
std::vector<std::uint64_t> ids_of(const std::vector<Reported>& reported) {
    std::vector<std::uint64_t> ids;
    for (const Reported& flow : reported) ids.push_back(flow.id);
    return ids;
}

std::vector<std::uint64_t> one_to(std::uint64_t last) {
    std::vector<std::uint64_t> ids;
    for (std::uint64_t id = 1; id <= last; ++id) ids.push_back(id);
    return ids;
}

TEST_F(EarlyFinishTest, FlowsFallenSilentTogetherAreReportedInTheOrderTheyBegan) {
    FlowTracker tracker = make_tracker();
    finish_early(tracker, 2, 100);
    for (std::uint16_t port = 40'000; port < 40'064; ++port) tracker.add(make.tcp({device.ip, port}, server, syn, 1000, 0));
    tracker.advance_clock(at(300));
    ASSERT_EQ(64u, reported.size());
    EXPECT_EQ(one_to(64), ids_of(reported));
}

TEST_F(EarlyFinishTest, FlowsPastTheIdleTimeoutTogetherAreReportedInTheOrderTheyBegan) {
    FlowTracker::Limits limits;
    limits.idle_timeout_seconds = 30;
    FlowTracker tracker = make_tracker(limits);
    finish_early(tracker, 2, 1000);  // silence longer than the idle timeout: the idle sweep finishes them
    for (std::uint16_t port = 40'000; port < 40'064; ++port) tracker.add(make.tcp({device.ip, port}, server, syn, 1000, 0));
    tracker.advance_clock(at(300));
    ASSERT_EQ(64u, reported.size());
    EXPECT_EQ(one_to(64), ids_of(reported));
    for (const Reported& flow : reported) EXPECT_TRUE(flow.ended_by_idle_timeout);
    EXPECT_EQ(0u, tracker.active_flows());
}

TEST_F(EarlyFinishTest, DataWithoutCloseIsReportedAfterTheSilenceAsIdle) {
    FlowTracker tracker = make_tracker();
    finish_early(tracker, 2, 10);
    tracker.add(make.tcp(device, server, syn, 1000, 0));
    tracker.add(make.tcp(server, device, syn | ack, 5000, 1001));
    tracker.add(make.tcp(device, server, ack, 1001, 5001));
    tracker.add(make.tcp(device, server, psh | ack, 1001, 5001, "hello"));
    tracker.add(make.tcp(device, server, fin | ack, 1006, 5001));  // base + 5 s: one FIN is no close

    tracker.advance_clock(at(8));
    EXPECT_TRUE(reported.empty());
    tracker.advance_clock(at(14, 800));
    EXPECT_TRUE(reported.empty());
    tracker.advance_clock(at(15, 100));
    ASSERT_EQ(1u, reported.size());
    EXPECT_TRUE(reported[0].ended_by_idle_timeout);
    EXPECT_EQ(at(15, 100), reported[0].watched_until);
    ASSERT_EQ(1u, logs.size());
    EXPECT_EQ("hello", logs[0].to_server);  // the streams were flushed when the flow finished
}

TEST_F(EarlyFinishTest, StragglersOfAReportedFlowStartNoNewFlow) {
    FlowTracker tracker = make_tracker();
    finish_early(tracker);
    complete_connection(tracker, 1000, 5000);
    tracker.advance_clock(at(11));
    ASSERT_EQ(1u, reported.size());
    EXPECT_EQ(1u, tracker.counters().tcp_flows);

    make.skip_frames(4);  // frame 13 at base + 13 s
    tracker.add(make.tcp(device, server, syn, 1000, 0));  // retransmitted SYN, same ISN
    tracker.add(make.tcp(server, device, fin | ack, 5007, 1007));  // late retransmitted FIN
    tracker.add(make.tcp(device, server, psh | ack, 1001, 5001, "hello"));  // late data
    EXPECT_EQ(1u, tracker.counters().tcp_flows);
    EXPECT_EQ(1u, tracker.counters().checked_flows);
    EXPECT_EQ(11u, tracker.counters().tcp_packets);
    EXPECT_EQ(1u, tracker.active_flows());

    tracker.advance_clock(at(20));
    tracker.advance_clock(at(90));
    EXPECT_EQ(1u, reported.size());
    tracker.finish();
    EXPECT_EQ(1u, reported.size());
    ASSERT_EQ(1u, tracker.finished_flows().size());
    const TcpFlow& flow = *tracker.finished_flows()[0];
    EXPECT_EQ(8u, flow.last_frame);  // the stragglers were not added to the finished record
    EXPECT_EQ(std::vector<std::uint64_t>{1}, flow.side(Direction::client_to_server).syn_frames);
    EXPECT_EQ("hello", logs[0].to_server);
}

TEST_F(EarlyFinishTest, FlowsTheListenerDoesNotKeepAreCountedAndFreed) {
    FlowTracker tracker = make_tracker();
    keep = false;
    finish_early(tracker);
    complete_connection(tracker);
    tracker.advance_clock(at(11));
    ASSERT_EQ(1u, reported.size());
    EXPECT_TRUE(tracker.finished_flows().empty());
    EXPECT_EQ(1u, tracker.counters().flows_forgotten);

    keep = true;
    make.skip_frames(4);
    complete_connection(tracker, 900'000, 70'000);
    tracker.finish();
    ASSERT_EQ(1u, tracker.finished_flows().size());
    EXPECT_EQ(2u, tracker.finished_flows()[0]->id);
    EXPECT_EQ(1u, tracker.counters().flows_forgotten);
}

TEST_F(EarlyFinishTest, NewSynWithAnotherIsnAfterCompletionIsANewFlowReportedSeparately) {
    FlowTracker tracker = make_tracker();
    finish_early(tracker);
    complete_connection(tracker, 1000, 5000);  // frames 1-8
    tracker.advance_clock(at(11));
    ASSERT_EQ(1u, reported.size());

    make.skip_frames(4);
    complete_connection(tracker, 900'000, 70'000);  // frames 13-20, the last at base + 20 s
    EXPECT_EQ(1u, reported.size());  // the old entry had nothing left to report
    EXPECT_EQ(2u, tracker.counters().tcp_flows);
    EXPECT_EQ(2u, tracker.counters().checked_flows);

    tracker.advance_clock(at(21, 500));
    EXPECT_EQ(1u, reported.size());
    tracker.advance_clock(at(22, 100));
    ASSERT_EQ(2u, reported.size());
    EXPECT_EQ(1u, reported[0].id);
    EXPECT_EQ(2u, reported[1].id);
    EXPECT_EQ(13u, reported[1].first_frame);
    EXPECT_EQ(at(22, 100), reported[1].watched_until);
    EXPECT_FALSE(reported[1].ended_by_idle_timeout);

    tracker.finish();
    EXPECT_EQ(2u, reported.size());
    ASSERT_EQ(2u, tracker.finished_flows().size());
    EXPECT_EQ(1u, tracker.finished_flows()[0]->first_frame);
    EXPECT_EQ(13u, tracker.finished_flows()[1]->first_frame);
    EXPECT_EQ(std::optional<std::uint32_t>{900'000},
              tracker.finished_flows()[1]->side(Direction::client_to_server).initial_seq);
}

TEST_F(EarlyFinishTest, WithoutEarlyFinishingNothingFinishesBeforeTheEnd) {
    FlowTracker tracker = make_tracker();
    complete_connection(tracker);                                   // frames 1-8, closed
    tracker.add(make.tcp(Endpoint{device.ip, 51600}, server, syn, 77, 0));  // frame 9, open
    for (std::int64_t second = 10; second <= 300; second += 10) tracker.advance_clock(at(second));
    EXPECT_TRUE(tracker.finished_flows().empty());
    EXPECT_EQ(2u, tracker.active_flows());

    tracker.finish();
    ASSERT_EQ(2u, tracker.finished_flows().size());
    EXPECT_EQ(1u, tracker.finished_flows()[0]->first_frame);
    EXPECT_EQ(9u, tracker.finished_flows()[1]->first_frame);
    EXPECT_EQ(at(300), tracker.finished_flows()[0]->watched_until);
    EXPECT_EQ(at(300), tracker.finished_flows()[1]->watched_until);
    EXPECT_FALSE(tracker.finished_flows()[0]->ended_by_idle_timeout);
    EXPECT_FALSE(tracker.finished_flows()[1]->ended_by_idle_timeout);
}

TEST_F(EarlyFinishTest, FlowsStillOpenAtTheEndAreReportedByFinish) {
    FlowTracker tracker = make_tracker();
    finish_early(tracker);
    complete_connection(tracker);                                   // frames 1-8
    tracker.add(make.tcp(Endpoint{device.ip, 51600}, server, syn, 77, 0));  // frame 9
    tracker.advance_clock(at(10, 500));
    ASSERT_EQ(1u, reported.size());
    EXPECT_EQ(1u, reported[0].id);

    tracker.finish();
    ASSERT_EQ(2u, reported.size());
    EXPECT_EQ(2u, reported[1].id);
    EXPECT_EQ(at(10, 500), reported[1].watched_until);
    EXPECT_FALSE(reported[1].ended_by_idle_timeout);
    ASSERT_EQ(2u, tracker.finished_flows().size());
}

TEST_F(EarlyFinishTest, ResetConnectionIsReportedAfterTheCloseDelay) {
    FlowTracker tracker = make_tracker();
    finish_early(tracker);
    tracker.add(make.tcp(device, server, syn, 1000, 0));                    // base + 1 s
    tracker.add(make.tcp(server, device, rst | ack, 0, 1001, {}, 250));     // base + 2 s

    tracker.advance_clock(at(3, 900));
    EXPECT_TRUE(reported.empty());
    tracker.advance_clock(at(4, 200));
    ASSERT_EQ(1u, reported.size());
    EXPECT_FALSE(reported[0].ended_by_idle_timeout);
    EXPECT_EQ(at(4, 200), reported[0].watched_until);
    EXPECT_EQ(std::vector<std::uint64_t>{2}, reported[0].rst_frames);
    tracker.finish();
    EXPECT_EQ(1u, reported.size());
    EXPECT_EQ(1u, tracker.finished_flows().size());
}

TEST_F(EarlyFinishTest, AResetTheConnectionOutlivedDoesNotFinishIt) {
    FlowTracker tracker = make_tracker();
    finish_early(tracker);
    tracker.add(make.tcp(device, server, syn, 1000, 0));                 // base + 1 s
    tracker.add(make.tcp(server, device, rst | ack, 0, 1001, {}, 250));  // base + 2 s
    tracker.add(make.tcp(server, device, syn | ack, 5000, 1001));        // base + 3 s: the server went on

    tracker.advance_clock(at(30));
    EXPECT_TRUE(reported.empty());
    tracker.finish();
    ASSERT_EQ(1u, reported.size());
    EXPECT_EQ(std::vector<std::uint64_t>{2}, reported[0].rst_frames);
}

TEST_F(EarlyFinishTest, APacketAfterTheCloseStartsTheCloseDelayAgain) {
    FlowTracker tracker = make_tracker();
    finish_early(tracker);
    complete_connection(tracker);                            // closed by frame 8, base + 8 s
    tracker.add(make.tcp(server, device, ack, 5008, 1007));  // frame 9, base + 9 s: a late ACK

    tracker.advance_clock(at(10, 500));  // 2.5 s after the close, 1.5 s after the late ACK
    EXPECT_TRUE(reported.empty());
    tracker.advance_clock(at(11, 100));
    ASSERT_EQ(1u, reported.size());
    EXPECT_EQ(9u, tracker.finished_flows()[0]->last_frame);
}

// A packet from the future closes a flow first: the flows that close after
// it, in the capture's own time, still finish after the close delay.
TEST_F(EarlyFinishTest, AClosingPacketFromTheFutureHoldsUpNoOtherFlow) {
    FlowTracker tracker = make_tracker();
    finish_early(tracker, 2, static_cast<double>(FlowTracker::Limits{}.idle_timeout_seconds));  // reading a file
    const Endpoint other{device.ip, 40001};
    tracker.add(make.tcp(other, server, syn, 7000, 0));  // frame 1
    DecodedPacket from_the_future = make.tcp(server, other, rst | ack, 0, 7001);
    from_the_future.time = at(500);  // within the idle timeout
    tracker.add(from_the_future);  // frame 2
    complete_connection(tracker);  // frames 3-10, closed at base + 10 s

    tracker.advance_clock(at(12, 500));
    ASSERT_EQ(1u, reported.size());
    EXPECT_EQ(2u, reported[0].id);
    tracker.finish();
    EXPECT_EQ(2u, reported.size());
}

// Reading a file: closed connections finish after the close delay, open
// ones only at the idle timeout.
TEST_F(EarlyFinishTest, WithTheIdleTimeoutAsSilenceOnlyClosedFlowsFinishEarly) {
    FlowTracker tracker = make_tracker();
    finish_early(tracker, 2, static_cast<double>(FlowTracker::Limits{}.idle_timeout_seconds));
    tracker.add(make.tcp(Endpoint{device.ip, 40001}, server, syn, 7000, 0));  // base + 1 s, left open
    complete_connection(tracker);                                              // frames 2-9

    tracker.advance_clock(at(100));
    ASSERT_EQ(1u, reported.size());
    EXPECT_EQ(2u, reported[0].id);
    tracker.advance_clock(at(590));
    EXPECT_EQ(1u, reported.size());
    tracker.advance_clock(at(620));
    ASSERT_EQ(2u, reported.size());
    EXPECT_EQ(1u, reported[1].id);
    EXPECT_TRUE(reported[1].ended_by_idle_timeout);
}

TEST_F(EarlyFinishTest, UncheckedFlowsAreNeverReported) {
    FlowTracker tracker = make_tracker();
    finish_early(tracker, 2, 5);
    Endpoint browser{device.ip, 40000};
    tracker.add(make.tcp(browser, web, syn, 1, 0));
    tracker.add(make.tcp(web, browser, rst | ack, 0, 2));
    tracker.advance_clock(at(30));
    tracker.finish();
    EXPECT_TRUE(reported.empty());
    EXPECT_TRUE(tracker.finished_flows().empty());
    EXPECT_EQ(1u, tracker.counters().tcp_flows);
}

TEST_F(EarlyFinishTest, AFullTableLetsGoOfFinishedEntriesFirstWithoutCountingThem) {
    FlowTracker::Limits limits;
    limits.max_flows = 2;
    FlowTracker tracker = make_tracker(limits);
    finish_early(tracker);
    complete_connection(tracker);  // frames 1-8: finished below, its entry kept without a record
    tracker.advance_clock(at(11));
    ASSERT_EQ(1u, reported.size());

    make.skip_frames(4);
    const Endpoint second_device{*IpAddress::parse("10.20.30.41"), 40000};
    const Endpoint third_device{*IpAddress::parse("10.20.30.42"), 40001};
    tracker.add(make.tcp(second_device, server, syn, 7000, 0));  // an open flow, seen after the finished one
    tracker.add(make.tcp(third_device, server, syn, 8000, 0));   // the table is full: one entry must go
    EXPECT_EQ(0u, tracker.counters().flows_evicted);
    EXPECT_EQ(2u, tracker.active_flows());
    tracker.finish();
    ASSERT_EQ(3u, reported.size());
    EXPECT_EQ(2u, reported[1].id);  // heard in the order the flows began
    EXPECT_EQ(3u, reported[2].id);
    ASSERT_EQ(3u, tracker.finished_flows().size());
    EXPECT_FALSE(tracker.finished_flows()[1]->evicted);
}

TEST_F(FlowTrackerTest, ASynFloodMakesNoConsumerBeforeItsFlowsFinish) {
    FlowTracker tracker = make_tracker();
    for (std::uint16_t port = 1; port <= 100; ++port)
        tracker.add(make.tcp(Endpoint{device.ip, static_cast<std::uint16_t>(20'000 + port)}, server, syn, port, 0));
    EXPECT_EQ(100u, tracker.active_flows());
    EXPECT_TRUE(logs.empty());

    Endpoint answered{device.ip, 20'001};
    tracker.add(make.tcp(server, answered, syn | ack, 5000, 2));
    tracker.add(make.tcp(answered, server, psh | ack, 2, 5001, "hello"));
    ASSERT_EQ(1u, logs.size());
    EXPECT_EQ("hello", logs[0].to_server);

    tracker.finish();
    EXPECT_EQ(100u, logs.size());  // each finished flow is judged with a consumer, if an empty one
    ASSERT_EQ(100u, tracker.finished_flows().size());
    EXPECT_EQ(std::vector<std::uint64_t>{1}, tracker.finished_flows()[0]->side(Direction::client_to_server).syn_frames);
}

TEST_F(FlowTrackerTest, RetransmittedSynsAreNotedWithoutStreams) {
    FlowTracker tracker = make_tracker();
    tracker.add(make.tcp(device, server, syn, 1000, 0));
    tracker.add(make.tcp(device, server, syn, 1000, 0));
    tracker.finish();
    const TcpFlow& flow = *tracker.finished_flows()[0];
    ASSERT_EQ(2u, flow.timeline.size());
    EXPECT_EQ(0, flow.timeline[0].notes);
    EXPECT_EQ(packet_note::retransmission, flow.timeline[1].notes);
}

TEST_F(FlowTrackerTest, FlowsNotKeptAtTheirEndLeaveOnlyTheTableBounded) {
    FlowTracker::Limits limits;
    limits.max_flows = 10;
    FlowTracker tracker = make_tracker(limits);
    std::size_t told = 0;
    tracker.keep_finished_flows_if([&](const TcpFlow& flow) {
        ++told;
        return flow.id == 1;
    });
    for (std::uint32_t i = 0; i < 1000; ++i)
        tracker.add(make.tcp(Endpoint{device.ip, static_cast<std::uint16_t>(10'000 + i)}, server, syn, i, 0));
    EXPECT_LE(tracker.active_flows(), 10u);
    tracker.finish();
    EXPECT_EQ(1000u, told);
    ASSERT_EQ(1u, tracker.finished_flows().size());
    EXPECT_EQ(999u, tracker.counters().flows_forgotten);
}

TEST_F(FlowTrackerTest, AnIcmpFloodQuotingOneFlowKeepsTheFirstFewErrors) {
    FlowTracker tracker = make_tracker();
    tracker.add(make.tcp(device, server, syn, 1000, 0));
    IpAddress router = *IpAddress::parse("10.20.30.1");
    for (int i = 0; i < 100; ++i) tracker.add(make.icmp_unreachable(router, device, server, 13));
    tracker.finish();
    const TcpFlow& flow = *tracker.finished_flows()[0];
    ASSERT_EQ(16u, flow.icmp_errors.size());
    EXPECT_EQ(2u, flow.icmp_errors.front().frame);
    EXPECT_EQ(101u, flow.last_frame);
}

// --- What the consumer says of a flow: of no interest, or of interest ---

// Loses interest at a client's "bye"; finds a flow of interest at "licensing".
class JudgingConsumer : public StreamConsumer {
public:
    void on_data(Direction direction, std::uint64_t, Bytes bytes, std::uint64_t, const Timestamp&) override {
        std::string text(bytes.begin(), bytes.end());
        if (direction == Direction::client_to_server && text == "bye") done_ = true;
        if (text == "licensing") of_interest_ = true;
    }
    void on_gap(Direction, std::uint64_t, std::uint64_t, std::uint64_t, GapReason) override {}
    [[nodiscard]] bool wants_more_bytes() const override { return !done_; }
    [[nodiscard]] bool is_of_interest() const override { return of_interest_; }

private:
    bool done_ = false;
    bool of_interest_ = false;
};

class ConsumerJudgementTest : public FlowTrackerTest {
protected:
    FlowTracker make_judged_tracker(FlowTracker::Limits limits = {}) {
        return FlowTracker([](std::uint16_t port) { return port == 443; }, [](const Endpoint&, const Endpoint&) { return true; },
                           [](const TcpFlow&) { return std::make_unique<JudgingConsumer>(); }, limits);
    }
    // SYN, SYN-ACK, ACK and the client's `data`: four frames.
    void connect_and_send(FlowTracker& tracker, std::uint16_t client_port, std::string_view data) {
        Endpoint client{device.ip, client_port};
        tracker.add(make.tcp(client, server, syn, 1000, 0));
        tracker.add(make.tcp(server, client, syn | ack, 5000, 1001));
        tracker.add(make.tcp(client, server, ack, 1001, 5001));
        tracker.add(make.tcp(client, server, psh | ack, 1001, 5001, data));
    }
};

TEST_F(ConsumerJudgementTest, AFlowOfNoInterestIsFinishedAtOnceAndItsLaterPacketsStartNoFlow) {
    FlowTracker tracker = make_judged_tracker();
    std::vector<std::uint64_t> told_last_frames;
    tracker.keep_finished_flows_if([&](const TcpFlow& flow) {
        told_last_frames.push_back(flow.last_frame);
        return false;
    });
    connect_and_send(tracker, 40000, "bye");
    ASSERT_EQ(std::vector<std::uint64_t>{4}, told_last_frames);

    const Endpoint client{device.ip, 40000};
    tracker.add(make.tcp(server, client, psh | ack, 5001, 1004, "more"));
    tracker.add(make.tcp(client, server, fin | ack, 1004, 5005));
    tracker.finish();
    EXPECT_EQ(std::vector<std::uint64_t>{4}, told_last_frames);
    EXPECT_EQ(1u, tracker.counters().tcp_flows);
    EXPECT_EQ(1u, tracker.counters().flows_forgotten);
    EXPECT_TRUE(tracker.finished_flows().empty());
}

TEST_F(ConsumerJudgementTest, AFullTableLetsGoOfFlowsOfInterestLast) {
    FlowTracker::Limits limits;
    limits.max_flows = 3;
    FlowTracker tracker = make_judged_tracker(limits);
    connect_and_send(tracker, 40001, "licensing");  // the least recently active, but of interest
    connect_and_send(tracker, 40002, "other");
    connect_and_send(tracker, 40003, "other");
    tracker.add(make.tcp(Endpoint{device.ip, 40004}, server, syn, 1000, 0));  // the table is full

    ASSERT_EQ(1u, tracker.finished_flows().size());
    EXPECT_EQ(40002, tracker.finished_flows()[0]->client.port);
    EXPECT_TRUE(tracker.finished_flows()[0]->evicted);
    tracker.finish();
    ASSERT_EQ(4u, tracker.finished_flows().size());
    EXPECT_EQ(40001, tracker.finished_flows()[0]->client.port);
    EXPECT_FALSE(tracker.finished_flows()[0]->evicted);
}

}  // namespace
}  // namespace trustcap
