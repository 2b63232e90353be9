#include "dissect/http_message.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <string_view>
#include <system_error>
#include <utility>

namespace trustcap {
namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }

bool is_token_char(char c) {
    constexpr std::string_view punctuation = "!#$%&'*+-.^_`|~";
    return is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           punctuation.find(c) != std::string_view::npos;
}

bool is_visible(char c) { return c > ' ' && c < '\x7f'; }

bool is_field_value_char(char c) {
    const auto byte = static_cast<unsigned char>(c);
    return c == '\t' || c == ' ' || is_visible(c) || byte >= 0x80;
}

bool is_whitespace(char c) { return c == ' ' || c == '\t'; }

template <class Predicate>
std::string_view take_while(std::string_view& text, Predicate accept) {
    const auto stop = std::find_if_not(text.begin(), text.end(), accept);
    const std::string_view taken = text.substr(0, static_cast<std::size_t>(stop - text.begin()));
    text.remove_prefix(taken.size());
    return taken;
}

std::string_view trim_whitespace(std::string_view text) {
    while (!text.empty() && is_whitespace(text.front())) text.remove_prefix(1);
    while (!text.empty() && is_whitespace(text.back())) text.remove_suffix(1);
    return text;
}

bool equals_ignoring_case(std::string_view a, std::string_view b) {
    const auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; };
    return a.size() == b.size() &&
           std::equal(a.begin(), a.end(), b.begin(), [&](char x, char y) { return lower(x) == lower(y); });
}

// The authentication scheme is the first token of a credentials or challenge value.
std::string_view auth_scheme(std::string_view value) { return take_while(value, is_token_char); }

// Every check below takes `complete`: false means `line` is the start of a
// line still arriving, and the answer is whether it can still become valid.

bool matches_version(std::string_view text, bool complete) {
    constexpr std::string_view prefix = "HTTP/1.";
    constexpr std::size_t version_length = prefix.size() + 1;
    if (text.size() > version_length) return false;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const bool matches = i < prefix.size() ? text[i] == prefix[i] : is_digit(text[i]);
        if (!matches) return false;
    }
    return !complete || text.size() == version_length;
}

struct RequestLine {
    std::string_view method;
    std::string_view target;
    std::string_view version;
};

// As tolerant as proxies are (squid's relaxed parser): the words may be
// separated by runs of spaces or tabs, and a stray word between the target
// and the version, or after the version, is ignored. The version is the last
// word that is one.
bool split_request_line(std::string_view line, bool complete, RequestLine& parts) {
    parts.method = take_while(line, is_token_char);
    if (line.empty()) return !complete;
    if (parts.method.empty() || !is_whitespace(line.front())) return false;
    parts.target = {};
    parts.version = {};
    while (!line.empty()) {
        take_while(line, is_whitespace);
        if (line.empty()) break;
        const std::string_view word = take_while(line, is_visible);
        if (word.empty()) return false;  // a control character
        if (parts.target.empty()) {
            parts.target = word;
        } else if (matches_version(word, true) || (!complete && line.empty() && matches_version(word, false))) {
            parts.version = word;
        }
    }
    return !complete || (!parts.target.empty() && !parts.version.empty());
}

struct StatusLine {
    std::string_view version;
    std::string_view status;
    std::string_view reason;
};

bool split_status_line(std::string_view line, bool complete, StatusLine& parts) {
    parts.version = take_while(line, [](char c) { return c != ' '; });
    if (line.empty()) return !complete && matches_version(parts.version, false);
    if (!matches_version(parts.version, true)) return false;
    line.remove_prefix(1);
    parts.status = take_while(line, is_digit);
    if (parts.status.size() > 3) return false;
    // A status line without a reason phrase, or its space, is common enough to accept.
    if (line.empty()) return !complete || parts.status.size() == 3;
    if (parts.status.size() != 3 || line.front() != ' ') return false;
    line.remove_prefix(1);
    parts.reason = line;
    // RFC 9112: reason-phrase = *( HTAB / SP / VCHAR / obs-text ). obs-text is any byte from 0x80, so C1 control
    // bytes are accepted like the Latin-1 phrases real proxies send, and kept as bytes: the status code is what
    // counts, and the writers escape the phrase wherever it is shown. C0 controls and DEL make the line invalid.
    return std::all_of(line.begin(), line.end(), is_field_value_char);
}

