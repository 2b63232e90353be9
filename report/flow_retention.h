#pragma once

#include <cstddef>
#include <cstdint>

#include "capture/memory_budget.h"
#include "report/attempt_summary.h"
#include "report/report_builder.h"

namespace trustcap {

// Decides, as each flow finishes, whether its record is kept for the report,
// so that memory grows with the connections worth listing, not with the
// capture's size:
// - a flow the report would not check is only counted (ForgottenFlows);
// - past the first unidentified_attempts_listed unidentified attempts, and
//   past the first unanswered_attempts_listed named connections that never
//   got a SYN-ACK and carried no byte, attempts are summarised (AttemptSummariser);
// - past max_kept records, or when keeping it would spend the memory budget
//   shared with the flow table (of which kept flows may take half), a
//   finished flow is dropped and counted.
class FlowRetention {
public:
    static constexpr std::size_t unidentified_attempts_listed = 16;
    static constexpr std::size_t unanswered_attempts_listed = 256;

    enum class Decision { keep, not_checked, summarised, dropped };

    FlowRetention(std::size_t max_kept, MemoryBudget& budget) : max_kept_(max_kept), budget_(budget) {}

    // `evidence` as the report will see it; its TLS summary is not needed.
    // Keeping it costs `held_bytes` of the budget.
    Decision decide(const FlowEvidence& evidence, const JudgingContext& context, std::size_t held_bytes);

    // A flow kept by decide() that its caller did not report after all.
    void count_not_reported(const FlowEvidence& evidence, std::size_t held_bytes);

    [[nodiscard]] const ForgottenFlows& not_checked() const { return not_checked_; }
    [[nodiscard]] SummarisedAttempts summarised() const { return summarised_.summary(); }
    [[nodiscard]] std::uint64_t dropped() const { return dropped_; }
    [[nodiscard]] std::uint64_t dropped_for_memory() const { return dropped_for_memory_; }

private:
    std::size_t max_kept_;
    MemoryBudget& budget_;
    std::size_t kept_ = 0;
    std::size_t kept_bytes_ = 0;  // of the budget
    std::size_t unidentified_attempts_kept_ = 0;
    std::size_t unanswered_attempts_kept_ = 0;
    ForgottenFlows not_checked_;
    AttemptSummariser summarised_;
    std::uint64_t dropped_ = 0;
    std::uint64_t dropped_for_memory_ = 0;  // of dropped_
};

// A connection that never got a SYN-ACK and in which neither side sent a byte.
bool never_answered(const TcpFlow& flow);

}  // namespace trustcap
