#include "capture/tcp_sequence_rules.h"

#include <gtest/gtest.h>

namespace trustcap {
namespace {

using namespace tcp_flag;

TcpHeader segment(std::uint8_t flags, std::uint32_t seq, std::uint32_t ack = 0, std::uint16_t window = 0) {
    TcpHeader tcp;
    tcp.flags = flags;
    tcp.seq = seq;
    tcp.ack = ack;
    tcp.window = window;
    return tcp;
}

SequenceState state(std::uint32_t next_seq, std::uint32_t last_ack, std::uint32_t window) {
    return SequenceState{next_seq, last_ack, window};
}

TEST(TcpSequenceRules, AdvanceCountsBytesSynAndFinAcrossTheWrap) {
    SequenceState sender;
    advance_sequence(sender, segment(syn, 0xFFFFFFFF), 0, 0);
    EXPECT_EQ(std::optional<std::uint32_t>{0}, sender.next_seq);
    advance_sequence(sender, segment(ack | psh, 0, 7, 100), 10, 100);
    EXPECT_EQ(std::optional<std::uint32_t>{10}, sender.next_seq);
    EXPECT_EQ(std::optional<std::uint32_t>{7}, sender.last_ack);
    advance_sequence(sender, segment(ack | psh, 0, 5, 100), 4, 100);  // a retransmission moves nothing back
    EXPECT_EQ(std::optional<std::uint32_t>{10}, sender.next_seq);
    EXPECT_EQ(std::optional<std::uint32_t>{7}, sender.last_ack);
    advance_sequence(sender, segment(ack | fin, 10, 7, 100), 0, 100);
    EXPECT_EQ(std::optional<std::uint32_t>{11}, sender.next_seq);
    advance_sequence(sender, segment(rst, 500), 0, 0);
    EXPECT_EQ(std::optional<std::uint32_t>{11}, sender.next_seq);
}

TEST(TcpSequenceRules, InSynSentOnlyAResetAcknowledgingTheSynCounts) {
    SequenceState nothing;
    EXPECT_TRUE(reset_is_acceptable(segment(rst | ack, 0, 1001), nothing, nothing, 1000));
    EXPECT_FALSE(reset_is_acceptable(segment(rst | ack, 0, 1000), nothing, nothing, 1000));
    EXPECT_FALSE(reset_is_acceptable(segment(rst, 0, 1001), nothing, nothing, 1000));
    EXPECT_TRUE(reset_is_acceptable(segment(rst | ack, 0, 0), nothing, nothing, 0xFFFFFFFF));  // ISN + 1 wraps
}

TEST(TcpSequenceRules, LaterAResetMustFallInTheReceiversWindow) {
    SequenceState sender = state(5000, 1000, 0);
    SequenceState receiver = state(1000, 5000, 100);
    EXPECT_TRUE(reset_is_acceptable(segment(rst, 5000), sender, receiver, std::nullopt));
    EXPECT_TRUE(reset_is_acceptable(segment(rst, 5099), sender, receiver, std::nullopt));
    EXPECT_FALSE(reset_is_acceptable(segment(rst, 5100), sender, receiver, std::nullopt));
    EXPECT_FALSE(reset_is_acceptable(segment(rst, 4999), sender, receiver, std::nullopt));
    EXPECT_FALSE(reset_is_acceptable(segment(rst, 0), sender, receiver, std::nullopt));
}

TEST(TcpSequenceRules, TheWindowReachesPastBytesSentButNotYetAcknowledged) {
    SequenceState sender = state(5300, 1000, 0);  // 300 bytes in flight
    SequenceState receiver = state(1000, 5000, 100);
    EXPECT_TRUE(reset_is_acceptable(segment(rst, 5300), sender, receiver, std::nullopt));
    EXPECT_TRUE(reset_is_acceptable(segment(rst, 5399), sender, receiver, std::nullopt));
    EXPECT_FALSE(reset_is_acceptable(segment(rst, 5400), sender, receiver, std::nullopt));
}

TEST(TcpSequenceRules, AZeroWindowAcceptsOnlyTheNextSequenceNumber) {
    SequenceState sender = state(5000, 1000, 0);
    SequenceState receiver = state(1000, 5000, 0);
    EXPECT_TRUE(reset_is_acceptable(segment(rst, 5000), sender, receiver, std::nullopt));
    EXPECT_FALSE(reset_is_acceptable(segment(rst, 5001), sender, receiver, std::nullopt));
}

TEST(TcpSequenceRules, TheWindowWrapsAround) {
    SequenceState sender = state(0xFFFFFFF0, 1000, 0);
    SequenceState receiver = state(1000, 0xFFFFFFF0, 0x40);
    EXPECT_TRUE(reset_is_acceptable(segment(rst, 0x10), sender, receiver, std::nullopt));
    EXPECT_FALSE(reset_is_acceptable(segment(rst, 0x30), sender, receiver, std::nullopt));
}

TEST(TcpSequenceRules, WhatTheCaptureDoesNotShowIsAccepted) {
    SequenceState unknown;
    EXPECT_TRUE(reset_is_acceptable(segment(rst, 12345), unknown, unknown, std::nullopt));
}

TEST(TcpSequenceRules, KeepAlivesAreOneByteBelowTheNextSequenceNumber) {
    SequenceState sender = state(1006, 5001, 100);
    EXPECT_TRUE(is_keep_alive(sender, segment(ack, 1005, 5001), 1));
    EXPECT_TRUE(is_keep_alive(sender, segment(ack, 1005, 5001), 0));
    EXPECT_FALSE(is_keep_alive(sender, segment(ack, 1005, 5001), 2));
    EXPECT_FALSE(is_keep_alive(sender, segment(ack | fin, 1005, 5001), 0));
    EXPECT_FALSE(is_keep_alive(sender, segment(ack, 1006, 5001), 0));
    EXPECT_FALSE(is_keep_alive(SequenceState{}, segment(ack, 1005, 5001), 1));
}

TEST(TcpSequenceRules, ASideGoesOnWithSynNewDataNewAcksOrAFin) {
    TcpReset reset;
    reset.seq = 5000;
    reset.ack = 1000;
    reset.has_ack = true;
    EXPECT_TRUE(shows_sender_went_on(reset, segment(syn | ack, 4000, 1000), 0));
    EXPECT_TRUE(shows_sender_went_on(reset, segment(ack | psh, 5000, 1000), 10));
    EXPECT_FALSE(shows_sender_went_on(reset, segment(ack | psh, 4990, 1000), 10));  // a retransmission
    EXPECT_TRUE(shows_sender_went_on(reset, segment(ack, 5000, 1001), 0));
    EXPECT_FALSE(shows_sender_went_on(reset, segment(ack, 5000, 1000), 0));
    EXPECT_TRUE(shows_sender_went_on(reset, segment(ack | fin, 5000, 1000), 0));
    EXPECT_FALSE(shows_sender_went_on(reset, segment(rst | ack, 5000, 2000), 0));
}

}  // namespace
}  // namespace trustcap
