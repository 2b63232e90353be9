#pragma once

#include "capture_clock.h"
#include "capture_session.h"
#include "dns_exchanges.h"
#include "flow_recorder.h"
#include "in_memory_tls.h"
#include "lab_pki.h"
#include "standard_exchanges.h"
#include "tls_contexts.h"

#include "dissect/tls_alert.h"

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string_view>

namespace pcapgen {

inline constexpr std::string_view smartreceiver_host = "smartreceiver.cisco.com";

// What a direct capture starts with and whom the device connects to; by default the lookup of
// smartreceiver.cisco.com and the connection to 146.112.59.25:443, from 2024-03-12T09:15:00Z.
struct DirectCaptureSetup {
    std::optional<DnsLookup> lookup = smartreceiver_lookup();  // none: the capture starts with the SYN
    LicensingConnectionParameters connection;
    HostIpProfile server_ip_profile = smartreceiver_ip_profile();
    Timestamp start = capture_start;
    std::optional<Direction> captured_direction;  // only this direction is captured
};

// An Ethernet capture that starts with the device's DNS lookup (two frames) and its TCP handshake to the answer
// (three frames).
class DirectLicensingCapture {
public:
    explicit DirectLicensingCapture(const std::filesystem::path& file, const DirectCaptureSetup& setup = {});

    FlowRecorder& recorder() { return recorder_; }
    TcpConversation& conversation() { return conversation_; }
    // For frames outside the conversation.
    CaptureSession& session() { return session_; }

private:
    CaptureSession session_;
    TcpConversation conversation_;
    FlowRecorder recorder_;
};

// The device and smartreceiver as the healthy scenarios configure them: each trusts the lab root, the device
// presents its certificate, the server its smartreceiver.cisco.com certificate.
struct LicensingTlsContexts {
    SslCtxPtr device;
    SslCtxPtr server;
};
LicensingTlsContexts licensing_tls_contexts(const LabPki& pki, TlsVersion version);

// TLS 1.3 through an intercepting firewall: the device as above; the "server" presents the firewall's
// certificate for smartreceiver.cisco.com and asks for no client certificate.
LicensingTlsContexts intercepted_tls13_contexts(const LabPki& pki);

// The device's /SmartTransport request and the server's response, each one record, and the device's ACK.
void record_smart_transport_exchange(FlowRecorder& recorder, InMemoryTls& tls);

// After the exchange: close_notify from the device, then from the server, then the device's FIN teardown.
void record_orderly_close(FlowRecorder& recorder, InMemoryTls& tls);

// Handshake from the device's Client Hello, exchange, orderly close; throws unless the handshake succeeds.
void record_healthy_tls_session(FlowRecorder& recorder, InMemoryTls& tls);

// One handshake flight of `sender`, acknowledged by the receiver when it took several segments; for scenarios
// that drive the handshake themselves.
void record_handshake_flight(FlowRecorder& recorder, InMemoryTls& tls, Side sender, std::chrono::nanoseconds gap);

// Throws unless `side` failed the handshake after sending alert `description`.
void require_alert_sent(const InMemoryTls& tls, Side side, trustcap::TlsAlertDescription description);

}  // namespace pcapgen
