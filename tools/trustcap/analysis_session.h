#pragma once

#include <memory>
#include <string>

#include "capture/frame.h"
#include "capture/link_type.h"
#include "offline_analysis.h"
#include "report/report.h"

namespace trustcap {

// One run of the analysis over frames from any source (a file, a live
// interface): decoding, flows, dissection and DNS, then the report.
class AnalysisSession {
public:
    // Loads the trust store; nullptr and a one-line `error` when it cannot.
    static std::unique_ptr<AnalysisSession> create(const AnalysisOptions& options, LinkType link_type,
                                                   std::string& error);
    ~AnalysisSession();
    AnalysisSession(const AnalysisSession&) = delete;
    AnalysisSession& operator=(const AnalysisSession&) = delete;

    void add(const RawFrame& frame);

    // Judges everything seen. `capture` names the source (file, link type,
    // frame count, precision, damage); the session adds what it counted.
    Report finish(CaptureSummary capture);

private:
    struct State;
    explicit AnalysisSession(std::unique_ptr<State> state);
    std::unique_ptr<State> state_;
};

}  // namespace trustcap
