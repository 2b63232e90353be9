#include "dissect/dns_message.h"

#include <array>
#include <string_view>
#include <utility>

namespace trustcap {
namespace {

constexpr std::size_t header_length = 12;
constexpr std::size_t max_name_wire_length = 255;
constexpr int max_compression_jumps = 64;

void append_label(Bytes label, std::string& name) {
    for (const std::uint8_t byte : label) {
        if (byte >= 'A' && byte <= 'Z') {
            name.push_back(static_cast<char>(byte - 'A' + 'a'));
        } else if (byte == '.' || byte == '\\') {
            name.push_back('\\');
            name.push_back(static_cast<char>(byte));
        } else if (byte <= ' ' || byte >= 0x7f) {
            name.push_back('\\');
            name.push_back(static_cast<char>('0' + byte / 100));
            name.push_back(static_cast<char>('0' + byte / 10 % 10));
            name.push_back(static_cast<char>('0' + byte % 10));
        } else {
            name.push_back(static_cast<char>(byte));
        }
    }
}

std::string at(std::size_t offset) { return " at offset " + std::to_string(offset); }

// Reads the name starting at `offset`. `end` becomes the offset just past the
// name's bytes in place: after its root label, or after its first pointer.
bool read_name(Bytes message, std::size_t offset, std::string& name, std::size_t& end, std::string& error) {
    name.clear();
    std::size_t position = offset;
    std::size_t run_start = offset;
    std::optional<std::size_t> end_in_place;
    std::size_t wire_length = 1;  // the root label
    int jumps = 0;
    while (true) {
        if (position >= message.size()) {
            error = "name" + at(offset) + " runs past the end of the message";
            return false;
        }
        const std::uint8_t length_byte = message[position];
        const std::uint8_t label_type = length_byte & 0xC0;
        if (label_type == 0xC0) {
            if (position + 1 >= message.size()) {
                error = "compression pointer" + at(position) + " is cut off by the end of the message";
                return false;
            }
            const std::size_t target = (std::size_t{length_byte & 0x3Fu} << 8) | message[position + 1];
            if (target >= message.size()) {
                error = "compression pointer" + at(position) + " points past the end of the message";
                return false;
            }
            if (target == position) {
                error = "compression pointer" + at(position) + " points to itself";
                return false;
            }
            if (target >= run_start) {
                error = "compression pointer" + at(position) + " points forward or loops (to offset " +
                        std::to_string(target) + ")";
                return false;
            }
            if (++jumps > max_compression_jumps) {
                error = "name" + at(offset) + " follows more than 64 compression pointers";
                return false;
            }
            if (!end_in_place) end_in_place = position + 2;
            position = run_start = target;
            continue;
        }
        if (label_type != 0) {
            error =
                "label type 0x" + std::string(label_type == 0x40 ? "40" : "80") + at(position) + " is not supported";
            return false;
        }
        if (length_byte == 0) {
            end = end_in_place.value_or(position + 1);
            return true;
        }
        wire_length += 1 + std::size_t{length_byte};
        if (wire_length > max_name_wire_length) {
            error = "name" + at(offset) + " is longer than 255 bytes";
            return false;
        }
        if (position + 1 + length_byte > message.size()) {
            error = "label" + at(position) + " runs past the end of the message";
            return false;
        }
        if (!name.empty()) name.push_back('.');
        append_label(message.subspan(position + 1, length_byte), name);
        position += 1 + std::size_t{length_byte};
    }
}

// Reads a name at the reader's position and moves the reader past it.
bool read_name(Bytes message, ByteReader& reader, std::string& name, std::string& error) {
    std::size_t end = 0;
    if (!read_name(message, reader.position(), name, end, error)) return false;
    return reader.skip(end - reader.position());
}

bool read_record_data(Bytes message, std::size_t data_offset, Bytes data, DnsAnswer& answer, std::string& error) {
    switch (answer.type) {
        case dns_type::a:
        case dns_type::aaaa: {
            const std::size_t expected = answer.type == dns_type::a ? 4 : 16;
            if (data.size() != expected) {
                error = std::string(answer.type == dns_type::a ? "A" : "AAAA") + " record with " +
                        std::to_string(data.size()) + " bytes of data";
                return false;
            }
            answer.data = answer.type == dns_type::a ? IpAddress::v4(data) : IpAddress::v6(data);
            return true;
        }
        case dns_type::cname: {
            std::string target;
            std::size_t end = 0;
            if (!read_name(message, data_offset, target, end, error)) return false;
            if (end > data_offset + data.size()) {
                error = "CNAME target runs past its record data";
                return false;
            }
            answer.data = std::move(target);
            return true;
        }
        default: return true;
    }
}

std::string section_item(std::string_view section, std::size_t index, std::uint16_t count) {
    return std::string(section) + " " + std::to_string(index + 1) + " of " + std::to_string(count) + ": ";
}

}  // namespace

std::optional<DnsMessage> parse_dns_message(Bytes message, std::string& error) {
    if (message.size() < header_length) {
        error = "DNS message of " + std::to_string(message.size()) + " bytes is shorter than its 12-byte header";
        return std::nullopt;
    }
    ByteReader reader(message);
    DnsMessage parsed;
    parsed.id = *reader.u16be();
    const std::uint16_t flags = *reader.u16be();
    const std::uint16_t question_count = *reader.u16be();
    const std::uint16_t answer_count = *reader.u16be();
    parsed.authority_count = *reader.u16be();
    parsed.additional_count = *reader.u16be();
    parsed.is_response = (flags & 0x8000) != 0;
    parsed.opcode = static_cast<std::uint8_t>((flags >> 11) & 0x0F);
    parsed.authoritative = (flags & 0x0400) != 0;
    parsed.truncated = (flags & 0x0200) != 0;
    parsed.recursion_desired = (flags & 0x0100) != 0;
    parsed.recursion_available = (flags & 0x0080) != 0;
    parsed.rcode = static_cast<std::uint8_t>(flags & 0x0F);

    // The counts are not trusted for reserving: every entry consumes at least
    // five bytes, so a lying count runs into the end of the message quickly.
    for (std::size_t index = 0; index < question_count; ++index) {
        DnsQuestion question;
        std::string name_error;
        if (!read_name(message, reader, question.name, name_error)) {
            error = section_item("question", index, question_count) + name_error;
            return std::nullopt;
        }
        const auto type = reader.u16be();
        const auto klass = reader.u16be();
        if (!type || !klass) {
            error = section_item("question", index, question_count) + "the message ends inside it";
            return std::nullopt;
        }
        question.type = *type;
        question.klass = *klass;
        parsed.questions.push_back(std::move(question));
    }

    for (std::size_t index = 0; index < answer_count; ++index) {
        DnsAnswer answer;
        std::string record_error;
        if (!read_name(message, reader, answer.name, record_error)) {
            error = section_item("answer", index, answer_count) + record_error;
            return std::nullopt;
        }
        const auto type = reader.u16be();
        const auto klass = reader.u16be();
        const auto ttl = reader.u32be();
        const auto data_length = reader.u16be();
        const std::size_t data_offset = reader.position();
        const auto data = data_length ? reader.take(*data_length) : std::nullopt;
        if (!type || !klass || !ttl || !data) {
            error = section_item("answer", index, answer_count) + "the message ends inside it";
            return std::nullopt;
        }
        answer.type = *type;
        answer.klass = *klass;
        answer.ttl = *ttl;
        if (!read_record_data(message, data_offset, *data, answer, record_error)) {
            error = section_item("answer", index, answer_count) + record_error;
            return std::nullopt;
        }
        parsed.answers.push_back(std::move(answer));
    }
    return parsed;
}

std::string dns_rcode_name(std::uint8_t rcode) {
    constexpr std::array<std::string_view, 11> names{
        "No error",    "Format error", "Server failure",       "No such name",      "Not implemented", "Refused",
        "Name exists", "RRset exists", "RRset does not exist", "Not authoritative", "Name out of zone"};
    if (rcode < names.size()) return std::string(names[rcode]);
    return "Unknown (" + std::to_string(rcode) + ")";
}

std::string dns_rcode_id(std::uint8_t rcode) {
    constexpr std::array<std::string_view, 11> ids{"NOERROR",  "FORMERR", "SERVFAIL", "NXDOMAIN", "NOTIMP", "REFUSED",
                                                   "YXDOMAIN", "YXRRSET", "NXRRSET",  "NOTAUTH",  "NOTZONE"};
    if (rcode < ids.size()) return std::string(ids[rcode]);
    return "RCODE" + std::to_string(rcode);
}

}  // namespace trustcap
