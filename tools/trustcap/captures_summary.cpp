#include "captures_summary.h"

#include <algorithm>
#include <sstream>

#include <nlohmann/json.hpp>

#include "report/text_wrap.h"
#include "report/wire_text.h"

namespace trustcap {
namespace {

using Json = nlohmann::ordered_json;

constexpr std::size_t devices_shown = 2;
constexpr std::size_t widest_file_column = 48;
constexpr std::size_t widest_device_column = 34;
constexpr std::size_t narrowest_diagnosis_column = 30;
constexpr std::size_t column_gap = 2;

std::string padded(const std::string& text, std::size_t width) {
    const std::size_t columns = display_width(text);
    return columns >= width ? text : text + std::string(width - columns, ' ');
}

std::size_t column_width(const std::vector<JudgedCapture>& captures, const char* heading, std::size_t widest,
                         std::string (*cell)(const JudgedCapture&)) {
    std::size_t width = display_width(heading);
    for (const JudgedCapture& capture : captures) width = std::max(width, std::min(display_width(cell(capture)), widest));
    return width;
}

std::string file_cell(const JudgedCapture& capture) { return terminal_text(capture.path); }
std::string device_cell(const JudgedCapture& capture) { return capture.devices.empty() ? "-" : capture.devices; }
std::string verdict_cell(const JudgedCapture& capture) { return capture.verdict; }
std::string diagnosis_cell(const JudgedCapture& capture) {
    return terminal_text(capture.error.empty() ? capture.diagnosis : capture.error);
}

std::string counted(std::size_t count, const char* one, const char* many) {
    return std::to_string(count) + " " + (count == 1 ? one : many);
}

Json counts_json(const std::vector<JudgedCapture>& captures) {
    const auto with_status = [&](int status) {
        return std::count_if(captures.begin(), captures.end(),
                             [&](const JudgedCapture& capture) { return capture.exit_status == status; });
    };
    return Json{{"captures", captures.size()}, {"healthy", with_status(0)}, {"problem", with_status(1)},
                {"not_read", with_status(2)}};
}

}  // namespace

std::string devices_of(const Report& report) {
    std::vector<std::string> devices;
    for (const FlowReport& flow : report.flows) {
        std::string device = flow.client.ip.to_string();
        if (std::find(devices.begin(), devices.end(), device) == devices.end()) devices.push_back(device);
    }
    std::string text;
    for (std::size_t i = 0; i < std::min(devices.size(), devices_shown); ++i) text += (i == 0 ? "" : ", ") + devices[i];
    if (devices.size() > devices_shown) text += " +" + std::to_string(devices.size() - devices_shown);
    return text;
}

void write_summary_table(std::ostream& out, const std::vector<JudgedCapture>& captures,
                         std::size_t skipped_in_folders, std::size_t width) {
    const Json counts = counts_json(captures);
    std::ostringstream heading;
    heading << "Summary: " << counted(captures.size(), "capture", "captures") << ", " << counts["healthy"].get<std::size_t>()
            << " healthy, " << counts["problem"].get<std::size_t>() << " with a problem, "
            << counts["not_read"].get<std::size_t>() << " not read";
    if (skipped_in_folders > 0)
        heading << "; " << counted(skipped_in_folders, "file", "files") << " in the folders not a capture, left out";
    out << wrap_lines(heading.str(), width, '\n') << "\n";

    // Not wrapped, no column is narrower than its widest cell.
    const std::size_t unlimited = std::string::npos;
    const std::size_t file_width = column_width(captures, "File", width == 0 ? unlimited : widest_file_column, file_cell);
    const std::size_t device_width =
        column_width(captures, "Device", width == 0 ? unlimited : widest_device_column, device_cell);
    const std::size_t verdict_width = column_width(captures, "Verdict", widest_file_column, verdict_cell);
    const std::size_t diagnosis_start = file_width + device_width + verdict_width + 3 * column_gap;
    const std::size_t diagnosis_width =
        width == 0 ? 0 : std::max(width > diagnosis_start ? width - diagnosis_start : 0, narrowest_diagnosis_column);
    const std::string gap(column_gap, ' ');
    out << padded("File", file_width) << gap << padded("Device", device_width) << gap << padded("Verdict", verdict_width)
        << gap << "Diagnosis\n";
    for (const JudgedCapture& capture : captures) {
        std::string file = file_cell(capture);
        // A name wider than its column has the line to itself; the row goes on below it.
        if (display_width(file) > file_width) {
            out << file << "\n";
            file.clear();
        }
        out << padded(file, file_width) << gap << padded(device_cell(capture), device_width) << gap
            << padded(verdict_cell(capture), verdict_width) << gap;
        const std::string diagnosis = diagnosis_cell(capture);
        const std::vector<std::string> lines =
            diagnosis_width == 0 ? std::vector<std::string>{diagnosis} : wrap_words(diagnosis, diagnosis_width);
        for (std::size_t i = 0; i < lines.size(); ++i)
            out << (i == 0 ? "" : std::string(diagnosis_start, ' ')) << lines[i] << "\n";
    }
}

std::string capture_entry_json(const JudgedCapture& capture, const char* event) {
    Json entry;
    if (event != nullptr) entry["event"] = event;
    entry.update(Json{{"file", json_text(capture.path)},           {"exit_status", capture.exit_status},
               {"verdict", capture.verdict},     {"devices", capture.devices},
               {"diagnosis", capture.diagnosis}});
    if (!capture.error.empty()) entry["error"] = capture.error;
    std::string text = entry.dump(-1, ' ', false, Json::error_handler_t::replace);
    if (capture.report.empty()) return text;
    std::string report = capture.report;
    while (!report.empty() && report.back() == '\n') report.pop_back();
    text.pop_back();
    return text + ",\"report\":" + report + "}";
}

std::string summary_json(const std::vector<JudgedCapture>& captures, std::size_t skipped_in_folders, int exit_status) {
    Json summary = counts_json(captures);
    summary["skipped_in_folders"] = skipped_in_folders;
    summary["exit_status"] = exit_status;
    return summary.dump(-1, ' ', false, Json::error_handler_t::replace);
}

int worst_exit_status(const std::vector<JudgedCapture>& captures) {
    int worst = 0;
    for (const JudgedCapture& capture : captures) worst = std::max(worst, capture.exit_status);
    return worst;
}

}  // namespace trustcap
