#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace trustcap {

// Written in place of a space that must not become a line break (inside a
// Wireshark filter or an IOS XE command); wrapping turns it back into a space.
inline constexpr char unbreakable_space = '\x1f';

// Columns `text` takes on a terminal: a character (UTF-8 sequence) is one
// column, an ANSI escape sequence none.
std::size_t display_width(std::string_view text);

// `text` cut at spaces into lines of at most `width` columns; a word longer
// than that stands alone on its line.
std::vector<std::string> wrap_words(std::string_view text, std::size_t width);

// Every line of `text` no wider than `width` columns, broken at spaces, its
// continuation lines indented two columns more than the line itself (an IOS
// XE comment, "! ...", goes on as "! ..." at the same indent). A line
// that starts with `unwrapped_mark` is kept whole, without the mark. `width`
// 0 wraps nothing. Unbreakable spaces become spaces.
std::string wrap_lines(std::string_view text, std::size_t width, char unwrapped_mark);

}  // namespace trustcap
