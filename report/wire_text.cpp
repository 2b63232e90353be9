#include "report/wire_text.h"

#include <cstdint>
#include <cstdio>
#include <optional>

namespace trustcap {
namespace {

struct DecodedCharacter {
    char32_t code_point = 0;
    std::size_t length = 0;
};

// The UTF-8 character at the start of `text` (RFC 3629), or nothing when
// its first byte does not begin a valid one.
std::optional<DecodedCharacter> decode_utf8(std::string_view text) {
    const auto byte = [&](std::size_t index) { return static_cast<std::uint8_t>(text[index]); };
    const std::uint8_t lead = byte(0);
    if (lead < 0x80) return DecodedCharacter{lead, 1};
    std::size_t length = 0;
    char32_t code_point = 0;
    char32_t smallest = 0;
    if (lead >= 0xc2 && lead <= 0xdf) {
        length = 2;
        code_point = lead & 0x1fU;
        smallest = 0x80;
    } else if (lead >= 0xe0 && lead <= 0xef) {
        length = 3;
        code_point = lead & 0x0fU;
        smallest = 0x800;
    } else if (lead >= 0xf0 && lead <= 0xf4) {
        length = 4;
        code_point = lead & 0x07U;
        smallest = 0x10000;
    } else {
        return std::nullopt;
    }
    if (text.size() < length) return std::nullopt;
    for (std::size_t index = 1; index < length; ++index) {
        if ((byte(index) & 0xc0U) != 0x80) return std::nullopt;
        code_point = (code_point << 6) | (byte(index) & 0x3fU);
    }
    if (code_point < smallest || code_point > 0x10ffff || (code_point >= 0xd800 && code_point <= 0xdfff))
        return std::nullopt;
    return DecodedCharacter{code_point, length};
}

bool is_ascii_control(char32_t code_point) { return code_point < 0x20 || code_point == 0x7f; }

// Characters that act on the text around them instead of being seen.
bool acts_on_display(char32_t code_point) {
    return (code_point >= 0x80 && code_point <= 0x9f)          // C1 controls: CSI, OSC, …
           || code_point == 0x061c                             // Arabic letter mark
           || code_point == 0x200e || code_point == 0x200f     // left-to-right and right-to-left marks
           || code_point == 0x2028 || code_point == 0x2029     // line and paragraph separators
           || (code_point >= 0x202a && code_point <= 0x202e)   // bidirectional embeddings and overrides
           || (code_point >= 0x2066 && code_point <= 0x2069);  // bidirectional isolates
}

void append_byte_escape(std::string& out, std::uint8_t byte) {
    char text[8];
    std::snprintf(text, sizeof text, "\\x%02X", byte);
    out += text;
}

void append_character_escape(std::string& out, char32_t code_point) {
    char text[12];
    std::snprintf(text, sizeof text, "\\u%04X", static_cast<unsigned>(code_point));
    out += text;
}

}  // namespace

std::string terminal_text(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (std::size_t at = 0; at < text.size();) {
        const auto character = decode_utf8(text.substr(at));
        if (!character || is_ascii_control(character->code_point)) {
            append_byte_escape(out, static_cast<std::uint8_t>(text[at]));
            ++at;
            continue;
        }
        if (acts_on_display(character->code_point)) {
            append_character_escape(out, character->code_point);
        } else {
            out.append(text.substr(at, character->length));
        }
        at += character->length;
    }
    return out;
}

std::string json_text(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (std::size_t at = 0; at < text.size();) {
        const auto character = decode_utf8(text.substr(at));
        if (!character) {
            append_byte_escape(out, static_cast<std::uint8_t>(text[at]));
            ++at;
            continue;
        }
        out.append(text.substr(at, character->length));
        at += character->length;
    }
    return out;
}

bool is_valid_utf8(std::string_view text) {
    for (std::size_t at = 0; at < text.size();) {
        if (static_cast<std::uint8_t>(text[at]) < 0x80) {
            ++at;
            continue;
        }
        const auto character = decode_utf8(text.substr(at));
        if (!character) return false;
        at += character->length;
    }
    return true;
}

std::string html_text(std::string_view text) {
    std::string out;
    for (char character : terminal_text(text)) {
        switch (character) {
            case '&': out += "&amp;"; break;
            case '<': out += "&lt;"; break;
            case '>': out += "&gt;"; break;
            case '"': out += "&quot;"; break;
            case '\'': out += "&#39;"; break;
            default: out += character;
        }
    }
    return out;
}

}  // namespace trustcap
