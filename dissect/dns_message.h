#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "capture/byte_reader.h"
#include "capture/ip_address.h"

namespace trustcap {

namespace dns_type {
inline constexpr std::uint16_t a = 1;
inline constexpr std::uint16_t cname = 5;
inline constexpr std::uint16_t aaaa = 28;
}  // namespace dns_type

namespace dns_rcode {
inline constexpr std::uint8_t no_error = 0;
inline constexpr std::uint8_t format_error = 1;
inline constexpr std::uint8_t server_failure = 2;
inline constexpr std::uint8_t name_error = 3;  // NXDOMAIN
inline constexpr std::uint8_t not_implemented = 4;
inline constexpr std::uint8_t refused = 5;
}  // namespace dns_rcode

// Names are in presentation form: labels lower-cased, joined with '.', no
// trailing dot (the root is ""); '.', '\' and bytes outside printable ASCII
// inside a label are escaped as "\.", "\\" and "\DDD" (RFC 4343).
struct DnsQuestion {
    std::string name;  // lower case, no trailing dot
    std::uint16_t type = 0;
    std::uint16_t klass = 0;
};

struct DnsAnswer {
    std::string name;
    std::uint16_t type = 0;
    std::uint16_t klass = 0;
    std::uint32_t ttl = 0;
    std::variant<std::monostate, IpAddress, std::string> data;  // A/AAAA address, CNAME target
};

struct DnsMessage {
    std::uint16_t id = 0;
    bool is_response = false;
    std::uint8_t opcode = 0;
    bool authoritative = false;
    bool truncated = false;
    bool recursion_desired = false;
    bool recursion_available = false;
    std::uint8_t rcode = 0;
    std::vector<DnsQuestion> questions;
    std::vector<DnsAnswer> answers;  // answer section only
    // As the header declares them; these sections are not parsed.
    std::uint16_t authority_count = 0;
    std::uint16_t additional_count = 0;
};

// Parses one DNS message (as carried in UDP; strip TCP's 2-byte length first,
// see DnsTcpFramer). The header, question and answer sections must be whole:
// a message that ends inside them (header counts that promise more than the
// bytes hold) is nullopt with `error` saying where. The authority and
// additional sections are not read, so damage there is not noticed.
// Compression pointers must point before the name run they continue, which
// rules out self, forward and looping pointers; at most 64 are followed per
// name, and names are at most 255 bytes on the wire. Label types 0x40 and
// 0x80 are errors.
std::optional<DnsMessage> parse_dns_message(Bytes message, std::string& error);

// Wireshark's names: "No error", "Format error", "Server failure",
// "No such name", "Not implemented", "Refused", ..., "Unknown (N)".
std::string dns_rcode_name(std::uint8_t rcode);

// The mnemonic of RFC 1035/2136/6895: "NOERROR", "FORMERR", "SERVFAIL",
// "NXDOMAIN", "NOTIMP", "REFUSED", ..., "RCODE<N>" for unassigned values.
std::string dns_rcode_id(std::uint8_t rcode);

}  // namespace trustcap
