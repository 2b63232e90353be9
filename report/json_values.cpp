#include "report/json_values.h"

#include "report/attempts.h"
#include "report/time_format.h"
#include "report/wireshark_filters.h"

namespace trustcap {
namespace {

Json endpoint_json(const Endpoint& endpoint) { return Json{{"ip", endpoint.ip.to_string()}, {"port", endpoint.port}}; }

Json optional_time(const std::optional<Timestamp>& time, int digits) {
    return time ? Json(iso8601_utc(*time, digits)) : Json(nullptr);
}

}  // namespace

Json finding_json(const Finding& finding) {
    return Json{{"id", finding.id},
                {"severity", severity_name(finding.severity)},
                {"flow", finding.flow ? Json(*finding.flow) : Json(nullptr)},
                {"summary", finding.summary},
                {"explanation", finding.explanation},
                {"frames", finding.frames},
                {"wireshark_filter", finding.frames.empty() ? Json(nullptr) : Json(frames_filter(finding.frames))},
                {"fix", finding.fix}};
}

namespace {

Json timeline_json(const TimelineRow& row, int digits) {
    Json entry{{"frame", row.frame},
               {"time", iso8601_utc(row.time, digits)},
               {"src", row.source.to_string()},
               {"dst", row.destination.to_string()},
               {"protocol", row.protocol},
               {"info", row.info}};
    if (row.source_port) entry["src_port"] = *row.source_port;
    if (row.destination_port) entry["dst_port"] = *row.destination_port;
    if (row.tcp_flags) entry["tcp_flags"] = *row.tcp_flags;
    if (row.icmp_type) entry["icmp_type"] = *row.icmp_type;
    if (row.icmp_code) entry["icmp_code"] = *row.icmp_code;
    if (!row.tls_handshake_types.empty()) entry["tls_handshake_types"] = row.tls_handshake_types;
    if (!row.tls_alerts.empty()) {
        Json alerts = Json::array();
        for (const auto& [level, description] : row.tls_alerts)
            alerts.push_back(Json{{"level", level}, {"description", description}});
        entry["tls_alerts"] = alerts;
    }
    return entry;
}

Json statistics_json(const SideStatistics& side) {
    return Json{{"packets", side.packets},
                {"payload_bytes", side.payload_bytes},
                {"retransmissions", side.retransmissions},
                {"inconsistent_retransmissions", side.inconsistent_retransmissions},
                {"out_of_order", side.out_of_order},
                {"overlaps", side.overlaps},
                {"bytes_not_captured", side.bytes_not_captured},
                {"zero_window_packets", side.zero_window_packets},
                {"cut_packets", side.cut_packets}};
}

Json certificate_json(const CertificateSummary& certificate) {
    return Json{{"subject", certificate.subject},
                {"issuer", certificate.issuer},
                {"subject_cn", certificate.subject_common_name},
                {"issuer_cn", certificate.issuer_common_name},
                {"subject_alt_names", certificate.subject_alt_names},
                {"serial", certificate.serial},
                {"not_before", iso8601_utc(Timestamp{certificate.not_before, 0}, 0)},
                {"not_after", iso8601_utc(Timestamp{certificate.not_after, 0}, 0)},
                {"key", certificate.key_type + " " + std::to_string(certificate.key_bits)},
                {"signature_algorithm", certificate.signature_algorithm},
                {"sha256", certificate.sha256_fingerprint},
                {"self_signed", certificate.self_signed}};
}

Json tls_json(const std::optional<TlsReport>& tls) {
    if (!tls) return nullptr;
    Json server_certs = Json::array();
    for (const CertificateSummary& certificate : tls->server_certificates) server_certs.push_back(certificate_json(certificate));
    Json client_certs = Json::array();
    for (const CertificateSummary& certificate : tls->client_certificates) client_certs.push_back(certificate_json(certificate));
    Json verification = nullptr;
    if (tls->server_verification) {
        const ChainVerification& result = *tls->server_verification;
        verification = Json{{"verified", result.verified},
                            {"result", result.result},
                            {"error_depth", result.error_depth},
                            {"name_matches", result.name_checked ? Json(result.name_matches) : Json(nullptr)},
                            {"anchor", result.anchor.empty() ? Json(nullptr) : Json(result.anchor)},
                            {"anchor_origin", result.anchor_origin.empty() ? Json(nullptr) : Json(result.anchor_origin)},
                            {"verified_apart_from_time", result.verified_apart_from_time}};
    }
    Json json{{"server_name", tls->server_name.empty() ? Json(nullptr) : Json(tls->server_name)},
              {"version", tls->version.empty() ? Json(nullptr) : Json(tls->version)},
              {"cipher", tls->cipher.empty() ? Json(nullptr) : Json(tls->cipher)},
              {"client_certificate_requested", tls->client_certificate_requested},
              {"server_certs", server_certs},
              {"client_certs", client_certs},
              {"server_chain_verification", verification}};
    if (const auto& decryption = tls->decryption) {
        auto frame = [](const std::optional<std::uint64_t>& value) { return value ? Json(*value) : Json(nullptr); };
        json["decryption"] = Json{{"keys_found", decryption->keys_found},
                                  {"decryptable", decryption->keys_found && !decryption->not_decryptable},
                                  {"client_records", decryption->client_records},
                                  {"server_records", decryption->server_records},
                                  {"client_failed_frame", frame(decryption->client_failed_frame)},
                                  {"server_failed_frame", frame(decryption->server_failed_frame)},
                                  {"server_certs_decrypted", decryption->server_certificates_decrypted},
                                  {"client_certs_decrypted", decryption->client_certificates_decrypted}};
    }
    return json;
}

Json proxy_json(const std::optional<ProxyReport>& proxy) {
    if (!proxy) return nullptr;
    return Json{{"ip", proxy->proxy.ip.to_string()},
                {"port", proxy->proxy.port},
                {"connect_target", proxy->connect_target},
                {"status", proxy->status ? Json(*proxy->status) : Json(nullptr)}};
}

}  // namespace

Json flow_json(const FlowReport& flow, int digits) {
    Json steps = Json::array();
    for (const StepResult& step : flow.steps)
        steps.push_back(Json{{"step", step_name(step.name)},
                             {"status", step_status_name(step.status)},
                             {"frames", step.frames},
                             {"detail", step.detail}});
    Json findings = Json::array();
    for (const Finding& finding : flow.findings) findings.push_back(finding_json(finding));
    Json timeline = Json::array();
    for (const TimelineRow& row : flow.timeline) timeline.push_back(timeline_json(row, digits));
    Json wireshark{{"stream", flow.wireshark_stream ? Json(*flow.wireshark_stream) : Json(nullptr)},
                   {"stream_filter", flow.wireshark_stream ? Json(stream_filter(flow)) : Json(nullptr)},
                   {"conversation_filter", conversation_filter(flow.client, flow.server)}};
    return Json{{"id", flow.id},
                {"wireshark", wireshark},
                {"client", endpoint_json(flow.client)},
                {"server", endpoint_json(flow.server)},
                {"roles_guessed", flow.roles_guessed},
                {"proxy", proxy_json(flow.proxy)},
                {"server_name", flow.server_name.empty() ? Json(nullptr) : Json(flow.server_name)},
                {"kind", server_kind_id(flow.kind)},
                {"identified_by",
                 flow.identified_by == NamingSource::none ? Json(nullptr) : Json(naming_source_id(flow.identified_by))},
                {"start_time", iso8601_utc(flow.start, digits)},
                {"duration_seconds", elapsed_seconds(flow.start, flow.end)},
                {"first_frame", flow.first_frame},
                {"last_frame", flow.last_frame},
                {"healthy", flow.healthy},
                {"tls", tls_json(flow.tls)},
                {"tcp", Json{{"client", statistics_json(flow.client_statistics)},
                             {"server", statistics_json(flow.server_statistics)}}},
                {"steps", steps},
                {"findings", findings},
                {"timeline", timeline},
                {"timeline_omitted", flow.timeline_omitted}};
}

Json memory_json(const MemoryUse& memory) {
    return Json{{"limit_bytes", memory.limit_bytes},
                {"peak_bytes", memory.peak_bytes},
                {"first_reached_frame", memory.first_reached_frame ? Json(*memory.first_reached_frame) : Json(nullptr)},
                {"flows_evicted", memory.flows_evicted},
                {"flows_dropped", memory.flows_dropped}};
}

Json capture_json(const CaptureSummary& capture) {
    int digits = capture.precision_digits;
    return Json{{"file", capture.file},
                {"link_type", capture.link_type},
                {"frames", capture.frames},
                {"first_time", optional_time(capture.first_time, digits)},
                {"last_time", optional_time(capture.last_time, digits)},
                {"truncated_packets", capture.truncated_packets},
                {"malformed_packets", capture.malformed_packets},
                {"complete", capture.complete},
                {"damage", capture.complete ? Json(nullptr) : Json(capture.damage)},
                {"limits", Json{{"flows_evicted", capture.flows_evicted},
                                {"streams_cut_for_memory", capture.streams_cut_for_memory},
                                {"reassembly_cap_evictions", capture.reassembly_cap_evictions},
                                {"ip_datagrams_dropped", capture.ip_datagrams_dropped},
                                {"flows_dropped", capture.flows_dropped},
                                {"memory", memory_json(capture.memory)}}},
                {"kernel_drops", capture.kernel_drops},
                {"wireshark_streams",
                 Json{{"numbered", capture.wireshark_streams_numbered},
                      {"stopped_at_frame", capture.wireshark_streams_stopped_at_frame
                                               ? Json(*capture.wireshark_streams_stopped_at_frame)
                                               : Json(nullptr)},
                      {"stop_reason", capture.wireshark_streams_stopped_at_frame
                                          ? Json(capture.wireshark_streams_stop_reason)
                                          : Json(nullptr)}}}};
}

Json attempts_json(const Report& report) {
    Json groups = Json::array();
    for (const AttemptGroup& group : report.attempts) {
        Json flows = Json::array();
        std::size_t failed = 0;
        std::size_t not_judged = 0;
        for (std::size_t index : group.flows) {
            const FlowReport& flow = report.flows[index];
            flows.push_back(flow.id);
            if (flow.healthy) continue;
            (attempt_failed(flow) ? failed : not_judged) += 1;
        }
        groups.push_back(Json{{"device", group.device.to_string()},
                              {"server", group.server},
                              {"flows", flows},
                              {"connections", group.flows.size()},
                              {"failed", failed},
                              {"not_judged", not_judged},
                              {"healthy", report.flows[group.flows.back()].healthy}});
    }
    return groups;
}

Json summarised_attempts_json(const SummarisedAttempts& attempts, int digits) {
    if (attempts.count == 0) return nullptr;
    Json targets = Json::array();
    for (const SummarisedAttempts::Target& target : attempts.targets) {
        Json entry = endpoint_json(target.server);
        entry["connections"] = target.connections;
        targets.push_back(entry);
    }
    return Json{{"count", attempts.count},
                {"first_frame", attempts.first_frame},
                {"last_frame", attempts.last_frame},
                {"first_time", iso8601_utc(attempts.first_time, digits)},
                {"last_time", iso8601_utc(attempts.last_time, digits)},
                {"no_answer", attempts.no_answer},
                {"refused", attempts.refused},
                {"unreachable", attempts.unreachable},
                {"connected", attempts.connected},
                {"targets", targets},
                {"distinct_targets", attempts.distinct_targets},
                {"distinct_targets_exact", attempts.distinct_targets_exact},
                {"distinct_devices", attempts.distinct_devices},
                {"distinct_devices_exact", attempts.distinct_devices_exact}};
}

Json report_head_json(const Report& report, const std::string& tool_version) {
    return Json{{"schema_version", 1},
                {"tool", Json{{"name", "trustcap"}, {"version", tool_version}}},
                {"capture", capture_json(report.capture)},
                {"verdict", report.healthy ? "healthy" : "problem"},
                {"diagnosis", report.diagnosis},
                {"attempts", attempts_json(report)},
                {"summarised_attempts", summarised_attempts_json(report.summarised_attempts, report.capture.precision_digits)},
                {"other_tcp_flows", report.other_tcp_flows}};
}

}  // namespace trustcap
