#include "live_analysis.h"

#include <atomic>
#include <chrono>
#include <csignal>

#include "analysis_session.h"
#include "capture/link_type.h"
#include "privileges.h"

namespace trustcap {
namespace {

std::atomic<LiveCapture*> capture_to_stop{nullptr};

extern "C" void stop_capture(int) {
    if (LiveCapture* capture = capture_to_stop.load()) capture->stop();
}

// Owns the -w file; every packet is flushed so an interrupted run leaves a
// complete, readable capture.
class PacketWriter {
public:
    PacketWriter(pcap_t* handle, const std::string& path, std::string& error) {
        if (path.empty()) return;
        dumper_ = pcap_dump_open(handle, path.c_str());
        if (dumper_ == nullptr) error = "-w " + path + ": " + pcap_geterr(handle);
    }
    ~PacketWriter() {
        if (dumper_) pcap_dump_close(dumper_);
    }
    PacketWriter(const PacketWriter&) = delete;
    PacketWriter& operator=(const PacketWriter&) = delete;

    void write(const RawFrame& frame) {
        if (!dumper_) return;
        pcap_pkthdr header{};
        header.ts.tv_sec = frame.time.seconds;
        header.ts.tv_usec = static_cast<suseconds_t>(frame.time.nanoseconds / 1000);
        header.caplen = frame.captured_length;
        header.len = frame.original_length;
        pcap_dump(reinterpret_cast<u_char*>(dumper_), &header, frame.data.data());
        pcap_dump_flush(dumper_);
    }

private:
    pcap_dumper_t* dumper_ = nullptr;
};

}  // namespace

std::string default_live_filter(const AnalysisOptions& analysis) {
    std::set<std::uint16_t> ports{443};
    for (const NamedEndpoint& endpoint : analysis.targets.proxies)
        if (endpoint.port) ports.insert(*endpoint.port);
    for (const NamedEndpoint& endpoint : analysis.targets.servers)
        if (endpoint.port) ports.insert(*endpoint.port);
    ports.insert(analysis.checked_ports.begin(), analysis.checked_ports.end());
    std::string filter;
    for (std::uint16_t port : ports) filter += (filter.empty() ? "tcp port " : " or tcp port ") + std::to_string(port);
    return filter + " or port 53 or icmp or icmp6";
}

AnalysisOutcome analyze_live(const LiveOptions& options) {
    AnalysisOutcome outcome;
    LiveCaptureSettings settings = options.capture;
    if (settings.filter.empty()) settings.filter = default_live_filter(options.analysis);
    std::string error;
    auto capture = LiveCapture::open(settings, error);
    if (!capture) {
        outcome.error = error;
        return outcome;
    }
    // Nothing of the traffic is parsed before this point.
    std::string user = options.user.empty() ? default_unprivileged_user : options.user;
    if (!drop_privileges(user, error)) {
        outcome.error = error;
        return outcome;
    }
    auto link_type = supported_link_type(capture->datalink());
    if (!link_type) {
        outcome.error = "unsupported link type " + link_type_name(capture->datalink()) + " on " + settings.interface;
        return outcome;
    }
    auto session = AnalysisSession::create(options.analysis, *link_type, error);
    PacketWriter writer(capture->handle(), options.write_file, error);
    if (!session || !error.empty()) {
        outcome.error = error;
        return outcome;
    }

    capture_to_stop = capture.get();
    std::signal(SIGINT, stop_capture);
    std::signal(SIGTERM, stop_capture);
    auto started = std::chrono::steady_clock::now();
    std::uint64_t frames = 0;
    RawFrame frame;
    bool failed = false;
    while (true) {
        LiveCapture::ReadStatus status = capture->next(frame);
        if (status == LiveCapture::ReadStatus::stopped) break;
        if (status == LiveCapture::ReadStatus::failed) {
            failed = true;
            break;
        }
        if (status == LiveCapture::ReadStatus::frame) {
            ++frames;
            session->add(frame);
            writer.write(frame);
            if (options.count && frames >= *options.count) break;
        }
        std::chrono::duration<double> elapsed = std::chrono::steady_clock::now() - started;
        if (options.duration_seconds && elapsed.count() >= *options.duration_seconds) break;
    }
    std::signal(SIGINT, SIG_DFL);
    std::signal(SIGTERM, SIG_DFL);
    capture_to_stop = nullptr;

    LiveCapture::Drops drops = capture->drops();
    CaptureSummary summary;
    summary.file = "live:" + settings.interface;
    summary.link_type = link_type_name(capture->datalink());
    summary.frames = frames;
    summary.kernel_drops = drops.dropped_by_kernel + drops.dropped_by_interface;
    if (failed) {
        summary.complete = false;
        summary.damage = "the capture stopped: " + capture->error();
    }
    outcome.report = session->finish(std::move(summary));
    outcome.usable = true;
    return outcome;
}

}  // namespace trustcap
