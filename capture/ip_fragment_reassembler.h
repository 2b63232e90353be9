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
        std::size_t max_datagram_bytes = 65535;
        std::size_t max_pending_datagrams = 1024;
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
    };

    struct Counters {
        std::uint64_t datagrams_reassembled = 0;
        std::uint64_t datagrams_dropped = 0;  // timed out, over a cap, or inconsistent
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
        Timestamp first_seen;
    };

    void expire(const Timestamp& now);
    void abandon(const Key& key, const Timestamp& now);
    void evict_oldest();
    [[nodiscard]] bool timed_out(const Timestamp& since, const Timestamp& now) const;

    Limits limits_;
    std::map<Key, Pending> pending_;
    // Datagrams dropped before they completed: their later fragments are
    // ignored (and not counted again) until the timeout passes.
    std::map<Key, Timestamp> abandoned_;
    std::vector<std::uint8_t> completed_;
    Counters counters_;
};

}  // namespace trustcap
