#include "dissect/tls_record_layer.h"

#include <algorithm>
#include <array>
#include <cstdio>
#include <cstring>
#include <string_view>

namespace trustcap {

namespace {

constexpr std::size_t max_record_length = (1U << 14) + 2048;
constexpr std::size_t minimum_sslv2_client_hello_length = 9;
// msg_type, session_id_hit, certificate_type, version and three 2-byte lengths.
constexpr std::size_t minimum_sslv2_server_hello_length = 11;

bool is_content_type(std::uint8_t value) {
    return value >= static_cast<std::uint8_t>(TlsContentType::change_cipher_spec) &&
           value <= static_cast<std::uint8_t>(TlsContentType::heartbeat);
}

std::uint16_t u16_at(Bytes bytes, std::size_t offset) {
    return static_cast<std::uint16_t>((bytes[offset] << 8) | bytes[offset + 1]);
}

bool starts_with(Bytes bytes, std::string_view prefix) {
    return bytes.size() >= prefix.size() && std::memcmp(bytes.data(), prefix.data(), prefix.size()) == 0;
}

bool is_digit(std::uint8_t byte) { return byte >= '0' && byte <= '9'; }

}  // namespace

TlsRecordHeader read_record_header(Bytes header) {
    return TlsRecordHeader{header[0], u16_at(header, 1), u16_at(header, 3)};
}

bool plausible_record_header(Bytes header) {
    return is_content_type(header[0]) && header[1] == 3 && header[2] <= 4 && u16_at(header, 3) <= max_record_length;
}

bool plausible_sslv2_client_hello(Bytes header) {
    const std::uint16_t version = sslv2_client_hello_version(header);
    const bool known_version = version == sslv2_version || (header[3] == 3 && header[4] <= 4);
    return (header[0] & 0x80U) != 0 && header[2] == sslv2_message_client_hello && known_version &&
           sslv2_record_length(header) >= minimum_sslv2_client_hello_length;
}

bool plausible_sslv2_server_hello(Bytes header) {
    return (header[0] & 0x80U) != 0 && header[2] == sslv2_message_server_hello && header[3] <= 1 && header[4] <= 1 &&
           sslv2_record_length(header) >= minimum_sslv2_server_hello_length;
}

std::size_t sslv2_record_length(Bytes header) {
    const bool two_byte_header = (header[0] & 0x80U) != 0;
    const unsigned length_mask = two_byte_header ? 0x7FU : 0x3FU;
    return (std::size_t{header[0] & length_mask} << 8) | header[1];
}

std::uint16_t sslv2_client_hello_version(Bytes header) { return u16_at(header, 3); }

std::string describe_record_header(Bytes header) {
    const TlsRecordHeader fields = read_record_header(header);
    std::array<char, 8> version{};
    std::snprintf(version.data(), version.size(), "0x%04X", static_cast<unsigned>(fields.version));
    return "a record header that is not TLS (content type " + std::to_string(fields.content_type) + ", version " +
           version.data() + ", length " + std::to_string(fields.length) + ")";
}

NonTlsContent classify_non_tls(Bytes first_bytes) {
    static constexpr std::array<std::string_view, 7> http_methods = {"GET ",     "POST ",    "PUT ",   "HEAD ",
                                                                     "CONNECT ", "OPTIONS ", "DELETE "};
    for (auto method : http_methods) {
        if (starts_with(first_bytes, method)) return NonTlsContent::http_request;
    }
    if (starts_with(first_bytes, "HTTP/")) return NonTlsContent::http_response;
    if (starts_with(first_bytes, "SSH-")) return NonTlsContent::ssh;
    if (first_bytes.size() >= 4 && is_digit(first_bytes[0]) && is_digit(first_bytes[1]) && is_digit(first_bytes[2]) &&
        (first_bytes[3] == ' ' || first_bytes[3] == '-')) {
        return NonTlsContent::numbered_banner;
    }
    const bool printable = std::all_of(first_bytes.begin(), first_bytes.end(), [](std::uint8_t byte) {
        return (byte >= 0x20 && byte < 0x7F) || byte == '\r' || byte == '\n' || byte == '\t';
    });
    return printable ? NonTlsContent::plain_text : NonTlsContent::binary;
}

const char* non_tls_content_name(NonTlsContent content) {
    switch (content) {
        case NonTlsContent::http_request: return "HTTP request";
        case NonTlsContent::http_response: return "HTTP response";
        case NonTlsContent::ssh: return "SSH";
        case NonTlsContent::numbered_banner: return "SMTP/FTP banner";
        case NonTlsContent::plain_text: return "plain text";
        case NonTlsContent::binary: return "unknown binary data";
        case NonTlsContent::damaged_record_header: return "a record header that is not TLS";
    }
    return "unknown binary data";
}

}  // namespace trustcap
