#include "dissect/connection_dissector.h"
#include "dissect/connection_facts.h"

#include <gtest/gtest.h>

#include "tests/dissect/certificate_factory.h"

#include <string>
#include <utility>
#include <vector>

namespace trustcap {
namespace {

using ByteVector = std::vector<std::uint8_t>;
constexpr Direction to_server = Direction::client_to_server;
constexpr Direction to_client = Direction::server_to_client;

ByteVector text(const std::string& value) { return {value.begin(), value.end()}; }

ByteVector joined(std::initializer_list<ByteVector> parts) {
    ByteVector all;
    for (const ByteVector& part : parts) all.insert(all.end(), part.begin(), part.end());
    return all;
}

// A fatal handshake_failure alert record in clear.
const ByteVector alert_record{0x15, 0x03, 0x03, 0x00, 0x02, 0x02, 0x28};

// A minimal TLS 1.2 Client Hello record naming `server_name`.
ByteVector client_hello(const std::string& server_name) {
    auto u16 = [](std::size_t value) { return ByteVector{static_cast<std::uint8_t>(value >> 8), static_cast<std::uint8_t>(value)}; };
    ByteVector name = text(server_name);
    ByteVector sni_list = joined({ByteVector{0}, u16(name.size()), name});
    ByteVector sni = joined({u16(0), u16(sni_list.size() + 2), u16(sni_list.size()), sni_list});
    ByteVector body = joined({ByteVector{0x03, 0x03}, ByteVector(32, 0x11), ByteVector{0}, u16(2), u16(0xc02f),
                              ByteVector{1, 0}, u16(sni.size()), sni});
    ByteVector handshake = joined({ByteVector{1, 0}, u16(body.size()), body});
    return joined({ByteVector{0x16, 0x03, 0x01}, u16(handshake.size()), handshake});
}

class Feeder {
public:
    explicit Feeder(ConnectionDissector::InterestTest interest = nullptr) : dissector(std::move(interest)) {}
    void send(Direction direction, const ByteVector& bytes, std::uint64_t frame) {
        dissector.on_data(direction, offsets_[index_of(direction)], bytes, frame, Timestamp{});
        offsets_[index_of(direction)] += bytes.size();
    }
    ConnectionDissector dissector;

private:
    std::uint64_t offsets_[2] = {0, 0};
};

const ByteVector connect_request = text("CONNECT smartreceiver.cisco.com:443 HTTP/1.1\r\nHost: smartreceiver.cisco.com:443\r\n\r\n");

TEST(ConnectionDissector, ConnectAnswered200OpensATlsTunnel) {
    Feeder feeder;
    feeder.send(to_server, connect_request, 4);
    feeder.send(to_client, joined({text("HTTP/1.1 200 Connection established\r\n\r\n"), alert_record}), 5);
    const auto& http = feeder.dissector.http();
    ASSERT_TRUE(http);
    EXPECT_EQ("CONNECT", http->request.method);
    EXPECT_EQ("smartreceiver.cisco.com:443", http->request.target);
    EXPECT_EQ(4u, http->request_frame);
    ASSERT_TRUE(http->response);
    EXPECT_EQ(200, http->response->status);
    EXPECT_EQ(5u, http->response_frame);
    EXPECT_TRUE(feeder.dissector.tunnel_open());
    ASSERT_EQ(1u, feeder.dissector.tls().messages().size());
    EXPECT_EQ(TlsMessageKind::alert, feeder.dissector.tls().messages()[0].kind);
    EXPECT_TRUE(feeder.dissector.frame_is_evidence(4));
    EXPECT_TRUE(feeder.dissector.frame_is_evidence(5));
}

TEST(ConnectionDissector, TlsSentBeforeTheProxyAnswersIsReadOnceTheTunnelOpens) {
    Feeder feeder;
    feeder.send(to_server, joined({connect_request, client_hello("smartreceiver.cisco.com")}), 4);
    EXPECT_TRUE(feeder.dissector.tls().messages().empty());
    feeder.send(to_client, text("HTTP/1.0 200 OK\r\n\r\n"), 5);
    ASSERT_EQ(1u, feeder.dissector.tls().messages().size());
    EXPECT_EQ("smartreceiver.cisco.com", feeder.dissector.tls().messages()[0].client_hello->server_name);
}

TEST(ConnectionDissector, RefusedConnectKeepsTheAnswerAndReadsNoTls) {
    Feeder feeder;
    feeder.send(to_server, connect_request, 4);
    feeder.send(to_client,
                text("HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm=\"corp\"\r\n"
                     "Content-Length: 0\r\n\r\n"),
                5);
    feeder.send(to_server, client_hello("smartreceiver.cisco.com"), 6);
    ASSERT_TRUE(feeder.dissector.http()->response);
    EXPECT_EQ(407, feeder.dissector.http()->response->status);
    EXPECT_EQ("Basic", feeder.dissector.http()->response->proxy_authenticate_scheme);
    EXPECT_FALSE(feeder.dissector.tunnel_open());
    EXPECT_TRUE(feeder.dissector.tls().messages().empty());
}

TEST(ConnectionDissector, HttpHeadsSplitAcrossSegmentsAreJoined) {
    Feeder feeder;
    ByteVector request = text("POST /cslu/v1/pi/ABC123 HTTP/1.1\r\nHost: cslu.example:8182\r\nContent-Length: 2\r\n\r\n{}");
    feeder.send(to_server, ByteVector(request.begin(), request.begin() + 10), 4);
    feeder.send(to_server, ByteVector(request.begin() + 10, request.end()), 5);
    feeder.send(to_client, text("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"), 7);
    const auto& http = feeder.dissector.http();
    ASSERT_TRUE(http);
    EXPECT_EQ("POST", http->request.method);
    EXPECT_EQ("/cslu/v1/pi/ABC123", http->request.target);
    EXPECT_EQ(5u, http->request_frame);
    EXPECT_EQ(7u, http->response_frame);
    EXPECT_FALSE(feeder.dissector.carries_tls());
}

TEST(ConnectionDissector, DirectTlsGoesStraightToTheTlsDissector) {
    Feeder feeder;
    feeder.send(to_server, client_hello("smartreceiver.cisco.com"), 4);
    EXPECT_FALSE(feeder.dissector.http());
    EXPECT_TRUE(feeder.dissector.carries_tls());
    EXPECT_TRUE(feeder.dissector.frame_is_evidence(4));
}

TEST(ConnectionDissector, ConnectionOfNoInterestKeepsNothingMore) {
    std::string asked;
    Feeder feeder([&](const std::string& server_name, const std::string& connect_target) {
        asked = server_name + "|" + connect_target;
        return false;
    });
    feeder.send(to_server, client_hello("www.example.com"), 4);
    feeder.send(to_client, alert_record, 5);
    EXPECT_EQ("www.example.com|", asked);
    EXPECT_TRUE(feeder.dissector.lost_interest());
    EXPECT_TRUE(feeder.dissector.tls().messages().empty());
    EXPECT_FALSE(feeder.dissector.wants_more_bytes());
    EXPECT_FALSE(feeder.dissector.is_of_interest());
}

TEST(ConnectionDissector, AConnectionOfInterestSaysSoOnceItsClientHelloNamedTheServer) {
    Feeder feeder([](const std::string& server_name, const std::string&) {
        return server_name == "smartreceiver.cisco.com";
    });
    EXPECT_FALSE(feeder.dissector.is_of_interest());
    feeder.send(to_server, client_hello("smartreceiver.cisco.com"), 4);
    EXPECT_TRUE(feeder.dissector.is_of_interest());
    EXPECT_TRUE(feeder.dissector.wants_more_bytes());
}

// A Certificate handshake record holding `der` alone.
ByteVector certificate_record(const ByteVector& der) {
    auto u24 = [](std::size_t value) {
        return ByteVector{static_cast<std::uint8_t>(value >> 16), static_cast<std::uint8_t>(value >> 8),
                          static_cast<std::uint8_t>(value)};
    };
    ByteVector list = joined({u24(der.size()), der});
    ByteVector body = joined({u24(list.size()), list});
    ByteVector handshake = joined({ByteVector{11}, u24(body.size()), body});
    return joined({ByteVector{0x16, 0x03, 0x03, static_cast<std::uint8_t>(handshake.size() >> 8),
                              static_cast<std::uint8_t>(handshake.size())},
                   handshake});
}

TEST(ConnectionDissector, TheServerCertificateOfNamelessConnectionsIsReadOncePerRun) {
    const ByteVector& leaf = testing::test_pki().leaf.der;  // for smartreceiver.cisco.com
    CertificateCache certificates;
    std::vector<std::string> asked;
    auto interest = [&](const std::string& server_name, const std::string&) {
        asked.push_back(server_name);
        return server_name == "smartreceiver.cisco.com";
    };
    for (int connection = 0; connection < 2; ++connection) {
        ConnectionDissector dissector(interest, &certificates);
        dissector.on_data(to_server, 0, client_hello(""), 4, Timestamp{});
        dissector.on_data(to_client, 0, certificate_record(leaf), 6, Timestamp{});
        EXPECT_TRUE(dissector.is_of_interest());
    }
    EXPECT_EQ(1u, certificates.parsed());
    EXPECT_EQ(1u, certificates.reused());
    EXPECT_EQ((std::vector<std::string>{"", "smartreceiver.cisco.com", "", "smartreceiver.cisco.com"}), asked);
}

TEST(ConnectionDissector, AGapInAnHttpHeadStopsReadingIt) {
    Feeder feeder;
    feeder.send(to_server, ByteVector(connect_request.begin(), connect_request.begin() + 12), 4);
    feeder.dissector.on_gap(to_server, 12, 10, 5, GapReason::not_captured);
    feeder.send(to_server, ByteVector(connect_request.begin() + 22, connect_request.end()), 6);
    EXPECT_FALSE(feeder.dissector.http());
}

}  // namespace
}  // namespace trustcap

