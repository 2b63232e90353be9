#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "capture/ip_address.h"
#include "capture/ip_fragment_reassembler.h"
#include "capture/timestamp.h"
#include "dissect/certificate_verifier.h"
#include "dissect/x509_certificate.h"
#include "report/finding.h"
#include "report/server_kinds.h"
#include "report/step.h"

namespace trustcap {

// One row of a flow's timeline, laid out like Wireshark's packet list.
struct TimelineRow {
    std::uint64_t frame = 0;
    Timestamp time;
    IpAddress source;
    IpAddress destination;
    std::optional<std::uint16_t> source_port;
    std::optional<std::uint16_t> destination_port;
    std::string protocol;  // "TCP", "ICMP", "ICMPv6"
    std::optional<std::uint8_t> tcp_flags;
    std::optional<std::uint8_t> icmp_type;
    std::optional<std::uint8_t> icmp_code;
    std::vector<std::uint8_t> tls_handshake_types;        // handshake messages read in clear in this frame
    std::vector<std::pair<std::uint8_t, std::uint8_t>> tls_alerts;  // (level, description) read in clear
    std::string info;
};

// What one side of a connection sent, as the flow tracker counted it.
struct SideStatistics {
    std::uint64_t packets = 0;
    std::uint64_t payload_bytes = 0;
    std::uint64_t retransmissions = 0;
    std::uint64_t inconsistent_retransmissions = 0;  // a retransmitted byte differed from the first copy
    std::uint64_t out_of_order = 0;
    std::uint64_t overlaps = 0;
    std::uint64_t bytes_not_captured = 0;
    std::uint64_t zero_window_packets = 0;
    std::uint64_t cut_packets = 0;
};

struct ProxyReport {
    Endpoint proxy;
    std::string connect_target;  // "smartreceiver.cisco.com:443"
    std::optional<int> status;   // the proxy's answer
};

// What --keylog did for one connection.
struct DecryptionReport {
    bool keys_found = false;  // the key log holds secrets for the connection's Client Hello
    bool not_decryptable = false;  // ... but not for this version or cipher suite
    std::uint64_t client_records = 0;  // records decrypted, from the device
    std::uint64_t server_records = 0;
    // A record that failed authentication: the rest of that direction stayed encrypted.
    std::optional<std::uint64_t> client_failed_frame;
    std::optional<std::uint64_t> server_failed_frame;
    bool server_certificates_decrypted = false;
    bool client_certificates_decrypted = false;
};

struct TlsReport {
    std::string server_name;  // SNI
    std::string version;  // "TLSv1.2"
    std::string cipher;   // IANA name
    bool client_certificate_requested = false;
    std::vector<CertificateSummary> server_certificates;
    std::vector<CertificateSummary> client_certificates;
    std::optional<ChainVerification> server_verification;
    std::optional<DecryptionReport> decryption;  // with --keylog
};

struct FlowReport {
    std::uint64_t id = 0;
    std::optional<std::uint32_t> wireshark_stream;  // Wireshark's tcp.stream of the flow in the same file
    Endpoint client;
    Endpoint server;
    bool roles_guessed = false;
    ServerKind kind = ServerKind::other;
    std::string server_name;  // SNI, CONNECT target or DNS name; empty when unknown
    NamingSource identified_by = NamingSource::none;  // none: asked for with --port or --all-flows
    std::optional<ProxyReport> proxy;
    std::optional<TlsReport> tls;
    Timestamp start;
    Timestamp end;
    std::uint64_t first_frame = 0;
    std::uint64_t last_frame = 0;
    std::vector<StepResult> steps;  // connect, tcp, tls, appdata, teardown
    std::vector<Finding> findings;
    std::vector<TimelineRow> timeline;
    std::uint64_t timeline_omitted = 0;
    SideStatistics client_statistics;
    SideStatistics server_statistics;
    bool healthy = false;
};

// Packets the capture itself lost (kernel or interface drops, pcap_stats),
// counted between two readings of its counters.
struct CaptureLoss {
    Timestamp from;  // the reading before
    Timestamp to;    // the reading that counted them
    std::uint64_t packets = 0;
};

// The memory budget of the flows' state (see MemoryBudget) and what staying within it cost.
struct MemoryUse {
    std::size_t limit_bytes = 0;
    std::size_t peak_bytes = 0;
    std::optional<std::uint64_t> first_reached_frame;
    std::uint64_t flows_evicted = 0;  // open flows let go early, least recently active first
    std::uint64_t flows_dropped = 0;  // finished flows not kept for the report
};

struct CaptureSummary {
    std::string file;
    std::string link_type;
    std::uint64_t frames = 0;
    std::optional<Timestamp> first_time;
    std::optional<Timestamp> last_time;
    int precision_digits = 6;
    std::uint64_t truncated_packets = 0;  // frames cut by the snap length
    std::uint64_t malformed_packets = 0;
    std::vector<std::uint64_t> first_malformed_frames;
    std::string first_malformed_reason;
    bool live = false;   // captured from an interface rather than read from a file
    bool complete = true;
    std::string damage;  // how the file (or the live capture) ends early, when it does
    bool interrupted = false;  // a signal stopped the reading before the end of the file or pipe
    // What trustcap's memory caps cost: evidence that may be missing.
    std::uint64_t flows_evicted = 0;
    std::uint64_t streams_cut_for_memory = 0;
    std::uint64_t reassembly_cap_evictions = 0;
    std::uint64_t ip_datagrams_dropped = 0;
    IpFragmentReassembler::Counters ip_fragments;  // which reassembly limits dropped datagrams, from which frame
    std::uint64_t flows_dropped = 0;  // finished flows worth reporting, not kept: the record cap was reached
    MemoryUse memory;
    std::uint64_t kernel_drops = 0;  // live capture: packets the kernel or interface dropped
    // Flows carry Wireshark's tcp.stream: no frame was left out (no BPF filter, not live).
    bool wireshark_streams_numbered = false;
    // Flows that start from this frame on have none, for the reason given (see TcpStreamNumbering).
    std::optional<std::uint64_t> wireshark_streams_stopped_at_frame;
    std::string wireshark_streams_stop_reason;
};

// Connections from one device to one server, in the order they began: a
// device that fails retries (a new connection a minute later, several times).
struct AttemptGroup {
    IpAddress device;
    std::string server;  // the server's name, or its address and port
    std::vector<std::size_t> flows;  // indexes into Report::flows
};

// Connection attempts counted rather than listed one by one (a SYN flood,
// a scan): how many, where in the capture, how they ended, and whom they
// were for.
struct SummarisedAttempts {
    struct Target {
        Endpoint server;
        std::uint64_t connections = 0;
    };
    std::uint64_t count = 0;
    std::uint64_t first_frame = 0;
    std::uint64_t last_frame = 0;
    Timestamp first_time;
    Timestamp last_time;
    std::uint64_t no_answer = 0;    // no SYN-ACK, no reset, no ICMP error
    std::uint64_t refused = 0;      // the SYN was answered with a reset
    std::uint64_t unreachable = 0;  // an ICMP error answered the SYN
    std::uint64_t connected = 0;    // a SYN-ACK came, but no TLS or HTTP followed
    std::vector<Target> targets;    // the busiest servers, most connections first
    std::uint64_t distinct_targets = 0;
    bool distinct_targets_exact = true;  // false: at least distinct_targets
    std::uint64_t distinct_devices = 0;
    bool distinct_devices_exact = true;  // false: at least distinct_devices
};

struct Report {
    CaptureSummary capture;
    std::vector<FlowReport> flows;
    std::vector<AttemptGroup> attempts;
    SummarisedAttempts summarised_attempts;  // count 0 when every attempt is listed
    std::vector<Finding> findings;  // capture-wide findings, then every flow's
    std::uint64_t other_tcp_flows = 0;
    bool healthy = false;
    std::string diagnosis;  // the report in one sentence
};

}  // namespace trustcap