struct HeaderField {
    std::string_view name;
    std::string_view value;
};

// A line that is not "name: value" (no colon, whitespace in or before the
// name, an obs-fold continuation) is ignored, as proxies ignore it; `field`
// then has an empty name. Only control characters make the head invalid.
bool split_header_line(std::string_view line, bool /*complete*/, HeaderField& field) {
    if (!std::all_of(line.begin(), line.end(), is_field_value_char)) return false;
    field.name = take_while(line, is_token_char);
    if (field.name.empty() || line.empty() || line.front() != ':') {
        field.name = {};
        return true;
    }
    line.remove_prefix(1);
    field.value = trim_whitespace(line);
    return true;
}

// Keeps the Content-Length only while every occurrence is a valid and equal number.
class ContentLength {
public:
    void add(std::string_view value) {
        std::uint64_t number = 0;
        const auto [end, error] = std::from_chars(value.data(), value.data() + value.size(), number);
        const bool valid = !value.empty() && error == std::errc{} && end == value.data() + value.size();
        if (!valid || (value_ && *value_ != number)) unusable_ = true;
        value_ = number;
    }
    [[nodiscard]] std::optional<std::uint64_t> value() const { return unusable_ ? std::nullopt : value_; }

private:
    std::optional<std::uint64_t> value_;
    bool unusable_ = false;
};

// Walks the head line by line, handing each line to `on_start_line` or
// `on_header_line` with (line, complete); they return false for a line that
// is not, or cannot become, valid.
template <class OnStartLine, class OnHeaderLine>
HttpParseStatus scan_head(Bytes bytes, OnStartLine on_start_line, OnHeaderLine on_header_line,
                          std::size_t& head_length) {
    const std::string_view text(reinterpret_cast<const char*>(bytes.data()),
                                std::min(bytes.size(), max_http_head_bytes));
    const auto without_cr = [](std::string_view line) {
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        return line;
    };
    std::size_t line_start = 0;
    bool at_start_line = true;
    while (true) {
        const std::size_t newline = text.find('\n', line_start);
        if (newline == std::string_view::npos) {
            if (bytes.size() >= max_http_head_bytes) return HttpParseStatus::invalid;
            const std::string_view partial = without_cr(text.substr(line_start));
            const bool plausible =
                at_start_line ? on_start_line(partial, false) : partial.empty() || on_header_line(partial, false);
            return plausible ? HttpParseStatus::need_more : HttpParseStatus::invalid;
        }
        const std::string_view line = without_cr(text.substr(line_start, newline - line_start));
        line_start = newline + 1;
        if (at_start_line) {
            if (!on_start_line(line, true)) return HttpParseStatus::invalid;
            at_start_line = false;
        } else if (line.empty()) {
            head_length = line_start;
            return HttpParseStatus::complete;
        } else if (!on_header_line(line, true)) {
            return HttpParseStatus::invalid;
        }
    }
}

bool starts_with(Bytes bytes, std::string_view prefix) {
    return bytes.size() >= prefix.size() &&
           std::equal(prefix.begin(), prefix.end(), bytes.begin(),
                      [](char expected, std::uint8_t actual) { return static_cast<std::uint8_t>(expected) == actual; });
}

// Transfer-Encoding: a message is chunked when the last coding of its last
// Transfer-Encoding field is chunked; any Transfer-Encoding overrides
// Content-Length (RFC 9112, 6.1 and 6.3).
class TransferEncoding {
public:
    void add(std::string_view value) {
        present_ = true;
        std::string_view last;
        while (!value.empty()) {
            const std::size_t comma = value.find(',');
            std::string_view coding = value.substr(0, comma);
            coding = coding.substr(0, coding.find(';'));
            while (!coding.empty() && (coding.front() == ' ' || coding.front() == '\t')) coding.remove_prefix(1);
            while (!coding.empty() && (coding.back() == ' ' || coding.back() == '\t')) coding.remove_suffix(1);
            if (!coding.empty()) last = coding;
            if (comma == std::string_view::npos) break;
            value.remove_prefix(comma + 1);
        }
        if (!last.empty()) chunked_ = equals_ignoring_case(last, "chunked");
    }
    [[nodiscard]] bool present() const { return present_; }
    [[nodiscard]] bool chunked() const { return chunked_; }

private:
    bool present_ = false;
    bool chunked_ = false;
};

}  // namespace

