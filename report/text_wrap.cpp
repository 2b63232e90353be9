#include "report/text_wrap.h"

#include <algorithm>

namespace trustcap {
namespace {

constexpr std::size_t continuation_extra_indent = 2;
// Narrower than this, continuation lines would hold a word or two: wrap as if this wide.
constexpr std::size_t narrowest_width = 40;
constexpr std::string_view comment_mark = "! ";

bool is_utf8_continuation(char byte) { return (static_cast<unsigned char>(byte) & 0xc0) == 0x80; }

// The length of the ANSI CSI sequence at the start of `text`, 0 when there is none.
std::size_t escape_sequence_length(std::string_view text) {
    if (text.size() < 2 || text[0] != '\033' || text[1] != '[') return 0;
    for (std::size_t at = 2; at < text.size(); ++at)
        if (text[at] >= 0x40 && text[at] <= 0x7e) return at + 1;
    return text.size();
}

std::string with_spaces(std::string text) {
    std::replace(text.begin(), text.end(), unbreakable_space, ' ');
    return text;
}

std::size_t next_column_step(std::string_view text, std::size_t at) {
    if (std::size_t escape = escape_sequence_length(text.substr(at)); escape > 0) return escape;
    return 1;
}

// Where a line of at most `columns` columns taken from the start of `text`
// ends: at its last space that leaves the line within the limit, or at the
// first space after a word too long for it; npos when there is no space to break at.
std::size_t break_position(std::string_view text, std::size_t columns) {
    std::size_t used = 0;
    std::size_t last_fitting_space = std::string_view::npos;
    for (std::size_t at = 0; at < text.size();) {
        if (text[at] == ' ') {
            if (used > columns) return last_fitting_space != std::string_view::npos ? last_fitting_space : at;
            if (at > 0) last_fitting_space = at;
        }
        const std::size_t step = next_column_step(text, at);
        if (step == 1 && !is_utf8_continuation(text[at])) ++used;
        at += step;
    }
    return used > columns ? last_fitting_space : std::string_view::npos;
}

std::string_view trimmed_right(std::string_view text) {
    while (!text.empty() && text.back() == ' ') text.remove_suffix(1);
    return text;
}

std::string_view trimmed_left(std::string_view text) {
    return text.substr(std::min(text.find_first_not_of(' '), text.size()));
}

void wrap_line(std::string_view line, std::size_t width, std::string& out) {
    const std::size_t indent = std::min(line.find_first_not_of(' '), line.size());
    // An IOS XE comment goes on as a comment, so that the block still pastes at the prompt.
    const bool comment = line.substr(indent).starts_with(comment_mark);
    const std::string hanging_prefix =
        std::string(indent + (comment ? 0 : continuation_extra_indent), ' ') + std::string(comment ? comment_mark : "");
    const std::size_t hanging = hanging_prefix.size();
    const std::size_t continuation_columns = width > hanging + 1 ? width - hanging : 1;
    std::string_view rest = line;
    std::size_t columns = width;
    std::string prefix;
    while (true) {
        // The indent of the first line is no place to break.
        const std::size_t skip = prefix.empty() ? indent + (comment ? comment_mark.size() : 0) : 0;
        std::size_t position = break_position(rest.substr(skip), columns > skip ? columns - skip : 1);
        if (position == std::string_view::npos) {
            out += prefix + with_spaces(std::string(rest));
            return;
        }
        position += skip;
        out += prefix + with_spaces(std::string(trimmed_right(rest.substr(0, position)))) + '\n';
        rest = trimmed_left(rest.substr(position));
        if (rest.empty()) {
            out.pop_back();
            return;
        }
        prefix = hanging_prefix;
        columns = continuation_columns;
    }
}

}  // namespace

std::size_t display_width(std::string_view text) {
    std::size_t columns = 0;
    for (std::size_t at = 0; at < text.size();) {
        if (std::size_t escape = escape_sequence_length(text.substr(at)); escape > 0) {
            at += escape;
            continue;
        }
        if (!is_utf8_continuation(text[at])) ++columns;
        ++at;
    }
    return columns;
}

std::vector<std::string> wrap_words(std::string_view text, std::size_t width) {
    std::vector<std::string> lines;
    std::string_view rest = trimmed_left(text);
    while (true) {
        const std::size_t position = break_position(rest, width);
        if (position == std::string_view::npos) {
            lines.emplace_back(trimmed_right(rest));
            return lines;
        }
        lines.emplace_back(trimmed_right(rest.substr(0, position)));
        rest = trimmed_left(rest.substr(position));
        if (rest.empty()) return lines;
    }
}

std::string wrap_lines(std::string_view text, std::size_t width, char unwrapped_mark) {
    std::string out;
    out.reserve(text.size());
    const std::size_t effective_width = width == 0 ? 0 : std::max(width, narrowest_width);
    for (std::size_t start = 0; start < text.size();) {
        const std::size_t end = std::min(text.find('\n', start), text.size());
        std::string_view line = text.substr(start, end - start);
        if (!line.empty() && line.front() == unwrapped_mark) {
            out += with_spaces(std::string(line.substr(1)));
        } else if (effective_width == 0) {
            out += with_spaces(std::string(line));
        } else {
            wrap_line(line, effective_width, out);
        }
        if (end < text.size()) out += '\n';
        start = end + 1;
    }
    return out;
}

}  // namespace trustcap
