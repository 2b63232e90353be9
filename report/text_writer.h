#pragma once

#include <cstddef>
#include <ostream>
#include <string>

#include "report/report.h"

namespace trustcap {

struct TextOptions {
    bool color = false;
    // The verdict, the diagnosis and the attempts, then a line per finding of
    // the capture and a line per flow: a first look.
    bool brief = false;
    // Lines are wrapped to this many columns (see wrap_lines), except the
    // timeline's rows and the commands of a fix; 0 wraps nothing.
    std::size_t width = 0;
};

// The report for people: per flow a header, the step checklist, the findings
// with their fixes (a fix another finding of the flow already gave is
// referred to, not repeated), and a Wireshark-like timeline of the evidence
// packets.
void write_text(std::ostream& out, const Report& report, const TextOptions& options);

std::string to_text(const Report& report, const TextOptions& options);

}  // namespace trustcap
