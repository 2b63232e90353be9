#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "capture/flow_tracker.h"
#include "capture/frame.h"
#include "offline_analysis.h"
#include "report/report.h"

namespace trustcap {

// One run of the analysis over frames from any source (a file, a live
// interface): decoding, flows, dissection and DNS, then the report.
class AnalysisSession {
public:
    // Loads the trust store; nullptr and a one-line `error` when it cannot.
    static std::unique_ptr<AnalysisSession> create(const AnalysisOptions& options, std::string& error);
    ~AnalysisSession();
    AnalysisSession(const AnalysisSession&) = delete;
    AnalysisSession& operator=(const AnalysisSession&) = delete;

    void add(const RawFrame& frame);

    // Live capture: each flow is judged as it finishes (see
    // FlowCompletionTimes) and handed to `listener`, with whether it is a
    // licensing flow (see is_licensing_flow).
    using FlowListener = std::function<void(const FlowReport& flow, bool licensing)>;
    void judge_flows_as_they_finish(FlowCompletionTimes times, FlowListener listener);

    // The capture's clock moved without a frame.
    void advance_clock(const Timestamp& now);

    // The capture lost packets before trustcap saw them.
    void note_capture_loss(const CaptureLoss& loss);

    struct Progress {
        std::uint64_t frames = 0;
        std::uint64_t tcp_flows = 0;
        std::uint64_t licensing_flows_judged = 0;
        std::uint64_t licensing_flows_healthy = 0;
    };
    [[nodiscard]] Progress progress() const;

    // Judges everything seen. `capture` names the source (file, link type,
    // frame count, precision, damage); the session adds what it counted.
    Report finish(CaptureSummary capture);

private:
    struct State;
    explicit AnalysisSession(std::unique_ptr<State> state);
    std::unique_ptr<State> state_;
};

}  // namespace trustcap
