#include "report/attempt_summary.h"

#include <algorithm>

namespace trustcap {

void AttemptSummariser::add(const TcpFlow& flow) {
    SummarisedAttempts& counted = counted_;
    if (counted.count == 0 || flow.first_frame < counted.first_frame) {
        counted.first_frame = flow.first_frame;
        counted.first_time = flow.first_time;
    }
    if (counted.count == 0 || flow.last_frame > counted.last_frame) {
        counted.last_frame = flow.last_frame;
        counted.last_time = flow.last_time;
    }
    ++counted.count;
    const FlowDirection& server = flow.side(Direction::server_to_client);
    if (!server.syn_frames.empty()) {
        ++counted.connected;
    } else if (server.closing_reset()) {
        ++counted.refused;
    } else if (!flow.icmp_errors.empty()) {
        ++counted.unreachable;
    } else {
        ++counted.no_answer;
    }

    if (auto target = targets_.find(flow.server); target != targets_.end()) {
        ++target->second;
    } else if (targets_.size() < max_tracked) {
        targets_.emplace(flow.server, 1);
    } else {
        targets_overflowed_ = true;
    }
    if (devices_.size() < max_tracked) {
        devices_.insert(flow.client.ip);
    } else if (!devices_.contains(flow.client.ip)) {
        devices_overflowed_ = true;
    }
}

SummarisedAttempts AttemptSummariser::summary() const {
    SummarisedAttempts summary = counted_;
    for (const auto& [server, connections] : targets_) summary.targets.push_back({server, connections});
    std::stable_sort(summary.targets.begin(), summary.targets.end(),
                     [](const auto& a, const auto& b) { return a.connections > b.connections; });
    if (summary.targets.size() > targets_listed) summary.targets.resize(targets_listed);
    summary.distinct_targets = targets_.size();
    summary.distinct_targets_exact = !targets_overflowed_;
    summary.distinct_devices = devices_.size();
    summary.distinct_devices_exact = !devices_overflowed_;
    return summary;
}

}  // namespace trustcap
