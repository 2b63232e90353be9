#pragma once

#include <ostream>
#include <string>

#include "tools/analysis/live_analysis.h"

namespace trustcap {

// The live capture's progress on one terminal line, rewritten in place.
// Anything else written to the same terminal clears it first.
class StatusLine {
public:
    StatusLine(std::ostream& terminal, bool enabled) : terminal_(terminal), enabled_(enabled) {}
    ~StatusLine() { clear(); }
    StatusLine(const StatusLine&) = delete;
    StatusLine& operator=(const StatusLine&) = delete;

    void show(const LiveStatus& status);
    void clear();

    // "live eth0: 1204 packets, 17 TCP flows, 1 licensing flow judged (0 healthy), 0 kernel drops"
    static std::string text(const LiveStatus& status);

private:
    std::ostream& terminal_;
    bool enabled_;
    bool shown_ = false;
};

}  // namespace trustcap
