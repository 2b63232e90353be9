#pragma once

#include <ostream>
#include <string>

#include "report/report.h"

namespace trustcap {

// The report as one self-contained HTML page (inline CSS and SVG, no script,
// nothing loaded from elsewhere): the capture, the verdict and diagnosis, the
// attempts and the capture's findings, then per flow its steps, certificates,
// a ladder diagram of its packets (see ladder_diagram.h) and its findings
// with their fixes. The same report always gives the same bytes.
void write_html(std::ostream& out, const Report& report);

std::string to_html(const Report& report);

}  // namespace trustcap
