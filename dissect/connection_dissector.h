#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "capture/stream_consumer.h"
#include "dissect/certificate_cache.h"
#include "dissect/http_chunked_body.h"
#include "dissect/http_message.h"
#include "dissect/tls_stream_dissector.h"

namespace trustcap {

struct ConnectionFacts;

// An HTTP request head and the response head that answered it, with frames.
struct HttpExchange {
    HttpRequestHead request;
    std::uint64_t request_frame = 0;
    std::optional<HttpResponseHead> response;
    std::uint64_t response_frame = 0;
};

// Plain HTTP exchanges after a connection's first that are kept; later ones
// are counted. A CSLU connection carries a handful.
inline constexpr std::size_t max_later_http_exchanges = 64;
// Requests past those, not kept, still awaiting an answer: whether each was a HEAD (its answer has no body).
inline constexpr std::size_t max_unkept_requests_awaiting = 1024;

// An HTTP head that passed max_http_head_bytes without ending: that
// direction was not read further.
struct HttpHeadTooLong {
    Direction direction = Direction::client_to_server;
    std::uint64_t frame = 0;  // where it passed the limit
};

// What an exchange holds on the heap beyond its own size.
std::size_t held_bytes_beyond(const HttpExchange& exchange);

// Dissects one TCP connection whatever it carries: TLS directly, or an HTTP
// request first — a CONNECT whose 200 answer turns the rest of both streams
// into a TLS tunnel, or plain HTTP (CSLU). Frames where a message ends are
// evidence the flow table keeps in the timeline.
class ConnectionDissector final : public StreamConsumer {
public:
    // Called at the Client Hello with its server name (possibly empty) and the
    // CONNECT target (empty without a proxy); when it returns false the
    // connection is of no interest and nothing more of it is kept. A Client
    // Hello without a name and without a tunnel leaves the question open
    // until the server's certificate: it is asked again with each of the
    // names the certificate is for.
    using InterestTest = std::function<bool(const std::string& server_name, const std::string& connect_target)>;

    // `certificates`, when given, reads the server's certificate once per run
    // however many connections send it.
    // `key_log`, when given, holds secrets to decrypt TLS records with.
    explicit ConnectionDissector(InterestTest interested = nullptr, CertificateCache* certificates = nullptr,
                                 std::shared_ptr<const TlsKeyLog> key_log = nullptr);
    ~ConnectionDissector() override;

    void on_data(Direction direction, std::uint64_t stream_offset, Bytes bytes, std::uint64_t frame,
                 const Timestamp& time) override;
    void on_gap(Direction direction, std::uint64_t stream_offset, std::uint64_t length, std::uint64_t frame,
                GapReason reason) override;
    [[nodiscard]] bool frame_is_evidence(std::uint64_t frame) const override;
    [[nodiscard]] bool wants_more_bytes() const override { return !lost_interest_; }
    // Its Client Hello (or the certificate of a nameless one) named a server of interest.
    [[nodiscard]] bool is_of_interest() const override {
        return interest_checked_ && !awaiting_certificate_names_ && !lost_interest_;
    }
    [[nodiscard]] std::size_t held_bytes() const override;

    // The connection's first HTTP exchange (a CONNECT, or plain HTTP).
    [[nodiscard]] const std::optional<HttpExchange>& http() const { return http_; }
    // Plain HTTP on a kept-alive connection: the exchanges after the first, in
    // order, each response paired with the oldest request it had not answered.
    [[nodiscard]] const std::vector<HttpExchange>& later_http() const { return later_http_; }
    [[nodiscard]] std::uint64_t later_http_not_kept() const { return later_http_not_kept_; }
    // The frame of an answer whose body has no length (read to the close), or
    // whose chunked body is malformed: the answers after it are not read.
    [[nodiscard]] std::optional<std::uint64_t> answers_unread_after() const { return answers_unread_after_; }
    [[nodiscard]] bool tunnel_open() const { return tunnel_open_; }
    [[nodiscard]] const TlsStreamDissector& tls() const { return *tls_; }
    [[nodiscard]] bool carries_tls() const { return tls_seen_; }
    [[nodiscard]] bool lost_interest() const { return lost_interest_; }
    [[nodiscard]] const std::optional<HttpHeadTooLong>& http_head_too_long() const { return http_head_too_long_; }

