#include "capture/flow_tracker.h"

#include <algorithm>
#include <cmath>

#include <absl/hash/hash.h>

#include "capture/tcp_sequence_rules.h"

namespace trustcap {
namespace {

constexpr std::size_t max_syn_frames_kept = 16;
constexpr std::size_t max_rst_frames_kept = 8;
constexpr double sweep_interval_seconds = 10;
constexpr double completion_sweep_interval_seconds = 0.25;

constexpr std::size_t max_missing_data_frames_kept = 8;
constexpr std::size_t max_cut_frames_kept = 16;
constexpr std::size_t max_icmp_errors_kept = 16;

class DiscardingConsumer final : public StreamConsumer {
public:
    void on_data(Direction, std::uint64_t, Bytes, std::uint64_t, const Timestamp&) override {}
    void on_gap(Direction, std::uint64_t, std::uint64_t, std::uint64_t, GapReason) override {}
};

bool has(std::uint8_t flags, std::uint8_t flag) { return (flags & flag) != 0; }

// True when `ack` acknowledges the byte at `seq` (modulo-2^32 comparison).
bool acknowledges(std::uint32_t ack, std::uint32_t seq) { return static_cast<std::int32_t>(ack - seq) > 0; }

bool opening_syn_from_client(const DecodedPacket& packet, Direction direction) {
    return has(packet.tcp.flags, tcp_flag::syn) && !has(packet.tcp.flags, tcp_flag::ack) &&
           direction == Direction::client_to_server;
}

// The window as Wireshark shows it: scaled once both SYNs agreed on scaling.
std::uint32_t scaled_window(const TcpFlow& flow, const DecodedPacket& packet, Direction direction) {
    const FlowDirection& side = flow.side(direction);
    const FlowDirection& peer = flow.side(opposite(direction));
    bool scaled = !has(packet.tcp.flags, tcp_flag::syn) && side.window_scale && peer.window_scale;
    return scaled ? std::uint32_t{packet.tcp.window} << *side.window_scale : packet.tcp.window;
}

template <typename T>
void push_capped(std::vector<T>& values, T value, std::size_t cap) {
    if (values.size() < cap) values.push_back(value);
}

// Passes a flow's bytes on, noting in the flow's record where bytes were
// found never captured.
class GapRecorder final : public StreamConsumer {
public:
    GapRecorder(TcpFlow& flow, StreamConsumer& next) : flow_(flow), next_(next) {}
    void on_data(Direction direction, std::uint64_t offset, Bytes bytes, std::uint64_t frame,
                 const Timestamp& time) override {
        next_.on_data(direction, offset, bytes, frame, time);
    }
    void on_gap(Direction direction, std::uint64_t offset, std::uint64_t length, std::uint64_t frame,
                GapReason reason) override {
        if (reason == GapReason::not_captured)
            push_capped(flow_.side(direction).missing_data_frames, frame, max_missing_data_frames_kept);
        next_.on_gap(direction, offset, length, frame, reason);
    }
    [[nodiscard]] bool frame_is_evidence(std::uint64_t frame) const override { return next_.frame_is_evidence(frame); }
    [[nodiscard]] bool wants_more_bytes() const override { return next_.wants_more_bytes(); }
    [[nodiscard]] bool is_of_interest() const override { return next_.is_of_interest(); }

private:
    TcpFlow& flow_;
    StreamConsumer& next_;
};

}  // namespace

struct FlowTracker::ActiveFlow {
    Endpoint client;
    Endpoint server;
    Timestamp last_seen;
    std::array<SequenceState, 2> sequence;
    std::optional<std::uint32_t> synack_ack;  // what the server's SYN-ACK acknowledged
    std::unique_ptr<TcpFlow> record;  // null for flows that are not checked
    std::unique_ptr<StreamConsumer> consumer;
    // Both directions' reassembly, feeding `consumer`: one allocation.
    struct Streams {
        Streams(TcpFlow& flow, StreamConsumer& consumer, const TcpStreamReassembler::Limits& limits)
            : gaps(flow, consumer),
              to_server(Direction::client_to_server, gaps, limits),
              to_client(Direction::server_to_client, gaps, limits) {}
        GapRecorder gaps;
        TcpStreamReassembler to_server;
        TcpStreamReassembler to_client;
    };
    std::unique_ptr<Streams> streams;
    std::optional<std::uint32_t> client_isn;
    // Each side's acknowledgements before the streams started: the first that
    // moved and the latest, enough to tell the streams which bytes went uncaptured.
    struct AckSeen {
        std::uint32_t ack;
        std::uint64_t frame;
    };
    std::array<std::optional<AckSeen>, 2> first_ack_moved;
    std::array<std::optional<AckSeen>, 2> latest_ack;
    bool streams_started = false;
    bool closed = false;  // a reset that ended it, or both FINs acknowledged
    bool queued_to_finish = false;  // in closing_
    bool let_go_early = false;      // finished for memory while still open
    bool of_interest = false;       // what its consumer last said (StreamConsumer::is_of_interest)
    std::uint8_t eviction_group = 0;  // the list of by_recency_ it is in
    RecencyLinks<ActiveFlow> recency;
    std::size_t charged = 0;  // what the memory budget was last charged for it
    std::uint64_t entry_number = 0;  // entries in the order they were made: sweeps go in this order

