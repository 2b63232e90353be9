#include "http_messages.h"

#include <algorithm>

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

constexpr std::string_view squid_access_denied_page =
    "<!DOCTYPE html PUBLIC \"-//W3C//DTD HTML 4.01//EN\" \"http://www.w3.org/TR/html4/strict.dtd\">\n"
    "<html><head>\n"
    "<meta type=\"copyright\" content=\"Copyright (C) 1996-2023 The Squid Software Foundation and contributors\">\n"
    "<meta http-equiv=\"Content-Type\" content=\"text/html; charset=utf-8\">\n"
    "<title>ERROR: Cache Access Denied</title>\n"
    "<style type=\"text/css\"><!--\n"
    " /*\n"
    " * Copyright (C) 1996-2023 The Squid Software Foundation and contributors\n"
    " *\n"
    " * Squid software is distributed under GPLv2+ license and includes\n"
    " * contributions from numerous individuals and organizations.\n"
    " * Please see the COPYING and CONTRIBUTORS files for details.\n"
    " */\n"
    "\n"
    "/*\n"
    " Stylesheet for Squid Error pages\n"
    " Adapted from design by Free CSS Templates\n"
    " http://www.freecsstemplates.org\n"
    " Released for free under a Creative Commons Attribution 2.5 License\n"
    "*/\n"
    "\n"
    "/* Page basics */\n"
    "* {\n"
    "\tfont-family: verdana, sans-serif;\n"
    "}\n"
    "\n"
    "html body {\n"
    "\tmargin: 0;\n"
    "\tpadding: 0;\n"
    "\tbackground: #efefef;\n"
    "\tfont-size: 12px;\n"
    "\tcolor: #1e1e1e;\n"
    "}\n"
    "\n"
    "/* Page displayed title area */\n"
    "#titles {\n"
    "\tmargin-left: 15px;\n"
    "\tpadding: 10px;\n"
    "\tpadding-left: 100px;\n"
    "\tbackground: url('/squid-internal-static/icons/SN.png') no-repeat left;\n"
    "}\n"
    "\n"
    "/* initial title */\n"
    "#titles h1 {\n"
    "\tcolor: #000000;\n"
    "}\n"
    "#titles h2 {\n"
    "\tcolor: #000000;\n"
    "}\n"
    "\n"
    "/* special event: FTP success page titles */\n"
    "#titles ftpsuccess {\n"
    "\tbackground-color:#00ff00;\n"
    "\twidth:100%;\n"
    "}\n"
    "\n"
    "/* Page displayed body content area */\n"
    "#content {\n"
    "\tpadding: 10px;\n"
    "\tbackground: #ffffff;\n"
    "}\n"
    "\n"
    "/* General text */\n"
    "p {\n"
    "}\n"
    "\n"
    "/* error brief description */\n"
    "#error p {\n"
    "}\n"
    "\n"
    "/* some data which may have caused the problem */\n"
    "#data {\n"
    "}\n"
    "\n"
    "/* the error message received from the system or other software */\n"
    "#sysmsg {\n"
    "}\n"
    "\n"
    "pre {\n"
    "}\n"
    "\n"
    "/* special event: FTP directory listing */\n"
    "#dirmsg {\n"
    "    font-family: courier, monospace;\n"
    "    color: black;\n"
    "    font-size: 10pt;\n"
    "}\n"
    "#dirlisting {\n"
    "    margin-left: 2%;\n"
    "    margin-right: 2%;\n"
    "}\n"
    "#dirlisting tr.entry td.icon,td.filename,td.size,td.date {\n"
    "    border-bottom: groove;\n"
    "}\n"
    "#dirlisting td.size {\n"
    "    width: 50px;\n"
    "    text-align: right;\n"
    "    padding-right: 5px;\n"
    "}\n"
    "\n"
    "/* horizontal lines */\n"
    "hr {\n"
    "\tmargin: 0;\n"
    "}\n"
    "\n"
    "/* page displayed footer area */\n"
    "#footer {\n"
    "\tfont-size: 9px;\n"
    "\tpadding-left: 10px;\n"
    "}\n"
    "\n"
    "\n"
    "body\n"
    ":lang(fa) { direction: rtl; font-size: 100%; font-family: Tahoma, Roya, sans-serif; float: right; }\n"
    ":lang(he) { direction: rtl; }\n"
    " --></style>\n"
    "</head><body id=ERR_CACHE_ACCESS_DENIED>\n"
    "<div id=\"titles\">\n"
    "<h1>ERROR</h1>\n"
    "<h2>Cache Access Denied.</h2>\n"
    "</div>\n"
    "<hr>\n"
    "\n"
    "<div id=\"content\">\n"
    "<p>The following error was encountered while trying to retrieve the URL: "
    "<a href=\"smartreceiver.cisco.com:443\">smartreceiver.cisco.com:443</a></p>\n"
    "\n"
    "<blockquote id=\"error\">\n"
    "<p><b>Cache Access Denied.</b></p>\n"
    "</blockquote>\n"
    "\n"
    "<p>Sorry, you are not currently allowed to request smartreceiver.cisco.com:443 from this cache until you have "
    "authenticated yourself.</p>\n"
    "\n"
    "<p>Please contact the <a href=\"mailto:webmaster?subject=CacheErrorInfo%20-%20ERR_CACHE_ACCESS_DENIED\">cache "
    "administrator</a> if you have difficulties authenticating yourself.</p>\n"
    "\n"
    "<br>\n"
    "</div>\n"
    "\n"
    "<hr>\n"
    "<div id=\"footer\">\n"
    "<p>Generated Tue, 12 Mar 2024 09:15:00 GMT by proxy.corp.example (squid/5.7)</p>\n"
    "<!-- ERR_CACHE_ACCESS_DENIED -->\n"
    "</div>\n"
    "</body></html>\n";

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