    // What a finished connection's dissector found, moved out of it.
    friend ConnectionFacts facts_of(ConnectionDissector&& connection);

private:
    enum class Mode : std::uint8_t { undecided, http_head, awaiting_tunnel, tls, ignored };

    void read_http(Direction direction, Bytes bytes, std::uint64_t frame, const Timestamp& time);
    // Each takes the bytes after a complete head; returns those that follow its body.
    std::vector<std::uint8_t> take_request(HttpRequestHead head, std::vector<std::uint8_t> after_head, std::uint64_t frame);
    std::vector<std::uint8_t> take_response(HttpResponseHead head, std::vector<std::uint8_t> after_head,
                                            std::uint64_t frame, const Timestamp& time);
    Bytes count_body(Direction direction, Bytes bytes, std::uint64_t frame);
    void body_completed(bool request, std::uint64_t frame);
    HttpExchange* exchange_at(std::size_t index);
    HttpExchange* exchange_awaiting_response();
    HttpExchange* latest_request();
    void hold_early_tunnel_bytes(Bytes bytes, std::uint64_t frame, const Timestamp& time);
    void feed_tls(Direction direction, Bytes bytes, std::uint64_t frame, const Timestamp& time);
    void check_interest();
    void lose_interest();
    [[nodiscard]] std::optional<CertificateSummary> read_leaf(Bytes der) const;
    void note_evidence(std::uint64_t frame);

    InterestTest interested_;
    CertificateCache* certificates_;
    std::unique_ptr<TlsStreamDissector> tls_;
    Mode client_mode_ = Mode::undecided;
    Mode server_mode_ = Mode::undecided;
    std::vector<std::uint8_t> client_head_;
    std::vector<std::uint8_t> server_head_;
    std::vector<std::uint8_t> early_tunnel_bytes_;  // the device's bytes sent before the proxy's answer
    std::uint64_t early_tunnel_frame_ = 0;
    Timestamp early_tunnel_time_;
    std::optional<HttpExchange> http_;
    std::vector<HttpExchange> later_http_;
    std::uint64_t later_http_not_kept_ = 0;
    std::optional<std::deque<bool>> unkept_request_is_head_;  // made when first needed: an empty deque allocates
    std::optional<std::uint64_t> answers_unread_after_;
    std::size_t responses_read_ = 0;         // exchanges answered so far, counted from the first
    bool latest_request_kept_ = true;        // the latest request is http_ or later_http_.back()
    std::size_t latest_response_ = 0;        // the index (0: the first exchange) the latest response answered
    std::optional<HttpHeadTooLong> http_head_too_long_;
    bool tunnel_open_ = false;
    bool tls_seen_ = false;
    bool interest_checked_ = false;
    bool awaiting_certificate_names_ = false;  // a nameless Client Hello: the server's certificate decides
    std::size_t certificate_scan_from_ = 0;    // the TLS messages already looked at for that certificate
    bool lost_interest_ = false;
    std::uint64_t tls_offset_[2] = {0, 0};
    // Body bytes still to come after a head with Content-Length: Wireshark
    // shows an HTTP message in the frame that completes its body.
    std::uint64_t request_body_remaining_ = 0;
    std::uint64_t response_body_remaining_ = 0;
    // A chunked body being read, in place of the counts above.
    std::optional<ChunkedBodyReader> request_chunks_;
    std::optional<ChunkedBodyReader> response_chunks_;
    std::size_t tls_messages_seen_ = 0;
    std::vector<std::uint64_t> evidence_frames_;  // the latest frames where a message ended
};

}  // namespace trustcap
