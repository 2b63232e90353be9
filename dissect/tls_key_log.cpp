#include "dissect/tls_key_log.h"

#include <fstream>
#include <sstream>

namespace trustcap {

namespace {

// The longest secret a label carries: SHA-384's 48 bytes (TLS 1.2's master secret is 48 too).
constexpr std::size_t max_secret_bytes = 64;

std::optional<std::vector<std::uint8_t>> from_hex(const std::string& text) {
    if (text.empty() || text.size() % 2 != 0) return std::nullopt;
    auto nibble = [](char c) -> int {
        if (c >= '0' && c <= '9') return c - '0';
        if (c >= 'a' && c <= 'f') return c - 'a' + 10;
        if (c >= 'A' && c <= 'F') return c - 'A' + 10;
        return -1;
    };
    std::vector<std::uint8_t> bytes;
    bytes.reserve(text.size() / 2);
    for (std::size_t i = 0; i < text.size(); i += 2) {
        const int high = nibble(text[i]);
        const int low = nibble(text[i + 1]);
        if (high < 0 || low < 0) return std::nullopt;
        bytes.push_back(static_cast<std::uint8_t>(high * 16 + low));
    }
    return bytes;
}

// Where a label's secret goes; null for a label this reader does not use.
std::vector<std::uint8_t>* slot_of(const std::string& label, TlsSessionSecrets& secrets) {
    if (label == "CLIENT_RANDOM") return &secrets.master_secret;
    if (label == "CLIENT_HANDSHAKE_TRAFFIC_SECRET") return &secrets.client_handshake_traffic_secret;
    if (label == "SERVER_HANDSHAKE_TRAFFIC_SECRET") return &secrets.server_handshake_traffic_secret;
    if (label == "CLIENT_TRAFFIC_SECRET_0") return &secrets.client_application_traffic_secret;
    if (label == "SERVER_TRAFFIC_SECRET_0") return &secrets.server_application_traffic_secret;
    return nullptr;
}

}  // namespace

TlsKeyLog::TlsKeyLog(TlsKeyLogLimits limits) : limits_(limits) {}

void TlsKeyLog::read(std::istream& in) {
    std::string line;
    char c = 0;
    bool too_long = false;
    auto end_line = [&] {
        if (too_long) {
            ++malformed_lines_;
        } else {
            read_line(line);
        }
        line.clear();
        too_long = false;
    };
    while (in.get(c)) {
        if (c == '\n') {
            end_line();
        } else if (line.size() < limits_.max_line_bytes) {
            line.push_back(c);
        } else {
            too_long = true;
        }
    }
    if (!line.empty() || too_long) end_line();
}

void TlsKeyLog::read_line(const std::string& line) {
    if (!line.empty() && line.back() == '\r') return read_line(line.substr(0, line.size() - 1));
    if (line.find_first_not_of(" \t") == std::string::npos || line[0] == '#') return;
    std::istringstream fields(line);
    std::string label;
    std::string random_hex;
    std::string secret_hex;
    std::string extra;
    fields >> label >> random_hex >> secret_hex;
    const bool three_fields = !secret_hex.empty() && !(fields >> extra);
    TlsSessionSecrets unused;
    if (three_fields && !slot_of(label, unused)) return;  // a label Wireshark knows and trustcap does not use
    const auto random = three_fields ? from_hex(random_hex) : std::nullopt;
    const auto secret = three_fields ? from_hex(secret_hex) : std::nullopt;
    if (!random || random->size() != tls_random_size || !secret || secret->size() > max_secret_bytes) {
        ++malformed_lines_;
        return;
    }
    TlsRandom key{};
    std::copy(random->begin(), random->end(), key.begin());
    auto found = secrets_.find(key);
    if (found == secrets_.end()) {
        if (secrets_.size() >= limits_.max_connections) {
            ++lines_over_limit_;
            return;
        }
        found = secrets_.emplace(key, TlsSessionSecrets{}).first;
    }
    *slot_of(label, found->second) = *secret;
}

const TlsSessionSecrets* TlsKeyLog::find(const TlsRandom& client_random) const {
    auto found = secrets_.find(client_random);
    return found == secrets_.end() ? nullptr : &found->second;
}

std::optional<TlsKeyLog> read_key_log_file(const std::string& path, TlsKeyLogLimits limits) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return std::nullopt;
    TlsKeyLog log(limits);
    log.read(in);
    if (in.bad()) return std::nullopt;
    return log;
}

}  // namespace trustcap
