#include "capture/ip_fragment_reassembler.h"

#include <algorithm>

namespace trustcap {

IpFragmentReassembler::IpFragmentReassembler() : IpFragmentReassembler(Limits{}) {}

IpFragmentReassembler::IpFragmentReassembler(Limits limits) : limits_(limits) {}

std::optional<Bytes> IpFragmentReassembler::add(const Fragment& fragment) {
    expire(fragment.time);
    const Key key{fragment.source, fragment.destination, fragment.identification, fragment.protocol};
    if (abandoned_.contains(key)) return std::nullopt;

    const std::size_t end = std::size_t{fragment.offset} + fragment.payload.size();
    if (end > limits_.max_datagram_bytes) {
        note(counters_.too_large, fragment.frame);
        abandon(key, fragment.time);
        return std::nullopt;
    }

    auto found = pending_.find(key);
    if (found == pending_.end()) {
        if (limits_.max_pending_datagrams == 0) {
            ++counters_.datagrams_dropped;
            return std::nullopt;
        }
        if (pending_.size() >= limits_.max_pending_datagrams) evict_oldest(fragment.frame);
        Pending fresh;
        fresh.first_seen = fragment.time;
        found = pending_.emplace(key, std::move(fresh)).first;
    }
    if (++found->second.fragments > limits_.max_fragments_per_datagram) {
        note(counters_.too_many_fragments, fragment.frame);
        abandon(key, fragment.time);
        return std::nullopt;
    }
    Pending& datagram = found->second;

    // The last fragment fixes the length; fragments that disagree with it
    // make the datagram unusable.
    if (!fragment.more_fragments) {
        if ((datagram.total_length && *datagram.total_length != end) || datagram.bytes.size() > end) {
            abandon(key, fragment.time);
            return std::nullopt;
        }
        datagram.total_length = end;
    } else if (datagram.total_length && end > *datagram.total_length) {
        abandon(key, fragment.time);
        return std::nullopt;
    }

    while (datagram.bytes.size() < end && pending_bytes_ + (end - datagram.bytes.size()) > limits_.max_pending_bytes) {
        evict_oldest(fragment.frame);
        if (!pending_.contains(key)) return std::nullopt;  // it was the oldest one left
    }
    if (datagram.bytes.size() < end) {
        pending_bytes_ += end - datagram.bytes.size();
        datagram.bytes.resize(end);
        datagram.present.resize(end, false);
    }
    for (std::size_t index = fragment.offset; index < end; ++index) {
        if (datagram.present[index]) continue;  // the first copy of a byte wins
        datagram.bytes[index] = fragment.payload[index - fragment.offset];
        datagram.present[index] = true;
        ++datagram.bytes_present;
    }

    if (!datagram.total_length || datagram.bytes_present != *datagram.total_length) return std::nullopt;
    pending_bytes_ -= datagram.bytes.size();
    completed_.swap(datagram.bytes);
    pending_.erase(found);
    ++counters_.datagrams_reassembled;
    return Bytes(completed_);
}

bool IpFragmentReassembler::timed_out(const Timestamp& since, const Timestamp& now) const {
    if (now <= since) return false;
    std::int64_t elapsed_seconds = 0;
    if (__builtin_sub_overflow(now.seconds, since.seconds, &elapsed_seconds)) return true;
    if (elapsed_seconds != limits_.timeout_seconds) return elapsed_seconds > limits_.timeout_seconds;
    return now.nanoseconds > since.nanoseconds;
}

void IpFragmentReassembler::expire(const Timestamp& now) {
    std::erase_if(pending_, [&](const auto& entry) {
        if (!timed_out(entry.second.first_seen, now)) return false;
        ++counters_.datagrams_dropped;
        pending_bytes_ -= entry.second.bytes.size();
        return true;
    });
    std::erase_if(abandoned_, [&](const auto& entry) { return timed_out(entry.second, now); });
}

void IpFragmentReassembler::abandon(const Key& key, const Timestamp& now) {
    auto found = pending_.find(key);
    const Timestamp since = found != pending_.end() ? found->second.first_seen : now;
    if (found != pending_.end()) {
        pending_bytes_ -= found->second.bytes.size();
        pending_.erase(found);
    }
    ++counters_.datagrams_dropped;
    if (abandoned_.size() >= limits_.max_pending_datagrams) {
        auto oldest = std::min_element(abandoned_.begin(), abandoned_.end(),
                                       [](const auto& a, const auto& b) { return a.second < b.second; });
        if (oldest != abandoned_.end()) abandoned_.erase(oldest);
    }
    if (limits_.max_pending_datagrams > 0) abandoned_.emplace(key, since);
}

void IpFragmentReassembler::evict_oldest(std::uint64_t frame) {
    auto oldest = std::min_element(pending_.begin(), pending_.end(), [](const auto& a, const auto& b) {
        return a.second.first_seen < b.second.first_seen;
    });
    if (oldest == pending_.end()) return;
    note(counters_.evicted, frame);
    const Key key = oldest->first;
    abandon(key, oldest->second.first_seen);
}

void IpFragmentReassembler::note(LimitHit& hit, std::uint64_t frame) {
    if (hit.datagrams++ == 0) hit.first_frame = frame;
}

}  // namespace trustcap
