#include "dissect/tls_handshake_parser.h"

#include <algorithm>
#include <array>
#include <optional>
#include <string>

#include "dissect/tls_record_layer.h"  // sslv2_version

namespace trustcap {

namespace {

enum class HandshakeType : std::uint8_t {
    client_hello = 1,
    server_hello = 2,
    new_session_ticket = 4,
    certificate = 11,
    server_key_exchange = 12,
    certificate_request = 13,
    server_hello_done = 14,
    certificate_verify = 15,
    client_key_exchange = 16,
    finished = 20,
};

enum class Extension : std::uint16_t {
    server_name = 0,
    alpn = 16,
    supported_versions = 43,
};

// RFC 8446 4.1.3: SHA-256 of "HelloRetryRequest".
constexpr std::array<std::uint8_t, 32> hello_retry_request_random = {
    0xCF, 0x21, 0xAD, 0x74, 0xE5, 0x9A, 0x61, 0x11, 0xBE, 0x1D, 0x8C, 0x02, 0x1E, 0x65, 0xB8, 0x91,
    0xC2, 0xA2, 0x11, 0x16, 0x7A, 0xBB, 0x8C, 0x5E, 0x07, 0x9E, 0x09, 0xE2, 0xC8, 0xA8, 0x33, 0x9C};

using CertificateList = std::vector<std::vector<std::uint8_t>>;

// Reads a field with a length prefix of `prefix_size` bytes (1, 2 or 3).
std::optional<Bytes> take_vector(ByteReader& reader, int prefix_size) {
    std::optional<std::uint32_t> length;
    if (prefix_size == 1) length = reader.u8();
    if (prefix_size == 2) length = reader.u16be();
    if (prefix_size == 3) length = reader.u24be();
    if (!length) return std::nullopt;
    return reader.take(*length);
}

// Host names and protocol names are ASCII; anything else is shown escaped
// (\xNN) so hostile bytes cannot reach a terminal or break a JSON string.
std::string as_text(Bytes bytes) {
    static constexpr char hex[] = "0123456789ABCDEF";
    std::string text;
    text.reserve(bytes.size());
    for (std::uint8_t byte : bytes) {
        if (byte >= 0x20 && byte < 0x7f && byte != '\\') {
            text.push_back(static_cast<char>(byte));
        } else {
            text += {'\\', 'x', hex[byte >> 4], hex[byte & 0x0f]};
        }
    }
    return text;
}

void parse_server_name(Bytes data, TlsClientHello& hello) {
    ByteReader extension(data);
    auto list = take_vector(extension, 2);
    if (!list) return;
    ByteReader names(*list);
    while (!names.empty()) {
        auto name_type = names.u8();
        auto name = take_vector(names, 2);
        if (!name_type || !name) return;
        if (*name_type == 0) {
            hello.server_name = as_text(*name);
            return;
        }
    }
}

void parse_alpn(Bytes data, TlsClientHello& hello) {
    ByteReader extension(data);
    auto list = take_vector(extension, 2);
    if (!list) return;
    ByteReader protocols(*list);
    while (auto protocol = take_vector(protocols, 1)) hello.alpn.push_back(as_text(*protocol));
}

void parse_client_supported_versions(Bytes data, TlsClientHello& hello) {
    ByteReader extension(data);
    auto list = take_vector(extension, 1);
    if (!list) return;
    ByteReader versions(*list);
    while (auto version = versions.u16be()) hello.supported_versions.push_back(*version);
}

// TLS <= 1.2: certificate_list<3-byte length> of 3-byte-length DER entries.
std::optional<CertificateList> parse_tls12_certificates(Bytes body) {
    ByteReader reader(body);
    auto list = take_vector(reader, 3);
    if (!list || !reader.empty()) return std::nullopt;
    CertificateList certificates;
    ByteReader entries(*list);
    while (!entries.empty()) {
        auto der = take_vector(entries, 3);
        if (!der) return std::nullopt;
        certificates.emplace_back(der->begin(), der->end());
    }
    return certificates;
}

// TLS 1.3: request context, then entries of DER and per-entry extensions.
std::optional<CertificateList> parse_tls13_certificates(Bytes body) {
    ByteReader reader(body);
    if (!take_vector(reader, 1)) return std::nullopt;
    auto list = take_vector(reader, 3);
    if (!list || !reader.empty()) return std::nullopt;
    CertificateList certificates;
    ByteReader entries(*list);
    while (!entries.empty()) {
        auto der = take_vector(entries, 3);
        if (!der || !take_vector(entries, 2)) return std::nullopt;
        certificates.emplace_back(der->begin(), der->end());
    }
    return certificates;
}

}  // namespace

TlsMessageKind kind_of_handshake(std::uint8_t handshake_type) {
    switch (static_cast<HandshakeType>(handshake_type)) {
        case HandshakeType::client_hello: return TlsMessageKind::client_hello;
        case HandshakeType::server_hello: return TlsMessageKind::server_hello;
        case HandshakeType::new_session_ticket: return TlsMessageKind::new_session_ticket;
        case HandshakeType::certificate: return TlsMessageKind::certificate;
        case HandshakeType::server_key_exchange: return TlsMessageKind::server_key_exchange;
        case HandshakeType::certificate_request: return TlsMessageKind::certificate_request;
        case HandshakeType::server_hello_done: return TlsMessageKind::server_hello_done;
        case HandshakeType::certificate_verify: return TlsMessageKind::certificate_verify;
        case HandshakeType::client_key_exchange: return TlsMessageKind::client_key_exchange;
        case HandshakeType::finished: return TlsMessageKind::finished;
    }
    return TlsMessageKind::other_handshake;
}

TlsClientHello parse_client_hello(Bytes body) {
    TlsClientHello hello;
    ByteReader reader(body);
    auto version = reader.u16be();
    if (!version) return hello;
    hello.legacy_version = *version;
    if (!reader.skip(32) || !take_vector(reader, 1)) return hello;  // random, session id
    auto suites = take_vector(reader, 2);
    if (!suites) return hello;
    ByteReader suite_reader(*suites);
    hello.cipher_suites.reserve(suites->size() / 2);
    while (auto suite = suite_reader.u16be()) hello.cipher_suites.push_back(*suite);
    if (!take_vector(reader, 1)) return hello;  // compression methods
    auto extensions = take_vector(reader, 2);
    if (!extensions) return hello;
    ByteReader extension_reader(*extensions);
    while (!extension_reader.empty()) {
        auto type = extension_reader.u16be();
        auto data = take_vector(extension_reader, 2);
        if (!type || !data) break;
        hello.extensions.push_back(*type);
        switch (static_cast<Extension>(*type)) {
            case Extension::server_name: parse_server_name(*data, hello); break;
            case Extension::alpn: parse_alpn(*data, hello); break;
            case Extension::supported_versions: parse_client_supported_versions(*data, hello); break;
        }
    }
    return hello;
}

ParsedServerHello parse_server_hello(Bytes body) {
    ParsedServerHello parsed;
    ByteReader reader(body);
    auto version = reader.u16be();
    if (!version) return parsed;
    parsed.hello.legacy_version = *version;
    auto random = reader.take(32);
    if (!random) return parsed;
    parsed.retry_request = std::equal(random->begin(), random->end(), hello_retry_request_random.begin());
    auto cipher = take_vector(reader, 1) ? reader.u16be() : std::nullopt;
    if (!cipher) return parsed;
    parsed.hello.cipher_suite = *cipher;
    if (!reader.u8()) return parsed;  // compression method
    auto extensions = take_vector(reader, 2);
    if (!extensions) return parsed;
    ByteReader extension_reader(*extensions);
    while (!extension_reader.empty()) {
        auto type = extension_reader.u16be();
        auto data = take_vector(extension_reader, 2);
        if (!type || !data) break;
        if (static_cast<Extension>(*type) == Extension::supported_versions && data->size() == 2) {
            parsed.hello.selected_version = ByteReader(*data).u16be();
        }
    }
    return parsed;
}

CertificateList parse_certificates(Bytes body, bool tls13_format_first) {
    auto certificates = tls13_format_first ? parse_tls13_certificates(body) : parse_tls12_certificates(body);
    if (!certificates) certificates = tls13_format_first ? parse_tls12_certificates(body) : parse_tls13_certificates(body);
    return certificates.value_or(CertificateList{});
}

TlsClientHello parse_sslv2_client_hello(std::uint16_t version, Bytes body) {
    TlsClientHello hello;
    hello.legacy_version = version;
    ByteReader reader(body);
    auto specs_length = reader.u16be();
    if (!specs_length || !reader.skip(4)) return hello;
    auto specs = reader.take(*specs_length);
    if (!specs) return hello;
    ByteReader spec_reader(*specs);
    while (auto spec = spec_reader.u24be()) {
        if (*spec <= 0xFFFF) hello.cipher_suites.push_back(static_cast<std::uint16_t>(*spec));
    }
    return hello;
}

TlsServerHello parse_sslv2_server_hello(Bytes body) {
    TlsServerHello hello;
    hello.legacy_version = ByteReader(body).u16be().value_or(sslv2_version);
    return hello;
}

}  // namespace trustcap
