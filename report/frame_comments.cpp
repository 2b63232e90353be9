#include "report/frame_comments.h"

#include "report/wire_text.h"

namespace trustcap {
namespace {

// A pcapng option holds at most 65535 bytes; room is left for the note of
// the frame's place in the original capture (--only-licensing).
constexpr std::size_t longest_comment = 65535 - 64;

// Cut at a character boundary, with an ellipsis.
std::string shortened(std::string text) {
    if (text.size() <= longest_comment) return text;
    const std::string ellipsis = "\u2026";
    std::size_t end = longest_comment - ellipsis.size();
    while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;
    text.resize(end);
    return text + ellipsis;
}

}  // namespace

std::map<std::uint64_t, std::string> frame_comments(const Report& report) {
    std::map<std::uint64_t, std::string> comments;
    for (const Finding& finding : report.findings) {
        std::string comment = "trustcap: " + terminal_text(finding.id) + " (" + severity_name(finding.severity);
        if (finding.flow) comment += ", flow " + std::to_string(*finding.flow);
        comment += "): " + terminal_text(finding.summary);
        for (std::uint64_t frame : finding.frames) {
            std::string& text = comments[frame];
            text += (text.empty() ? "" : "; ") + comment;
        }
    }
    for (auto& [frame, text] : comments) text = shortened(std::move(text));
    return comments;
}

}  // namespace trustcap