std::string cslu_request(std::string_view path, std::string_view host)
{
    return with_length("POST " + std::string(path) + " HTTP/1.1\r\n"
                       "Host: " + std::string(host) + "\r\n"
                       "User-Agent: Cisco-IOS-XE/17.12 SmartAgent/5.9\r\n"
                       "Accept: application/json\r\n"
                       "Content-Type: application/json\r\n",
                       usage_report_body);
}

std::string cslu_response(int status, std::string_view reason)
{
    const bool success = status == 200;
    return with_length("HTTP/1.1 " + std::to_string(status) + " " + std::string(reason) + "\r\n"
                       "Date: Tue, 12 Mar 2024 09:15:00 GMT\r\n"
                       "Content-Type: application/json;charset=UTF-8\r\n"
                       "Connection: keep-alive\r\n",
                       success ? std::string(acknowledgement_body)
                               : std::string("{\"status\":") + std::to_string(status) + ",\"error\":\"" +
                                     std::string(reason) + "\"}");
}

std::string chunked_acknowledgement(std::size_t chunk_size)
{
    std::string message = "HTTP/1.1 200 OK\r\n"
                          "Server: nginx\r\n"
                          "Date: Tue, 12 Mar 2024 09:15:00 GMT\r\n"
                          "Content-Type: application/json;charset=UTF-8\r\n"
                          "Transfer-Encoding: chunked\r\n"
                          "Connection: keep-alive\r\n\r\n";
    const std::string_view body = acknowledgement_body;
    static constexpr char hex_digits[] = "0123456789abcdef";
    for (std::size_t at = 0; at < body.size(); at += chunk_size) {
        const std::size_t size = std::min(chunk_size, body.size() - at);
        std::string size_text;
        for (std::size_t rest = size; rest > 0; rest /= 16) size_text.insert(size_text.begin(), hex_digits[rest % 16]);
        message += size_text + (at == 0 ? ";part=first" : "") + "\r\n";
        message += body.substr(at, size);
        message += "\r\n";
    }
    message += "0\r\nX-Request-Id: 7f3a\r\n\r\n";
    return message;
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

std::string proxy_authentication_required_html_page()
{
    return with_length("HTTP/1.1 407 Proxy Authentication Required\r\n"
                       "Server: squid/5.7\r\n"
                       "Mime-Version: 1.0\r\n"
                       "Date: Tue, 12 Mar 2024 09:15:00 GMT\r\n"
                       "Content-Type: text/html;charset=utf-8\r\n"
                       "Proxy-Authenticate: Basic realm=\"corp\"\r\n"
                       "X-Squid-Error: ERR_CACHE_ACCESS_DENIED 0\r\n"
                       "Vary: Accept-Language\r\n"
                       "Content-Language: en\r\n"
                       "X-Cache: MISS from proxy.corp.example\r\n"
                       "Via: 1.1 proxy.corp.example (squid/5.7)\r\n"
                       "Connection: keep-alive\r\n",
                       squid_access_denied_page);
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
