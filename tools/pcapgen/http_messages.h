#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace pcapgen {

// The device's Smart Transport request to smartreceiver.cisco.com: a ~700-byte POST of a usage report.
std::string smart_transport_request();
// smartreceiver's ~1200-byte answer: 200 OK with an acknowledgement.
std::string smart_transport_response();

// The device's usage report to a CSLU at 10.50.0.20:8182 (license smart url cslu http://10.50.0.20:8182/...),
// posted to `path`, and the CSLU's answer with `status`: an acknowledgement for 200, an error body otherwise.
std::string cslu_request(std::string_view path, std::string_view host = "10.50.0.20:8182");
std::string cslu_response(int status, std::string_view reason);
// The same acknowledgement as nginx in front of SSM On-Prem sends it: Transfer-Encoding chunked, in chunks
// of at most `chunk_size` bytes, with a chunk extension on the first and a trailer field.
std::string chunked_acknowledgement(std::size_t chunk_size);

// What the device sends an HTTPS proxy to open a tunnel to `target` ("host:port").
std::string proxy_connect_request(std::string_view target);
std::string proxy_connection_established();
// Squid's refusal when the proxy wants credentials: Basic, realm "corp".
std::string proxy_authentication_required();
// The same refusal as squid sends it by default: its ERR_CACHE_ACCESS_DENIED HTML page, ~3.5 KB in all.
std::string proxy_authentication_required_html_page();
// Squid's refusal when its access rules do not allow the tunnel: 403 Forbidden.
std::string proxy_forbidden();

}  // namespace pcapgen
