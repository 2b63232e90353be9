#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <vector>

#include "capture/byte_reader.h"
#include "capture/ip_address.h"
#include "capture/timestamp.h"

namespace trustcap {

// Reassembles IPv4 and IPv6 fragments into whole datagrams (the payload after
// the IP header / fragment header). Overlapping fragments: the first copy of a
// byte wins. Memory is capped; datagrams that exceed the caps or time out are
// dropped and counted.
class IpFragmentReassembler {
public:
    struct Limits {
        // The IP length fields' ceiling; a longer reassembly is a fragment-overlap attack.
        std::size_t max_datagram_bytes = 65535;
        // A 65535-byte datagram cut for the 576-byte MTU every IPv4 host must
        // accept takes 120 fragments (FreeBSD keeps only 16 per datagram).
        std::size_t max_fragments_per_datagram = 128;
        std::size_t max_pending_datagrams = 1024;
        // All incomplete datagrams together: Linux's default ipfrag_high_thresh.
        std::size_t max_pending_bytes = 4 * 1024 * 1024;
        std::int64_t timeout_seconds = 60;
    };

    struct Fragment {
        IpAddress source;
        IpAddress destination;
        std::uint32_t identification = 0;
        std::uint8_t protocol = 0;  // the upper-layer protocol
        std::uint32_t offset = 0;   // in bytes
        bool more_fragments = false;
        Bytes payload;
        Timestamp time;
        std::uint64_t frame = 0;
    };

    // Datagrams one limit dropped, and the frame of the fragment that first hit it.
    struct LimitHit {
        std::uint64_t datagrams = 0;
        std::uint64_t first_frame = 0;
    };

    struct Counters {
        std::uint64_t datagrams_reassembled = 0;
        std::uint64_t datagrams_dropped = 0;  // timed out, over a cap, or inconsistent
        LimitHit too_large;           // over max_datagram_bytes
        LimitHit too_many_fragments;  // over max_fragments_per_datagram
        LimitHit evicted;             // made room for newer ones: max_pending_datagrams or max_pending_bytes
    };

    // Two constructors rather than `Limits limits = {}`: g++ 12 rejects a
    // default argument that needs the nested struct's member initializers.
    IpFragmentReassembler();
    explicit IpFragmentReassembler(Limits limits);

    // Stores the fragment; when it completes its datagram, returns the whole
    // upper-layer payload. The returned span stays valid until the next call.
    std::optional<Bytes> add(const Fragment& fragment);

    [[nodiscard]] const Counters& counters() const { return counters_; }
    [[nodiscard]] std::size_t pending() const { return pending_.size(); }
    // Bytes held for incomplete datagrams.
    [[nodiscard]] std::size_t pending_bytes() const { return pending_bytes_; }

private:
    struct Key {
        IpAddress source;
        IpAddress destination;
        std::uint32_t identification = 0;
        std::uint8_t protocol = 0;
        auto operator<=>(const Key&) const = default;
    };
    struct Pending {
        std::vector<std::uint8_t> bytes;
        std::vector<bool> present;
        std::optional<std::size_t> total_length;
        std::size_t bytes_present = 0;
        std::size_t fragments = 0;
        Timestamp first_seen;
    };

    void expire(const Timestamp& now);
    void abandon(const Key& key, const Timestamp& now);
    void evict_oldest(std::uint64_t frame);
    static void note(LimitHit& hit, std::uint64_t frame);
    [[nodiscard]] bool timed_out(const Timestamp& since, const Timestamp& now) const;

    Limits limits_;
    std::map<Key, Pending> pending_;
    std::size_t pending_bytes_ = 0;  // the sum of pending_'s buffer sizes
    // Datagrams dropped before they completed: their later fragments are
    // ignored (and not counted again) until the timeout passes.
    std::map<Key, Timestamp> abandoned_;
    std::vector<std::uint8_t> completed_;
    Counters counters_;
};

}  // namespace trustcap
