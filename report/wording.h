#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace trustcap {

// "1 packet", "3 packets": a count and its word, with an s unless it is one.
std::string counted(std::uint64_t count, const std::string& word);

// The same for words whose plural is not the word and an s.
std::string counted(std::uint64_t count, const std::string& singular, const std::string& plural);

// What a fix line starts with when pasted at the device's prompt: "! " for a
// sentence (it begins with a capital), which IOS XE then takes as a comment;
// nothing for a command.
const char* prompt_prefix(const std::string& fix);

// "4, 9, 12": frame numbers as the reports list them.
std::string frame_numbers(const std::vector<std::uint64_t>& frames);

// "frame 4", "frames 4, 9, 12"; empty for none.
std::string frames_label(const std::vector<std::uint64_t>& frames);

// The parts in order, with `separator` between them.
std::string joined(const std::vector<std::string>& parts, const std::string& separator);

}  // namespace trustcap
