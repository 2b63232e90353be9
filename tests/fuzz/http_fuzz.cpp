// HTTP/1.x request and response heads, parsed from the whole input and from
// every prefix the way a head arriving segment by segment is.
#include <cstddef>
#include <cstdint>

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

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    Bytes bytes(data, size);
    parse(bytes);
    if (size > 0) parse(bytes.first(size / 2));
    return 0;
}
