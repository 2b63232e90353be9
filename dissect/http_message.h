#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

#include "capture/byte_reader.h"

namespace trustcap {

struct HttpRequestHead {
    std::string method;   // "CONNECT", "POST", ...
    std::string target;   // "smartreceiver.cisco.com:443", "/cslu/v1/pi/..."
    std::string version;  // "HTTP/1.1"
    std::string host;     // first Host header, if any
    bool has_proxy_authorization = false;
    std::string proxy_authorization_scheme;       // "Basic", "NTLM", ... as sent (never the credentials)
    std::optional<std::uint64_t> content_length;  // absent when missing, malformed, conflicting or overridden
    bool chunked = false;                         // Transfer-Encoding ends in chunked (RFC 9112, 6.1)
    bool transfer_encoded = false;                // any Transfer-Encoding: without chunked last, no length is known
};

struct HttpResponseHead {
    std::string version;
    int status = 0;
    std::string reason;
    std::string proxy_authenticate_scheme;        // first Proxy-Authenticate scheme ("Basic", "NTLM", "Negotiate")
    std::optional<std::uint64_t> content_length;  // absent when missing, malformed, conflicting or overridden
    bool chunked = false;                         // Transfer-Encoding ends in chunked (RFC 9112, 6.1)
    bool transfer_encoded = false;                // any Transfer-Encoding: without chunked last, no length is known
};

enum class HttpParseStatus : std::uint8_t { complete, need_more, invalid };

// Parses an HTTP/1.x request or response head (start line and headers up to
// the empty line) from the start of `bytes`. Lines may end in CRLF or a bare
// LF. need_more: the empty line has not arrived, and what has can still become
// a head. invalid: the start line is not HTTP/1.x-shaped, a line holds control
// characters, or the head is longer than max_http_head_bytes. As tolerant as
// proxies: request-line words may be separated by several spaces or tabs and a
// stray word is ignored; a header line that is not "name: value" (no colon,
// obs-fold continuation) is ignored.
// `head` and `consumed` (the head's length, empty line included) are written
// only when the result is complete.
// Proxies' and servers' own ceilings are 8 KiB (Apache's per line, nginx's
// default buffer) to 64 KiB (Squid's request_header_max_size); a CONNECT and
// its answer take a few hundred bytes.
inline constexpr std::size_t max_http_head_bytes = 16 * 1024;
HttpParseStatus parse_http_request_head(Bytes bytes, HttpRequestHead& head, std::size_t& consumed);
HttpParseStatus parse_http_response_head(Bytes bytes, HttpResponseHead& head, std::size_t& consumed);

// 2xx: the request was received, understood and accepted (RFC 9110, 15.3).
inline bool is_success_status(int status) { return status >= 200 && status <= 299; }

// True when the bytes start with an upper-case method of RFC 9110 or PATCH
// followed by a space ("GET ", "CONNECT ", ...).
bool looks_like_http_request(Bytes bytes);

// True when the bytes start like an HTTP/1.x status line ("HTTP/1.1 ").
bool looks_like_http_response(Bytes bytes);

}  // namespace trustcap
