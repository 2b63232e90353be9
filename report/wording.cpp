#include "report/wording.h"

namespace trustcap {

std::string counted(std::uint64_t count, const std::string& word) { return counted(count, word, word + "s"); }

std::string counted(std::uint64_t count, const std::string& singular, const std::string& plural) {
    return std::to_string(count) + " " + (count == 1 ? singular : plural);
}

}  // namespace trustcap
