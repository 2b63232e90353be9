#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <istream>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace trustcap {

inline constexpr std::size_t tls_random_size = 32;
using TlsRandom = std::array<std::uint8_t, tls_random_size>;

// The secrets a key log gives for one connection (found by its Client Hello's random).
struct TlsSessionSecrets {
    std::vector<std::uint8_t> master_secret;  // TLS <= 1.2: CLIENT_RANDOM
    std::vector<std::uint8_t> client_handshake_traffic_secret;
    std::vector<std::uint8_t> server_handshake_traffic_secret;
    std::vector<std::uint8_t> client_application_traffic_secret;  // CLIENT_TRAFFIC_SECRET_0
    std::vector<std::uint8_t> server_application_traffic_secret;  // SERVER_TRAFFIC_SECRET_0
};

// Limits on what a key log may hold: a hostile file is read only this far.
struct TlsKeyLogLimits {
    std::size_t max_line_bytes = 1024;  // a real line is under 250 bytes
    std::size_t max_connections = 1'000'000;
};

// An NSS key log (SSLKEYLOGFILE), as Wireshark reads it: "LABEL <client
// random, hex> <secret, hex>" lines; '#' comments, blank lines and labels
// other than the five used here (e.g. EXPORTER_SECRET, EARLY_TRAFFIC) are
// ignored. A line that does not have that shape is skipped and counted.
class TlsKeyLog {
public:
    explicit TlsKeyLog(TlsKeyLogLimits limits = {});

    // Reads lines until the stream ends.
    void read(std::istream& in);

    [[nodiscard]] const TlsSessionSecrets* find(const TlsRandom& client_random) const;
    [[nodiscard]] std::size_t connections() const { return secrets_.size(); }
    // Lines skipped: malformed, too long, or past max_connections.
    [[nodiscard]] std::size_t malformed_lines() const { return malformed_lines_; }
    [[nodiscard]] std::size_t lines_over_limit() const { return lines_over_limit_; }

private:
    void read_line(const std::string& line);

    TlsKeyLogLimits limits_;
    std::map<TlsRandom, TlsSessionSecrets> secrets_;
    std::size_t malformed_lines_ = 0;
    std::size_t lines_over_limit_ = 0;
};

// Reads the key log at `path`; std::nullopt when it cannot be opened or read.
std::optional<TlsKeyLog> read_key_log_file(const std::string& path, TlsKeyLogLimits limits = {});

}  // namespace trustcap
