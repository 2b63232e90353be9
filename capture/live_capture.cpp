#include "capture/live_capture.h"

#include <poll.h>

#include <algorithm>
#include <array>

namespace trustcap {
namespace {

constexpr int read_timeout_milliseconds = 200;
// Beyond the delivery delay, for the kernel's block timer and the wake-up.
constexpr int pending_margin_milliseconds = 50;

}  // namespace

std::unique_ptr<LiveCapture> LiveCapture::open(const LiveCaptureSettings& settings, std::string& error) {
    std::array<char, PCAP_ERRBUF_SIZE> errbuf{};
    pcap_t* handle = pcap_create(settings.interface.c_str(), errbuf.data());
    if (handle == nullptr) {
        error = errbuf.data();
        return nullptr;
    }
    pcap_set_snaplen(handle, settings.snaplen);
    pcap_set_promisc(handle, 1);
    // Not immediate mode: on Linux that gives each packet a ring slot as large
    // as the biggest packet the interface may pass (64 KiB with segmentation
    // offload), so a 4 MiB ring holds 64 packets; blocks hold thousands.
    pcap_set_timeout(handle, LiveCapture::delivery_delay_milliseconds);
    pcap_set_buffer_size(handle, settings.buffer_mebibytes * 1024 * 1024);
    int activated = pcap_activate(handle);
    if (activated < 0) {
        error = settings.interface + ": " + pcap_geterr(handle);
        if (activated == PCAP_ERROR_PERM_DENIED) {
#ifdef __linux__
            error += " (run as root, or give the binary CAP_NET_RAW and CAP_NET_ADMIN)";
#else
            error += " (run as root, or make /dev/bpf* readable by your user)";
#endif
        }
        pcap_close(handle);
        return nullptr;
    }
    // libpcap's read timeout does not fire on an idle Linux interface: wait
    // with poll() instead, so that stop conditions are checked while nothing
    // arrives.
    if (pcap_setnonblock(handle, 1, errbuf.data()) != 0 || pcap_get_selectable_fd(handle) < 0) {
        error = settings.interface + ": cannot wait for packets without blocking: " + errbuf.data();
        pcap_close(handle);
        return nullptr;
    }
    auto capture = std::unique_ptr<LiveCapture>(new LiveCapture(handle));
    if (!settings.filter.empty() && !capture->set_filter(settings.filter, error)) return nullptr;
    return capture;
}

LiveCapture::~LiveCapture() { pcap_close(handle_); }

bool LiveCapture::set_filter(const std::string& filter, std::string& error) {
    bpf_program program{};
    if (pcap_compile(handle_, &program, filter.c_str(), 1, PCAP_NETMASK_UNKNOWN) != 0) {
        error = "invalid filter \"" + filter + "\": " + pcap_geterr(handle_);
        return false;
    }
    bool set = pcap_setfilter(handle_, &program) == 0;
    if (!set) error = "cannot set the filter \"" + filter + "\": " + pcap_geterr(handle_);
    pcap_freecode(&program);
    return set;
}

// After stop_after_pending(): true for the delivery delay and a margin,
// counted from the first read after it, in which the kernel hands over the
// block holding the packets captured before the stop (at once if full).
bool LiveCapture::reading_pending() {
    if (!pending_wanted_) return false;
    auto now = std::chrono::steady_clock::now();
    if (!pending_until_)
        pending_until_ = now + std::chrono::milliseconds{delivery_delay_milliseconds + pending_margin_milliseconds};
    return now < *pending_until_;
}

// How long to wait for packets: never past the end of reading_pending().
int LiveCapture::wait_milliseconds() {
    if (!pending_wanted_) return read_timeout_milliseconds;
    if (!reading_pending()) return 0;
    auto left = std::chrono::ceil<std::chrono::milliseconds>(*pending_until_ - std::chrono::steady_clock::now());
    return static_cast<int>(std::clamp<std::chrono::milliseconds::rep>(left.count(), 0, read_timeout_milliseconds));
}

LiveCapture::ReadStatus LiveCapture::next(RawFrame& frame) {
    if (stop_requested_ && !reading_pending()) return ReadStatus::stopped;
    pcap_pkthdr* header = nullptr;
    const u_char* data = nullptr;
    int result = pcap_next_ex(handle_, &header, &data);
    if (result == 0) {
        pollfd readable{pcap_get_selectable_fd(handle_), POLLIN, 0};
        poll(&readable, 1, wait_milliseconds());  // a signal ends it early
        if (stop_requested_ && !reading_pending()) return ReadStatus::stopped;
        result = pcap_next_ex(handle_, &header, &data);
    }
    if (result == 0) return ReadStatus::timeout;
    if (result == PCAP_ERROR_BREAK) return ReadStatus::stopped;
    if (result != 1) {
        error_ = pcap_geterr(handle_);
        return ReadStatus::failed;
    }
    frame.number = ++frames_;
    frame.time.seconds = header->ts.tv_sec;
    frame.time.nanoseconds = static_cast<std::uint32_t>(header->ts.tv_usec) * 1000;
    frame.captured_length = header->caplen;
    frame.original_length = header->len;
    frame.data = Bytes(data, header->caplen);
    frame.link_type = pcap_datalink(handle_);
    frame.snaplen = static_cast<std::uint32_t>(pcap_snapshot(handle_));
    return ReadStatus::frame;
}

void LiveCapture::stop() {
    stop_requested_ = true;
    pcap_breakloop(handle_);
}

// No pcap_breakloop(): a read it interrupts may drop the packet it had taken;
// the signal ends the wait in poll() and next() looks at the flags.
void LiveCapture::stop_after_pending() {
    pending_wanted_ = true;
    stop_requested_ = true;
}

LiveCapture::Drops LiveCapture::drops() const {
    pcap_stat statistics{};
    if (pcap_stats(handle_, &statistics) != 0) return {};
    return Drops{statistics.ps_recv, statistics.ps_drop, statistics.ps_ifdrop};
}

int LiveCapture::datalink() const { return pcap_datalink(handle_); }

}  // namespace trustcap
