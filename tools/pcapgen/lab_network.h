#pragma once

#include "addresses.h"

#include <cstdint>

// The addresses every scenario uses: a Catalyst switch / 9800 WLC talking to smartreceiver.cisco.com.
namespace pcapgen::lab {

inline const IpAddress device_ipv4 = IpAddress::parse("10.20.30.40");
inline const IpAddress smartreceiver_ipv4 = IpAddress::parse("146.112.59.25");
inline const IpAddress router_ipv4 = IpAddress::parse("10.20.30.1");
inline const IpAddress web_server_ipv4 = IpAddress::parse("93.184.216.34");
inline const IpAddress syslog_server_ipv4 = IpAddress::parse("10.20.30.9");
inline const IpAddress dns_resolver_ipv4 = IpAddress::parse("10.20.30.53");
inline const IpAddress proxy_ipv4 = IpAddress::parse("10.20.30.8");
inline const IpAddress tools_cisco_com_ipv4 = IpAddress::parse("173.37.145.84");
inline const IpAddress onprem_ssm_ipv4 = IpAddress::parse("10.50.0.10");
inline const IpAddress device_ipv6 = IpAddress::parse("2001:db8:10::40");
inline const IpAddress smartreceiver_ipv6 = IpAddress::parse("2001:db8:443::25");
inline const IpAddress router_ipv6 = IpAddress::parse("2001:db8:10::1");

// Tunnel and mirroring endpoints: the switch that encapsulates and the collector that captured.
inline const IpAddress tunnel_source_ipv4 = IpAddress::parse("10.99.0.1");
inline const IpAddress tunnel_destination_ipv4 = IpAddress::parse("10.99.0.2");

inline constexpr MacAddress device_mac{0x70, 0x1f, 0x53, 0x4a, 0x10, 0x40};
inline constexpr MacAddress gateway_mac{0x00, 0x00, 0x0c, 0x9f, 0xf0, 0x1e};
inline constexpr MacAddress span_source_mac{0x00, 0x1e, 0xf7, 0x99, 0x00, 0x01};
inline constexpr MacAddress collector_mac{0x52, 0x54, 0x00, 0x99, 0x00, 0x02};

inline constexpr std::uint16_t https_port = 443;
inline constexpr std::uint16_t alternate_https_port = 8443;
inline constexpr std::uint16_t http_port = 80;
inline constexpr std::uint16_t proxy_port = 3128;
inline constexpr std::uint16_t device_ephemeral_port = 51512;

}  // namespace pcapgen::lab
