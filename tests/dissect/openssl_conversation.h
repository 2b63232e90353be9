#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "capture/stream_consumer.h"

namespace trustcap::testing {

// One write by one side: the bytes its SSL object produced between two pumps.
struct RecordedWrite {
    Direction direction = Direction::client_to_server;
    std::vector<std::uint8_t> bytes;
};

struct ConversationOptions {
    int min_version = 0;  // TLS1_2_VERSION, TLS1_3_VERSION; 0: OpenSSL's default
    int max_version = 0;
    bool client_certificate = true;     // server asks for one, client sends it
    bool client_has_certificate = true; // false: the server asks, the client has none
    bool session_tickets = true;
    bool client_trusts_server = true;   // false: the client rejects the self-signed server
    bool request_with_finished = false; // TLS 1.3: the request leaves with the client's Finished
    bool close_notify = true;
    bool encrypt_then_mac = true;   // false: TLS 1.2 CBC suites MAC, then encrypt (RFC 5246)
    std::string server_name = "smartreceiver.cisco.com";
    std::string client_groups;  // e.g. "P-256:X25519": the key share goes for the first
    std::string server_groups;
    std::string tls12_ciphers;      // SSL_CTX_set_cipher_list
    std::string tls13_ciphersuites; // SSL_CTX_set_ciphersuites
    std::string request = "POST /SmartTransport HTTP/1.1\r\nHost: smartreceiver.cisco.com\r\n\r\n";
    std::string response = "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n";
};

struct Conversation {
    std::vector<RecordedWrite> writes;
    std::vector<std::uint8_t> server_certificate_der;
    std::vector<std::uint8_t> client_certificate_der;
    bool handshake_completed = false;
    std::string key_log;  // the client's secrets, as SSLKEYLOGFILE lines
};

// Runs a real OpenSSL client and server in memory (memory BIOs, pumped in
// turn) with fresh self-signed EC certificates and records what each side sent.
Conversation run_conversation(const ConversationOptions& options);

}  // namespace trustcap::testing
