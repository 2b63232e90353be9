#pragma once

#include <string>
#include <string_view>

namespace trustcap {

// Text that came from a capture (server names, certificate names, HTTP
// lines, DNS names, proxy answers) or from the command line (file names) is
// made safe for the place it is shown in by one of these, and only here.
//
// Valid UTF-8 that prints as itself passes unchanged. What does not is
// written as a visible escape:
//   - a byte that is not part of valid UTF-8 (RFC 3629: no overlong forms, no
//     surrogates, nothing past U+10FFFF) as \xNN, e.g. \xFF;
//   - an ASCII control character (C0, including newline and tab, and DEL)
//     as \xNN, e.g. \x1B;
//   - a C1 control character (U+0080 to U+009F), a bidirectional mark,
//     embedding, override or isolate, and the line and paragraph separators
//     as \uNNNN, e.g. \u009B, \u202E.
// A backslash already in the text is left as it is, so a file name such as
// C:\captures stays readable: an escape tells that something odd is there,
// not which of the two it was.

// For a terminal: nothing in the result moves the cursor, changes colours,
// sets the title or reorders the line.
std::string terminal_text(std::string_view text);

// For a JSON string: always valid UTF-8. Only bytes that are not valid
// UTF-8 are escaped (\xNN); control characters stay, for the JSON writer
// writes them as \u001b and a JSON reader gets the text exactly. The
// dissectors already escape X.509 names, the server name and DNS names in
// the same \xNN form (DNS names as \DDD, their presentation format).
std::string json_text(std::string_view text);

// Whether `text` is valid UTF-8 already (json_text would return it unchanged).
bool is_valid_utf8(std::string_view text);

// For HTML element content and quoted attribute values: terminal_text, then
// & < > " ' as character references.
std::string html_text(std::string_view text);

}  // namespace trustcap
