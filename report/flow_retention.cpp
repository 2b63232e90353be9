#include "report/flow_retention.h"

#include <algorithm>

namespace trustcap {

bool never_answered(const TcpFlow& flow) {
    const FlowDirection& client = flow.side(Direction::client_to_server);
    const FlowDirection& server = flow.side(Direction::server_to_client);
    return server.syn_frames.empty() && client.payload_bytes == 0 && server.payload_bytes == 0 &&
           !flow.handshake_ack_frame;
}

FlowRetention::Decision FlowRetention::decide(const FlowEvidence& evidence, const JudgingContext& context,
                                              std::size_t held_bytes) {
    const TcpFlow& flow = *evidence.flow;
    const ConnectionFacts* connection = evidence.connection;
    // A TLS connection the dissector kept interest in may be the licensing
    // exchange itself. Once memory ran short, one that never showed whom it
    // was for (no Client Hello: it began before the capture, or its start was
    // let go) is judged as the others are.
    bool undecided_kept = !flow.evicted && !budget_.first_reached_frame();
    bool dissected_tls = connection && connection->carries_tls && !connection->lost_interest &&
                         (connection->of_interest || undecided_kept);
    if (!dissected_tls) {
        FlowSelection selection = select_flow(evidence, context);
        if (selection == FlowSelection::none) {
            not_checked_.add(flow, carried_tls_or_http(evidence));
            return Decision::not_checked;
        }
        std::size_t* listed = nullptr;
        std::size_t limit = 0;
        if (selection == FlowSelection::attempt) {
            listed = &unidentified_attempts_kept_;
            limit = unidentified_attempts_listed;
        } else if (never_answered(flow)) {
            listed = &unanswered_attempts_kept_;
            limit = unanswered_attempts_listed;
        }
        // Past the record cap an attempt is still counted in the summary rather than dropped.
        if (listed && (*listed >= limit || kept_ >= max_kept_)) {
            summarised_.add(flow);
            not_checked_.add_server_only(flow, carried_tls_or_http(evidence));
            return Decision::summarised;
        }
        if (listed) ++*listed;
    }
    // Kept flows may take half the budget, whatever the open flows hold: the
    // flow table lets open flows go to make room; the other half stays for
    // the open flows, so a busy capture's later connections are still read.
    bool within_budget = kept_bytes_ + held_bytes <= budget_.limit() / 2;
    if (kept_ >= max_kept_ || !within_budget) {
        ++dropped_;
        if (!within_budget) {
            ++dropped_for_memory_;
            budget_.note_reached();
        }
        not_checked_.add_server_only(flow, carried_tls_or_http(evidence));
        return Decision::dropped;
    }
    ++kept_;
    kept_bytes_ += held_bytes;
    budget_.change(0, held_bytes);
    return Decision::keep;
}

void FlowRetention::count_not_reported(const FlowEvidence& evidence, std::size_t held_bytes) {
    not_checked_.add(*evidence.flow, carried_tls_or_http(evidence));
    if (kept_ > 0) --kept_;
    kept_bytes_ -= std::min(kept_bytes_, held_bytes);
    budget_.change(held_bytes, 0);
}

}  // namespace trustcap
