#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace trustcap {

// Fix lines are pasted at the device's prompt as they are: each is one IOS XE
// command (or a sentence for what is done elsewhere), and configuration lines
// sit between "configure terminal" and "end". These build the blocks several
// findings share.

// `lines` as configuration commands, entered from the exec prompt.
std::vector<std::string> configuration(std::vector<std::string> lines);

// The guides' reachability test from the device (telnet to the port, never
// ping), also in the VRF the licensing traffic may use.
std::vector<std::string> reachability_test(const std::string& host, std::uint16_t port);

// The exec lines followed by `more`.
std::vector<std::string> then(std::vector<std::string> lines, const std::vector<std::string>& more);

}  // namespace trustcap
