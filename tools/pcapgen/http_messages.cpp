#include "http_messages.h"

namespace pcapgen {

namespace {

constexpr std::string_view usage_report_body =
    R"({"header":{"version":"1.0","sender":"UDI_PID:C9800-CL-K9,UDI_SN:9ZL3QH5XK2B","type":"USAGE_REPORT",)"
    R"("timestamp":"2024-03-12T09:15:00Z","message_id":"6f1c2a0e-2b1d-4c51-9e0a-8d3f5b7c1a42"},)"
    R"("payload":{"rum_reports":[{"software_tag_identifier":"regid.2018-06.com.cisco.DNA_NWStack,1.0_e7244e71",)"
    R"("entitlement_tag":"regid.2018-06.com.cisco.AIR-DNA-A,1.0_b6308627","count":42,)"
    R"("measurement_start":"2024-03-11T09:15:00Z","measurement_end":"2024-03-12T09:15:00Z",)"
    R"("signature":"MEUCIQDm1f3XcB7L9vq2yR8hY0oJ5Qk4tN6sV2uW1xP3zA9b"}]}})";

constexpr std::string_view acknowledgement_body =
    R"({"header":{"version":"1.0","receiver":"UDI_PID:C9800-CL-K9,UDI_SN:9ZL3QH5XK2B","type":"USAGE_ACK",)"
    R"("timestamp":"2024-03-12T09:15:00Z","message_id":"6f1c2a0e-2b1d-4c51-9e0a-8d3f5b7c1a42"},)"
    R"("payload":{"status":"SUCCESS","acknowledgements":[{"software_tag_identifier":)"
    R"("regid.2018-06.com.cisco.DNA_NWStack,1.0_e7244e71","entitlement_tag":)"
    R"("regid.2018-06.com.cisco.AIR-DNA-A,1.0_b6308627","count":42,"status":"ACCEPTED"}],)"
    R"("policy":{"name":"Cisco default","reporting_interval_days":30,"ack_required":true,)"
    R"("first_report_days":90,"unenforced_non_export_reporting_days":365,)"
    R"("signature":"MEQCIHx3vB1nM5kL7jH9gF2dS4aQ6wE8rT0yU2iO4pA6sD8fAiAz1cX3vB5nM7kL9jH1gF3dS5aQ7wE9rT1yU3iO5pA7sDw=="},)"
    R"("poll_id":"a3c51f0e-7d2b-4e86-b1c9-0f4e2d6a8b13","next_report_due":"2024-04-11T09:15:00Z",)"
    R"("trust_code":{"status":"INSTALLED","udi":"PID:C9800-CL-K9,SN:9ZL3QH5XK2B",)"
    R"("expires":"2025-03-12T09:15:00Z","smart_account":"Trustcap Lab","virtual_account":"Wireless"}}})";

std::string with_length(std::string head, std::string_view body)
{
    head += "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n";
    head += body;
    return head;
}

}  // namespace

std::string smart_transport_request()
{
    return with_length("POST /SmartTransport HTTP/1.1\r\n"
                       "Host: smartreceiver.cisco.com\r\n"
                       "User-Agent: Cisco-IOS-XE/17.12 SmartAgent/5.9\r\n"
                       "Accept: application/json\r\n"
                       "Content-Type: application/json\r\n",
                       usage_report_body);
}

std::string smart_transport_response()
{
    return with_length("HTTP/1.1 200 OK\r\n"
                       "Date: Tue, 12 Mar 2024 09:15:00 GMT\r\n"
                       "Content-Type: application/json;charset=UTF-8\r\n"
                       "Cache-Control: no-cache, no-store\r\n"
                       "Strict-Transport-Security: max-age=31536000; includeSubDomains\r\n"
                       "X-Content-Type-Options: nosniff\r\n"
                       "X-Request-Id: 0b7f3e2a-5c14-4d9b-8e61-3a2f9c0d7b85\r\n",
                       acknowledgement_body);
}

std::string proxy_connect_request(std::string_view target)
{
    const std::string host(target);
    return "CONNECT " + host + " HTTP/1.1\r\nHost: " + host + "\r\nUser-Agent: Cisco-IOS-XE/17.12\r\n\r\n";
}

std::string proxy_connection_established() { return "HTTP/1.1 200 Connection established\r\n\r\n"; }

std::string proxy_authentication_required()
{
    return with_length("HTTP/1.1 407 Proxy Authentication Required\r\n"
                       "Server: squid/5.7\r\n"
                       "Mime-Version: 1.0\r\n"
                       "Date: Tue, 12 Mar 2024 09:15:00 GMT\r\n"
                       "Content-Type: text/plain;charset=utf-8\r\n"
                       "Proxy-Authenticate: Basic realm=\"corp\"\r\n"
                       "X-Squid-Error: ERR_CACHE_ACCESS_DENIED 0\r\n"
                       "Connection: close\r\n",
                       "Cache access denied: this proxy requires authentication.\n");
}

std::string proxy_forbidden()
{
    return with_length("HTTP/1.1 403 Forbidden\r\n"
                       "Server: squid/5.7\r\n"
                       "Mime-Version: 1.0\r\n"
                       "Date: Tue, 12 Mar 2024 09:15:00 GMT\r\n"
                       "Content-Type: text/plain;charset=utf-8\r\n"
                       "X-Squid-Error: ERR_ACCESS_DENIED 0\r\n"
                       "Connection: close\r\n",
                       "Access denied: this proxy does not allow CONNECT to smartreceiver.cisco.com:443.\n");
}

}  // namespace pcapgen
