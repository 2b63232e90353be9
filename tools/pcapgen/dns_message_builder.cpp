#include "dns_message_builder.h"

#include <stdexcept>

namespace pcapgen {

namespace {

constexpr std::uint16_t flag_response = 0x8000;
constexpr std::uint16_t flag_recursion_desired = 0x0100;
constexpr std::uint16_t flag_recursion_available = 0x0080;
constexpr std::uint16_t type_a = 1;
constexpr std::uint16_t class_in = 1;
constexpr std::uint16_t pointer_to_question_name = 0xc00c;

void write_name(ByteWriter& writer, std::string_view name)
{
    while (!name.empty()) {
        const std::size_t dot = name.find('.');
        const std::string_view label = name.substr(0, dot);
        if (label.empty() || label.size() > 63) {
            throw std::invalid_argument("bad DNS label");
        }
        writer.u8(static_cast<std::uint8_t>(label.size()));
        writer.append(std::span(reinterpret_cast<const std::uint8_t*>(label.data()), label.size()));
        name = dot == std::string_view::npos ? std::string_view{} : name.substr(dot + 1);
    }
    writer.u8(0);
}

void write_header_and_question(ByteWriter& writer, std::uint16_t id, std::uint16_t flags, std::uint16_t answers,
                               std::string_view name)
{
    writer.u16(id).u16(flags).u16(1).u16(answers).u16(0).u16(0);
    write_name(writer, name);
    writer.u16(type_a).u16(class_in);
}

}  // namespace

Bytes dns_a_query(std::uint16_t id, std::string_view name)
{
    ByteWriter writer;
    write_header_and_question(writer, id, flag_recursion_desired, 0, name);
    return writer.take();
}

Bytes dns_a_response(std::uint16_t id, std::string_view name, std::uint8_t rcode,
                     const std::optional<IpAddress>& address, std::uint32_t ttl)
{
    if (address && address->is_ipv6()) {
        throw std::invalid_argument("an A record holds an IPv4 address");
    }
    const std::uint16_t flags = flag_response | flag_recursion_desired | flag_recursion_available | (rcode & 0x0f);
    ByteWriter writer;
    write_header_and_question(writer, id, flags, address ? 1 : 0, name);
    if (address) {
        writer.u16(pointer_to_question_name).u16(type_a).u16(class_in).u32(ttl).u16(4).append(address->bytes());
    }
    return writer.take();
}

}  // namespace pcapgen