namespace trustcap {
namespace {

TEST(ConnectionDissectorLimits, AnHttpHeadPastTheLimitIsReportedWithItsFrame) {
    Feeder feeder;
    feeder.send(to_server, text("CONNECT smartreceiver.cisco.com:443 HTTP/1.1\r\nX-Padding: "), 4);
    const ByteVector padding(max_http_head_bytes / 2, 'a');
    feeder.send(to_server, padding, 5);
    EXPECT_FALSE(feeder.dissector.http_head_too_long());
    feeder.send(to_server, padding, 6);
    const auto& hit = feeder.dissector.http_head_too_long();
    ASSERT_TRUE(hit);
    EXPECT_EQ(hit->direction, to_server);
    EXPECT_EQ(hit->frame, 6U);
    EXPECT_FALSE(feeder.dissector.http());
}

TEST(ConnectionDissectorLimits, AnHttpHeadJustUnderTheLimitIsRead) {
    Feeder feeder;
    const std::string start = "CONNECT smartreceiver.cisco.com:443 HTTP/1.1\r\nX-Padding: ";
    const std::string end = "\r\n\r\n";
    feeder.send(to_server,
                joined({text(start), ByteVector(max_http_head_bytes - start.size() - end.size() - 1, 'a'), text(end)}),
                4);
    EXPECT_FALSE(feeder.dissector.http_head_too_long());
    ASSERT_TRUE(feeder.dissector.http());
    EXPECT_EQ(feeder.dissector.http()->request.method, "CONNECT");
}

TEST(ConnectionDissectorLimits, AMalformedShortHeadIsNotALimitHit) {
    Feeder feeder;
    feeder.send(to_server, text("GET / HTTP/1.1\r\nHost: a\x01\r\n\r\n"), 4);
    EXPECT_FALSE(feeder.dissector.http_head_too_long());
}

// A kept-alive CSLU connection: every exchange is read, bodies skipped by
// their Content-Length, answers paired with requests in order.
ByteVector post(const std::string& path, const std::string& body) {
    return text("POST " + path + " HTTP/1.1\r\nHost: 10.50.0.20:8182\r\nContent-Length: " +
                std::to_string(body.size()) + "\r\n\r\n" + body);
}

ByteVector answer(int status, const std::string& body) {
    return text("HTTP/1.1 " + std::to_string(status) + " X\r\nContent-Length: " + std::to_string(body.size()) +
                "\r\n\r\n" + body);
}

TEST(ConnectionDissector, ReadsEveryExchangeOfAKeptAliveConnection) {
    Feeder feeder;
    feeder.send(to_server, post("/cslu/v1/pi", "{\"a\":1}"), 4);
    feeder.send(to_client, answer(200, "{}"), 5);
    feeder.send(to_server, post("/cslu/v1/pi/next", "{}"), 7);
    feeder.send(to_client, answer(500, "oops"), 8);
    const auto& first = feeder.dissector.http();
    ASSERT_TRUE(first && first->response);
    EXPECT_EQ(first->request.target, "/cslu/v1/pi");
    EXPECT_EQ(first->response->status, 200);
    const auto& later = feeder.dissector.later_http();
    ASSERT_EQ(later.size(), 1u);
    EXPECT_EQ(later[0].request.target, "/cslu/v1/pi/next");
    EXPECT_EQ(later[0].request_frame, 7u);
    ASSERT_TRUE(later[0].response);
    EXPECT_EQ(later[0].response->status, 500);
    EXPECT_EQ(later[0].response_frame, 8u);
}

TEST(ConnectionDissector, PairsPipelinedRequestsAndSplitBodiesInOrder) {
    Feeder feeder;
    const ByteVector first_request = post("/one", "0123456789");
    const ByteVector both = joined({first_request, post("/two", "ab")});
    // The first body ends in the second segment, which also holds the whole second request.
    const auto split = both.begin() + static_cast<std::ptrdiff_t>(first_request.size() - 5);
    feeder.send(to_server, ByteVector(both.begin(), split), 4);
    feeder.send(to_server, ByteVector(split, both.end()), 5);
    const ByteVector answers = joined({text("HTTP/1.1 100 Continue\r\n\r\n"), answer(204, ""), answer(404, "no")});
    feeder.send(to_client, answers, 6);
    const auto& first = feeder.dissector.http();
    ASSERT_TRUE(first && first->response);
    EXPECT_EQ(first->response->status, 204) << "an interim 100 answers nothing";
    EXPECT_EQ(first->request_frame, 5u) << "Wireshark shows a request in the frame that completes its body";
    const auto& later = feeder.dissector.later_http();
    ASSERT_EQ(later.size(), 1u);
    EXPECT_EQ(later[0].request.target, "/two");
    EXPECT_EQ(later[0].request_frame, 5u);
    ASSERT_TRUE(later[0].response);
    EXPECT_EQ(later[0].response->status, 404);
}

// `count` answered exchanges, from frame 1 on.
void send_answered_exchanges(Feeder& feeder, std::size_t count) {
    std::uint64_t frame = 1;
    for (std::size_t i = 0; i < count; ++i) {
        feeder.send(to_server, post("/cslu/v1/pi", "x"), frame++);
        feeder.send(to_client, answer(200, "y"), frame++);
    }
}

TEST(ConnectionDissector, KeepsABoundedNumberOfLaterExchangesAndCountsTheRest) {
    Feeder feeder;
    send_answered_exchanges(feeder, max_later_http_exchanges + 5);
    EXPECT_EQ(feeder.dissector.later_http().size(), max_later_http_exchanges);
    EXPECT_EQ(feeder.dissector.later_http_not_kept(), 4u);
    EXPECT_EQ(feeder.dissector.later_http().back().response->status, 200);
}

TEST(ConnectionDissector, TheAnswerToAHeadPastTheKeptExchangesHasNoBody) {
    Feeder feeder;
    send_answered_exchanges(feeder, max_later_http_exchanges + 2);
    ASSERT_GT(feeder.dissector.later_http_not_kept(), 0u);
    feeder.send(to_server, text("HEAD /cslu/v1/pi HTTP/1.1\r\n\r\n"), 1000);
    feeder.send(to_server, post("/cslu/v1/pi", ""), 1001);
    feeder.send(to_client, text("HTTP/1.1 200 OK\r\nContent-Length: 50\r\n\r\n"), 1002);
    feeder.send(to_client, text("HTTP/1.1 204 No Content\r\n\r\n"), 1003);
    EXPECT_TRUE(feeder.dissector.frame_is_evidence(1003)) << "the 204 is an answer, not 27 bytes of a HEAD's body";
}

TEST(ConnectionDissector, StopsAtAnAnswerWhoseBodyRunsToTheClose) {
    Feeder feeder;
    feeder.send(to_server, post("/cslu/v1/pi", ""), 4);
    feeder.send(to_client, text("HTTP/1.1 200 OK\r\n\r\nHTTP/1.1 500 Not a head but body\r\n\r\n"), 5);
    feeder.send(to_server, post("/cslu/v1/pi", ""), 6);
    ASSERT_EQ(feeder.dissector.later_http().size(), 1u);
    EXPECT_FALSE(feeder.dissector.later_http()[0].response) << "bytes of a body read to the close are no answer";
    EXPECT_EQ(feeder.dissector.answers_unread_after(), 5u);
}

// Chunked bodies (RFC 9112, 7.1) are skipped chunk by chunk, however they are split.
TEST(ConnectionDissector, ReadsTheExchangeAfterAChunkedAnswer) {
    Feeder feeder;
    feeder.send(to_server, post("/cslu/v1/pi", "{}"), 4);
    const ByteVector chunked = text(
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n"
        "5;ext=1\r\nHTTP/\r\n1B\r\n1.1 500 not a head either\r\n\r\n0\r\nX-Trailer: t\r\n\r\n");
    // Split inside a size line, inside the data and inside the trailer.
    feeder.send(to_client, ByteVector(chunked.begin(), chunked.begin() + 70), 5);
    feeder.send(to_client, ByteVector(chunked.begin() + 70, chunked.begin() + 95), 6);
    feeder.send(to_client, ByteVector(chunked.begin() + 95, chunked.end()), 7);
    feeder.send(to_server, post("/cslu/v1/pi/next", ""), 8);
    feeder.send(to_client, answer(404, "no"), 9);
    const auto& first = feeder.dissector.http();
    ASSERT_TRUE(first && first->response);
    EXPECT_EQ(first->response->status, 200);
    EXPECT_EQ(first->response_frame, 7u) << "the frame that completes the chunked body";
    const auto& later = feeder.dissector.later_http();
    ASSERT_EQ(later.size(), 1u);
    ASSERT_TRUE(later[0].response) << "the answer after a chunked body is read";
    EXPECT_EQ(later[0].response->status, 404);
    EXPECT_EQ(later[0].response_frame, 9u);
    EXPECT_FALSE(feeder.dissector.answers_unread_after());
}

TEST(ConnectionDissector, ReadsTheRequestAfterAChunkedRequest) {
    Feeder feeder;
    feeder.send(to_server,
                joined({text("POST /cslu/v1/pi HTTP/1.1\r\nTransfer-Encoding: gzip, chunked\r\n\r\n"
                             "3\r\nabc\n0\n\n"),
                        post("/two", "")}),
                4);
    feeder.send(to_client, joined({answer(200, ""), answer(500, "")}), 5);
    ASSERT_EQ(feeder.dissector.later_http().size(), 1u);
    EXPECT_EQ(feeder.dissector.later_http()[0].request.target, "/two") << "bare LF line ends are accepted too";
    ASSERT_TRUE(feeder.dissector.later_http()[0].response);
    EXPECT_EQ(feeder.dissector.later_http()[0].response->status, 500);
}

TEST(ConnectionDissector, AMalformedChunkStopsReadingAnswers) {
    Feeder feeder;
    feeder.send(to_server, post("/cslu/v1/pi", ""), 4);
    feeder.send(to_client, text("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n"), 5);
    feeder.send(to_server, post("/cslu/v1/pi", ""), 6);
    feeder.send(to_client, answer(200, ""), 7);
    ASSERT_EQ(feeder.dissector.later_http().size(), 1u);
    EXPECT_FALSE(feeder.dissector.later_http()[0].response);
    EXPECT_EQ(feeder.dissector.answers_unread_after(), 5u);
}

TEST(ConnectionDissector, ARequestWithATransferCodingOtherThanChunkedEndsTheReading) {
    Feeder feeder;
    feeder.send(to_server,
                text("POST /cslu HTTP/1.1\r\nTransfer-Encoding: gzip\r\nContent-Length: 37\r\n\r\n"
                     "GET /SmartTransport HTTP/1.1\r\nHost: a\r\n\r\n"),
                4);
    EXPECT_TRUE(feeder.dissector.later_http().empty()) << "a body of unknown length is no next request";
}

TEST(ConnectionDissector, ATransferCodingOtherThanChunkedRunsToTheClose) {
    Feeder feeder;
    feeder.send(to_server, post("/cslu/v1/pi", ""), 4);
    feeder.send(to_client, text("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked, gzip\r\nContent-Length: 0\r\n\r\n"), 5);
    EXPECT_EQ(feeder.dissector.answers_unread_after(), 5u) << "Transfer-Encoding overrides Content-Length";
}

}  // namespace
}  // namespace trustcap

