#include "report/capture_checks.h"

#include <algorithm>
#include <limits>
#include <map>
#include <optional>
#include <variant>

#include "report/dns_checks.h"
#include "report/ios_xe_fixes.h"
#include "report/wording.h"

namespace trustcap {
namespace {

// What the capture holds instead of licensing traffic: the busiest servers
// on port 443 and the names the device looked up.
std::string what_was_seen(const HttpsServerCounts& https_servers, const DnsTransactionTable& dns) {
    constexpr std::size_t listed = 3;
    std::vector<std::pair<std::uint64_t, Endpoint>> busiest;
    for (const auto& [server, count] : https_servers) busiest.emplace_back(count, server);
    std::stable_sort(busiest.begin(), busiest.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
    std::string text;
    for (std::size_t i = 0; i < std::min(listed, busiest.size()); ++i) {
        const Endpoint& server = busiest[i].second;
        const std::vector<std::string> server_names = dns.names_for(server.ip, std::numeric_limits<std::uint64_t>::max());
        text += (i == 0 ? " Seen instead (TLS, HTTP or port 443): " : ", ") + server.to_string() + " (" +
                (server_names.empty() ? "" : server_names.front() + ", ") + std::to_string(busiest[i].first) +
                (busiest[i].first == 1 ? " connection)" : " connections)");
    }
    std::vector<std::string> names;
    for (const DnsTransaction& transaction : dns.transactions())
        if (std::find(names.begin(), names.end(), transaction.question.name) == names.end() && names.size() < 5)
            names.push_back(transaction.question.name);
    for (std::size_t i = 0; i < names.size(); ++i)
        text += (i > 0 ? ", " : text.empty() ? " Names looked up: " : ". Names looked up: ") + names[i];
    return text.empty() ? text : text + ".";
}

// A name the capture shows resolved to an address: the device's name server works.
std::optional<std::string> first_resolved_name(const DnsTransactionTable& dns) {
    for (const DnsTransaction& transaction : dns.transactions())
        if (transaction.response_frame && transaction.rcode == 0 &&
            std::any_of(transaction.answers.begin(), transaction.answers.end(),
                        [](const DnsAnswer& answer) { return std::holds_alternative<IpAddress>(answer.data); }))
            return transaction.question.name;
    return std::nullopt;
}

Endpoint busiest_server(const HttpsServerCounts& https_servers) {
    return std::max_element(https_servers.begin(), https_servers.end(),
                            [](const auto& a, const auto& b) { return a.second < b.second; })
        ->first;
}

// Which of IpFragmentReassembler's limits dropped datagrams, with the figure
// and the first frame each time.
std::optional<Finding> fragment_limit_finding(const IpFragmentReassembler::Counters& counters) {
    const IpFragmentReassembler::Limits limits;
    std::vector<std::string> causes;
    std::vector<std::uint64_t> frames;
    const auto add = [&](const IpFragmentReassembler::LimitHit& hit, const std::string& limit) {
        if (hit.datagrams == 0) return;
        causes.push_back(std::to_string(hit.datagrams) + " " + limit + " (first in frame " +
                         std::to_string(hit.first_frame) + ")");
        frames.push_back(hit.first_frame);
    };
    add(counters.too_large, "would have been longer than " + std::to_string(limits.max_datagram_bytes) + " bytes");
    add(counters.too_many_fragments,
        "came in more than " + std::to_string(limits.max_fragments_per_datagram) + " fragments");
    add(counters.evicted, "were given up to make room: more than " + std::to_string(limits.max_pending_datagrams) +
                              " incomplete datagrams or " + std::to_string(limits.max_pending_bytes / (1024 * 1024)) +
                              " MiB of fragments held at once");
    if (causes.empty()) return std::nullopt;
    std::string summary = "IP fragments were not reassembled: " + joined(causes, "; ");
    return Finding(
        FindingKind::capture_fragment_limit, std::nullopt, std::move(summary),
        "trustcap reassembles IP fragments within fixed limits so that a capture cannot make it hold unbounded "
        "memory. Fragments like these are rare in licensing traffic and typical of fragmentation attacks; the "
        "datagrams they carried are missing from the report.",
        frames, {});
}

// Which memory limits made trustcap let go of flows or stream bytes, and how many.
std::optional<Finding> memory_limit_finding(const CaptureSummary& capture) {
    const MemoryUse& memory = capture.memory;
    std::uint64_t dropped_at_record_cap = capture.flows_dropped - std::min(capture.flows_dropped, memory.flows_dropped);
    std::uint64_t holes = capture.streams_cut_for_memory + capture.reassembly_cap_evictions;
    std::vector<std::string> causes;
    std::vector<std::uint64_t> frames;
    if (memory.first_reached_frame) {
        std::string budget = "the budget of " + std::to_string(memory.limit_bytes >> 20) +
                             " MiB for the connections' state was spent (first at frame " +
                             std::to_string(*memory.first_reached_frame) + ")";
        if (memory.flows_evicted > 0)
            budget += ": " + std::to_string(memory.flows_evicted) + " open flows were let go early, least recently "
                      "active first";
        if (memory.flows_dropped > 0)
            budget += std::string(memory.flows_evicted > 0 ? ", and " : ": ") + std::to_string(memory.flows_dropped) +
                      " finished flows were left out of the report";
        causes.push_back(std::move(budget));
        frames.push_back(*memory.first_reached_frame);
    }
    if (capture.flows_evicted > 0)
        causes.push_back(std::to_string(capture.flows_evicted) + " flows left the flow table early (--max-flows)");
    if (dropped_at_record_cap > 0)
        causes.push_back(std::to_string(dropped_at_record_cap) +
                         " finished flows were dropped from the report (--max-flows records kept)");
    if (holes > 0) causes.push_back(std::to_string(holes) + " stream holes were given up");
    if (causes.empty()) return std::nullopt;
    std::string summary = "trustcap's memory limits were reached: " + joined(causes, "; ");
    return Finding(FindingKind::capture_memory_limit, std::nullopt, std::move(summary),
                   "The capture holds more concurrent connections or more out-of-order data than trustcap keeps in "
                   "memory. The flows concerned may show steps as missing that are in the capture, and dropped flows "
                   "are not in the report at all.",
                   frames,
                   {"Narrow the capture to the device: trustcap --filter 'host <device-ip>' FILE",
                    "or give trustcap more memory: trustcap --max-memory <MiB> --max-flows <N> FILE"});
}

}  // namespace

std::vector<Finding> assess_capture(const CaptureSummary& capture, const HttpsServerCounts& https_servers,
                                    bool no_flow_checked, std::uint64_t other_tcp_flows,
                                    const DnsTransactionTable& dns, const LicensingTargets& targets) {
    std::vector<Finding> findings;
    // Where the reading ended: the last frame read, if any.
    const std::vector<std::uint64_t> last_frame_read =
        capture.frames > 0 ? std::vector<std::uint64_t>{capture.frames} : std::vector<std::uint64_t>{};
    if (!capture.complete && capture.live) {
        findings.push_back(Finding(
            FindingKind::capture_stopped, std::nullopt,
            "The live capture stopped early after frame " + std::to_string(capture.frames) + ": " + capture.damage,
            "Reading the interface or writing the -w file failed, so the run ended before it was asked to. "
            "Everything captured until then is reported.",
            last_frame_read,
            {"Check the interface is still up (ip link) and the -w file's disk has room (df), then run again"}));
    } else if (!capture.complete && capture.interrupted) {
        findings.push_back(Finding(
            FindingKind::capture_interrupted, std::nullopt,
            "The reading stopped after frame " + std::to_string(capture.frames) + ": " + capture.damage,
            "trustcap was asked to stop (Ctrl-C, kill) before the capture ended. Everything read until then is "
            "reported; a connection still open at that point is judged as it stands.",
            last_frame_read, {"Let the capture end (tcpdump -c N, or stop the writer) to have all of it read"}));
    } else if (!capture.complete) {
        findings.push_back(Finding(
            FindingKind::capture_truncated_file, std::nullopt,
            "The capture file is damaged after frame " + std::to_string(capture.frames) + ": " + capture.damage,
            "The file ends inside a packet record or is corrupt from there on, usually because the copy from "
            "the device was cut short or the capture was not stopped before export. Everything up to the damage "
            "is reported; whatever came after is not.",
            last_frame_read,
            {"monitor capture <name> stop", "monitor capture <name> export location flash:<file>.pcap",
             "dir flash:<file>.pcap", "Copy the file again and compare its size with the one dir shows"}));
    }
    if (capture.malformed_packets > 0) {
        findings.push_back(
            Finding(FindingKind::capture_malformed_packets, std::nullopt,
                    std::to_string(capture.malformed_packets) +
                        " frames could not be decoded (first: " + capture.first_malformed_reason + ")",
                    "Their headers are shorter or longer than they claim, or they were captured on an interface of a "
                    "link type trustcap does not decode. They were skipped; if they belong to the licensing "
                    "connection, steps they carried show as missing.",
                    capture.first_malformed_frames, {}));
    }
    if (auto finding = memory_limit_finding(capture)) findings.push_back(std::move(*finding));
    if (auto finding = fragment_limit_finding(capture.ip_fragments)) findings.push_back(std::move(*finding));
    if (capture.kernel_drops > 0) {
        findings.push_back(Finding(
            FindingKind::capture_kernel_drops, std::nullopt,
            "The capture lost " + std::to_string(capture.kernel_drops) + " packets before trustcap saw them",
            "The kernel or the interface dropped packets (pcap_stats): steps carried by them may show as missing.", {},
            {"Give trustcap live a larger kernel buffer (-B, in MiB) or a narrower --filter"}));
    }
    std::vector<Finding> dns_findings = assess_dns(dns, targets);
    findings.insert(findings.end(), dns_findings.begin(), dns_findings.end());
    if (no_flow_checked && !has_licensing_query(dns, targets)) {
        std::string seen = what_was_seen(https_servers, dns);
        findings.push_back(Finding(
            FindingKind::capture_no_licensing_traffic, std::nullopt,
            "No connection to a licensing server and no lookup of its name in " + std::to_string(capture.frames) +
                " frames (" + std::to_string(other_tcp_flows) + " other TCP flows)",
            "The capture holds no attempt by the device to reach smartreceiver.cisco.com, tools.cisco.com or a "
            "server named with --server. Either the capture ran while the device was not trying, or it was taken "
            "on an interface the licensing traffic does not cross." +
                seen,
            {},
            then(https_servers.empty()
                     ? std::vector<std::string>{}
                     : std::vector<std::string>{"If a server seen is the device's SSM On-Prem or CSLU, run trustcap "
                                                "again with --server and its address (--server " +
                                                busiest_server(https_servers).to_string() + " for the busiest)"},
                 {"show license status", "monitor capture <name> interface <interface> both match any",
                  "monitor capture <name> start", "license smart sync all"})));
        const std::optional<std::string> resolved = first_resolved_name(dns);
        findings.push_back(
            resolved
                ? Finding(FindingKind::dns_no_query, std::nullopt, "The device never looked up smartreceiver.cisco.com",
                          "A name server answers in this capture (" + *resolved +
                              " resolved), yet no one asked for the licensing server: if the device asked that "
                              "name, its DNS works and it is not set to reach Cisco directly (a CSLU, an SSM "
                              "On-Prem or a proxy by address), or it did not try.",
                          {}, {"show running-config | include license smart", "show license status"})
                : Finding(FindingKind::dns_no_query, std::nullopt, "The device never looked up smartreceiver.cisco.com",
                          "Neither a DNS query for the licensing server nor a connection to it is in the capture: "
                          "the device may have no name server configured, or it did not try at all.",
                          {},
                          {"configure terminal", "ip name-server <dns-server>",
                           "ip domain lookup source-interface <interface>", "end", "license smart sync all"}));
    }
    return findings;
}

std::optional<Finding> assess_summarised_attempts(const SummarisedAttempts& attempts) {
    if (attempts.count == 0) return std::nullopt;
    std::string targets = std::to_string(attempts.distinct_targets) + (attempts.distinct_targets_exact ? "" : "+") +
                          (attempts.distinct_targets == 1 ? " server" : " servers");
    std::string devices = std::to_string(attempts.distinct_devices) + (attempts.distinct_devices_exact ? "" : "+") +
                          (attempts.distinct_devices == 1 ? " device" : " devices");
    std::string busiest;
    for (const SummarisedAttempts::Target& target : attempts.targets) {
        if (busiest.size() > 200) break;
        busiest += (busiest.empty() ? "" : ", ") + target.server.to_string() + " (" +
                   std::to_string(target.connections) + ")";
    }
    return Finding(
        FindingKind::capture_attempts_summarised, std::nullopt,
        std::to_string(attempts.count) + " more connection attempts from " + devices + " to " + targets + " (frames " +
            std::to_string(attempts.first_frame) + " to " + std::to_string(attempts.last_frame) +
            ") are counted, not listed",
        "So many connections never got past the TCP handshake or carried no TLS or HTTP that only the first of "
        "them are listed one by one: " +
            std::to_string(attempts.no_answer) + " got no answer, " + std::to_string(attempts.refused) +
            " were refused with a reset, " + std::to_string(attempts.unreachable) +
            " were answered with an ICMP error, " + std::to_string(attempts.connected) +
            " were accepted but carried nothing. A SYN flood or a scan on the captured link looks like this; "
            "busiest servers: " +
            busiest + ".",
        attempts.first_frame == attempts.last_frame
            ? std::vector<std::uint64_t>{attempts.first_frame}
            : std::vector<std::uint64_t>{attempts.first_frame, attempts.last_frame},
        {"Narrow the capture to the device: trustcap --filter 'host <device-ip>' FILE"});
}

}  // namespace trustcap
