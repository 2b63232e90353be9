#include "dissect/connection_dissector.h"

#include <algorithm>

namespace trustcap {
namespace {

constexpr std::size_t evidence_frames_kept = 16;
constexpr std::size_t max_early_tunnel_bytes = 64 * 1024;

bool is_success(int status) { return status >= 200 && status <= 299; }

// Appends to a head buffer; false when the head would exceed what HTTP allows.
bool append_bounded(std::vector<std::uint8_t>& head, Bytes bytes) {
    if (head.size() + bytes.size() > max_http_head_bytes + 1) {
        std::size_t room = max_http_head_bytes + 1 - head.size();
        head.insert(head.end(), bytes.begin(), bytes.begin() + static_cast<std::ptrdiff_t>(room));
        return false;
    }
    head.insert(head.end(), bytes.begin(), bytes.end());
    return true;
}

}  // namespace

ConnectionDissector::ConnectionDissector(InterestTest interested)
    : interested_(std::move(interested)), tls_(std::make_unique<TlsStreamDissector>()) {}

ConnectionDissector::~ConnectionDissector() = default;

void ConnectionDissector::on_data(Direction direction, std::uint64_t, Bytes bytes, std::uint64_t frame,
                                  const Timestamp& time) {
    if (bytes.empty()) return;
    if (direction == Direction::client_to_server) {
        if (client_mode_ == Mode::undecided)
            client_mode_ = looks_like_http_request(bytes) ? Mode::http_head : Mode::tls;
        switch (client_mode_) {
            case Mode::http_head: read_request(bytes, frame); break;
            case Mode::awaiting_tunnel: hold_early_tunnel_bytes(bytes, frame, time); break;
            case Mode::tls: feed_tls(direction, bytes, frame, time); break;
            case Mode::ignored: count_body(direction, bytes.size(), frame); break;
            case Mode::undecided: break;
        }
    } else {
        if (server_mode_ == Mode::undecided) server_mode_ = http_ ? Mode::http_head : Mode::tls;
        switch (server_mode_) {
            case Mode::http_head: read_response(bytes, frame, time); break;
            case Mode::tls: feed_tls(direction, bytes, frame, time); break;
            case Mode::ignored: count_body(direction, bytes.size(), frame); break;
            case Mode::undecided:
            case Mode::awaiting_tunnel: break;
        }
    }
}

void ConnectionDissector::on_gap(Direction direction, std::uint64_t, std::uint64_t length, std::uint64_t frame,
                                 GapReason reason) {
    Mode& mode = direction == Direction::client_to_server ? client_mode_ : server_mode_;
    if (mode == Mode::tls) {
        tls_->on_gap(direction, tls_offset_[index_of(direction)], length, frame, reason);
        tls_offset_[index_of(direction)] += length;
    } else if (mode != Mode::ignored) {
        mode = Mode::ignored;  // an HTTP head with a hole cannot be read
    }
}

bool ConnectionDissector::frame_is_evidence(std::uint64_t frame) const {
    return std::find(evidence_frames_.begin(), evidence_frames_.end(), frame) != evidence_frames_.end();
}

std::size_t ConnectionDissector::held_bytes() const {
    std::size_t bytes = sizeof(*this) + client_head_.capacity() + server_head_.capacity() +
                        early_tunnel_bytes_.capacity() + evidence_frames_.capacity() * sizeof(std::uint64_t);
    if (tls_) bytes += tls_->held_bytes();
    if (http_) {
        const HttpRequestHead& request = http_->request;
        bytes += request.method.capacity() + request.target.capacity() + request.version.capacity() +
                 request.host.capacity() + request.proxy_authorization_scheme.capacity();
        if (const auto& response = http_->response)
            bytes += response->version.capacity() + response->reason.capacity() +
                     response->proxy_authenticate_scheme.capacity();
    }
    return bytes;
}

void ConnectionDissector::read_request(Bytes bytes, std::uint64_t frame) {
    bool within_limit = append_bounded(client_head_, bytes);
    HttpRequestHead head;
    std::size_t consumed = 0;
    HttpParseStatus status = parse_http_request_head(client_head_, head, consumed);
    if (status == HttpParseStatus::need_more && within_limit) return;
    if (status != HttpParseStatus::complete) {
        if (client_head_.size() >= max_http_head_bytes && !http_head_too_long_)
            http_head_too_long_ = HttpHeadTooLong{Direction::client_to_server, frame};
        client_mode_ = Mode::ignored;
        client_head_.clear();
        return;
    }
    http_ = HttpExchange{std::move(head), frame, std::nullopt, 0};
    note_evidence(frame);
    bool connect = http_->request.method == "CONNECT";
    Bytes after_head = Bytes(client_head_).subspan(consumed);
    client_mode_ = connect ? Mode::awaiting_tunnel : Mode::ignored;
    if (connect && !after_head.empty()) hold_early_tunnel_bytes(after_head, frame, {});
    if (!connect && http_->request.content_length) {
        request_body_remaining_ = *http_->request.content_length;
        count_body(Direction::client_to_server, after_head.size(), frame);
    }
    client_head_.clear();
    client_head_.shrink_to_fit();
}

void ConnectionDissector::read_response(Bytes bytes, std::uint64_t frame, const Timestamp& time) {
    bool within_limit = append_bounded(server_head_, bytes);
    HttpResponseHead head;
    std::size_t consumed = 0;
    HttpParseStatus status = parse_http_response_head(server_head_, head, consumed);
    if (status == HttpParseStatus::need_more && within_limit) return;
    if (status != HttpParseStatus::complete) {
        if (server_head_.size() >= max_http_head_bytes && !http_head_too_long_)
            http_head_too_long_ = HttpHeadTooLong{Direction::server_to_client, frame};
        server_mode_ = Mode::ignored;
        server_head_.clear();
        return;
    }
    http_->response = std::move(head);
    http_->response_frame = frame;
    note_evidence(frame);
    bool tunnel = http_->request.method == "CONNECT" && is_success(http_->response->status);
    std::vector<std::uint8_t> after_head(server_head_.begin() + static_cast<std::ptrdiff_t>(consumed), server_head_.end());
    server_head_.clear();
    server_head_.shrink_to_fit();
    if (!tunnel) {
        server_mode_ = Mode::ignored;
        if (client_mode_ == Mode::awaiting_tunnel) client_mode_ = Mode::ignored;
        early_tunnel_bytes_.clear();
        if (http_->response->content_length) {
            response_body_remaining_ = *http_->response->content_length;
            count_body(Direction::server_to_client, after_head.size(), frame);
        }
        return;
    }
    tunnel_open_ = true;
    server_mode_ = Mode::tls;
    client_mode_ = Mode::tls;
    if (!early_tunnel_bytes_.empty()) {
        std::vector<std::uint8_t> early = std::move(early_tunnel_bytes_);
        feed_tls(Direction::client_to_server, early, early_tunnel_frame_, early_tunnel_time_);
    }
    if (!after_head.empty()) feed_tls(Direction::server_to_client, after_head, frame, time);
}

void ConnectionDissector::count_body(Direction direction, std::uint64_t length, std::uint64_t frame) {
    bool request = direction == Direction::client_to_server;
    std::uint64_t& remaining = request ? request_body_remaining_ : response_body_remaining_;
    if (remaining == 0 || length == 0 || !http_) return;
    remaining -= std::min(remaining, length);
    if (remaining > 0) return;
    if (request) {
        http_->request_frame = frame;
    } else if (http_->response) {
        http_->response_frame = frame;
    }
    note_evidence(frame);
}

void ConnectionDissector::hold_early_tunnel_bytes(Bytes bytes, std::uint64_t frame, const Timestamp& time) {
    if (early_tunnel_bytes_.size() + bytes.size() > max_early_tunnel_bytes) return;
    if (early_tunnel_bytes_.empty()) {
        early_tunnel_frame_ = frame;
        early_tunnel_time_ = time;
    }
    early_tunnel_bytes_.insert(early_tunnel_bytes_.end(), bytes.begin(), bytes.end());
}

void ConnectionDissector::feed_tls(Direction direction, Bytes bytes, std::uint64_t frame, const Timestamp& time) {
    tls_->on_data(direction, tls_offset_[index_of(direction)], bytes, frame, time);
    tls_offset_[index_of(direction)] += bytes.size();
    const auto& messages = tls_->messages();
    if (messages.size() > tls_messages_seen_) tls_seen_ = true;
    for (; tls_messages_seen_ < messages.size(); ++tls_messages_seen_) note_evidence(messages[tls_messages_seen_].frame);
    check_interest();
}

// The first Client Hello says whom the connection is for; a connection of no
// interest keeps nothing more.
void ConnectionDissector::check_interest() {
    if (interest_checked_ || !interested_) return;
    for (const TlsMessage& message : tls_->messages()) {
        if (message.kind != TlsMessageKind::client_hello && message.kind != TlsMessageKind::sslv2_client_hello)
            continue;
        interest_checked_ = true;
        std::string server_name = message.client_hello ? message.client_hello->server_name : std::string();
        std::string connect_target = http_ ? http_->request.target : std::string();
        if (interested_(server_name, connect_target)) return;
        lost_interest_ = true;
        tls_ = std::make_unique<TlsStreamDissector>();
        tls_messages_seen_ = 0;
        client_mode_ = Mode::ignored;
        server_mode_ = Mode::ignored;
        return;
    }
}

void ConnectionDissector::note_evidence(std::uint64_t frame) {
    if (frame_is_evidence(frame)) return;
    if (evidence_frames_.size() == evidence_frames_kept) evidence_frames_.erase(evidence_frames_.begin());
    evidence_frames_.push_back(frame);
}

}  // namespace trustcap
