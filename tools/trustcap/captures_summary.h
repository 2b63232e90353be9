#pragma once

#include <cstddef>
#include <ostream>
#include <string>
#include <vector>

#include "parallel_judgement.h"
#include "report/report.h"

namespace trustcap {

// The devices a report's flows came from, as the summary shows them: the
// first two addresses, then how many more.
std::string devices_of(const Report& report);

// The summary of several captures for people: a line of counts, then a row
// per capture (file, device, verdict, diagnosis), the diagnosis wrapped
// within `width` columns (0: not wrapped).
void write_summary_table(std::ostream& out, const std::vector<JudgedCapture>& captures,
                         std::size_t skipped_in_folders, std::size_t width);

// The same as JSON values: one capture's entry (its report embedded as
// written; `event`, when given, named first as NDJSON's lines name theirs),
// and the summary of them all.
std::string capture_entry_json(const JudgedCapture& capture, const char* event = nullptr);
std::string summary_json(const std::vector<JudgedCapture>& captures, std::size_t skipped_in_folders, int exit_status);

// The worst of the captures' exit statuses: 2 (not read) over 1 (a problem) over 0.
int worst_exit_status(const std::vector<JudgedCapture>& captures);

}  // namespace trustcap
