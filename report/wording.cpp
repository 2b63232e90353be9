#include "report/wording.h"

#include <cctype>

namespace trustcap {

std::string counted(std::uint64_t count, const std::string& word) { return counted(count, word, word + "s"); }

std::string counted(std::uint64_t count, const std::string& singular, const std::string& plural) {
    return std::to_string(count) + " " + (count == 1 ? singular : plural);
}

std::string frame_numbers(const std::vector<std::uint64_t>& frames) {
    std::string text;
    for (std::uint64_t frame : frames) text += (text.empty() ? "" : ", ") + std::to_string(frame);
    return text;
}

std::string frames_label(const std::vector<std::uint64_t>& frames) {
    if (frames.empty()) return "";
    return (frames.size() == 1 ? "frame " : "frames ") + frame_numbers(frames);
}

const char* prompt_prefix(const std::string& fix) {
    return !fix.empty() && std::isupper(static_cast<unsigned char>(fix.front())) ? "! " : "";
}

std::string joined(const std::vector<std::string>& parts, const std::string& separator) {
    std::string text;
    for (std::size_t i = 0; i < parts.size(); ++i) text += (i == 0 ? "" : separator) + parts[i];
    return text;
}

}  // namespace trustcap
