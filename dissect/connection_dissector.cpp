#include "dissect/connection_dissector.h"

#include <algorithm>

#include "dissect/x509_certificate.h"

namespace trustcap {
namespace {

constexpr std::size_t evidence_frames_kept = 16;
constexpr std::size_t max_early_tunnel_bytes = 64 * 1024;
// What a deque allocates as soon as it is made: its map of node pointers and a 512-byte node.
constexpr std::size_t deque_allocation_bytes = 8 * sizeof(void*) + 512;

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

ConnectionDissector::ConnectionDissector(InterestTest interested, CertificateCache* certificates,
                                         std::shared_ptr<const TlsKeyLog> key_log)
    : interested_(std::move(interested)),
      certificates_(certificates),
      tls_(std::make_unique<TlsStreamDissector>(TlsDissectorLimits{}, std::move(key_log))) {}

ConnectionDissector::~ConnectionDissector() = default;

void ConnectionDissector::on_data(Direction direction, std::uint64_t, Bytes bytes, std::uint64_t frame,
                                  const Timestamp& time) {
    if (bytes.empty()) return;
    if (direction == Direction::client_to_server) {
        if (client_mode_ == Mode::undecided)
            client_mode_ = looks_like_http_request(bytes) ? Mode::http_head : Mode::tls;
        switch (client_mode_) {
            case Mode::http_head: read_http(direction, bytes, frame, time); break;
            case Mode::awaiting_tunnel: hold_early_tunnel_bytes(bytes, frame, time); break;
            case Mode::tls: feed_tls(direction, bytes, frame, time); break;
            case Mode::ignored: count_body(direction, bytes, frame); break;
            case Mode::undecided: break;
        }
    } else {
        if (server_mode_ == Mode::undecided) server_mode_ = http_ ? Mode::http_head : Mode::tls;
        switch (server_mode_) {
            case Mode::http_head: read_http(direction, bytes, frame, time); break;
            case Mode::tls: feed_tls(direction, bytes, frame, time); break;
            case Mode::ignored: count_body(direction, bytes, frame); break;
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
    if (http_) bytes += held_bytes_beyond(*http_);
    bytes += later_http_.capacity() * sizeof(HttpExchange);
    if (unkept_request_is_head_) bytes += deque_allocation_bytes + unkept_request_is_head_->size() * sizeof(bool);
    for (const HttpExchange& exchange : later_http_) bytes += held_bytes_beyond(exchange);
    return bytes;
}

std::size_t held_bytes_beyond(const HttpExchange& exchange) {
    const HttpRequestHead& request = exchange.request;
    std::size_t held = request.method.capacity() + request.target.capacity() + request.version.capacity() +
                       request.host.capacity() + request.proxy_authorization_scheme.capacity();
    if (const auto& response = exchange.response)
        held += response->version.capacity() + response->reason.capacity() + response->proxy_authenticate_scheme.capacity();
    return held;
}

// Heads, and the bodies whose length they give, one after another: a
// kept-alive connection carries several exchanges.
void ConnectionDissector::read_http(Direction direction, Bytes bytes, std::uint64_t frame, const Timestamp& time) {
    const bool request = direction == Direction::client_to_server;
    Mode& mode = request ? client_mode_ : server_mode_;
    std::vector<std::uint8_t>& head_bytes = request ? client_head_ : server_head_;
    std::vector<std::uint8_t> rest;
    while (mode == Mode::http_head) {
        bytes = count_body(direction, bytes, frame);
        if (bytes.empty()) return;
        const bool within_limit = append_bounded(head_bytes, bytes);
        std::size_t consumed = 0;
        HttpRequestHead request_head;
        HttpResponseHead response_head;
        const HttpParseStatus status = request ? parse_http_request_head(head_bytes, request_head, consumed)
                                               : parse_http_response_head(head_bytes, response_head, consumed);
        if (status == HttpParseStatus::need_more && within_limit) return;
        if (status != HttpParseStatus::complete) {
            if (head_bytes.size() >= max_http_head_bytes && !http_head_too_long_)
                http_head_too_long_ = HttpHeadTooLong{direction, frame};
            mode = Mode::ignored;
            head_bytes.clear();
            return;
        }
        std::vector<std::uint8_t> after_head(head_bytes.begin() + static_cast<std::ptrdiff_t>(consumed), head_bytes.end());
        head_bytes.clear();
        head_bytes.shrink_to_fit();
        rest = request ? take_request(std::move(request_head), std::move(after_head), frame)
                       : take_response(std::move(response_head), std::move(after_head), frame, time);
        bytes = Bytes(rest);
    }
}

std::vector<std::uint8_t> ConnectionDissector::take_request(HttpRequestHead head, std::vector<std::uint8_t> after_head,
                                                            std::uint64_t frame) {
    const bool first = !http_;
    const bool connect = head.method == "CONNECT";
    const bool chunked = head.chunked;
    const bool length_unknown = head.transfer_encoded && !head.chunked;  // RFC 9112, 6.3: not framed
    const std::uint64_t body_length = head.content_length.value_or(0);
    note_evidence(frame);
    latest_request_kept_ = true;
    if (first) {
        http_ = HttpExchange{std::move(head), frame, std::nullopt, 0};
    } else if (connect || tunnel_open_ || http_->request.method == "CONNECT") {
        client_mode_ = Mode::ignored;  // a second CONNECT, or plain HTTP after one: not followed
        return {};
    } else if (later_http_.size() < max_later_http_exchanges) {
        later_http_.push_back(HttpExchange{std::move(head), frame, std::nullopt, 0});
    } else {
        ++later_http_not_kept_;
        latest_request_kept_ = false;
        if (!unkept_request_is_head_) unkept_request_is_head_.emplace();
        if (unkept_request_is_head_->size() == max_unkept_requests_awaiting) {
            client_mode_ = Mode::ignored;  // too many unanswered to pair their answers: stop reading requests
            return {};
        }
        unkept_request_is_head_->push_back(head.method == "HEAD");
    }
    if (connect) {
        client_mode_ = Mode::awaiting_tunnel;
        if (!after_head.empty()) hold_early_tunnel_bytes(after_head, frame, {});
        return {};
    }
    // A request with neither Content-Length nor chunked Transfer-Encoding has no body (RFC 9112, 6.3).
    if (length_unknown) {
        client_mode_ = Mode::ignored;
        return {};
    }
    request_body_remaining_ = body_length;
    if (chunked) request_chunks_.emplace();
    const Bytes rest = count_body(Direction::client_to_server, after_head, frame);
    return {rest.begin(), rest.end()};
}

std::vector<std::uint8_t> ConnectionDissector::take_response(HttpResponseHead head, std::vector<std::uint8_t> after_head,
                                                             std::uint64_t frame, const Timestamp& time) {
    constexpr int switching_protocols = 101;
    if (head.status >= 100 && head.status <= 199 && head.status != switching_protocols)
        return after_head;  // an interim answer (100 Continue): the final one follows
    HttpExchange* exchange = exchange_awaiting_response();
    ++responses_read_;
    if (exchange == nullptr && responses_read_ > 1 + later_http_.size() + later_http_not_kept_) {
        server_mode_ = Mode::ignored;  // an answer to no request
        return {};
    }
    note_evidence(frame);
    bool answers_head = exchange != nullptr && exchange->request.method == "HEAD";
    if (exchange == nullptr && unkept_request_is_head_ && !unkept_request_is_head_->empty()) {
        answers_head = unkept_request_is_head_->front();
        unkept_request_is_head_->pop_front();
    }
    const bool no_body = head.status == 204 || head.status == 304 || answers_head;
    const std::optional<std::uint64_t> content_length = head.content_length;
    const bool chunked = head.chunked;
    if (exchange != nullptr) {
        exchange->response = std::move(head);
        exchange->response_frame = frame;
    }
    latest_response_ = responses_read_ - 1;
    const bool answers_connect = exchange != nullptr && exchange == &*http_ && http_->request.method == "CONNECT";
    if (answers_connect && is_success_status(http_->response->status)) {
        tunnel_open_ = true;
        server_mode_ = Mode::tls;
        client_mode_ = Mode::tls;
        if (!early_tunnel_bytes_.empty()) {
            std::vector<std::uint8_t> early = std::move(early_tunnel_bytes_);
            feed_tls(Direction::client_to_server, early, early_tunnel_frame_, early_tunnel_time_);
        }
        if (!after_head.empty()) feed_tls(Direction::server_to_client, after_head, frame, time);
        return {};
    }
    if (answers_connect) {
        // A refused tunnel: its body is counted, nothing after it is read.
        server_mode_ = Mode::ignored;
        if (client_mode_ == Mode::awaiting_tunnel) client_mode_ = Mode::ignored;
        early_tunnel_bytes_.clear();
        response_body_remaining_ = content_length.value_or(0);
        count_body(Direction::server_to_client, after_head, frame);
        return {};
    }
    if (chunked && !no_body) {
        response_chunks_.emplace();
        const Bytes rest = count_body(Direction::server_to_client, after_head, frame);
        return {rest.begin(), rest.end()};
    }
    if (!content_length && !no_body) {
        server_mode_ = Mode::ignored;  // the body runs to the close (or is chunked): no later answer can be found
        answers_unread_after_ = frame;
        return {};
    }
    response_body_remaining_ = no_body ? 0 : *content_length;
    const Bytes rest = count_body(Direction::server_to_client, after_head, frame);
    return {rest.begin(), rest.end()};
}

// The exchange at `index` in the connection's order (0: the first), when kept.
HttpExchange* ConnectionDissector::exchange_at(std::size_t index) {
    if (index == 0) return http_ ? &*http_ : nullptr;
    return index - 1 < later_http_.size() ? &later_http_[index - 1] : nullptr;
}

HttpExchange* ConnectionDissector::exchange_awaiting_response() { return exchange_at(responses_read_); }

HttpExchange* ConnectionDissector::latest_request() {
    if (!latest_request_kept_ || !http_) return nullptr;
    return later_http_.empty() ? &*http_ : &later_http_.back();
}

// The bytes of the current body are counted off `bytes`; what follows it is returned.
Bytes ConnectionDissector::count_body(Direction direction, Bytes bytes, std::uint64_t frame) {
    const bool request = direction == Direction::client_to_server;
    if (bytes.empty()) return bytes;
    std::optional<ChunkedBodyReader>& chunks = request ? request_chunks_ : response_chunks_;
    if (chunks) {
        std::size_t consumed = 0;
        const ChunkedBodyReader::Result result = chunks->read(bytes, consumed);
        if (result == ChunkedBodyReader::Result::more) return bytes.subspan(bytes.size());
        chunks.reset();
        if (result == ChunkedBodyReader::Result::invalid) {
            (request ? client_mode_ : server_mode_) = Mode::ignored;  // no later head can be found
            if (!request) answers_unread_after_ = frame;
            return {};
        }
        body_completed(request, frame);
        return bytes.subspan(consumed);
    }
    std::uint64_t& remaining = request ? request_body_remaining_ : response_body_remaining_;
    if (remaining == 0) return bytes;
    const std::uint64_t taken = std::min<std::uint64_t>(remaining, bytes.size());
    remaining -= taken;
    if (remaining == 0) body_completed(request, frame);
    return bytes.subspan(static_cast<std::size_t>(taken));
}

// Wireshark shows an HTTP message in the frame that completes its body.
void ConnectionDissector::body_completed(bool request, std::uint64_t frame) {
    HttpExchange* exchange = request ? latest_request() : exchange_at(latest_response_);
    if (exchange != nullptr) (request ? exchange->request_frame : exchange->response_frame) = frame;
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

// The first Client Hello says whom the connection is for; without a name
// (and without a tunnel) the server's certificate does. A connection of no
// interest keeps nothing more.
void ConnectionDissector::check_interest() {
    if (!interested_ || lost_interest_) return;
    if (awaiting_certificate_names_) {
        const auto& messages = tls_->messages();
        for (; certificate_scan_from_ < messages.size(); ++certificate_scan_from_) {
            const TlsMessage& message = messages[certificate_scan_from_];
            if (message.direction != Direction::server_to_client) continue;
            const bool certificate = message.kind == TlsMessageKind::certificate && !message.certificates.empty();
            // Past these no certificate comes in clear: encrypted (TLS 1.3, a resumed session) or never.
            const bool too_late = message.kind == TlsMessageKind::tls13_server_handshake_flight ||
                                  message.kind == TlsMessageKind::encrypted_handshake ||
                                  message.kind == TlsMessageKind::application_data ||
                                  message.kind == TlsMessageKind::alert ||
                                  message.kind == TlsMessageKind::server_hello_done;
            if (!certificate && !too_late) continue;
            awaiting_certificate_names_ = false;
            if (certificate) {
                std::optional<CertificateSummary> leaf = read_leaf(Bytes(message.certificates.front()));
                if (leaf)
                    for (const std::string& name : certificate_host_names(*leaf))
                        if (interested_(name, "")) return;
            }
            lose_interest();
            return;
        }
        return;
    }
    if (interest_checked_) return;
    for (const TlsMessage& message : tls_->messages()) {
        if (message.kind != TlsMessageKind::client_hello && message.kind != TlsMessageKind::sslv2_client_hello)
            continue;
        interest_checked_ = true;
        std::string server_name = message.client_hello ? message.client_hello->server_name : std::string();
        std::string connect_target = http_ ? http_->request.target : std::string();
        if (interested_(server_name, connect_target)) return;
        if (server_name.empty() && connect_target.empty()) {
            awaiting_certificate_names_ = true;
            check_interest();
            return;
        }
        lose_interest();
        return;
    }
}

std::optional<CertificateSummary> ConnectionDissector::read_leaf(Bytes der) const {
    if (certificates_) return certificates_->read(der).summary;
    std::string error;
    return summarize_certificate(der, error);
}

void ConnectionDissector::lose_interest() {
    lost_interest_ = true;
    tls_ = std::make_unique<TlsStreamDissector>();
    tls_messages_seen_ = 0;
    client_mode_ = Mode::ignored;
    server_mode_ = Mode::ignored;
}

void ConnectionDissector::note_evidence(std::uint64_t frame) {
    if (frame_is_evidence(frame)) return;
    if (evidence_frames_.size() == evidence_frames_kept) evidence_frames_.erase(evidence_frames_.begin());
    evidence_frames_.push_back(frame);
}

}  // namespace trustcap
