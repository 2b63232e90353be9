#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include <pcap/pcap.h>

#include "capture/frame.h"

namespace trustcap {

struct LiveCaptureSettings {
    std::string interface;
    int snaplen = 262144;        // large enough for certificate chains
    int buffer_mebibytes = 4;    // kernel buffer (-B)
    std::string filter;          // BPF; empty: every packet
};

// Packets from a network interface through libpcap, handed over by the kernel in blocks.
// Frames are numbered in the order they are captured (after the filter),
// as they are numbered in a file written with -w.
class LiveCapture {
public:
    // How long the kernel may hold captured packets before it hands them
    // over, in a block: the capture's clock is that far behind the wall's.
    static constexpr int delivery_delay_milliseconds = 100;

    enum class ReadStatus { frame, timeout, stopped, failed };

    // Opens and activates the interface; nullptr and a one-line `error` when it cannot.
    static std::unique_ptr<LiveCapture> open(const LiveCaptureSettings& settings, std::string& error);
    ~LiveCapture();
    LiveCapture(const LiveCapture&) = delete;
    LiveCapture& operator=(const LiveCapture&) = delete;

    // Replaces the BPF filter; false and a one-line `error` when it does not compile.
    bool set_filter(const std::string& filter, std::string& error);

    // The next frame, or `timeout` after a short wait without one (so the
    // caller can check its own stop conditions), `stopped` after stop(), or
    // after stop_after_pending() once the packets captured before it are read.
    ReadStatus next(RawFrame& frame);

    // Makes next() return `stopped`; safe to call from a signal handler.
    void stop();
    // Makes next() go on reading for the delivery delay and a margin (150 ms),
    // then return `stopped`: packets captured before the call may wait that
    // long in a block not yet handed over. Packets that arrive meanwhile are
    // read too; a backlog longer than that is not. Calling it again changes
    // nothing. Safe to call from a signal handler.
    void stop_after_pending();

    struct Drops {
        std::uint64_t received = 0;
        std::uint64_t dropped_by_kernel = 0;
        std::uint64_t dropped_by_interface = 0;
    };
    [[nodiscard]] Drops drops() const;
    [[nodiscard]] int datalink() const;
    [[nodiscard]] pcap_t* handle() const { return handle_; }
    [[nodiscard]] const std::string& error() const { return error_; }

private:
    explicit LiveCapture(pcap_t* handle) : handle_(handle) {}

    pcap_t* handle_;
    std::uint64_t frames_ = 0;
    std::atomic<bool> stop_requested_{false};  // set from a signal handler
    std::atomic<bool> pending_wanted_{false};  // as well: the packets already captured are read first
    static_assert(std::atomic<bool>::is_always_lock_free);
    std::optional<std::chrono::steady_clock::time_point> pending_until_;
    [[nodiscard]] bool reading_pending();
    [[nodiscard]] int wait_milliseconds();
    std::string error_;
};

}  // namespace trustcap
