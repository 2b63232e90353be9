#pragma once

#include <cstdint>
#include <string>

namespace trustcap {

// "1 packet", "3 packets": a count and its word, with an s unless it is one.
std::string counted(std::uint64_t count, const std::string& word);

// The same for words whose plural is not the word and an s.
std::string counted(std::uint64_t count, const std::string& singular, const std::string& plural);

}  // namespace trustcap
