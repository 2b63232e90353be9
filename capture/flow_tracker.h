#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <vector>

#include <absl/container/flat_hash_map.h>

#include "capture/memory_budget.h"
#include "capture/packet.h"
#include "capture/recency_list.h"
#include "capture/stream_consumer.h"
#include "capture/tcp_flow.h"
#include "capture/tcp_stream_reassembler.h"

namespace trustcap {

struct FlowTrackerLimits {
    std::size_t max_flows = 200'000;                    // table entries, checked or not
    std::size_t max_timeline_packets = 64;              // evidence packets kept per flow
    std::int64_t idle_timeout_seconds = 600;            // capture time without a packet
    std::size_t max_total_buffered_bytes = 256u << 20;  // out-of-order bytes over all flows
    std::size_t max_memory_bytes = default_memory_budget_bytes;  // the flows' state in all (see MemoryBudget)
    TcpStreamReassembler::Limits reassembly;
};

// When a flow counts as finished while the capture goes on (live capture).
// Without it a flow finishes only at the idle timeout, on port reuse, on
// eviction or at the end of the capture.
struct FlowCompletionTimes {
    double after_close_seconds = 2;  // after RST or both FINs: late retransmissions and resets still count
    double after_silence_seconds = 60;  // without a packet, open or not
};

// The bidirectional TCP flow table. Each flow is keyed by its 5-tuple; the
// client is the sender of the SYN. For a flow first seen mid-stream the
// roles are guessed: the sender of a SYN-ACK is the server; otherwise the
// side whose port is a service port (is_service_port) is the server; otherwise
// the lower port; otherwise the sender of the first packet is the client.
//
// Flows the selector picks are "checked": they keep a TcpFlow record with
// their evidence and have both directions reassembled and handed to a
// StreamConsumer; a flow whose consumer wants no more of its bytes is
// finished at once. Other flows only cost a table entry, so they can be counted.
// A new SYN with another initial sequence number on a known 5-tuple starts a
// new flow (port reuse).
class FlowTracker {
public:
    using Limits = FlowTrackerLimits;

    struct Counters {
        std::uint64_t tcp_packets = 0;
        std::uint64_t tcp_flows = 0;
        std::uint64_t checked_flows = 0;
        std::uint64_t flows_evicted = 0;          // the table was full
        std::uint64_t flows_evicted_for_memory = 0;  // the memory budget was spent
        std::uint64_t streams_cut_for_memory = 0;  // reassembly given up to stay under the byte cap
        std::uint64_t icmp_errors_matched = 0;
        std::uint64_t icmp_errors_unmatched = 0;
        std::uint64_t flows_forgotten = 0;  // finished, and not kept by the listener
        std::uint64_t idle_sweeps = 0;      // walks of the table for idle flows
    };

    using ServicePortTest = std::function<bool(std::uint16_t port)>;
    using FlowSelector = std::function<bool(const Endpoint& client, const Endpoint& server)>;
    // Returns the consumer of a checked flow's bytes, or nullptr for none.
    using ConsumerFactory = std::function<std::unique_ptr<StreamConsumer>(const TcpFlow& flow)>;
    // Told of every checked flow as it finishes, with its record complete;
    // returns whether finished_flows() keeps the record (false: it is counted
    // in flows_forgotten and freed, so a long live capture stays bounded).
    using FinishedListener = std::function<bool(const TcpFlow& flow)>;

    FlowTracker(ServicePortTest is_service_port, FlowSelector select, ConsumerFactory make_consumer,
                Limits limits = {});
    ~FlowTracker();
    FlowTracker(const FlowTracker&) = delete;
    FlowTracker& operator=(const FlowTracker&) = delete;

    // Flows finish early (see FlowCompletionTimes), each reported to
    // `listener` as it does. A finished flow keeps a table entry without a
    // record until it goes idle, so its stragglers start no new flow.
    void finish_flows_early(FlowCompletionTimes times, FinishedListener listener);

    // Every checked flow is told to `listener` as it finishes (idle, port
    // reuse, eviction, end of the capture), which decides whether
    // finished_flows() keeps its record; flows finish no earlier for it.
    void keep_finished_flows_if(FinishedListener listener);

    // A decoded TCP packet, or an ICMP error quoting one.
    void add(const DecodedPacket& packet);

    // The capture's clock moved without a packet (live capture): flows that
    // are due finish.
    void advance_clock(const Timestamp& now);

