#pragma once

#include <optional>

#include "stop_signals.h"

namespace trustcap {

// Lets SIGINT and SIGTERM end the reading of a capture, whose report is then
// made of what was read. A regular file stops at once. A pipe or FIFO is
// given a second to deliver what its writer flushes as it exits (tcpdump -w -
// gets the same Ctrl-C), then cut; a second signal cuts it at once. Cutting
// puts /dev/null in place of the input's descriptor, so a read blocked in
// libpcap, or about to start, finds the end of the input, while the writer
// may keep the pipe open.
class ReadInterruption {
public:
    explicit ReadInterruption(int input_descriptor);
    ~ReadInterruption();
    ReadInterruption(const ReadInterruption&) = delete;
    ReadInterruption& operator=(const ReadInterruption&) = delete;

    // True once the input was cut: what was read is all there is.
    [[nodiscard]] bool cut() const;
    // The signal that cut it (0 when none did).
    [[nodiscard]] int signal_number() const { return cut() ? stop_signals_->received() : 0; }

private:
    std::optional<StopSignals> stop_signals_;  // installed once the input is known
};

}  // namespace trustcap