HttpParseStatus parse_http_request_head(Bytes bytes, HttpRequestHead& head, std::size_t& consumed) {
    HttpRequestHead parsed;
    bool seen_host = false;
    ContentLength content_length;
    TransferEncoding transfer_encoding;
    const auto on_start_line = [&](std::string_view line, bool complete) {
        RequestLine parts;
        if (!split_request_line(line, complete, parts)) return false;
        if (complete) {
            parsed.method = parts.method;
            parsed.target = parts.target;
            parsed.version = parts.version;
        }
        return true;
    };
    const auto on_header_line = [&](std::string_view line, bool complete) {
        HeaderField field;
        if (!split_header_line(line, complete, field)) return false;
        if (!complete || field.name.empty()) return true;
        if (equals_ignoring_case(field.name, "Host") && !seen_host) {
            seen_host = true;
            parsed.host = field.value;
        } else if (equals_ignoring_case(field.name, "Proxy-Authorization") && !parsed.has_proxy_authorization) {
            parsed.has_proxy_authorization = true;
            parsed.proxy_authorization_scheme = auth_scheme(field.value);
        } else if (equals_ignoring_case(field.name, "Content-Length")) {
            content_length.add(field.value);
        } else if (equals_ignoring_case(field.name, "Transfer-Encoding")) {
            transfer_encoding.add(field.value);
        }
        return true;
    };
    std::size_t head_length = 0;
    const HttpParseStatus status = scan_head(bytes, on_start_line, on_header_line, head_length);
    if (status == HttpParseStatus::complete) {
        if (!transfer_encoding.present()) parsed.content_length = content_length.value();
        parsed.chunked = transfer_encoding.chunked();
        parsed.transfer_encoded = transfer_encoding.present();
        head = std::move(parsed);
        consumed = head_length;
    }
    return status;
}

HttpParseStatus parse_http_response_head(Bytes bytes, HttpResponseHead& head, std::size_t& consumed) {
    HttpResponseHead parsed;
    bool seen_proxy_authenticate = false;
    ContentLength content_length;
    TransferEncoding transfer_encoding;
    const auto on_start_line = [&](std::string_view line, bool complete) {
        StatusLine parts;
        if (!split_status_line(line, complete, parts)) return false;
        if (complete) {
            parsed.version = parts.version;
            std::from_chars(parts.status.data(), parts.status.data() + parts.status.size(), parsed.status);
            parsed.reason = parts.reason;
        }
        return true;
    };
    const auto on_header_line = [&](std::string_view line, bool complete) {
        HeaderField field;
        if (!split_header_line(line, complete, field)) return false;
        if (!complete || field.name.empty()) return true;
        if (equals_ignoring_case(field.name, "Proxy-Authenticate") && !seen_proxy_authenticate) {
            seen_proxy_authenticate = true;
            parsed.proxy_authenticate_scheme = auth_scheme(field.value);
        } else if (equals_ignoring_case(field.name, "Content-Length")) {
            content_length.add(field.value);
        } else if (equals_ignoring_case(field.name, "Transfer-Encoding")) {
            transfer_encoding.add(field.value);
        }
        return true;
    };
    std::size_t head_length = 0;
    const HttpParseStatus status = scan_head(bytes, on_start_line, on_header_line, head_length);
    if (status == HttpParseStatus::complete) {
        if (!transfer_encoding.present()) parsed.content_length = content_length.value();
        parsed.chunked = transfer_encoding.chunked();
        parsed.transfer_encoded = transfer_encoding.present();
        head = std::move(parsed);
        consumed = head_length;
    }
    return status;
}

bool looks_like_http_request(Bytes bytes) {
    constexpr std::array<std::string_view, 9> methods{"GET ",     "POST ",    "PUT ",   "DELETE ", "HEAD ",
                                                      "OPTIONS ", "CONNECT ", "PATCH ", "TRACE "};
    return std::any_of(methods.begin(), methods.end(),
                       [&](std::string_view method) { return starts_with(bytes, method); });
}

bool looks_like_http_response(Bytes bytes) {
    return starts_with(bytes, "HTTP/1.") && bytes.size() >= 9 && is_digit(static_cast<char>(bytes[7])) &&
           bytes[8] == ' ';
}

}  // namespace trustcap
