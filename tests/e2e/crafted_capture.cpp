#include "crafted_capture.h"

#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <iterator>
#include <stdexcept>

namespace trustcap::testing {
namespace {

namespace fs = std::filesystem;

std::vector<std::uint8_t> file_bytes(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw std::runtime_error("cannot read " + path.string());
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

void write_file(const fs::path& path, const std::vector<std::uint8_t>& bytes) {
    std::ofstream out(path, std::ios::binary);
    out.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
    if (!out) throw std::runtime_error("cannot write " + path.string());
}

std::uint32_t little_endian_32(const std::vector<std::uint8_t>& bytes, std::size_t at) {
    if (at + 4 > bytes.size()) throw std::runtime_error("capture cut short");
    return bytes[at] | (bytes[at + 1] << 8) | (bytes[at + 2] << 16) | (std::uint32_t{bytes[at + 3]} << 24);
}

void append(std::vector<std::uint8_t>& out, std::uint64_t value, int bytes) {
    for (int i = 0; i < bytes; ++i) out.push_back(static_cast<std::uint8_t>(value >> (8 * i)));
}

void append_block(std::vector<std::uint8_t>& out, std::uint32_t type, const std::vector<std::uint8_t>& body) {
    const std::size_t length = 12 + body.size();
    append(out, type, 4);
    append(out, length, 4);
    out.insert(out.end(), body.begin(), body.end());
    append(out, length, 4);
}

}  // namespace

ClassicCapture read_classic_capture(const fs::path& path) {
    const std::vector<std::uint8_t> bytes = file_bytes(path);
    ClassicCapture capture;
    capture.magic = little_endian_32(bytes, 0);
    if (capture.magic != 0xa1b2c3d4 && capture.magic != 0xa1b23c4d)
        throw std::runtime_error(path.string() + ": not a little-endian classic pcap file");
    capture.link_type = little_endian_32(bytes, 20);
    for (std::size_t at = 24; at < bytes.size();) {
        ClassicRecord record;
        record.seconds = little_endian_32(bytes, at);
        record.fraction = little_endian_32(bytes, at + 4);
        const std::uint32_t captured = little_endian_32(bytes, at + 8);
        at += 16;
        if (at + captured > bytes.size()) throw std::runtime_error(path.string() + ": record cut short");
        record.data.assign(bytes.begin() + static_cast<std::ptrdiff_t>(at),
                           bytes.begin() + static_cast<std::ptrdiff_t>(at + captured));
        at += captured;
        capture.records.push_back(std::move(record));
    }
    return capture;
}

void write_classic_capture(const fs::path& path, const ClassicCapture& capture) {
    std::vector<std::uint8_t> bytes;
    append(bytes, capture.magic, 4);
    append(bytes, 2, 2);
    append(bytes, 4, 2);
    append(bytes, 0, 8);
    append(bytes, 262144, 4);
    append(bytes, capture.link_type, 4);
    for (const ClassicRecord& record : capture.records) {
        append(bytes, record.seconds, 4);
        append(bytes, record.fraction, 4);
        append(bytes, record.data.size(), 4);
        append(bytes, record.data.size(), 4);
        bytes.insert(bytes.end(), record.data.begin(), record.data.end());
    }
    write_file(path, bytes);
}

void write_pcapng_capture(const fs::path& path, const ClassicCapture& capture, std::uint8_t resolution_digits,
                          std::int64_t offset_seconds, const std::vector<std::uint64_t>& timestamps) {
    if (timestamps.size() != capture.records.size()) throw std::runtime_error("one timestamp per record");
    std::vector<std::uint8_t> bytes;
    std::vector<std::uint8_t> section;
    append(section, 0x1a2b3c4d, 4);
    append(section, 1, 2);
    append(section, 0, 2);
    append(section, ~std::uint64_t{0}, 8);
    append_block(bytes, 0x0a0d0d0a, section);

    std::vector<std::uint8_t> interface;
    append(interface, capture.link_type, 2);
    append(interface, 0, 2);
    append(interface, 262144, 4);
    append(interface, 9, 2);  // if_tsresol
    append(interface, 1, 2);
    interface.insert(interface.end(), {resolution_digits, 0, 0, 0});
    append(interface, 14, 2);  // if_tsoffset
    append(interface, 8, 2);
    append(interface, static_cast<std::uint64_t>(offset_seconds), 8);
    append(interface, 0, 4);  // opt_endofopt
    append_block(bytes, 1, interface);

    for (std::size_t i = 0; i < capture.records.size(); ++i) {
        const ClassicRecord& record = capture.records[i];
        std::vector<std::uint8_t> packet;
        append(packet, 0, 4);
        append(packet, timestamps[i] >> 32, 4);
        append(packet, timestamps[i] & 0xffffffffU, 4);
        append(packet, record.data.size(), 4);
        append(packet, record.data.size(), 4);
        packet.insert(packet.end(), record.data.begin(), record.data.end());
        packet.resize((packet.size() + 3) / 4 * 4, 0);
        append_block(bytes, 6, packet);
    }
    write_file(path, bytes);
}

void replace_bytes(const fs::path& path, const std::string& from, const std::string& to) {
    if (from.size() != to.size() || from.empty()) throw std::runtime_error("replacement must keep the length");
    std::vector<std::uint8_t> bytes = file_bytes(path);
    std::size_t replaced = 0;
    const auto same = [](std::uint8_t byte, char wanted) { return byte == static_cast<std::uint8_t>(wanted); };
    for (auto at = std::search(bytes.begin(), bytes.end(), from.begin(), from.end(), same); at != bytes.end();
         at = std::search(at + static_cast<std::ptrdiff_t>(from.size()), bytes.end(), from.begin(), from.end(), same)) {
        std::copy(to.begin(), to.end(), at);
        ++replaced;
    }
    if (replaced == 0) throw std::runtime_error(path.string() + " holds no \"" + from + "\"");
    write_file(path, bytes);
}

ScratchDirectory::ScratchDirectory(const std::string& name)
    : path_(fs::temp_directory_path() / ("trustcap-" + name + "-" + std::to_string(getpid()))) {
    fs::remove_all(path_);
    fs::create_directories(path_);
}

ScratchDirectory::~ScratchDirectory() {
    std::error_code ignored;
    fs::remove_all(path_, ignored);
}

}  // namespace trustcap::testing
