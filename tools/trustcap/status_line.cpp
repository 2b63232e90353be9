#include "status_line.h"

#include "report/wire_text.h"
#include "report/wording.h"

namespace trustcap {
namespace {

constexpr const char* erase_line = "\r\033[K";

}  // namespace

std::string StatusLine::text(const LiveStatus& status) {
    const AnalysisSession::Progress& progress = status.progress;
    return "live " + terminal_text(status.interface) + ": " + counted(progress.frames, "packet") + ", " +
           counted(progress.tcp_flows, "TCP flow") + ", " +
           counted(progress.licensing_flows_judged, "licensing flow judged", "licensing flows judged") + " (" +
           std::to_string(progress.licensing_flows_healthy) + " healthy), " +
           counted(status.kernel_drops, "kernel drop");
}

void StatusLine::show(const LiveStatus& status) {
    if (!enabled_) return;
    terminal_ << erase_line << text(status) << std::flush;
    shown_ = true;
}

void StatusLine::clear() {
    if (!shown_) return;
    terminal_ << erase_line << std::flush;
    shown_ = false;
}

}  // namespace trustcap