namespace trustcap {
namespace {

// A CONNECT tunnel whose TLS ends in bytes that are not TLS.
void feed_tunnel_then_garbage(Feeder& feeder) {
    feeder.send(to_server, connect_request, 4);
    feeder.send(to_client, joined({text("HTTP/1.1 200 Connection established\r\n\r\n"), alert_record}), 5);
    feeder.send(to_server, ByteVector{0x17, 0x03, 0x03, 0x00, 0x03, 1, 2, 3}, 6);
    feeder.send(to_server, ByteVector{0xff, 0xff, 0xff, 0xff, 0xff}, 7);
}

void expect_facts_of_tunnel_then_garbage(const ConnectionFacts& facts) {
    EXPECT_TRUE(facts.carries_tls);
    EXPECT_FALSE(facts.lost_interest);
    ASSERT_TRUE(facts.http);
    EXPECT_EQ("CONNECT", facts.http->request.method);
    ASSERT_TRUE(facts.http->response);
    EXPECT_EQ(200, facts.http->response->status);
    ASSERT_EQ(2u, facts.tls.messages.size());
    EXPECT_EQ(TlsMessageKind::alert, facts.tls.messages[0].kind);
    EXPECT_EQ(5u, facts.tls.messages[0].frame);
    EXPECT_EQ(TlsMessageKind::application_data, facts.tls.messages[1].kind);
    const TlsDirectionFacts& device = facts.tls.side(to_server);
    EXPECT_EQ(1u, device.application_records);
    EXPECT_EQ(3u, device.application_bytes);
    EXPECT_EQ(13u, device.bytes_received);
    EXPECT_TRUE(device.malformed);
    ASSERT_TRUE(facts.tls.not_tls);
    EXPECT_EQ(7u, facts.tls.not_tls->frame);
    EXPECT_TRUE(facts.tls.not_tls->after_records);
    EXPECT_EQ(7u, facts.tls.side(to_client).bytes_received);
    EXPECT_FALSE(facts.tls.side(to_client).malformed);
}

// What the judge reads once the dissector is freed: everything it found.
TEST(ConnectionFacts, KeepWhatTheDissectorFoundAfterItIsGone) {
    ConnectionFacts facts;
    {
        Feeder feeder;
        feed_tunnel_then_garbage(feeder);
        facts = facts_of(feeder.dissector);
        EXPECT_EQ(feeder.dissector.tls().messages().size(), facts.tls.messages.size());
        EXPECT_EQ(feeder.dissector.held_bytes() > facts.held_bytes(), true) << "the facts keep no buffers";
    }
    expect_facts_of_tunnel_then_garbage(facts);
}

// A finished flow's facts are moved out of its dissector, not copied: the same facts.
TEST(ConnectionFacts, MovedOutOfTheDissectorAreTheSameFacts) {
    ConnectionFacts facts;
    {
        Feeder feeder;
        feed_tunnel_then_garbage(feeder);
        facts = facts_of(std::move(feeder.dissector));
        EXPECT_TRUE(feeder.dissector.tls().messages().empty()) << "moved, not copied";
    }
    expect_facts_of_tunnel_then_garbage(facts);
}

}  // namespace
}  // namespace trustcap
