// HTTP/1.x request and response heads, parsed from the whole input and from
// every prefix the way a head arriving segment by segment is; and the input as
// a chunked body, read whole and in two pieces, which must end at one place.
#include <cstddef>
#include <cstdint>

#include "dissect/http_chunked_body.h"
#include "dissect/http_message.h"

namespace {

using namespace trustcap;

void parse(Bytes bytes) {
    HttpRequestHead request;
    HttpResponseHead response;
    std::size_t consumed = 0;
    if (parse_http_request_head(bytes, request, consumed) == HttpParseStatus::complete && consumed > bytes.size())
        __builtin_trap();
    if (parse_http_response_head(bytes, response, consumed) == HttpParseStatus::complete && consumed > bytes.size())
        __builtin_trap();
    (void)looks_like_http_request(bytes);
    (void)looks_like_http_response(bytes);
}

void read_chunked(Bytes bytes) {
    ChunkedBodyReader whole;
    std::size_t whole_consumed = 0;
    const ChunkedBodyReader::Result whole_result = whole.read(bytes, whole_consumed);
    if (whole_consumed > bytes.size()) __builtin_trap();
    ChunkedBodyReader split;
    const std::size_t half = bytes.size() / 2;
    std::size_t consumed = 0;
    ChunkedBodyReader::Result result = split.read(bytes.first(half), consumed);
    std::size_t split_consumed = consumed;
    if (result == ChunkedBodyReader::Result::more) {
        if (consumed != half) __builtin_trap();
        result = split.read(bytes.subspan(half), consumed);
        split_consumed += consumed;
    }
    if (result != whole_result) __builtin_trap();
    if (result == ChunkedBodyReader::Result::done && split_consumed != whole_consumed) __builtin_trap();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    Bytes bytes(data, size);
    parse(bytes);
    if (size > 0) parse(bytes.first(size / 2));
    read_chunked(bytes);
    return 0;
}