    TcpStreamReassembler* reassembler(Direction direction) {
        if (!streams) return nullptr;
        return direction == Direction::client_to_server ? &streams->to_server : &streams->to_client;
    }
    [[nodiscard]] std::size_t buffered_bytes() const {
        return streams ? streams->to_server.buffered_bytes() + streams->to_client.buffered_bytes() : 0;
    }
    [[nodiscard]] std::size_t held_bytes() const {
        // Its slot in the table and the slot's control byte, with the empty
        // slots of a table that grows when 7/8 full: half again on average.
        std::size_t bytes = sizeof(ActiveFlow) + (sizeof(Key) + sizeof(std::unique_ptr<ActiveFlow>) + 1) * 3 / 2;
        if (record) bytes += record->held_bytes();
        if (streams) bytes += streams->to_server.held_bytes() + streams->to_client.held_bytes() + sizeof(GapRecorder);
        if (consumer) bytes += consumer->held_bytes();
        return bytes;
    }
};

// Abseil's hash mixes every byte of the key, so the table's probes stay short
// whatever the addresses; its seed is an address in the program, which
// changes from run to run only in a position-independent build (not the
// static one), and Abseil does not offer it as a defence against crafted keys.
std::size_t FlowTracker::KeyHash::operator()(const Key& key) const {
    return absl::HashOf(key.low.ip.bytes(), key.high.ip.bytes(), key.low.port, key.high.port,
                        static_cast<std::uint8_t>(key.low.ip.family()));
}

FlowTracker::FlowTracker(ServicePortTest is_service_port, FlowSelector select, ConsumerFactory make_consumer,
                         Limits limits)
    : is_service_port_(std::move(is_service_port)),
      select_(std::move(select)),
      make_consumer_(std::move(make_consumer)),
      limits_(limits),
      budget_(limits.max_memory_bytes) {}

FlowTracker::~FlowTracker() = default;

FlowTracker::Key FlowTracker::key_of(const Endpoint& a, const Endpoint& b) {
    return a < b ? Key{a, b} : Key{b, a};
}

void FlowTracker::finish_flows_early(FlowCompletionTimes times, FinishedListener listener) {
    early_completion_ = times;
    finished_listener_ = std::move(listener);
}

void FlowTracker::keep_finished_flows_if(FinishedListener listener) { finished_listener_ = std::move(listener); }

bool FlowTracker::Sweep::due(const Timestamp& now, double interval_seconds, std::size_t table_size) {
    ++packets_since;
    double since = now.seconds_since(last);
    // A clock that stepped back starts counting again from where it now is,
    // so a single packet from the future does not stop the sweeps; until the
    // next walk, walks also wait for packets in proportion to the table, so a
    // clock stepping back and forth cannot make every packet walk it.
    if (started && since < -interval_seconds) {
        last = now;
        stepped_back = true;
    }
    if (started && since < interval_seconds) return false;
    if (stepped_back && packets_since < table_size / 8) return false;
    started = true;
    stepped_back = false;
    last = now;
    packets_since = 0;
    return true;
}

void FlowTracker::advance_clock(const Timestamp& now) {
    latest_time_ = std::max(latest_time_, now);
    if (idle_sweep_.due(now, sweep_interval_seconds, table_.size())) {
        ++counters_.idle_sweeps;
        expire_idle(now);
    }
    if (!early_completion_) return;
    finish_closed_flows(now);
    bool silence_comes_first =
        early_completion_->after_silence_seconds < static_cast<double>(limits_.idle_timeout_seconds);
    if (silence_comes_first && completion_sweep_.due(now, completion_sweep_interval_seconds, table_.size()))
        finish_silent_flows(now);
}

void FlowTracker::add(const DecodedPacket& packet) {
    budget_.set_current_frame(packet.frame);
    advance_clock(packet.time);
    if (packet.transport == Transport::tcp) {
        add_tcp(packet);
    } else if (packet.icmp && packet.icmp->quote && packet.icmp->quote->protocol == 6) {
        add_icmp_error(packet);
    }
    if (budget_.spent()) stay_within_budget();
}

void FlowTracker::recharge(ActiveFlow& active) {
    std::size_t now_held = active.held_bytes();
    budget_.change(active.charged, now_held);
    active.charged = now_held;
}

void FlowTracker::erase_flow(Table::iterator position) {
    ActiveFlow& active = *position->second;
    budget_.change(active.charged, 0);
    if (active.recency.listed) by_recency_[active.eviction_group].remove(active);
    table_.erase(position);
}

// The least recently active flows go until the budget holds again; if what
// is spent is kept elsewhere (finished flows), the table may empty.
void FlowTracker::stay_within_budget() {
    budget_.note_reached();
    while (budget_.spent() && !table_.empty()) make_room(counters_.flows_evicted_for_memory);
}

void FlowTracker::add_tcp(const DecodedPacket& packet) {
    ++counters_.tcp_packets;
    Endpoint source{packet.source, packet.source_port};
    Endpoint destination{packet.destination, packet.destination_port};
    Key key = key_of(source, destination);
    std::uint8_t flags = packet.tcp.flags;
    bool opening_syn = has(flags, tcp_flag::syn) && !has(flags, tcp_flag::ack);

    auto found = table_.find(key);
    if (found != table_.end() && opening_syn) {
        ActiveFlow& existing = *found->second;
        // A SYN-ACK captured before its SYN (capture points reorder packets
        // microseconds apart) already says which SYN it answers.
        bool answered_already = !existing.client_isn && existing.synack_ack == packet.tcp.seq + 1;
        bool same_attempt =
            existing.client == source && (existing.client_isn == packet.tcp.seq || answered_already);
        if (!same_attempt) {  // port reuse, or a SYN after a flow seen mid-stream
            retire(existing, packet.time);
            erase_flow(found);
            found = table_.end();
        }
    } else if (found != table_.end() && has(flags, tcp_flag::syn) && has(flags, tcp_flag::ack)) {
        // Port reuse whose SYN-ACK was captured before its SYN: it answers
        // no SYN of the closed connection on this 4-tuple.
        ActiveFlow& existing = *found->second;
        bool answers_its_syn = existing.client_isn && packet.tcp.ack == *existing.client_isn + 1;
        bool repeats_its_synack = existing.synack_ack == packet.tcp.ack;
        if (existing.closed && !answers_its_syn && !repeats_its_synack) {
            retire(existing, packet.time);
            erase_flow(found);
            found = table_.end();
        }
    }
    ActiveFlow& active = found != table_.end() ? *found->second : start_flow(key, packet);
    active.last_seen = packet.time;
    Direction direction = source == active.client ? Direction::client_to_server : Direction::server_to_client;
    if (opening_syn && direction == Direction::client_to_server) {
        // Wireshark keeps a SYN-ACK captured before the SYN of a reused port in the earlier stream.
        if (!active.client_isn && active.record) active.record->wireshark_stream = packet.wireshark_stream;
        active.client_isn = packet.tcp.seq;
    }
    if (has(flags, tcp_flag::syn) && has(flags, tcp_flag::ack) && direction == Direction::server_to_client &&
        !active.synack_ack)
        active.synack_ack = packet.tcp.ack;
    if (active.record) {
        record_packet(active, packet, direction);
        recharge(active);
        // Of no interest: finished now, its entry left so that its later packets start no new flow.
        if (active.consumer && !active.consumer->wants_more_bytes()) {
            retire(active, packet.time);
            return;
        }
        active.of_interest = active.consumer && active.consumer->is_of_interest();
        queue_to_finish_if_closed(key, active, packet.time);
    } else if (has(flags, tcp_flag::rst)) {
        active.closed = true;
    }
    place_by_recency(active);
}

FlowTracker::ActiveFlow& FlowTracker::start_flow(const Key& key, const DecodedPacket& packet) {
    if (table_.size() >= limits_.max_flows) make_room(counters_.flows_evicted);
    ++counters_.tcp_flows;
    Endpoint source{packet.source, packet.source_port};
    Endpoint destination{packet.destination, packet.destination_port};
    std::uint8_t flags = packet.tcp.flags;

    bool source_is_client;
    bool roles_from_syn = false;
    if (has(flags, tcp_flag::syn)) {
        source_is_client = !has(flags, tcp_flag::ack);
        roles_from_syn = source_is_client;
    } else if (is_service_port_(destination.port) != is_service_port_(source.port)) {
        source_is_client = is_service_port_(destination.port);
    } else if (source.port != destination.port) {
        source_is_client = destination.port < source.port;
    } else {
        source_is_client = true;
    }

    auto active = std::make_unique<ActiveFlow>();
    active->entry_number = entries_made_++;
    active->client = source_is_client ? source : destination;
    active->server = source_is_client ? destination : source;
    active->last_seen = packet.time;
    if (select_(active->client, active->server)) {
        ++counters_.checked_flows;
        active->record = std::make_unique<TcpFlow>();
        TcpFlow& flow = *active->record;
        flow.id = next_flow_id_++;
        flow.client = active->client;
        flow.server = active->server;
        flow.roles_from_syn = roles_from_syn;
        flow.first_time = packet.time;
        flow.first_frame = packet.frame;
        flow.wireshark_stream = packet.wireshark_stream;
    }
    auto [inserted, unused] = table_.emplace(key, std::move(active));
    recharge(*inserted->second);
    place_by_recency(*inserted->second);
    return *inserted->second;
}

// A connection that carries no byte (an attempt of a SYN flood or a scan, a
// handshake left idle) never needs its streams: they and the consumer are
// made at the first byte of either side.
bool FlowTracker::needs_streams(const DecodedPacket& packet, bool keep_alive) {
    return packet.payload_wire_length > 0 && !keep_alive && !has(packet.tcp.flags, tcp_flag::rst);
}

void FlowTracker::note_ack_before_streams(ActiveFlow& active, const DecodedPacket& packet, Direction direction) {
    std::optional<ActiveFlow::AckSeen>& latest = active.latest_ack[index_of(direction)];
    std::optional<ActiveFlow::AckSeen>& first_moved = active.first_ack_moved[index_of(direction)];
    if (latest && latest->ack != packet.tcp.ack && !first_moved) first_moved = ActiveFlow::AckSeen{packet.tcp.ack, packet.frame};
    latest = ActiveFlow::AckSeen{packet.tcp.ack, packet.frame};
}

// The peer's stream learns what `direction` acknowledged. The peer's FIN
// takes a sequence number but carries no byte: an ACK covering it
// acknowledges the data only up to the FIN.
void FlowTracker::acknowledge_peer(ActiveFlow& active, Direction direction, std::uint32_t ack, std::uint64_t frame) {
    const FlowDirection& peer = active.record->side(opposite(direction));
    std::uint32_t data_acknowledged = peer.fin_seq && acknowledges(ack, *peer.fin_seq) ? *peer.fin_seq : ack;
    active.reassembler(opposite(direction))->acknowledge(data_acknowledged, frame);
}

void FlowTracker::start_streams(ActiveFlow& active) {
    TcpFlow& flow = *active.record;
    active.streams_started = true;
    active.consumer = make_consumer_ ? make_consumer_(flow) : nullptr;
    if (!active.consumer) active.consumer = std::make_unique<DiscardingConsumer>();
    active.streams = std::make_unique<ActiveFlow::Streams>(flow, *active.consumer, limits_.reassembly);
    for (Direction direction : {Direction::client_to_server, Direction::server_to_client})
        if (std::optional<std::uint32_t> initial = flow.side(direction).initial_seq)
            active.reassembler(direction)->set_initial_sequence(*initial + 1);
    for (Direction direction : {Direction::client_to_server, Direction::server_to_client}) {
        for (const auto& seen : {active.first_ack_moved[index_of(direction)], active.latest_ack[index_of(direction)]})
            if (seen) acknowledge_peer(active, direction, seen->ack, seen->frame);
    }
}

void FlowTracker::record_packet(ActiveFlow& active, const DecodedPacket& packet, Direction direction) {
    TcpFlow& flow = *active.record;
    FlowDirection& side = flow.side(direction);
    FlowDirection& peer = flow.side(opposite(direction));
    std::uint8_t flags = packet.tcp.flags;
    bool syn = has(flags, tcp_flag::syn);
    bool first_of_side = !side.first_frame;

    flow.last_time = packet.time;
    flow.last_frame = packet.frame;
    ++side.packets;
    side.payload_bytes += packet.payload_wire_length;
    if (first_of_side) side.first_frame = packet.frame;
    side.last_frame = packet.frame;
    if (!has(flags, tcp_flag::rst)) {
        if (!side.first_ttl) {
            side.first_ttl = packet.ip_ttl;
        } else if (*side.first_ttl != packet.ip_ttl) {
            side.ttl_varies = true;
        }
    }
    if (opening_syn_from_client(packet, direction)) flow.roles_from_syn = true;

    bool significant = has(flags, tcp_flag::syn | tcp_flag::fin | tcp_flag::rst);
    std::uint8_t notes = 0;
    if (packet.cut_by_snaplen) {
        notes |= packet_note::cut_by_snaplen;
        ++side.cut_packets;
        push_capped(side.cut_frames, packet.frame, max_cut_frames_kept);
    }
    if (packet.reassembled_from_fragments) notes |= packet_note::reassembled_ip;

    if (syn) {
        push_capped(side.syn_frames, packet.frame, max_syn_frames_kept);
        if (packet.tcp.has_window_scale) side.window_scale = packet.tcp.window_scale;
        if (!side.initial_seq) {
            side.initial_seq = packet.tcp.seq;
            if (TcpStreamReassembler* stream = active.reassembler(direction))
                stream->set_initial_sequence(packet.tcp.seq + 1);
        }
    }
    // The ACK completing the handshake covers the SYN-ACK (and any data a
    // Fast Open SYN-ACK carried).
    if (has(flags, tcp_flag::ack) && !syn && !has(flags, tcp_flag::rst) && direction == Direction::client_to_server &&
        !flow.handshake_ack_frame && !flow.directions[1].syn_frames.empty() &&
        (!peer.initial_seq || acknowledges(packet.tcp.ack, *peer.initial_seq))) {
        flow.handshake_ack_frame = packet.frame;
        significant = true;
    }
    if (packet.payload_wire_length > 0) {
        if (!side.first_data_frame) significant = true;
        if (!side.first_data_frame) side.first_data_frame = packet.frame;
        side.last_data_frame = packet.frame;
    }
    if (!syn && !has(flags, tcp_flag::rst) && packet.tcp.window == 0) {
        notes |= packet_note::zero_window;
        ++side.zero_window_packets;
    }
    if (has(flags, tcp_flag::rst)) {
        ++side.rst_packets;
        if (side.resets.size() < max_rst_frames_kept) side.resets.push_back(judge_reset(active, packet, direction));
    } else {
        note_side_went_on(active, packet, direction);
    }
    if (has(flags, tcp_flag::fin) && !side.fin_frame) {
        side.fin_frame = packet.frame;
        side.fin_seq = packet.tcp.seq + packet.payload_wire_length;
    }
    if (has(flags, tcp_flag::ack) && peer.fin_seq && !peer.fin_acked_frame &&
        acknowledges(packet.tcp.ack, *peer.fin_seq)) {
        peer.fin_acked_frame = packet.frame;
        significant = true;
    }
    bool closed_gracefully = side.fin_acked_frame && peer.fin_acked_frame;
    active.closed = closed_gracefully || side.closing_reset() || peer.closing_reset();

    bool keep_alive = is_keep_alive(active.sequence[index_of(direction)], packet.tcp, packet.payload_wire_length);
    if (keep_alive) notes |= packet_note::keep_alive;
    if (!active.streams_started && has(flags, tcp_flag::ack)) note_ack_before_streams(active, packet, direction);
    if (!active.streams_started && !closed_gracefully && needs_streams(packet, keep_alive)) start_streams(active);
    if (active.streams) {
        reassemble(active, packet, direction, keep_alive, notes);
        if (active.consumer->frame_is_evidence(packet.frame)) significant = true;
    } else if (!active.streams_started && syn && side.syn_frames.size() > 1) {
        notes |= packet_note::retransmission;
    }
    advance_sequence(active.sequence[index_of(direction)], packet.tcp, packet.payload_wire_length,
                     scaled_window(flow, packet, direction));
    // A reset may yet prove ignored (the connection goes on), so only a
    // graceful close lets go of the streams before the flow is retired.
    if (closed_gracefully) release_streams(active);

    if (!significant && notes == 0) return;
    if (flow.timeline.size() >= limits_.max_timeline_packets) {
        ++flow.timeline_omitted;
        return;
    }
    std::uint32_t own_base = side.initial_seq.value_or(0);
    std::uint32_t peer_base = peer.initial_seq.value_or(0);
    FlowPacket entry;
    entry.frame = packet.frame;
    entry.time = packet.time;
    entry.direction = direction;
    entry.tcp_flags = flags;
    entry.relative_seq = side.initial_seq ? packet.tcp.seq - own_base : packet.tcp.seq;
    entry.relative_ack = has(flags, tcp_flag::ack) && peer.initial_seq ? packet.tcp.ack - peer_base : packet.tcp.ack;
    entry.window = scaled_window(flow, packet, direction);
    entry.payload_length = packet.payload_wire_length;
    entry.ttl = packet.ip_ttl;
    entry.notes = notes;
    flow.timeline.push_back(entry);
}

TcpReset FlowTracker::judge_reset(const ActiveFlow& active, const DecodedPacket& packet, Direction direction) {
    const TcpFlow& flow = *active.record;
    TcpReset reset;
    reset.frame = packet.frame;
    reset.time = packet.time;
    reset.seq = packet.tcp.seq;
    reset.ack = packet.tcp.ack;
    reset.has_ack = has(packet.tcp.flags, tcp_flag::ack);
    reset.ttl = packet.ip_ttl;
    std::optional<std::uint32_t> client_syn_unanswered;
    const FlowDirection& client = flow.side(Direction::client_to_server);
    // The device is in SYN-SENT only while it has sent nothing past its SYN:
    // once it acknowledges anything, the SYN-ACK reached it, captured or not.
    bool device_went_on = active.sequence[index_of(Direction::client_to_server)].last_ack.has_value();
    if (direction == Direction::server_to_client && flow.side(Direction::server_to_client).syn_frames.empty() &&
        !device_went_on)
        client_syn_unanswered = client.initial_seq;
    reset.to_syn_sent = client_syn_unanswered.has_value();
    reset.acceptable = reset_is_acceptable(packet.tcp, active.sequence[index_of(direction)],
                                           active.sequence[index_of(opposite(direction))], client_syn_unanswered);
    return reset;
}

void FlowTracker::note_side_went_on(ActiveFlow& active, const DecodedPacket& packet, Direction direction) {
    for (TcpReset& reset : active.record->side(direction).resets) {
        if (reset.outlived || !shows_sender_went_on(reset, packet.tcp, packet.payload_wire_length)) continue;
        reset.outlived = true;
        reset.outlived_at = packet.frame;
    }
}

void FlowTracker::reassemble(ActiveFlow& active, const DecodedPacket& packet, Direction direction, bool keep_alive,
                             std::uint8_t& notes) {
    std::size_t buffered_before = active.buffered_bytes();
    std::uint8_t flags = packet.tcp.flags;
    TcpStreamReassembler& stream = *active.reassembler(direction);
    if (has(flags, tcp_flag::ack)) acknowledge_peer(active, direction, packet.tcp.ack, packet.frame);
    // A keep-alive's byte, if any, is no data of the stream.
    if (!keep_alive && packet.payload_wire_length > 0 && !has(flags, tcp_flag::rst)) {
        std::uint32_t first_data_seq = packet.tcp.seq + (has(flags, tcp_flag::syn) ? 1 : 0);
        switch (stream.add_segment(first_data_seq, packet.payload, packet.payload_wire_length, packet.frame,
                                   packet.time)) {
            case SegmentKind::in_order: break;
            case SegmentKind::retransmission: notes |= packet_note::retransmission; break;
            case SegmentKind::overlap: notes |= packet_note::overlap; break;
            case SegmentKind::out_of_order: notes |= packet_note::out_of_order; break;
        }
    } else if (has(flags, tcp_flag::syn) && active.record->side(direction).syn_frames.size() > 1) {
        notes |= packet_note::retransmission;
    }
    total_buffered_bytes_ = total_buffered_bytes_ - buffered_before + active.buffered_bytes();
    enforce_byte_cap(active, packet.frame);
}

void FlowTracker::enforce_byte_cap(ActiveFlow& active, std::uint64_t frame) {
    if (total_buffered_bytes_ <= limits_.max_total_buffered_bytes) return;
    std::size_t before = active.buffered_bytes();
    active.streams->to_server.flush(frame);
    active.streams->to_client.flush(frame);
    total_buffered_bytes_ -= before;
    ++counters_.streams_cut_for_memory;
}

void FlowTracker::add_icmp_error(const DecodedPacket& packet) {
    const IcmpQuote& quote = *packet.icmp->quote;
    Endpoint quoted_source{quote.source, quote.source_port};
    Endpoint quoted_destination{quote.destination, quote.destination_port};
    auto found = table_.find(key_of(quoted_source, quoted_destination));
    if (found == table_.end()) {
        ++counters_.icmp_errors_unmatched;
        return;
    }
    ++counters_.icmp_errors_matched;
    ActiveFlow& active = *found->second;
    if (!active.record) return;
    TcpFlow& flow = *active.record;
    flow.last_time = packet.time;
    flow.last_frame = packet.frame;
    push_capped(flow.icmp_errors, IcmpError{packet.frame, packet.source, packet.icmp->v6, packet.icmp->type, packet.icmp->code},
                max_icmp_errors_kept);
    add_icmp_to_timeline(flow, active, packet);
    recharge(active);
}

void FlowTracker::add_icmp_to_timeline(TcpFlow& flow, const ActiveFlow& active, const DecodedPacket& packet) {
    if (flow.timeline.size() >= limits_.max_timeline_packets) {
        ++flow.timeline_omitted;
        return;
    }
    FlowPacket entry;
    entry.frame = packet.frame;
    entry.time = packet.time;
    Endpoint quoted_source{packet.icmp->quote->source, packet.icmp->quote->source_port};
    entry.direction = quoted_source == active.client ? Direction::server_to_client : Direction::client_to_server;
    entry.is_icmp = true;
    entry.ttl = packet.ip_ttl;
    entry.icmp_sender = packet.source;
    entry.icmp_v6 = packet.icmp->v6;
    entry.icmp_type = packet.icmp->type;
    entry.icmp_code = packet.icmp->code;
    flow.timeline.push_back(entry);
}

// A closed connection carries no more bytes: its streams are flushed and
// their memory freed, while late packets still count in its record.
void FlowTracker::release_streams(ActiveFlow& active) {
    if (!active.streams) return;
    std::uint64_t frame = active.record->last_frame;
    total_buffered_bytes_ -= active.buffered_bytes();
    active.streams->to_server.flush(frame);
    active.streams->to_client.flush(frame);
    active.record->side(Direction::client_to_server).reassembly = active.streams->to_server.counters();
    active.record->side(Direction::server_to_client).reassembly = active.streams->to_client.counters();
    active.streams.reset();
}

void FlowTracker::retire(ActiveFlow& active, const Timestamp& now) {
    if (!active.record) return;
    // The report judges every checked flow with its consumer, even one that
    // never carried a byte; acknowledgements of bytes never captured still
    // make their gaps.
    bool acknowledged_something = active.latest_ack[0] || active.latest_ack[1];
    if (!active.streams_started && acknowledged_something) {
        start_streams(active);
    } else if (!active.streams_started && make_consumer_) {
        active.consumer = make_consumer_(*active.record);
    }
    release_streams(active);
    active.record->watched_until = now;
    finished_.push_back(std::move(active.record));
    active.consumer.reset();
    active.of_interest = false;
    place_by_recency(active);
    recharge(active);  // before the listener, which may charge for keeping it
    if (finished_listener_ && !finished_listener_(*finished_.back())) {
        finished_.pop_back();
        ++counters_.flows_forgotten;
    }
}

void FlowTracker::queue_to_finish_if_closed(const Key& key, ActiveFlow& active, const Timestamp& now) {
    if (!early_completion_ || !active.closed || active.queued_to_finish) return;
    active.queued_to_finish = true;
    closing_.push_back({key, active.record->id, now});
}

// A queued flow that went on after closing (a reset it outlived) leaves the
// queue; one that closed again is queued anew. A clock that stepped back
// counts from where it now is, so that a packet from the future holds up no
// other flow's turn.
void FlowTracker::finish_closed_flows(const Timestamp& now) {
    const double delay = early_completion_->after_close_seconds;
    while (!closing_.empty()) {
        Closing closing = closing_.front();
        double quiet = now.seconds_since(closing.quiet_since);
        if (quiet >= 0 && quiet < delay) break;
        closing_.pop_front();
        if (quiet < 0) {
            closing_.push_back({closing.key, closing.flow_id, now});
            continue;
        }
        auto found = table_.find(closing.key);
        if (found == table_.end() || !found->second->record || found->second->record->id != closing.flow_id) continue;
        ActiveFlow& active = *found->second;
        double silent = now.seconds_since(active.last_seen);
        if (!active.closed) {
            active.queued_to_finish = false;
        } else if (silent >= delay) {
            retire(active, now);
        } else {
            closing_.push_back({closing.key, closing.flow_id, silent < 0 ? now : active.last_seen});
        }
    }
}

void FlowTracker::finish_silent_flows(const Timestamp& now) {
    for (ActiveFlow* active : in_entry_order([&](const ActiveFlow& candidate) {
             return candidate.record && !candidate.closed &&
                    now.seconds_since(candidate.last_seen) >= early_completion_->after_silence_seconds;
         })) {
        active->record->ended_by_idle_timeout = true;
        retire(*active, now);
    }
}

// What finishing a flow leads to (what is kept under a tight budget) must not
// depend on where the table keeps its entries: those a sweep finishes go in
// the order they were made.
std::vector<FlowTracker::ActiveFlow*> FlowTracker::in_entry_order(
    const std::function<bool(const ActiveFlow&)>& chosen) const {
    std::vector<ActiveFlow*> flows;
    for (const auto& [key, active] : table_)
        if (chosen(*active)) flows.push_back(active.get());
    std::sort(flows.begin(), flows.end(),
              [](const ActiveFlow* a, const ActiveFlow* b) { return a->entry_number < b->entry_number; });
    return flows;
}

void FlowTracker::expire_idle(const Timestamp& now) {
    for (ActiveFlow* active : in_entry_order([&](const ActiveFlow& candidate) {
             return now.seconds_since(candidate.last_seen) >= static_cast<double>(limits_.idle_timeout_seconds);
         })) {
        if (active->record && !active->closed) active->record->ended_by_idle_timeout = true;
        retire(*active, now);
        erase_flow(table_.find(key_of(active->client, active->server)));
    }
}

// A flow moves to the newest end of its group's list at each of its packets
// and when it finishes, so each list is in the order its flows were last
// active as the capture was read.
void FlowTracker::place_by_recency(ActiveFlow& active) {
    if (active.recency.listed) by_recency_[active.eviction_group].remove(active);
    active.eviction_group = static_cast<std::uint8_t>((active.record ? 8 : 0) | (active.let_go_early ? 4 : 0) |
                                                      (active.closed ? 0 : 2) | (active.of_interest ? 1 : 0));
    by_recency_[active.eviction_group].push_newest(active);
}

// The table is full: the least recently active tenth goes; entries of flows
// already finished first (those let go while open last of them), then closed
// flows, then open ones, those whose consumer found them of interest last.
// The lists give them in that order without a walk of the table.
void FlowTracker::make_room(std::uint64_t& evicted_counter) {
    const std::size_t count = std::max<std::size_t>(1, table_.size() / 10);
    std::vector<ActiveFlow*> chosen;
    chosen.reserve(count);
    for (const RecencyList<ActiveFlow>& list : by_recency_)
        for (ActiveFlow* active = list.oldest(); active && chosen.size() < count;
             active = RecencyList<ActiveFlow>::newer_than(*active))
            chosen.push_back(active);
    // Let go for memory, a flow keeps its entry, as a finished one does, so
    // that its later packets start no new flow in the middle of the
    // connection; the entry goes when it is chosen again, or at once when
    // the table is full.
    for (ActiveFlow* active : chosen) {
        if (active->record) {
            if (!active->closed) {
                active->record->evicted = true;
                active->let_go_early = true;
            }
            ++evicted_counter;
            retire(*active, latest_time_);
            if (table_.size() < limits_.max_flows) continue;
        }
        erase_flow(table_.find(key_of(active->client, active->server)));
    }
}

void FlowTracker::finish() {
    // In the order the flows began, so that a listener hears them so.
    std::vector<ActiveFlow*> remaining;
    for (auto& [key, active] : table_)
        if (active->record) remaining.push_back(active.get());
    std::sort(remaining.begin(), remaining.end(),
              [](const ActiveFlow* a, const ActiveFlow* b) { return a->record->id < b->record->id; });
    for (ActiveFlow* active : remaining) retire(*active, latest_time_);
    // One pass, then clear(): erasing at begin() again and again would scan
    // the table's emptied slots each time.
    for (auto& [key, active] : table_) {
        budget_.change(active->charged, 0);
        if (active->recency.listed) by_recency_[active->eviction_group].remove(*active);
    }
    table_.clear();
    std::sort(finished_.begin(), finished_.end(), [](const auto& a, const auto& b) { return a->id < b->id; });
}

}  // namespace trustcap
