#include "dissect/http_message.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <random>
#include <string>
#include <string_view>
#include <vector>

namespace trustcap {
namespace {

Bytes bytes_of(std::string_view text) { return Bytes(reinterpret_cast<const std::uint8_t*>(text.data()), text.size()); }

struct ParsedRequest {
    HttpParseStatus status = HttpParseStatus::invalid;
    HttpRequestHead head;
    std::size_t consumed = 0;
};

ParsedRequest parse_request(std::string_view text) {
    ParsedRequest parsed;
    parsed.status = parse_http_request_head(bytes_of(text), parsed.head, parsed.consumed);
    return parsed;
}

struct ParsedResponse {
    HttpParseStatus status = HttpParseStatus::invalid;
    HttpResponseHead head;
    std::size_t consumed = 0;
};

ParsedResponse parse_response(std::string_view text) {
    ParsedResponse parsed;
    parsed.status = parse_http_response_head(bytes_of(text), parsed.head, parsed.consumed);
    return parsed;
}

bool same_request(const HttpRequestHead& a, const HttpRequestHead& b) {
    return a.method == b.method && a.target == b.target && a.version == b.version && a.host == b.host &&
           a.has_proxy_authorization == b.has_proxy_authorization &&
           a.proxy_authorization_scheme == b.proxy_authorization_scheme && a.content_length == b.content_length &&
           a.chunked == b.chunked;
}

bool same_response(const HttpResponseHead& a, const HttpResponseHead& b) {
    return a.version == b.version && a.status == b.status && a.reason == b.reason &&
           a.proxy_authenticate_scheme == b.proxy_authenticate_scheme && a.content_length == b.content_length &&
           a.chunked == b.chunked;
}

constexpr std::string_view connect_request =
    "CONNECT smartreceiver.cisco.com:443 HTTP/1.1\r\n"
    "Host: smartreceiver.cisco.com:443\r\n"
    "User-Agent: Cisco-IOS-XE\r\n"
    "\r\n";

TEST(HttpRequestHead, ParsesConnectWithoutCredentials) {
    const ParsedRequest parsed = parse_request(connect_request);
    ASSERT_EQ(parsed.status, HttpParseStatus::complete);
    EXPECT_EQ(parsed.consumed, connect_request.size());
    EXPECT_EQ(parsed.head.method, "CONNECT");
    EXPECT_EQ(parsed.head.target, "smartreceiver.cisco.com:443");
    EXPECT_EQ(parsed.head.version, "HTTP/1.1");
    EXPECT_EQ(parsed.head.host, "smartreceiver.cisco.com:443");
    EXPECT_FALSE(parsed.head.has_proxy_authorization);
    EXPECT_EQ(parsed.head.proxy_authorization_scheme, "");
    EXPECT_FALSE(parsed.head.content_length);
}

TEST(HttpRequestHead, ConsumedStopsAtTheEmptyLineBeforeTunnelBytes) {
    std::string stream(connect_request);
    stream += "\x16\x03\x01\x02\x00\x01";
    const ParsedRequest parsed = parse_request(stream);
    ASSERT_EQ(parsed.status, HttpParseStatus::complete);
    EXPECT_EQ(parsed.consumed, connect_request.size());
}

TEST(HttpRequestHead, KeepsOnlyTheProxyAuthorizationScheme) {
    const std::string_view basic =
        "CONNECT smartreceiver.cisco.com:443 HTTP/1.1\r\n"
        "Host: smartreceiver.cisco.com\r\n"
        "Proxy-Authorization: Basic bGljZW5zZTpzM2NyM3Q=\r\n"
        "\r\n";
    const ParsedRequest parsed = parse_request(basic);
    ASSERT_EQ(parsed.status, HttpParseStatus::complete);
    EXPECT_TRUE(parsed.head.has_proxy_authorization);
    EXPECT_EQ(parsed.head.proxy_authorization_scheme, "Basic");
    for (const std::string* field : {&parsed.head.method, &parsed.head.target, &parsed.head.version, &parsed.head.host,
                                     &parsed.head.proxy_authorization_scheme}) {
        EXPECT_EQ(field->find("bGljZW5zZTpzM2NyM3Q"), std::string::npos) << "credentials kept in " << *field;
    }
}

TEST(HttpRequestHead, RecognisesNtlmWithCaseInsensitiveNamesAndPaddedValues) {
    const ParsedRequest parsed = parse_request(
        "CONNECT smartreceiver.cisco.com:443 HTTP/1.0\r\n"
        "proxy-AUTHORIZATION:   NTLM TlRMTVNTUAABAAAAB4IIogAAAAAAAAAAAAAAAAAAAAAGAbEdAAAADw==  \t\r\n"
        "HOST:\tsmartreceiver.cisco.com:443 \r\n"
        "\r\n");
    ASSERT_EQ(parsed.status, HttpParseStatus::complete);
    EXPECT_EQ(parsed.head.version, "HTTP/1.0");
    EXPECT_TRUE(parsed.head.has_proxy_authorization);
    EXPECT_EQ(parsed.head.proxy_authorization_scheme, "NTLM");
    EXPECT_EQ(parsed.head.host, "smartreceiver.cisco.com:443");
}

// RFC 9112, 6.1 and 6.3: the final coding of the last Transfer-Encoding decides; any
// Transfer-Encoding overrides Content-Length.
TEST(HttpResponseHead, TransferEncodingDecidesChunkedAndOverridesContentLength) {
    const struct {
        const char* fields;
        bool chunked;
    } cases[] = {
        {"Transfer-Encoding: chunked\r\nContent-Length: 12\r\n", true},
        {"Transfer-Encoding: gzip , CHUNKED \r\n", true},
        {"Transfer-Encoding: chunked;x=1\r\n", true},
        {"Transfer-Encoding: chunked, gzip\r\nContent-Length: 12\r\n", false},
        {"Transfer-Encoding: gzip\r\nTransfer-Encoding: chunked\r\n", true},
        {"Transfer-Encoding: chunked\r\nTransfer-Encoding: gzip\r\n", false},
    };
    for (const auto& test : cases) {
        const std::string text = std::string("HTTP/1.1 200 OK\r\n") + test.fields + "\r\n";
        const ParsedResponse parsed = parse_response(text);
        ASSERT_EQ(parsed.status, HttpParseStatus::complete) << test.fields;
        EXPECT_EQ(parsed.head.chunked, test.chunked) << test.fields;
        EXPECT_EQ(parsed.head.content_length, std::nullopt) << test.fields;
    }
    const ParsedRequest request = parse_request("POST /cslu/v1/pi HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n");
    EXPECT_TRUE(request.head.chunked);
    EXPECT_FALSE(parse_response("HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\n").head.chunked);
}

TEST(HttpRequestHead, ParsesCsluPostWithContentLength) {
    const std::string_view post =
        "POST /cslu/v1/pi/e9b1c7d6-1a2b-4c3d-8e9f-0a1b2c3d4e5f/1 HTTP/1.1\r\n"
        "Host: 10.20.30.40:8182\r\n"
        "Content-Type: application/json\r\n"
        "Content-Length: 1532\r\n"
        "\r\n"
        "{\"rum_report\":";
    const ParsedRequest parsed = parse_request(post);
    ASSERT_EQ(parsed.status, HttpParseStatus::complete);
    EXPECT_EQ(parsed.head.method, "POST");
    EXPECT_EQ(parsed.head.target, "/cslu/v1/pi/e9b1c7d6-1a2b-4c3d-8e9f-0a1b2c3d4e5f/1");
    EXPECT_EQ(parsed.head.host, "10.20.30.40:8182");
    EXPECT_EQ(parsed.head.content_length, 1532u);
    EXPECT_EQ(post.substr(parsed.consumed), "{\"rum_report\":");
}

TEST(HttpRequestHead, AcceptsBareLineFeedsAndMixedEndings) {
    const ParsedRequest bare = parse_request("GET /cslu/v1/pi HTTP/1.1\nHost: cslu\n\n");
    ASSERT_EQ(bare.status, HttpParseStatus::complete);
    EXPECT_EQ(bare.head.host, "cslu");
    EXPECT_EQ(bare.consumed, 37u);
    const ParsedRequest mixed = parse_request("GET / HTTP/1.1\r\nHost: cslu\n\r\n");
    ASSERT_EQ(mixed.status, HttpParseStatus::complete);
    EXPECT_EQ(mixed.head.host, "cslu");
}

TEST(HttpRequestHead, ResultIsWrittenOnlyWhenComplete) {
    HttpRequestHead head;
    head.method = "stale";
    head.has_proxy_authorization = true;
    std::size_t consumed = 99;
    EXPECT_EQ(parse_http_request_head(bytes_of("CONNECT a:443 HTTP/1.1\r\n"), head, consumed),
              HttpParseStatus::need_more);
    EXPECT_EQ(head.method, "stale");
    EXPECT_EQ(consumed, 99u);
    EXPECT_EQ(parse_http_request_head(bytes_of("CONNECT a:443 HTTP/1.1\r\n\r\n"), head, consumed),
              HttpParseStatus::complete);
    EXPECT_EQ(head.method, "CONNECT");
    EXPECT_FALSE(head.has_proxy_authorization) << "every field comes from the new head";
    EXPECT_EQ(consumed, 26u);
}

TEST(HttpRequestHead, NeedsMoreWhileThePrefixIsPlausible) {
    for (const std::string_view prefix :
         {"", "C", "CONN", "CONNECT", "CONNECT ", "CONNECT smartreceiver.cisco.com:4",
          "CONNECT smartreceiver.cisco.com:443 HTTP/", "CONNECT a:443 HTTP/1.1", "CONNECT a:443 HTTP/1.1\r",
          "CONNECT a:443 HTTP/1.1\r\nHo", "CONNECT a:443 HTTP/1.1\r\nHost", "CONNECT a:443 HTTP/1.1\r\nHost: a",
          "CONNECT a:443 HTTP/1.1\r\nHost: a\r\n\r"}) {
        EXPECT_EQ(parse_request(prefix).status, HttpParseStatus::need_more) << prefix;
    }
}

TEST(HttpRequestHead, RejectsMalformedStartLines) {
    for (const std::string_view text :
         {"\r\n", "\r\nGET / HTTP/1.1\r\n\r\n", "GET\r\n\r\n", "GET /\r\n\r\n", "GET / \r\n\r\n",
          "GET / HTTP/2.0\r\n", "GET / HTTP/1.10\r\n", "GET / http/1.1\r\n", " GET / HTTP/1.1\r\n",
          "GE(T / HTTP/1.1", "SSH-2.0-OpenSSH_9.2\r\n", "HELLO\r\n", "GET / HTTP/1.1\rX"}) {
        EXPECT_EQ(parse_request(text).status, HttpParseStatus::invalid) << text;
    }
    using namespace std::string_view_literals;
    EXPECT_EQ(parse_request("GET /\0 HTTP/1.1\r\n\r\n"sv).status, HttpParseStatus::invalid);
}

TEST(HttpRequestHead, RejectsControlCharactersInHeaderLines) {
    for (const std::string_view header : {"Host: a\rb\r\n\r\n", "Host: a\x01\r\n\r\n", "Host: a\r\r\n\r\n"}) {
        const std::string text = "CONNECT a:443 HTTP/1.1\r\n" + std::string(header);
        EXPECT_EQ(parse_request(text).status, HttpParseStatus::invalid) << header;
    }
}

// As squid's relaxed parser: a header line that is not "name: value" is
// skipped, the lines around it still count.
TEST(HttpRequestHead, IgnoresHeaderLinesWithoutAColon) {
    for (const std::string_view header :
         {"Host smartreceiver\r\n", "Host : b\r\n", ": b\r\n", "X: 1\r\n folded\r\n", "X: 1\r\n\tfolded\r\n",
          "Ho st: b\r\n"}) {
        const std::string text = "CONNECT smartreceiver.cisco.com:443 HTTP/1.1\r\n" + std::string(header) +
                                 "Host: smartreceiver.cisco.com:443\r\n\r\n";
        const auto parsed = parse_request(text);
        ASSERT_EQ(parsed.status, HttpParseStatus::complete) << header;
        EXPECT_EQ(parsed.head.method, "CONNECT") << header;
        EXPECT_EQ(parsed.head.target, "smartreceiver.cisco.com:443") << header;
        EXPECT_EQ(parsed.head.host, "smartreceiver.cisco.com:443") << header;
        EXPECT_EQ(parsed.consumed, text.size()) << header;
    }
}

TEST(HttpRequestHead, ToleratesStrayTokensAndWhitespaceInTheRequestLine) {
    for (const std::string_view line :
         {"CONNECT smartreceiver.cisco.com:443 HTTP/1.1 x\r\n", "CONNECT smartreceiver.cisco.com:443 x HTTP/1.1\r\n",
          "CONNECT  smartreceiver.cisco.com:443  HTTP/1.1\r\n", "CONNECT\tsmartreceiver.cisco.com:443 HTTP/1.1 \r\n"}) {
        const std::string text = std::string(line) + "Host: smartreceiver.cisco.com\r\n\r\n";
        const auto parsed = parse_request(text);
        ASSERT_EQ(parsed.status, HttpParseStatus::complete) << line;
        EXPECT_EQ(parsed.head.method, "CONNECT") << line;
        EXPECT_EQ(parsed.head.target, "smartreceiver.cisco.com:443") << line;
        EXPECT_EQ(parsed.head.version, "HTTP/1.1") << line;
    }
}

TEST(HttpRequestHead, IgnoresMalformedOrConflictingContentLength) {
    for (const std::string_view value : {"12a", "-1", "", "+5", "1 2", "99999999999999999999999"}) {
        const std::string text = "POST /cslu/v1/pi HTTP/1.1\r\nContent-Length: " + std::string(value) + "\r\n\r\n";
        const ParsedRequest parsed = parse_request(text);
        ASSERT_EQ(parsed.status, HttpParseStatus::complete) << value;
        EXPECT_FALSE(parsed.head.content_length) << value;
    }
    EXPECT_FALSE(
        parse_request("POST / HTTP/1.1\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\n").head.content_length);
    EXPECT_EQ(parse_request("POST / HTTP/1.1\r\nContent-Length: 5\r\ncontent-length: 5\r\n\r\n").head.content_length,
              5u);
    EXPECT_EQ(parse_request("POST / HTTP/1.1\r\nContent-Length: 0\r\n\r\n").head.content_length, 0u);
}

TEST(HttpRequestHead, KeepsTheFirstHostAndProxyAuthorization) {
    const ParsedRequest parsed = parse_request(
        "CONNECT a:443 HTTP/1.1\r\nHost: first\r\nHost: second\r\n"
        "Proxy-Authorization: Negotiate YIIG\r\nProxy-Authorization: Basic dTpw\r\n\r\n");
    ASSERT_EQ(parsed.status, HttpParseStatus::complete);
    EXPECT_EQ(parsed.head.host, "first");
    EXPECT_EQ(parsed.head.proxy_authorization_scheme, "Negotiate");
}

TEST(HttpRequestHead, SplitAtEveryOffsetNeedsMoreThenGivesTheSameResult) {
    const std::string_view requests[] = {
        connect_request,
        "CONNECT smartreceiver.cisco.com:443 HTTP/1.1\r\nProxy-Authorization: Basic dTpw\r\n\r\n",
        "POST /cslu/v1/pi/tenant/1 HTTP/1.1\nHost: cslu:8182\nContent-Length: 10\n\n",
    };
    for (const std::string_view request : requests) {
        const ParsedRequest whole = parse_request(request);
        ASSERT_EQ(whole.status, HttpParseStatus::complete);
        for (std::size_t length = 0; length < request.size(); ++length) {
            EXPECT_EQ(parse_request(request.substr(0, length)).status, HttpParseStatus::need_more)
                << "length " << length << " of " << request;
        }
        const ParsedRequest again = parse_request(request);
        EXPECT_TRUE(same_request(whole.head, again.head));
        EXPECT_EQ(whole.consumed, request.size());
    }
}

TEST(HttpRequestHead, HeadsBeyondTheCapAreInvalid) {
    const std::string start = "CONNECT smartreceiver.cisco.com:443 HTTP/1.1\r\n";
    const std::string huge_header = start + "X-Padding: " + std::string(20000, 'a') + "\r\n\r\n";
    EXPECT_EQ(parse_request(huge_header).status, HttpParseStatus::invalid);
    const std::string unfinished = start + "X-Padding: " + std::string(max_http_head_bytes, 'a');
    EXPECT_EQ(parse_request(unfinished).status, HttpParseStatus::invalid);
    const std::string many_headers = [&] {
        std::string text = start;
        while (text.size() < max_http_head_bytes) text += "X-A: b\r\n";
        return text + "\r\n";
    }();
    EXPECT_EQ(parse_request(many_headers).status, HttpParseStatus::invalid);

    std::string exactly_at_cap = start + "X-Padding: ";
    exactly_at_cap += std::string(max_http_head_bytes - exactly_at_cap.size() - 4, 'a') + "\r\n\r\n";
    ASSERT_EQ(exactly_at_cap.size(), max_http_head_bytes);
    EXPECT_EQ(parse_request(exactly_at_cap).status, HttpParseStatus::complete);
    EXPECT_EQ(parse_request(exactly_at_cap.substr(0, max_http_head_bytes - 1)).status, HttpParseStatus::need_more);
    std::string one_over = exactly_at_cap;
    one_over.insert(start.size(), "b");
    EXPECT_EQ(parse_request(one_over).status, HttpParseStatus::invalid);
}

TEST(HttpRequestHead, TlsRecordBytesAreInvalidFromTheFirstByte) {
    const std::vector<std::uint8_t> client_hello{0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00, 0x01, 0xfc, 0x03, 0x03};
    for (std::size_t length = 1; length <= client_hello.size(); ++length) {
        HttpRequestHead request;
        HttpResponseHead response;
        std::size_t consumed = 0;
        const Bytes prefix(client_hello.data(), length);
        EXPECT_EQ(parse_http_request_head(prefix, request, consumed), HttpParseStatus::invalid);
        EXPECT_EQ(parse_http_response_head(prefix, response, consumed), HttpParseStatus::invalid);
    }
}

TEST(HttpResponseHead, ParsesConnectionEstablished) {
    const std::string_view text = "HTTP/1.1 200 Connection established\r\n\r\n";
    const ParsedResponse parsed = parse_response(text);
    ASSERT_EQ(parsed.status, HttpParseStatus::complete);
    EXPECT_EQ(parsed.consumed, text.size());
    EXPECT_EQ(parsed.head.version, "HTTP/1.1");
    EXPECT_EQ(parsed.head.status, 200);
    EXPECT_EQ(parsed.head.reason, "Connection established");
    EXPECT_EQ(parsed.head.proxy_authenticate_scheme, "");
    EXPECT_FALSE(parsed.head.content_length);
}

TEST(HttpResponseHead, ParsesProxyAuthenticationRequired) {
    const ParsedResponse parsed = parse_response(
        "HTTP/1.1 407 Proxy Authentication Required\r\n"
        "Server: squid/5.7\r\n"
        "proxy-authenticate: Basic realm=\"Squid proxy-caching web server\"\r\n"
        "Content-Type: text/html;charset=utf-8\r\n"
        "Content-Length: 3614\r\n"
        "\r\n<html>");
    ASSERT_EQ(parsed.status, HttpParseStatus::complete);
    EXPECT_EQ(parsed.head.status, 407);
    EXPECT_EQ(parsed.head.reason, "Proxy Authentication Required");
    EXPECT_EQ(parsed.head.proxy_authenticate_scheme, "Basic");
    EXPECT_EQ(parsed.head.content_length, 3614u);
}

TEST(HttpResponseHead, KeepsTheFirstOfSeveralChallenges) {
    const ParsedResponse parsed = parse_response(
        "HTTP/1.1 407 Proxy Authentication Required\r\n"
        "Proxy-Authenticate: Negotiate\r\n"
        "Proxy-Authenticate: NTLM\r\n"
        "Proxy-Authenticate: Basic realm=\"corp\"\r\n\r\n");
    ASSERT_EQ(parsed.status, HttpParseStatus::complete);
    EXPECT_EQ(parsed.head.proxy_authenticate_scheme, "Negotiate");
    EXPECT_EQ(parse_response("HTTP/1.1 407 x\r\nProxy-Authenticate: NTLM, Basic realm=x\r\n\r\n")
                  .head.proxy_authenticate_scheme,
              "NTLM");
}

TEST(HttpResponseHead, ParsesRefusalsAndGatewayErrors) {
    struct Case {
        std::string_view text;
        int status;
        std::string_view reason;
    };
    for (const Case& c :
         {Case{"HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n", 403, "Forbidden"},
          Case{"HTTP/1.1 502 Bad Gateway\r\n\r\n", 502, "Bad Gateway"},
          Case{"HTTP/1.0 503 Service Unavailable\r\nConnection: close\r\n\r\n", 503, "Service Unavailable"},
          Case{"HTTP/1.1 200\r\n\r\n", 200, ""}, Case{"HTTP/1.1 200 \r\n\r\n", 200, ""},
          Case{"HTTP/1.1 404 Not  Found \r\n\r\n", 404, "Not  Found "}}) {
        const ParsedResponse parsed = parse_response(c.text);
        ASSERT_EQ(parsed.status, HttpParseStatus::complete) << c.text;
        EXPECT_EQ(parsed.head.status, c.status);
        EXPECT_EQ(parsed.head.reason, c.reason);
    }
}

TEST(HttpResponseHead, BareLineFeeds) {
    const ParsedResponse parsed =
        parse_response("HTTP/1.1 407 Proxy Authentication Required\nProxy-Authenticate: Basic realm=x\n\n");
    ASSERT_EQ(parsed.status, HttpParseStatus::complete);
    EXPECT_EQ(parsed.head.proxy_authenticate_scheme, "Basic");
}

TEST(HttpResponseHead, NeedsMoreWhileThePrefixIsPlausible) {
    for (const std::string_view prefix :
         {"", "H", "HTTP/1.", "HTTP/1.1", "HTTP/1.1 ", "HTTP/1.1 40", "HTTP/1.1 407", "HTTP/1.1 407 Proxy",
          "HTTP/1.1 200 OK\r\n", "HTTP/1.1 200 OK\r\nVia: 1.1 squid"}) {
        EXPECT_EQ(parse_response(prefix).status, HttpParseStatus::need_more) << prefix;
    }
}

TEST(HttpResponseHead, RejectsMalformedStatusLines) {
    for (const std::string_view text :
         {"HTTP/2 200\r\n\r\n", "HTTP/2", "HTTP/1.1\r\n\r\n", "HTTP/1.1 20 OK\r\n\r\n", "HTTP/1.1 2000 OK\r\n\r\n",
          "HTTP/1.1 abc OK\r\n\r\n", "HTTP/1.1 20\r\n\r\n", "HTTP/1.1  200 OK\r\n\r\n", "http/1.1 200 OK\r\n\r\n",
          "HTTP/1.1 200 O\x01K\r\n\r\n", "SSH-2.0-OpenSSH_9.2\r\n", "<html>", "GET / HTTP/1.1\r\n\r\n",
          "HTTP/1.1 200 OK\r\nbroken\x01header\r\n\r\n"}) {
        EXPECT_EQ(parse_response(text).status, HttpParseStatus::invalid) << text;
    }
}

TEST(HttpResponseHead, ReasonPhraseFollowsRfc9112) {
    for (const std::string_view text : {"HTTP/1.1 407 Proxy \x1b]0;owned\x07\r\n\r\n", "HTTP/1.1 407 Proxy\x1b[2J\r\n\r\n",
                                        "HTTP/1.1 407 Proxy\x7f\r\n\r\n", "HTTP/1.1 407 Proxy\rAuth\r\n\r\n"}) {
        EXPECT_EQ(parse_response(text).status, HttpParseStatus::invalid) << text;
    }
    // obs-text: bytes from 0x80, C1 controls among them, are kept as they came; the writers escape them.
    const auto parsed = parse_response("HTTP/1.1 407 Authentifizierung erforderlich \xe4\x9b\xc2\x9b\r\n\r\n");
    ASSERT_EQ(parsed.status, HttpParseStatus::complete);
    EXPECT_EQ(parsed.head.status, 407);
    EXPECT_EQ(parsed.head.reason, "Authentifizierung erforderlich \xe4\x9b\xc2\x9b");
}

TEST(HttpResponseHead, IgnoresHeaderLinesWithoutAColon) {
    const auto parsed = parse_response("HTTP/1.1 200 Connection established\r\nbroken header\r\n\r\n");
    ASSERT_EQ(parsed.status, HttpParseStatus::complete);
    EXPECT_EQ(parsed.head.status, 200);
}

TEST(HttpResponseHead, SplitAtEveryOffsetNeedsMoreThenGivesTheSameResult) {
    const std::string_view responses[] = {
        "HTTP/1.1 200 Connection established\r\n\r\n",
        "HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm=\"x\"\r\nContent-Length: "
        "5\r\n\r\n",
        "HTTP/1.0 503 Service Unavailable\n\n",
    };
    for (const std::string_view response : responses) {
        const ParsedResponse whole = parse_response(response);
        ASSERT_EQ(whole.status, HttpParseStatus::complete);
        for (std::size_t length = 0; length < response.size(); ++length) {
            EXPECT_EQ(parse_response(response.substr(0, length)).status, HttpParseStatus::need_more)
                << "length " << length << " of " << response;
        }
        EXPECT_TRUE(same_response(whole.head, parse_response(response).head));
    }
}

TEST(LooksLikeHttp, RequestNeedsAnUpperCaseMethodAndASpace) {
    for (const std::string_view text : {"CONNECT smartreceiver.cisco.com:443", "GET /", "POST /cslu/v1/pi", "PUT ",
                                        "HEAD /", "DELETE /", "OPTIONS *", "PATCH /", "TRACE /"}) {
        EXPECT_TRUE(looks_like_http_request(bytes_of(text))) << text;
    }
    for (const std::string_view text :
         {"", "CONNECT", "CONNECTX a", "get /", "Get /", "GETS /", "BREW /", "HTTP/1.1 200", "\x16\x03\x01\x02\x00"}) {
        EXPECT_FALSE(looks_like_http_request(bytes_of(text))) << text;
    }
}

TEST(LooksLikeHttp, Response) {
    EXPECT_TRUE(looks_like_http_response(bytes_of("HTTP/1.1 200 Connection established")));
    EXPECT_TRUE(looks_like_http_response(bytes_of("HTTP/1.0 407")));
    EXPECT_FALSE(looks_like_http_response(bytes_of("HTTP/1.1")));
    EXPECT_FALSE(looks_like_http_response(bytes_of("HTTP/2 200")));
    EXPECT_FALSE(looks_like_http_response(bytes_of("GET / HTTP/1.1")));
}

// Deterministic: mutations of real heads and random bytes. Only checks that
// nothing crashes and the results stay within the input.
TEST(HttpParsersFuzz, NoCrashOnMutatedOrRandomInput) {
    const std::vector<std::string> seeds{
        std::string(connect_request),
        "HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm=\"x\"\r\nContent-Length: "
        "5\r\n\r\n",
        "POST /cslu/v1/pi/t/1 HTTP/1.1\nHost: cslu:8182\nContent-Length: 10\n\n{}",
        "HTTP/1.1 200 Connection established\r\n\r\n\x16\x03\x03",
    };
    std::mt19937 random(20240611);
    const auto check = [](const std::string& input) {
        HttpRequestHead request;
        HttpResponseHead response;
        std::size_t consumed = 0;
        if (parse_http_request_head(bytes_of(input), request, consumed) == HttpParseStatus::complete) {
            EXPECT_LE(consumed, input.size());
            EXPECT_LE(consumed, max_http_head_bytes);
        }
        consumed = 0;
        if (parse_http_response_head(bytes_of(input), response, consumed) == HttpParseStatus::complete) {
            EXPECT_LE(consumed, input.size());
            EXPECT_GE(response.status, 0);
            EXPECT_LE(response.status, 999);
        }
        (void)looks_like_http_request(bytes_of(input));
        (void)looks_like_http_response(bytes_of(input));
    };
    using namespace std::string_view_literals;
    constexpr std::string_view interesting = "\r\n :\t\0\x7f\xff/HTTP1."sv;
    for (int round = 0; round < 20000; ++round) {
        std::string input = seeds[static_cast<std::size_t>(round) % seeds.size()];
        const int mutations = 1 + static_cast<int>(random() % 4);
        for (int m = 0; m < mutations && !input.empty(); ++m) {
            const std::size_t at = random() % input.size();
            switch (random() % 4) {
                case 0: input[at] = static_cast<char>(random() & 0xff); break;
                case 1: input[at] = interesting[random() % interesting.size()]; break;
                case 2: input.erase(at, 1 + random() % 8); break;
                default: input.insert(at, 1 + random() % 4, interesting[random() % interesting.size()]); break;
            }
        }
        check(input);
    }
    for (int round = 0; round < 2000; ++round) {
        std::string input(random() % 64, '\0');
        for (char& c : input) c = static_cast<char>(random() & 0xff);
        check(input);
    }
}

}  // namespace
}  // namespace trustcap
