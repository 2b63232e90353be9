#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace trustcap {

// "1 packet", "3 packets": a count and its word, with an s unless it is one.
std::string counted(std::uint64_t count, const std::string& word);

// The same for words whose plural is not the word and an s.
std::string counted(std::uint64_t count, const std::string& singular, const std::string& plural);

// The parts in order, with `separator` between them.
std::string joined(const std::vector<std::string>& parts, const std::string& separator);

}  // namespace trustcap
