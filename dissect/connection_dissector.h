#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "capture/stream_consumer.h"
#include "dissect/http_message.h"
#include "dissect/tls_stream_dissector.h"

namespace trustcap {

// An HTTP request head and the response head that answered it, with frames.
struct HttpExchange {
    HttpRequestHead request;
    std::uint64_t request_frame = 0;
    std::optional<HttpResponseHead> response;
    std::uint64_t response_frame = 0;
};

// An HTTP head that passed max_http_head_bytes without ending: that
// direction was not read further.
struct HttpHeadTooLong {
    Direction direction = Direction::client_to_server;
    std::uint64_t frame = 0;  // where it passed the limit
};

// Dissects one TCP connection whatever it carries: TLS directly, or an HTTP
// request first — a CONNECT whose 200 answer turns the rest of both streams
// into a TLS tunnel, or plain HTTP (CSLU). Frames where a message ends are
// evidence the flow table keeps in the timeline.
class ConnectionDissector final : public StreamConsumer {
public:
    // Called once, at the Client Hello, with its server name (possibly empty)
    // and the CONNECT target (empty without a proxy); when it returns false the
    // connection is of no interest and nothing more of it is kept.
    using InterestTest = std::function<bool(const std::string& server_name, const std::string& connect_target)>;

    explicit ConnectionDissector(InterestTest interested = nullptr);
    ~ConnectionDissector() override;

    void on_data(Direction direction, std::uint64_t stream_offset, Bytes bytes, std::uint64_t frame,
                 const Timestamp& time) override;
    void on_gap(Direction direction, std::uint64_t stream_offset, std::uint64_t length, std::uint64_t frame,
                GapReason reason) override;
    [[nodiscard]] bool frame_is_evidence(std::uint64_t frame) const override;
    [[nodiscard]] std::size_t held_bytes() const override;

    [[nodiscard]] const std::optional<HttpExchange>& http() const { return http_; }
    [[nodiscard]] bool tunnel_open() const { return tunnel_open_; }
    [[nodiscard]] const TlsStreamDissector& tls() const { return *tls_; }
    [[nodiscard]] bool carries_tls() const { return tls_seen_; }
    [[nodiscard]] bool lost_interest() const { return lost_interest_; }
    [[nodiscard]] const std::optional<HttpHeadTooLong>& http_head_too_long() const { return http_head_too_long_; }

private:
    enum class Mode : std::uint8_t { undecided, http_head, awaiting_tunnel, tls, ignored };

    void read_request(Bytes bytes, std::uint64_t frame);
    void read_response(Bytes bytes, std::uint64_t frame, const Timestamp& time);
    void count_body(Direction direction, std::uint64_t length, std::uint64_t frame);
    void hold_early_tunnel_bytes(Bytes bytes, std::uint64_t frame, const Timestamp& time);
    void feed_tls(Direction direction, Bytes bytes, std::uint64_t frame, const Timestamp& time);
    void check_interest();
    void note_evidence(std::uint64_t frame);

    InterestTest interested_;
    std::unique_ptr<TlsStreamDissector> tls_;
    Mode client_mode_ = Mode::undecided;
    Mode server_mode_ = Mode::undecided;
    std::vector<std::uint8_t> client_head_;
    std::vector<std::uint8_t> server_head_;
    std::vector<std::uint8_t> early_tunnel_bytes_;  // the device's bytes sent before the proxy's answer
    std::uint64_t early_tunnel_frame_ = 0;
    Timestamp early_tunnel_time_;
    std::optional<HttpExchange> http_;
    std::optional<HttpHeadTooLong> http_head_too_long_;
    bool tunnel_open_ = false;
    bool tls_seen_ = false;
    bool interest_checked_ = false;
    bool lost_interest_ = false;
    std::uint64_t tls_offset_[2] = {0, 0};
    // Body bytes still to come after a head with Content-Length: Wireshark
    // shows an HTTP message in the frame that completes its body.
    std::uint64_t request_body_remaining_ = 0;
    std::uint64_t response_body_remaining_ = 0;
    std::size_t tls_messages_seen_ = 0;
    std::vector<std::uint64_t> evidence_frames_;  // the latest frames where a message ended
};

}  // namespace trustcap