    // End of the capture: flushes every stream; afterwards finished_flows()
    // holds every checked flow, in the order of their first frame.
    void finish();

    [[nodiscard]] const std::vector<std::unique_ptr<TcpFlow>>& finished_flows() const { return finished_; }
    [[nodiscard]] const Counters& counters() const { return counters_; }
    [[nodiscard]] std::size_t active_flows() const { return table_.size(); }
    // Shared with whoever keeps finished flows (their records and consumers).
    [[nodiscard]] MemoryBudget& memory_budget() { return budget_; }

private:
    struct Key {
        Endpoint low;
        Endpoint high;
        bool operator==(const Key&) const = default;
    };
    struct KeyHash {
        std::size_t operator()(const Key& key) const;
    };
    struct ActiveFlow;

    static Key key_of(const Endpoint& a, const Endpoint& b);
    void add_tcp(const DecodedPacket& packet);
    void add_icmp_error(const DecodedPacket& packet);
    void add_icmp_to_timeline(TcpFlow& flow, const ActiveFlow& active, const DecodedPacket& packet);
    ActiveFlow& start_flow(const Key& key, const DecodedPacket& packet);
    static bool needs_streams(const DecodedPacket& packet, bool keep_alive);
    static void note_ack_before_streams(ActiveFlow& active, const DecodedPacket& packet, Direction direction);
    static void acknowledge_peer(ActiveFlow& active, Direction direction, std::uint32_t ack, std::uint64_t frame);
    void start_streams(ActiveFlow& active);
    void record_packet(ActiveFlow& active, const DecodedPacket& packet, Direction direction);
    TcpReset judge_reset(const ActiveFlow& active, const DecodedPacket& packet, Direction direction);
    void note_side_went_on(ActiveFlow& active, const DecodedPacket& packet, Direction direction);
    void reassemble(ActiveFlow& active, const DecodedPacket& packet, Direction direction, bool keep_alive,
                    std::uint8_t& notes);
    void release_streams(ActiveFlow& active);
    void retire(ActiveFlow& active, const Timestamp& now);
    void expire_idle(const Timestamp& now);
    void queue_to_finish_if_closed(const Key& key, ActiveFlow& active, const Timestamp& now);
    void finish_closed_flows(const Timestamp& now);
    void finish_silent_flows(const Timestamp& now);
    using Table = absl::flat_hash_map<Key, std::unique_ptr<ActiveFlow>, KeyHash>;
    void place_by_recency(ActiveFlow& active);
    void make_room(std::uint64_t& evicted_counter);
    void stay_within_budget();
    void recharge(ActiveFlow& active);
    void erase_flow(Table::iterator position);
    std::vector<ActiveFlow*> in_entry_order(const std::function<bool(const ActiveFlow&)>& chosen) const;
    void enforce_byte_cap(ActiveFlow& active, std::uint64_t frame);

    ServicePortTest is_service_port_;
    FlowSelector select_;
    ConsumerFactory make_consumer_;
    Limits limits_;
    Counters counters_;
    Table table_;
    // The table's flows in the order make_room lets them go: by eviction
    // group (see make_room), then least recently touched first.
    static constexpr std::size_t eviction_groups = 16;
    std::array<RecencyList<ActiveFlow>, eviction_groups> by_recency_;
    MemoryBudget budget_;
    std::vector<std::unique_ptr<TcpFlow>> finished_;
    std::uint64_t next_flow_id_ = 1;
    std::uint64_t entries_made_ = 0;
    std::size_t total_buffered_bytes_ = 0;
    // When the table was last walked: a walk is due once the capture's clock
    // has moved an interval on (see Sweep::due for a clock that steps back).
    struct Sweep {
        Timestamp last;
        std::size_t packets_since = 0;
        bool started = false;
        bool stepped_back = false;
        bool due(const Timestamp& now, double interval_seconds, std::size_t table_size);
    };
    Sweep idle_sweep_;
    std::optional<FlowCompletionTimes> early_completion_;
    FinishedListener finished_listener_;
    // Closed flows in the order they closed, each finished once it has been
    // quiet for after_close_seconds: no walk of the table.
    struct Closing {
        Key key;
        std::uint64_t flow_id = 0;
        Timestamp quiet_since;
    };
    std::deque<Closing> closing_;
    Sweep completion_sweep_;  // for silent open flows, when that comes before the idle timeout
    Timestamp latest_time_;
};

}  // namespace trustcap
