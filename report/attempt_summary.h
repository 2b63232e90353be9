#pragma once

#include <cstddef>
#include <map>
#include <set>

#include "capture/tcp_flow.h"
#include "report/report.h"

namespace trustcap {

// Counts connection attempts into a SummarisedAttempts in bounded memory:
// at most max_tracked distinct servers and devices are told apart, later
// ones are counted without being named.
class AttemptSummariser {
public:
    static constexpr std::size_t max_tracked = 4096;
    static constexpr std::size_t targets_listed = 16;

    void add(const TcpFlow& flow);
    [[nodiscard]] SummarisedAttempts summary() const;
    [[nodiscard]] std::uint64_t count() const { return counted_.count; }

private:
    SummarisedAttempts counted_;  // all but the targets and distinct counts
    std::map<Endpoint, std::uint64_t> targets_;
    std::set<IpAddress> devices_;
    bool targets_overflowed_ = false;
    bool devices_overflowed_ = false;
};

}  // namespace trustcap
