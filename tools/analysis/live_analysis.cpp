#include "live_analysis.h"

#include <atomic>
#include <chrono>
#include <optional>

#include "capture/link_type.h"
#include "privileges.h"
#include "stop_signals.h"

namespace trustcap {
namespace {

constexpr auto status_interval = std::chrono::milliseconds(500);
constexpr auto drops_interval = std::chrono::milliseconds(250);

std::atomic<LiveCapture*> capture_to_stop{nullptr};

extern "C" void stop_capture(int) {
    if (LiveCapture* capture = capture_to_stop.load()) capture->stop_after_pending();
}

Timestamp wall_clock_now(std::chrono::milliseconds behind = std::chrono::milliseconds{0}) {
    auto since_epoch = std::chrono::system_clock::now().time_since_epoch() - behind;
    auto nanoseconds = std::chrono::duration_cast<std::chrono::nanoseconds>(since_epoch).count();
    return Timestamp{nanoseconds / 1'000'000'000, static_cast<std::uint32_t>(nanoseconds % 1'000'000'000)};
}

// Turns the capture's cumulative drop counters into losses placed in time,
// so that only the flows open when packets were lost are doubted.
class DropWatch {
public:
    explicit DropWatch(const LiveCapture& capture) : capture_(capture), last_reading_(wall_clock_now()) {}

    std::optional<CaptureLoss> read() {
        LiveCapture::Drops drops = capture_.drops();
        std::uint64_t total = drops.dropped_by_kernel + drops.dropped_by_interface;
        Timestamp now = wall_clock_now();
        std::optional<CaptureLoss> loss;
        if (total > total_) loss = CaptureLoss{last_reading_, now, total - total_};
        total_ = std::max(total, total_);
        last_reading_ = now;
        return loss;
    }
    [[nodiscard]] std::uint64_t total() const { return total_; }

private:
    const LiveCapture& capture_;
    Timestamp last_reading_;
    std::uint64_t total_ = 0;
};

}  // namespace

std::string default_live_filter(const AnalysisOptions& analysis, int datalink) {
    std::string filter;
    for (std::uint16_t port : followed_ports(analysis.targets, analysis.checked_ports)) filter += (filter.empty() ? "tcp port " : " or tcp port ") + std::to_string(port);
    // A server or proxy given by address alone may listen on any port.
    for (const auto* endpoints : {&analysis.targets.proxies, &analysis.targets.servers})
        for (const NamedEndpoint& endpoint : *endpoints)
            if (endpoint.address && !endpoint.port) filter += " or host " + endpoint.address->to_string();
    filter += " or port 53 or icmp or icmp6 or proto gre";
    // BPF finds no port in an IPv4 fragment after the first, nor behind an
    // IPv6 extension header: keep those whole, the decoder reassembles them.
    filter += " or (ip and ip[6:2] & 0x1fff != 0) or (ip6 and not (ip6 proto 6 or ip6 proto 17 or ip6 proto 58))";
    if (datalink != DLT_EN10MB) return filter;
    // MPLS whole ("ether proto" shifts no offset). A "vlan" shifts the offsets
    // of everything after it, so the tagged alternatives nest: untagged, one
    // tag, two tags (802.1ad).
    filter += " or ether proto 0x8847 or ether proto 0x8848";
    return filter + " or (vlan and (" + filter + " or (vlan and (" + filter + "))))";
}

LiveOutcome analyze_live(const LiveOptions& options, const LiveObserver& observer) {
    LiveOutcome outcome;
    std::string& error = outcome.analysis.error;
    const LiveCaptureSettings& settings = options.capture;
    auto capture = LiveCapture::open(settings, error);
    if (!capture) return outcome;
    if (settings.filter.empty() && !capture->set_filter(default_live_filter(options.analysis, capture->datalink()), error))
        return outcome;
    auto link_type = supported_link_type(capture->datalink());
    if (!link_type) {
        error = "unsupported link type " + link_type_name(capture->datalink()) + " on " + settings.interface;
        return outcome;
    }
    auto session = AnalysisSession::create(options.analysis, error);  // reads the CA bundles
    if (!session) return outcome;
    // Nothing of the traffic is parsed, and no output opened, before this point.
    if (!drop_privileges(options.user, error)) return outcome;
    std::unique_ptr<PacketFileWriter> writer;
    if (!options.write.path.empty()) {
        writer = PacketFileWriter::open(capture->handle(), options.write, error);
        if (!writer) return outcome;
    }
    if (observer.before_first_packet && !observer.before_first_packet(error)) return outcome;

    bool capturing = true;  // flows judged at the end decide nothing: they were cut, not finished
    session->judge_flows_as_they_finish(options.flow_completion, [&](const FlowReport& flow, bool licensing) {
        if (observer.flow_judged) observer.flow_judged(flow, licensing);
        if (capturing && options.until_verdict && licensing && !outcome.deciding_flow_healthy) {
            outcome.deciding_flow_healthy = flow.healthy;
            capture->stop();
        }
    });

    capture_to_stop = capture.get();
    auto stop_signals = std::make_optional<StopSignals>(stop_capture);
    auto started = std::chrono::steady_clock::now();
    auto last_status = started - status_interval;
    auto last_drops_reading = started;
    DropWatch drop_watch(*capture);
    std::uint64_t frames = 0;
    RawFrame frame;
    bool failed = false;
    bool stop = false;
    while (!stop) {
        LiveCapture::ReadStatus status = capture->next(frame);
        if (status == LiveCapture::ReadStatus::stopped) break;
        if (status == LiveCapture::ReadStatus::failed) {
            failed = true;
            break;
        }
        auto now = std::chrono::steady_clock::now();
        if (now - last_drops_reading >= drops_interval) {
            if (auto loss = drop_watch.read()) session->note_capture_loss(*loss);
            last_drops_reading = now;
        }
        if (status == LiveCapture::ReadStatus::frame) {
            ++frames;
            session->add(frame);
            if (writer && !writer->write(frame)) {
                failed = true;
                break;
            }
            stop = options.count && frames >= *options.count;
        } else {
            // Packets up to the kernel's delivery delay old may still be on their way.
            session->advance_clock(wall_clock_now(std::chrono::milliseconds{LiveCapture::delivery_delay_milliseconds}));
        }
        if (observer.status && now - last_status >= status_interval) {
            observer.status(LiveStatus{settings.interface, session->progress(), drop_watch.total()});
            last_status = now;
        }
        std::chrono::duration<double> elapsed = now - started;
        if (options.duration_seconds && elapsed.count() >= *options.duration_seconds) capture->stop_after_pending();
    }
    stop_signals.reset();
    capture_to_stop = nullptr;
    capturing = false;

    if (auto loss = drop_watch.read()) session->note_capture_loss(*loss);
    CaptureSummary summary;
    summary.file = "live:" + settings.interface;
    summary.live = true;
    summary.link_type = link_type_name(capture->datalink());
    summary.frames = frames;
    summary.kernel_drops = drop_watch.total();
    if (failed) {
        summary.complete = false;
        summary.damage = writer && !writer->error().empty() ? "the capture stopped: " + writer->error()
                                                            : "the capture stopped: " + capture->error();
    }
    outcome.analysis.report = session->finish(std::move(summary));
    outcome.analysis.usable = true;
    return outcome;
}

}  // namespace trustcap
