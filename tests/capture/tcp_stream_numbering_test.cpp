#include "capture/tcp_stream_numbering.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <optional>

namespace trustcap {
namespace {

const Endpoint device{*IpAddress::parse("10.20.30.40"), 51512};
const Endpoint server{*IpAddress::parse("146.112.59.25"), 443};
const Endpoint other_device{*IpAddress::parse("2001:db8::7"), 51512};
const Endpoint other_server{*IpAddress::parse("2001:db8::443"), 443};

constexpr std::uint8_t syn = tcp_flag::syn;
constexpr std::uint8_t syn_ack = tcp_flag::syn | tcp_flag::ack;
constexpr std::uint8_t ack = tcp_flag::ack;
constexpr std::uint8_t rst = tcp_flag::rst;

DecodedPacket tcp(const Endpoint& from, const Endpoint& to, std::uint8_t flags, std::uint32_t seq,
                  std::uint32_t acknowledged = 0) {
    DecodedPacket packet;
    packet.source = from.ip;
    packet.destination = to.ip;
    packet.source_port = from.port;
    packet.destination_port = to.port;
    packet.transport = Transport::tcp;
    packet.tcp.flags = flags;
    packet.tcp.seq = seq;
    packet.tcp.ack = acknowledged;
    return packet;
}

TEST(TcpStreamNumbering, NumbersConversationsInTheOrderTheyStartWhicheverWayTheirPacketsGo) {
    TcpStreamNumbering numbering;
    EXPECT_EQ(0U, numbering.stream_of(tcp(device, server, syn, 1000)));
    EXPECT_EQ(1U, numbering.stream_of(tcp(other_device, other_server, syn, 5)));
    EXPECT_EQ(0U, numbering.stream_of(tcp(server, device, syn_ack, 7000, 1001)));
    EXPECT_EQ(1U, numbering.stream_of(tcp(other_server, other_device, rst | ack, 0, 6)));
    EXPECT_EQ(0U, numbering.stream_of(tcp(device, server, ack, 1001, 7001)));
    EXPECT_EQ(2U, numbering.conversations());
    EXPECT_EQ(std::nullopt, numbering.stopped_at_frame());
}

TEST(TcpStreamNumbering, ARetransmittedSynStaysInItsConversation) {
    TcpStreamNumbering numbering;
    EXPECT_EQ(0U, numbering.stream_of(tcp(device, server, syn, 1000)));
    EXPECT_EQ(0U, numbering.stream_of(tcp(device, server, syn, 1000)));
    EXPECT_EQ(1U, numbering.conversations());
}

TEST(TcpStreamNumbering, ASynWithAnotherSequenceNumberOnTheSamePortsStartsANewConversation) {
    TcpStreamNumbering numbering;
    EXPECT_EQ(0U, numbering.stream_of(tcp(device, server, syn, 1000)));
    EXPECT_EQ(0U, numbering.stream_of(tcp(server, device, rst | ack, 0, 1001)));
    EXPECT_EQ(1U, numbering.stream_of(tcp(device, server, syn, 90000)));
    EXPECT_EQ(1U, numbering.stream_of(tcp(server, device, syn_ack, 5, 90001)));
    EXPECT_EQ(1U, numbering.stream_of(tcp(device, server, syn, 90000)));  // its retransmission
}

TEST(TcpStreamNumbering, ASynCapturedAfterItsSynAckJoinsItsConversation) {
    TcpStreamNumbering numbering;
    EXPECT_EQ(0U, numbering.stream_of(tcp(server, device, syn_ack, 7000, 1001)));
    EXPECT_EQ(0U, numbering.stream_of(tcp(device, server, syn, 1000)));
    EXPECT_EQ(1U, numbering.conversations());
}

TEST(TcpStreamNumbering, OnAReusedPairASynAckCapturedBeforeItsSynStaysInTheEarlierConversation) {
    TcpStreamNumbering numbering;
    EXPECT_EQ(0U, numbering.stream_of(tcp(device, server, syn, 1000)));
    EXPECT_EQ(0U, numbering.stream_of(tcp(server, device, syn_ack, 7000, 1001)));
    EXPECT_EQ(0U, numbering.stream_of(tcp(server, device, syn_ack, 9000, 50001)));
    EXPECT_EQ(1U, numbering.stream_of(tcp(device, server, syn, 50000)));
}

TEST(TcpStreamNumbering, ASynAfterAConversationSeenMidStreamStartsANewOne) {
    TcpStreamNumbering numbering;
    EXPECT_EQ(0U, numbering.stream_of(tcp(device, server, ack, 1000, 7000)));
    EXPECT_EQ(1U, numbering.stream_of(tcp(device, server, syn, 500)));
}

TEST(TcpStreamNumbering, AnAcknowledgementSetsWhereTheOtherSideBeganSoALaterSynStartsANewConversation) {
    TcpStreamNumbering numbering;
    EXPECT_EQ(0U, numbering.stream_of(tcp(server, device, ack | tcp_flag::psh, 7000, 1000)));
    EXPECT_EQ(1U, numbering.stream_of(tcp(device, server, syn, 5000)));
    EXPECT_EQ(1U, numbering.stream_of(tcp(device, server, syn, 5000)));

    TcpStreamNumbering acknowledged_syn;
    EXPECT_EQ(0U, acknowledged_syn.stream_of(tcp(server, device, ack, 7000, 1000)));
    EXPECT_EQ(0U, acknowledged_syn.stream_of(tcp(device, server, syn, 999)));  // the SYN it acknowledged
}

TEST(TcpStreamNumbering, ASynFromTheOtherSideIsComparedWithWhereThatSideBegan) {
    TcpStreamNumbering numbering;
    EXPECT_EQ(0U, numbering.stream_of(tcp(device, server, syn, 1000)));
    EXPECT_EQ(0U, numbering.stream_of(tcp(server, device, syn, 7000)));  // simultaneous open: that side's first
    EXPECT_EQ(0U, numbering.stream_of(tcp(server, device, syn, 7000)));
    EXPECT_EQ(1U, numbering.stream_of(tcp(server, device, syn, 8000)));
}

TEST(TcpStreamNumbering, PastItsLimitNewConversationsHaveNoStreamAndKnownOnesKeepTheirs) {
    TcpStreamNumbering numbering(2);
    EXPECT_EQ(0U, numbering.stream_of(tcp(device, server, syn, 1000)));
    EXPECT_EQ(1U, numbering.stream_of(tcp(other_device, other_server, syn, 5)));
    DecodedPacket third = tcp(device, other_server, syn, 1);
    third.frame = 3;
    EXPECT_EQ(std::nullopt, numbering.stream_of(third));
    EXPECT_EQ(3U, numbering.stopped_at_frame());
    EXPECT_EQ("more than 2 TCP conversations", numbering.stop_reason());
    EXPECT_EQ(0U, numbering.stream_of(tcp(server, device, syn_ack, 7000, 1001)));
    // A reused pair would need a number the count can no longer give.
    EXPECT_EQ(std::nullopt, numbering.stream_of(tcp(device, server, syn, 50000)));
    EXPECT_EQ(std::nullopt, numbering.stream_of(tcp(server, device, syn_ack, 1, 50001)));
    EXPECT_EQ(1U, numbering.stream_of(tcp(other_server, other_device, syn_ack, 9, 6)));
}

TEST(TcpStreamNumbering, StoppedAtAFrameItNumbersNoConversationThatStartsLater) {
    TcpStreamNumbering numbering;
    EXPECT_EQ(0U, numbering.stream_of(tcp(device, server, syn, 1000)));
    numbering.stop(7, "IP in IP, which trustcap does not decode");
    numbering.stop(9, "a later reason");
    EXPECT_EQ(std::nullopt, numbering.stream_of(tcp(other_device, other_server, syn, 5)));
    EXPECT_EQ(0U, numbering.stream_of(tcp(server, device, syn_ack, 7000, 1001)));
    EXPECT_EQ(std::nullopt, numbering.stream_of(tcp(device, server, syn, 50000)));  // reused after the stop
    EXPECT_EQ(7U, numbering.stopped_at_frame());
    EXPECT_EQ("IP in IP, which trustcap does not decode", numbering.stop_reason());
}

DecodeResult decoded(Transport transport, std::uint8_t ip_protocol, std::uint16_t source_port,
                     std::uint16_t destination_port) {
    DecodeResult result;
    result.status = DecodeStatus::decoded;
    result.packet.transport = transport;
    result.packet.ip_protocol = ip_protocol;
    result.packet.source_port = source_port;
    result.packet.destination_port = destination_port;
    return result;
}

TEST(HiddenTcpReason, NamesFramesInWhichWiresharkMayNumberATcpPacketTrustcapDidNotDecode) {
    EXPECT_EQ(std::nullopt, hidden_tcp_reason(decoded(Transport::tcp, 6, 51512, 443), false));
    EXPECT_EQ(std::nullopt, hidden_tcp_reason(decoded(Transport::udp, 17, 5353, 53), false));
    DecodeResult not_ip;
    EXPECT_EQ(std::nullopt, hidden_tcp_reason(not_ip, false));
    EXPECT_EQ("an IP datagram was dropped by a reassembly limit", hidden_tcp_reason(not_ip, true));
    DecodeResult malformed;
    malformed.status = DecodeStatus::malformed;
    malformed.reason = "TCP header length 12 < 20";
    EXPECT_EQ("a frame trustcap cannot decode (TCP header length 12 < 20)", hidden_tcp_reason(malformed, false));
    EXPECT_EQ("IP in IP, which trustcap does not decode", hidden_tcp_reason(decoded(Transport::other, 4, 0, 0), false));
    EXPECT_EQ("IP in IP, which trustcap does not decode", hidden_tcp_reason(decoded(Transport::other, 41, 0, 0), false));
    EXPECT_EQ("VXLAN (UDP port 4789), which trustcap does not decode",
              hidden_tcp_reason(decoded(Transport::udp, 17, 40000, 4789), false));
    EXPECT_EQ("CAPWAP data (UDP port 5247), which trustcap does not decode",
              hidden_tcp_reason(decoded(Transport::udp, 17, 5247, 5247), false));
}

TEST(TcpStreamNumbering, KeepsEveryNumberAcrossTheTableGrowing) {
    TcpStreamNumbering numbering;
    constexpr std::uint16_t conversations = 20000;
    for (std::uint16_t port = 0; port < conversations; ++port)
        ASSERT_EQ(port, numbering.stream_of(tcp(Endpoint{device.ip, static_cast<std::uint16_t>(port + 1)}, server, syn,
                                                port)));
    for (std::uint16_t port = conversations; port-- > 0;)
        ASSERT_EQ(port, numbering.stream_of(tcp(server, Endpoint{device.ip, static_cast<std::uint16_t>(port + 1)},
                                                syn_ack, 1, port + 1U)));
    EXPECT_EQ(conversations, numbering.conversations());
}

}  // namespace
}  // namespace trustcap
