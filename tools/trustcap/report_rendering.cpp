#include "report_rendering.h"

#include <sys/ioctl.h>
#include <unistd.h>

#include <cstdlib>

#include "report/event_writer.h"
#include "report/html_writer.h"
#include "report/json_writer.h"
#include "report/report_builder.h"

namespace trustcap {
namespace {

constexpr std::size_t width_when_not_a_terminal = 100;

std::size_t terminal_width() {
    winsize size{};
    if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &size) == 0 && size.ws_col > 0) return size.ws_col;
    return width_when_not_a_terminal;
}

}  // namespace

TextOptions text_options(const CommandLine& command, bool to_terminal, bool brief_by_default) {
    TextOptions options;
    options.color = colors_text(command.color, to_terminal, std::getenv("NO_COLOR"));
    options.brief = command.brief || (brief_by_default && !command.full);
    options.width = command.width ? *command.width : to_terminal ? terminal_width() : width_when_not_a_terminal;
    return options;
}

void write_report(std::ostream& out, const Report& report, const CommandLine& command, const TextOptions& text,
                  bool with_flow_events) {
    switch (command.format) {
        case OutputFormat::json: write_json(out, report, TRUSTCAP_VERSION); break;
        case OutputFormat::ndjson:
            if (with_flow_events)
                for (const FlowReport& flow : report.flows)
                    write_flow_events(out, flow, is_licensing_flow(flow, command.analysis.checked_ports),
                                      report.capture.precision_digits);
            write_report_events(out, report, TRUSTCAP_VERSION);
            break;
        case OutputFormat::html: write_html(out, report); break;
        case OutputFormat::text: write_text(out, report, text); break;
    }
}

}  // namespace trustcap
