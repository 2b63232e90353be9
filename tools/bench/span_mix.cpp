// Builds tools/bench's span-port-like capture: many copies of the given
// captures, each copy between hosts of its own (see renumber_hosts) and
// starting a little after the one before, merged in time order into one
// Ethernet pcap, as a span port carrying many such conversations at once
// would record them.
//   usage: trustcap-span-mix OUTPUT MEBIBYTES SPACING_MICROSECONDS
//                            [--once CAPTURE]... CAPTURE...
// Makes as many copies of the CAPTUREs as fit in MEBIBYTES; a capture given
// with --once is added once, as it is, from the start. Prints what it wrote:
// frames, bytes, the share of bytes on TCP port 443, the inputs it skipped.
#include <pcap/pcap.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <queue>
#include <string>
#include <vector>

#include "address_renumbering.h"
#include "ethernet_reframing.h"

namespace {

constexpr int output_snaplen = 262'144;
constexpr std::uint64_t nanoseconds_per_second = 1'000'000'000;
constexpr std::uint64_t start_of_mix_seconds = 1'700'000'000;

struct StoredFrame {
    std::uint64_t offset_nanoseconds;  // from the first frame of its capture
    std::uint32_t original_length;
    std::vector<std::uint8_t> bytes;  // as Ethernet
};

struct StoredCapture {
    std::string name;
    std::vector<StoredFrame> frames;
    std::uint64_t bytes = 0;
};

std::uint64_t nanoseconds_of(const pcap_pkthdr& header) {
    return static_cast<std::uint64_t>(header.ts.tv_sec) * nanoseconds_per_second +
           static_cast<std::uint64_t>(header.ts.tv_usec);
}

// Reads a capture whole, as Ethernet frames in file order; empty when
// libpcap cannot read it or its link type carries no IP.
StoredCapture load(const std::string& path) {
    StoredCapture capture{path, {}, 0};
    char error[PCAP_ERRBUF_SIZE];
    pcap_t* handle = pcap_open_offline_with_tstamp_precision(path.c_str(), PCAP_TSTAMP_PRECISION_NANO, error);
    if (handle == nullptr) {
        std::fprintf(stderr, "skipped %s: %s\n", path.c_str(), error);
        return capture;
    }
    int link_type = pcap_datalink(handle);
    pcap_pkthdr* header = nullptr;
    const u_char* data = nullptr;
    std::uint64_t first = 0;
    while (pcap_next_ex(handle, &header, &data) == 1) {
        auto frame = bench::as_ethernet_frame(link_type, std::span<const std::uint8_t>(data, header->caplen));
        if (!frame) continue;
        std::uint64_t time = nanoseconds_of(*header);
        if (capture.frames.empty()) first = time;
        std::uint64_t offset = time >= first ? time - first : 0;
        std::uint32_t added = static_cast<std::uint32_t>(frame->size()) - header->caplen;
        capture.bytes += frame->size() + sizeof(pcap_pkthdr);
        capture.frames.push_back({offset, header->len + added, std::move(*frame)});
    }
    pcap_close(handle);
    if (capture.frames.empty()) std::fprintf(stderr, "skipped %s: no IP frames\n", path.c_str());
    return capture;
}

// Where one copy of one capture has got to.
struct Cursor {
    std::uint64_t start_nanoseconds;
    std::uint32_t capture;
    std::uint16_t copy;
    std::size_t next_frame = 0;
};

bool is_tcp_443(const std::vector<std::uint8_t>& frame) {
    std::optional<bench::NetworkLayer> network = bench::network_layer_of(frame);
    if (!network) return false;
    std::size_t ip = network->offset;
    std::size_t transport = 0;
    if (network->ethertype == 0x0800 && ip + 20 <= frame.size() && frame[ip + 9] == 6) {
        transport = ip + (frame[ip] & 0x0f) * 4u;
    } else if (network->ethertype == 0x86dd && ip + 40 <= frame.size() && frame[ip + 6] == 6) {
        transport = ip + 40;
    } else {
        return false;
    }
    if (transport + 4 > frame.size()) return false;
    auto port = [&](std::size_t at) { return frame[at] << 8 | frame[at + 1]; };
    return port(transport) == 443 || port(transport + 2) == 443;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 5) {
        std::fprintf(stderr, "usage: %s OUTPUT MEBIBYTES SPACING_MICROSECONDS [--once CAPTURE]... CAPTURE...\n",
                     argv[0]);
        return 2;
    }
    const std::uint64_t target_bytes = std::strtoull(argv[2], nullptr, 10) << 20;
    const std::uint64_t spacing_nanoseconds = std::strtoull(argv[3], nullptr, 10) * 1000;
    std::vector<StoredCapture> captures;
    std::uint64_t round_bytes = 0;
    int first_copied = 4;
    std::vector<StoredCapture> added_once;
    while (first_copied + 1 < argc && std::string(argv[first_copied]) == "--once") {
        StoredCapture capture = load(argv[first_copied + 1]);
        if (!capture.frames.empty()) added_once.push_back(std::move(capture));
        first_copied += 2;
    }
    for (int i = first_copied; i < argc; ++i) {
        StoredCapture capture = load(argv[i]);
        if (capture.frames.empty()) continue;
        round_bytes += capture.bytes;
        captures.push_back(std::move(capture));
    }
    if (captures.empty() || round_bytes == 0) {
        std::fprintf(stderr, "no capture to mix\n");
        return 1;
    }
    const std::uint64_t copies = std::min<std::uint64_t>(65'535, std::max<std::uint64_t>(1, target_bytes / round_bytes));

    // Copy k of capture c starts k spacings in, the captures of a copy spread over that spacing.
    using Entry = std::pair<std::uint64_t, std::size_t>;  // next frame's time, cursor
    std::vector<Cursor> cursors;
    std::priority_queue<Entry, std::vector<Entry>, std::greater<>> next;
    for (std::uint64_t copy = 0; copy < copies; ++copy) {
        for (std::size_t c = 0; c < captures.size(); ++c) {
            std::uint64_t start = copy * spacing_nanoseconds + c * spacing_nanoseconds / captures.size();
            cursors.push_back({start, static_cast<std::uint32_t>(c), static_cast<std::uint16_t>(copy)});
            next.push({start, cursors.size() - 1});
        }
    }

    const std::size_t copied_captures = captures.size();
    for (StoredCapture& capture : added_once) {
        captures.push_back(std::move(capture));
        cursors.push_back({0, static_cast<std::uint32_t>(captures.size() - 1), 0});
        next.push({0, cursors.size() - 1});
    }

    pcap_t* dead = pcap_open_dead_with_tstamp_precision(DLT_EN10MB, output_snaplen, PCAP_TSTAMP_PRECISION_NANO);
    pcap_dumper_t* output = pcap_dump_open(dead, argv[1]);
    if (output == nullptr) {
        std::fprintf(stderr, "%s: %s\n", argv[1], pcap_geterr(dead));
        return 1;
    }
    std::uint64_t frames = 0, bytes = 0, bytes_on_443 = 0;
    std::vector<std::uint8_t> scratch;
    while (!next.empty()) {
        auto [time, index] = next.top();
        next.pop();
        Cursor& cursor = cursors[index];
        const StoredFrame& frame = captures[cursor.capture].frames[cursor.next_frame++];
        scratch = frame.bytes;
        bench::renumber_hosts(scratch, cursor.copy);
        std::uint64_t at = start_of_mix_seconds * nanoseconds_per_second + time;
        pcap_pkthdr header{};
        header.ts.tv_sec = static_cast<time_t>(at / nanoseconds_per_second);
        header.ts.tv_usec = static_cast<suseconds_t>(at % nanoseconds_per_second);
        header.caplen = static_cast<bpf_u_int32>(scratch.size());
        header.len = frame.original_length;
        pcap_dump(reinterpret_cast<u_char*>(output), &header, scratch.data());
        ++frames;
        bytes += scratch.size();
        if (is_tcp_443(scratch)) bytes_on_443 += scratch.size();
        const StoredCapture& capture = captures[cursor.capture];
        if (cursor.next_frame < capture.frames.size())
            next.push({cursor.start_nanoseconds + capture.frames[cursor.next_frame].offset_nanoseconds, index});
    }
    pcap_dump_close(output);
    pcap_close(dead);
    std::printf("%llu copies of %zu captures and %zu captures once: %llu frames, %llu MiB, %.1f %% of bytes on TCP port 443\n",
                static_cast<unsigned long long>(copies), copied_captures, added_once.size(), static_cast<unsigned long long>(frames),
                static_cast<unsigned long long>(bytes >> 20), bytes ? 100.0 * static_cast<double>(bytes_on_443) / static_cast<double>(bytes) : 0.0);
    return 0;
}
