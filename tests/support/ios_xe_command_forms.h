#pragma once

#include <optional>
#include <string>
#include <vector>

namespace trustcap::testing {

// The IOS XE command forms trustcap may print, each checked against the
// Cisco guides in ../shared/docs or Cisco's command references, and the rules
// that make a list of fix lines paste at the device's prompt as it is:
// - a line is one command in a verified form, or a sentence (a capital letter
//   first) that names no command;
// - configuration commands stand between "configure terminal" and "end",
//   trustpoint commands right under "crypto pki trustpoint";
// - placeholders are <words-with-hyphens-or.dots>, nothing else in angle brackets.
// Returns what is wrong with `lines`, or nothing.
std::optional<std::string> check_fix_lines(const std::vector<std::string>& lines);

// The same for a script of the Embedded Packet Capture workflow ("!" lines are
// comments), which also creates and removes an access list and copies the file,
// and holds no placeholder outside its comments: it pastes as printed.
std::optional<std::string> check_capture_script(const std::vector<std::string>& lines);

}  // namespace trustcap::testing
