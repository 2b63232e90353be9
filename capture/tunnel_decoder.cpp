#include "capture/tunnel_decoder.h"

#include <string>

namespace trustcap {
namespace {

namespace gre_flag {
constexpr std::uint16_t checksum = 0x8000;
constexpr std::uint16_t routing = 0x4000;
constexpr std::uint16_t key = 0x2000;
constexpr std::uint16_t sequence = 0x1000;
constexpr std::uint16_t version_mask = 0x0007;
}  // namespace gre_flag

constexpr std::uint16_t gre_erspan_type_1_2 = 0x88BE;
constexpr std::uint16_t gre_erspan_type_3 = 0x22EB;

constexpr std::size_t erspan_type_2_header_length = 8;
constexpr std::size_t erspan_type_3_header_length = 12;
constexpr std::size_t erspan_type_3_subheader_length = 8;
constexpr std::uint8_t erspan_version_type_2 = 1;
constexpr std::uint8_t erspan_version_type_3 = 2;
constexpr std::uint8_t erspan_frame_type_ethernet = 0;
constexpr std::uint8_t erspan_frame_type_ip = 2;

// RFC 1701 source routing entries; real routers never send them, so a long
// list is hostile.
constexpr int max_source_route_entries = 16;

NetworkPayload malformed(std::string problem) {
    return {NetworkPayload::Kind::malformed, {}, std::move(problem)};
}

// RFC 1701 routing: Source Route Entries until a null one (family 0, length 0).
bool skip_source_routes(ByteReader& reader) {
    for (int entry = 0; entry < max_source_route_entries; ++entry) {
        auto family = reader.u16be();
        auto offset = reader.u8();
        auto length = reader.u8();
        if (!family || !offset || !length) return false;
        if (*family == 0 && *length == 0) return true;
        if (!reader.skip(*length)) return false;
    }
    return false;
}

// draft-foschiano-erspan: the header's version says its layout (1: type II,
// 2: type III), whichever GRE protocol type announced it.
NetworkPayload decode_erspan_header(Bytes erspan) {
    ByteReader reader(erspan);
    auto first = reader.peek();
    if (!first) return malformed("ERSPAN: header truncated (0 bytes)");
    const std::uint8_t version = *first >> 4;
    if (version == erspan_version_type_2) {
        if (!reader.skip(erspan_type_2_header_length)) {
            return malformed("ERSPAN II: header truncated (" + std::to_string(erspan.size()) + " of 8 bytes)");
        }
        return decode_ethernet(reader.rest());
    }
    if (version != erspan_version_type_3) {
        return malformed("ERSPAN: unknown version " + std::to_string(version));
    }
    auto header = reader.take(erspan_type_3_header_length);
    if (!header) return malformed("ERSPAN III: header truncated (" + std::to_string(erspan.size()) + " of 12 bytes)");
    const std::uint8_t frame_type = ((*header)[10] >> 2) & 0x1F;
    const bool has_platform_subheader = ((*header)[11] & 0x01) != 0;
    if (has_platform_subheader && !reader.skip(erspan_type_3_subheader_length)) {
        return malformed("ERSPAN III: platform-specific subheader truncated");
    }
    switch (frame_type) {
        case erspan_frame_type_ethernet: return decode_ethernet(reader.rest());
        case erspan_frame_type_ip: return classify_by_ip_version(reader.rest());
        default: return {NetworkPayload::Kind::not_ip, {}, {}};
    }
}

}  // namespace

NetworkPayload decode_gre(Bytes gre) {
    ByteReader reader(gre);
    auto flags = reader.u16be();
    auto protocol = reader.u16be();
    if (!flags || !protocol) return malformed("GRE: header truncated (" + std::to_string(gre.size()) + " of 4 bytes)");
    if ((*flags & gre_flag::version_mask) != 0) return {NetworkPayload::Kind::not_ip, {}, {}};

    // RFC 1701: checksum and offset are present together when either C or R is set.
    if ((*flags & (gre_flag::checksum | gre_flag::routing)) && !reader.skip(4)) {
        return malformed("GRE: checksum field truncated");
    }
    if ((*flags & gre_flag::key) && !reader.skip(4)) return malformed("GRE: key field truncated");
    if ((*flags & gre_flag::sequence) && !reader.skip(4)) return malformed("GRE: sequence number field truncated");
    if ((*flags & gre_flag::routing) && !skip_source_routes(reader)) {
        return malformed("GRE: source routing entries truncated or too many");
    }

    switch (*protocol) {
        case ethertype::transparent_ethernet_bridging: return decode_ethernet(reader.rest());
        case gre_erspan_type_1_2:
            // Type I has no ERSPAN header and no GRE sequence number.
            if (!(*flags & gre_flag::sequence)) return decode_ethernet(reader.rest());
            return decode_erspan_header(reader.rest());
        case gre_erspan_type_3: return decode_erspan_header(reader.rest());
        default: return decode_ethertype_payload(*protocol, reader.rest());
    }
}

}  // namespace trustcap
