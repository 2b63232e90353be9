// Memory follows the connections open at once, not all the connections a
// capture ever held: the capture is written here, at run time.
#include <gtest/gtest.h>

#include <cstdint>
#include <fstream>
#include <string>

#include <nlohmann/json.hpp>

#include "capture_corpus.h"
#include "crafted_capture.h"
#include "process.h"

namespace trustcap::testing {
namespace {

using Json = nlohmann::json;

constexpr std::uint32_t connections = 60'000;
constexpr std::size_t bytes_each_way = 1'000;
constexpr std::uint8_t fin = 0x01, syn = 0x02, psh = 0x08, ack = 0x10;

void put16(std::vector<std::uint8_t>& out, std::uint32_t value) {
    out.push_back(static_cast<std::uint8_t>(value >> 8));
    out.push_back(static_cast<std::uint8_t>(value));
}

void put32(std::vector<std::uint8_t>& out, std::uint32_t value) {
    put16(out, value >> 16);
    put16(out, value & 0xffff);
}

struct Host {
    std::uint32_t address;
    std::uint16_t port;
};

// An Ethernet frame of one IPv4 TCP segment (checksums left zero: nothing here checks them).
std::vector<std::uint8_t> segment(Host from, Host to, std::uint8_t flags, std::uint32_t seq, std::uint32_t ack_number,
                                  std::size_t payload_bytes) {
    std::vector<std::uint8_t> frame{0, 0x11, 0x22, 0x33, 0x44, 0x55, 0, 0x66, 0x77, 0x88, 0x99, 0xaa, 0x08, 0x00};
    frame.insert(frame.end(), {0x45, 0});
    put16(frame, static_cast<std::uint32_t>(40 + payload_bytes));
    frame.insert(frame.end(), {0, 0, 0x40, 0, 64, 6, 0, 0});
    put32(frame, from.address);
    put32(frame, to.address);
    put16(frame, from.port);
    put16(frame, to.port);
    put32(frame, seq);
    put32(frame, ack_number);
    frame.insert(frame.end(), {0x50, flags, 0xfa, 0xf0, 0, 0, 0, 0});
    for (std::size_t i = 0; i < payload_bytes; ++i) frame.push_back(static_cast<std::uint8_t>(i * 7 + seq));
    return frame;
}

void put32_little(std::ofstream& file, std::uint32_t value) {
    for (int shift = 0; shift < 32; shift += 8) file.put(static_cast<char>((value >> shift) & 0xff));
}

// `connections` complete TCP connections to port 443, one every millisecond,
// each with 1000 bytes of non-TLS data each way and closed by both FINs.
// Written as it is made: a capture held in this process would count in the
// peak memory of trustcap, forked from it.
void write_many_short_connections(const std::filesystem::path& path) {
    std::ofstream file(path, std::ios::binary);
    for (std::uint32_t word : {0xa1b2c3d4u, 0x00040002u, 0u, 0u, 65535u, 1u}) put32_little(file, word);
    constexpr std::uint32_t seconds = 1'700'000'000;
    for (std::uint32_t i = 0; i < connections; ++i) {
        Host client{0x0a000000u | (i & 0xffffff), static_cast<std::uint16_t>(1024 + i % 60'000)};
        Host server{0xc0000200u | (i % 200 + 1), 443};
        const std::uint32_t c = i * 2'654'435'761u, s = i * 40'503u;
        const std::size_t n = bytes_each_way;
        const std::uint32_t n32 = static_cast<std::uint32_t>(n);
        const std::vector<std::vector<std::uint8_t>> packets{
            segment(client, server, syn, c, 0, 0),
            segment(server, client, syn | ack, s, c + 1, 0),
            segment(client, server, ack, c + 1, s + 1, 0),
            segment(client, server, psh | ack, c + 1, s + 1, n),
            segment(server, client, psh | ack, s + 1, c + 1 + n32, n),
            segment(client, server, fin | ack, c + 1 + n32, s + 1 + n32, 0),
            segment(server, client, fin | ack, s + 1 + n32, c + 2 + n32, 0),
            segment(client, server, ack, c + 2 + n32, s + 2 + n32, 0),
        };
        std::uint32_t microseconds = i * 1'000;
        for (const std::vector<std::uint8_t>& packet : packets) {
            put32_little(file, seconds + microseconds / 1'000'000);
            put32_little(file, microseconds % 1'000'000);
            put32_little(file, static_cast<std::uint32_t>(packet.size()));
            put32_little(file, static_cast<std::uint32_t>(packet.size()));
            file.write(reinterpret_cast<const char*>(packet.data()), static_cast<std::streamsize>(packet.size()));
            microseconds += 10;
        }
    }
}

TEST(ManyConnections, MemoryFollowsTheConnectionsOpenAtOnceNotAllThoseSeen) {
    ScratchDirectory scratch("trustcap-many-connections");
    const auto capture = scratch.path() / "many.pcap";
    write_many_short_connections(capture);

    ProcessResult run = run_process({trustcap_binary(), "--format", "json", capture.string()});
    ASSERT_EQ(1, run.exit_status) << run.standard_error;
    Json report = Json::parse(run.standard_output);
    const Json& memory = report.at("capture").at("limits").at("memory");
    EXPECT_TRUE(memory.at("first_reached_frame").is_null()) << memory;
    EXPECT_EQ(0u, memory.at("flows_evicted"));
    // A closed connection is let go 2 s after its last packet: what stays of
    // each is its table entry (under 500 bytes), until the idle timeout.
    EXPECT_LT(memory.at("peak_bytes").get<std::size_t>(), std::size_t{connections} * 500) << memory;
    if (peak_memory_is_the_programs) {
        EXPECT_LT(run.peak_memory_kib, 64u * 1024);
    }
}

}  // namespace
}  // namespace trustcap::testing
