#pragma once

namespace trustcap {

// While alive, SIGINT and SIGTERM call `on_stop` instead of ending the
// process; the actions before come back after. `on_stop` runs in a signal
// handler: it may only touch lock-free atomics and async-signal-safe calls.
// System calls the signals interrupt are restarted.
class StopSignals {
public:
    using Handler = void (*)(int signal_number);

    explicit StopSignals(Handler on_stop);
    ~StopSignals();
    StopSignals(const StopSignals&) = delete;
    StopSignals& operator=(const StopSignals&) = delete;

    // The first stop signal received while alive; 0 when none came.
    [[nodiscard]] int received() const;
};

// "SIGINT" or "SIGTERM".
const char* stop_signal_name(int signal_number);

}  // namespace trustcap
