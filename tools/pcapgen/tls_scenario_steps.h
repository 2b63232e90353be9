#pragma once

#include "capture_session.h"
#include "flow_recorder.h"
#include "in_memory_tls.h"
#include "lab_pki.h"
#include "tls_contexts.h"

#include <filesystem>
#include <string_view>

namespace pcapgen {

inline constexpr std::string_view smartreceiver_host = "smartreceiver.cisco.com";

// An Ethernet capture that starts with the device's DNS lookup of smartreceiver.cisco.com and its TCP handshake
// to the answer: five frames.
class DirectLicensingCapture {
public:
    explicit DirectLicensingCapture(const std::filesystem::path& file);

    FlowRecorder& recorder() { return recorder_; }
    TcpConversation& conversation() { return conversation_; }

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

// The device's /SmartTransport request and the server's response, each one record, and the device's ACK.
void record_smart_transport_exchange(FlowRecorder& recorder, InMemoryTls& tls);

// After the exchange: close_notify from the device, then from the server, then the device's FIN teardown.
void record_orderly_close(FlowRecorder& recorder, InMemoryTls& tls);

// Handshake from the device's Client Hello, exchange, orderly close; throws unless the handshake succeeds.
void record_healthy_tls_session(FlowRecorder& recorder, InMemoryTls& tls);

// Throws unless `side` failed the handshake after sending alert `description`.
void require_alert_sent(const InMemoryTls& tls, Side side, std::uint8_t description);

}  // namespace pcapgen
