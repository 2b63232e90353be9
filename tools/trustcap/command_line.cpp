#include "command_line.h"

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <filesystem>

#include "report/wire_text.h"
#include "tools/analysis/privileges.h"

#include <CLI/CLI.hpp>
#include <openssl/crypto.h>
#include <pcap/pcap.h>

#include <iostream>
#include <string_view>
#include <tuple>
#include <vector>

namespace trustcap {

bool colors_text(ColorChoice choice, bool to_terminal, const char* no_color_variable) {
    switch (choice) {
        case ColorChoice::always: return true;
        case ColorChoice::never: return false;
        case ColorChoice::automatic: break;
    }
    const bool no_color_asked = no_color_variable != nullptr && *no_color_variable != '\0';
    return to_terminal && !no_color_asked;
}

std::string version_text(const std::string& version) {
    return "trustcap " + version + "\n" + pcap_lib_version() + "\n" + OpenSSL_version(OPENSSL_VERSION);
}

namespace {

// Whether two output paths name the same file, whether it exists yet or not.
bool same_path(const std::string& one, const std::string& other) {
    if (one.empty() || other.empty()) return false;
    std::error_code not_resolved;
    const auto resolved_one = std::filesystem::weakly_canonical(one, not_resolved);
    const auto resolved_other = std::filesystem::weakly_canonical(other, not_resolved);
    return not_resolved ? one == other : resolved_one == resolved_other;
}

// Fills command.extracts from --annotate and --export-flow, or says why they cannot be used.
std::optional<std::string> check_extract_options(CommandLine& command, const CLI::Option* annotated_option,
                                                 const std::string& annotated_path,
                                                 const std::vector<std::string>& exported_flow) {
    if (command.mode == Mode::live)
        return "live: --annotate and --export-flow read a capture file; write one with -w and run trustcap on it";
    if (command.analysis.file == "-")
        return "--annotate and --export-flow read the capture twice: give a file, not standard input";
    if (command.extracts.only_licensing && annotated_path.empty()) return "--only-licensing selects what --annotate writes; give --annotate FILE";
    if (annotated_option->count() > 0 && annotated_path.empty()) return "--annotate: give the file to write";
    if (same_path(annotated_path, command.output_file))
        return "--annotate " + annotated_path + ": the report is written there already (-o)";
    command.extracts.annotated_path = annotated_path;
    if (exported_flow.empty()) return std::nullopt;
    const std::string& number = exported_flow.front();
    if (exported_flow.back().empty()) return "--export-flow " + number + ": give the file to write";
    if (number.empty() || number.size() > 18 || number.find_first_not_of("0123456789") != std::string::npos ||
        std::stoull(number) == 0)
        return "--export-flow " + number + ": expected a flow number of the report (1, 2, ...) and a file";
    command.extracts.exported_flow = std::stoull(number);
    command.extracts.exported_path = exported_flow.back();
    if (same_path(command.extracts.exported_path, annotated_path) ||
        same_path(command.extracts.exported_path, command.output_file))
        return "--export-flow " + number + " " + command.extracts.exported_path + ": that file is written already";
    return std::nullopt;
}

// Reads --keylog into `analysis`, or says why it cannot be read. Lines it
// skips are told once, as a warning.
std::optional<std::string> load_key_log(const std::string& path, AnalysisOptions& analysis) {
    std::error_code error;
    if (std::filesystem::is_directory(path, error)) return "is a directory";
    errno = 0;
    auto key_log = read_key_log_file(path);
    if (!key_log) return errno != 0 ? std::strerror(errno) : "cannot be read";
    const std::size_t skipped = key_log->malformed_lines() + key_log->lines_over_limit();
    if (skipped > 0)
        std::cerr << "trustcap: warning: --keylog " << terminal_text(path) << ": " << skipped << " line"
                  << (skipped == 1 ? "" : "s") << " skipped ("
                  << (key_log->malformed_lines() > 0 ? "not LABEL RANDOM SECRET in hex" : "")
                  << (key_log->malformed_lines() > 0 && key_log->lines_over_limit() > 0 ? "; " : "")
                  << (key_log->lines_over_limit() > 0 ? "past the connections a key log may hold" : "") << ")\n";
    analysis.key_log = std::make_shared<const TlsKeyLog>(std::move(*key_log));
    return std::nullopt;
}

}  // namespace

namespace {

// As GNU ls, a bare --color means always. The word after it is its value only
// when it is one (--color never, as CLI11 reads it); anything else there, a
// capture file above all, stays an argument of its own. After "--" every word
// is a file.
std::vector<char*> with_bare_color_as_always(int argc, char** argv) {
    static char always[] = "--color=always";
    std::vector<char*> arguments(argv, argv + argc);
    for (std::size_t at = 1; at < arguments.size(); ++at) {
        const std::string_view word = arguments[at];
        if (word == "--") break;
        if (word != "--color") continue;
        const std::string_view next = at + 1 < arguments.size() ? arguments[at + 1] : "";
        if (next != "auto" && next != "always" && next != "never") arguments[at] = always;
    }
    return arguments;
}

}  // namespace

std::variant<CommandLine, int> parse_command_line(int argc, char** argv, const std::string& version) {
    CommandLine command;
    std::vector<std::string> positional_files;
    std::string read_file;
    std::string format = "text";
    bool no_color = false;
    std::string color = "auto";
    std::vector<int> ports;
    std::size_t max_memory_mib = command.analysis.max_memory_bytes >> 20;
    std::vector<std::string> servers;
    std::vector<std::string> proxies;

    CLI::App app{
        "trustcap: reads a packet capture of Cisco Smart Licensing traffic and tells, for every connection to the "
        "licensing server, whether TCP, TLS, application data and teardown went through, and if not, why.",
        "trustcap"};
    app.set_version_flag("--version", version_text(version));
    app.add_option("file", positional_files,
                   "Capture file (pcap or pcapng, also gzip or zstd compressed); - reads standard input. Several "
                   "files or folders: each capture is judged, then a summary table");
    app.add_option("-r,--read", read_file, "Capture file to read (as tcpdump -r)");
    app.add_option("--filter", command.analysis.filter, "BPF filter applied to every frame (frame numbers stay the file's)");
    app.add_option("--server", servers,
                   "An on-prem SSM or CSLU, HOST|IP[:PORT] (repeatable): connections to it are licensing connections")
        ->allow_extra_args(false);
    app.add_option("--proxy", proxies, "The HTTPS proxy the device uses, HOST|IP:PORT (repeatable)")
        ->allow_extra_args(false);
    app.add_flag("--all-flows", command.analysis.targets.all_flows, "Check every TLS connection, on any port");
    app.add_option("--ca-bundle", command.analysis.ca_bundles,
                   "PEM file of CA certificates to trust (repeatable): for smartreceiver.cisco.com and tools.cisco.com "
                   "the only ones besides the built-in Cisco CAs; for other servers, besides the system's")
        ->allow_extra_args(false)
        ->check(CLI::ExistingFile);
    std::string key_log_path;
    app.add_option("--keylog", key_log_path,
                   "TLS key log (SSLKEYLOGFILE format, as Wireshark takes it): TLS 1.3 handshakes and TLS 1.2 "
                   "records whose keys it holds are decrypted, so their certificates and alerts are read, not "
                   "inferred (marked decrypted). Read once, at the start");
    app.add_option("--port", ports, "Check every TCP connection to this port, whatever it carries (repeatable)")
        ->check(CLI::Range(1, 65535))
        ->allow_extra_args(false);
    app.add_option("--max-flows", command.analysis.max_flows,
                   "Most TCP flows kept in memory at once, and most finished flows kept for the report; beyond "
                   "it the least recently seen are dropped early, later finished ones are left out (reported as "
                   "capture.memory_limit)")
        ->check(CLI::Range(1, 100'000'000))
        ->default_val(command.analysis.max_flows);
    app.add_option("--max-memory", max_memory_mib,
                   "MiB that the connections' state may take in all (flows, streams, dissectors, finished flows "
                   "kept); beyond it the least recently active flows are let go early and later finished ones "
                   "are left out (reported as capture.memory_limit)")
        ->check(CLI::Range(std::size_t{16}, std::min(std::size_t{1} << 20, SIZE_MAX >> 20)))
        ->default_val(max_memory_mib);
    app.add_option("--format", format,
                   "Output format: text, json (one document), ndjson (one JSON object per line: an event for "
                   "each flow as it is judged and each finding, then the whole report), or html (one "
                   "self-contained page with a ladder diagram of each flow)")
        ->check(CLI::IsMember({"text", "json", "ndjson", "html"}));
    app.add_option("-o,--output", command.output_file,
                   "Write the report to this file instead of standard output (opened as the -Z user, never through "
                   "a symbolic link)");
    std::string annotated_path;
    std::vector<std::string> exported_flow;
    CLI::Option* annotated_option = app.add_option("--annotate", annotated_path,
                   "Write the capture again as pcapng with a comment on every evidence frame, which Wireshark "
                   "shows as frame.comment and in its Expert Information (reads the file a second time)");
    app.add_flag("--only-licensing", command.extracts.only_licensing,
                 "With --annotate: write only the licensing flows' frames and the evidence frames");
    app.add_option("--export-flow", exported_flow,
                   "Write the frames of flow N of the report to a pcap file, to attach to a case (reads the file "
                   "a second time)")
        ->expected(2)
        ->allow_extra_args(false)
        ->type_name("N FILE");
    const std::string user_help = std::string("Started as root: become this user once the inputs are open, before "
                                              "anything is parsed (default: ") +
                                  default_unprivileged_user + "; root keeps root, with a warning)";
    app.add_option("-Z,--user", command.user, user_help);
    CLI::Option* brief_option = app.add_flag(
        "--brief", command.brief,
        "Text report in brief: the verdict, the diagnosis, a line per capture finding and a line per flow (the "
        "default for several captures)");
    app.add_flag("--full", command.full, "Text report in full even for several captures")->excludes(brief_option);
    app.add_option("-j,--jobs", command.jobs, "Several captures: judge this many at once (default: one per core)")
        ->check(CLI::Range(1u, max_jobs));
    app.add_option("--width", command.width,
                   "Wrap the text report to this many columns (default: the terminal's, or 100; 0 never wraps)");
    CLI::Option* color_option =
        app.add_option("--color", color,
                       "Colour the text report: auto (on a terminal, unless NO_COLOR is set), always or never; "
                       "--color alone is always")
            ->check(CLI::IsMember({"auto", "always", "never"}));
    app.add_flag("--no-color", no_color, "Never colour the text report (as --color=never)")->excludes(color_option);
    app.footer(
        "Exit status: 0 the licensing exchange worked (each device's last attempt at each server got its answer), "
        "1 it failed or cannot be judged (or nothing to check), 2 unusable input or arguments; for several captures, "
        "the worst of theirs.");

    CLI::App* live = app.add_subcommand(
        "live", "Capture on an interface (a span port) while the device retries, then report as for a file");
    live->fallthrough();
    LiveOptions& live_options = command.live;
    std::optional<double> duration;
    std::optional<std::uint64_t> count;
    live->add_option("-i,--interface", live_options.capture.interface, "Interface to capture on")->required();
    live->add_option("-s,--snaplen", live_options.capture.snaplen, "Snap length in bytes")
        ->check(CLI::Range(96, 262144))
        ->default_val(live_options.capture.snaplen);
    live->add_option("-B,--buffer-size", live_options.capture.buffer_mebibytes, "Kernel buffer in MiB")
        ->check(CLI::Range(1, 4096))
        ->default_val(live_options.capture.buffer_mebibytes);
    live->add_option("--duration", duration, "Stop after this many seconds")->check(CLI::PositiveNumber);
    live->add_option("-c,--count", count, "Stop after this many packets")->check(CLI::PositiveNumber);
    live->add_flag("--until-verdict", live_options.until_verdict,
                   "Stop as soon as the first licensing flow has been judged, with its exit status");
    live->add_option("--flow-timeout", live_options.flow_completion.after_silence_seconds,
                     "Judge a flow after this many seconds without a packet (a closed one 2 s after it closed)")
        ->check(CLI::PositiveNumber)
        ->default_val(live_options.flow_completion.after_silence_seconds);
    std::string file_size;
    live->add_option("-w,--write", live_options.write.path, "Write the packets kept to this pcap file");
    live->add_option("-C,--file-size", file_size,
                     "With -w: start a new file (FILE1, FILE2, ...) once the current one exceeds this many "
                     "millions of bytes (or KiB, MiB, GiB with a k, m, g suffix), as tcpdump -C");
    live->add_option("-W,--file-count", live_options.write.file_count,
                     "With -C: keep at most this many files, overwriting the oldest (FILE0, FILE1, ...), as tcpdump -W")
        ->check(CLI::Range(1, 100'000));
    live->add_option("-Z,--user", command.user, user_help);

    CLI::App* epc = app.add_subcommand(
        "epc", "Print the device's commands (Embedded Packet Capture) that capture one licensing attempt");
    epc->footer("Exit status: 0 the commands were printed, 2 unusable arguments (nothing printed).");
    EpcOptions& epc_options = command.epc;
    std::string idtoken;
    epc->add_option("-i,--interface", epc_options.interface,
                    "Interface the licensing traffic leaves by (or control-plane)")
        ->required();
    epc->add_option("--capture-name", epc_options.capture_name, "Name of the monitor capture")
        ->default_val(epc_options.capture_name);
    epc->add_option("--file", epc_options.file_name, "File the capture is exported to")->default_val(epc_options.file_name);
    epc->add_option("--storage", epc_options.storage,
                    "File system to export to: flash, bootflash or usbflash0 (default: the platform's, or flash)");
    epc->add_option("--platform", epc_options.platform,
                    "The device: 9800-L, 9800-40, 9800-80, 9800-CL, C9200, C9300, C9400 or C9500");
    epc->add_option("--address", epc_options.addresses,
                    "An address of smartreceiver.cisco.com or of a proxy or server given by name, NAME=IP "
                    "(as the device resolves it; once for each address)")
        ->allow_extra_args(false);
    epc->add_option("--idtoken", idtoken, "Trigger trust establishment with this token instead of a sync");
    epc->add_option("--copy-to", epc_options.copy_to, "Where to copy the file off the device (scp://user@host/)");
    epc->add_option("--proxy", epc_options.proxies, "The HTTPS proxy the device uses, HOST|IP:PORT")
        ->allow_extra_args(false);
    epc->add_option("--server", epc_options.servers, "An on-prem SSM or CSLU, HOST|IP[:PORT]")
        ->allow_extra_args(false);

    try {
        std::vector<char*> arguments = with_bare_color_as_always(argc, argv);
        app.parse(static_cast<int>(arguments.size()), arguments.data());
    } catch (const CLI::CallForHelp& request) {
        return app.exit(request);
    } catch (const CLI::CallForVersion& request) {
        return app.exit(request);
    } catch (const CLI::ParseError& error) {
        std::cerr << "trustcap: " << terminal_text(error.what()) << " (see trustcap --help)\n";
        return 2;
    }

    if (epc->parsed()) {
        command.mode = Mode::epc;
        if (!idtoken.empty()) epc_options.idtoken = idtoken;
        if (auto problem = check_epc_options(epc_options)) {
            std::cerr << "trustcap: epc: " << terminal_text(*problem) << "\n";
            return 2;
        }
        return command;
    }
    if (live->parsed()) {
        command.mode = Mode::live;
        live_options.duration_seconds = duration;
        live_options.count = count;
        live_options.capture.filter = command.analysis.filter;
        if (!file_size.empty()) {
            auto limit = parse_file_size_limit(file_size);
            if (!limit) {
                std::cerr << "trustcap: live: -C " << terminal_text(file_size)
                          << ": expected a positive size in millions of bytes, or with a k, m or g suffix\n";
                return 2;
            }
            live_options.write.size_limit_bytes = *limit;
        }
        if ((live_options.write.size_limit_bytes || live_options.write.file_count) && live_options.write.path.empty()) {
            std::cerr << "trustcap: live: -C and -W rotate the file of -w; give -w FILE\n";
            return 2;
        }
        if (live_options.write.file_count && !live_options.write.size_limit_bytes) {
            std::cerr << "trustcap: live: -W limits the files -C starts; give -C SIZE too\n";
            return 2;
        }
        if (!positional_files.empty() || !read_file.empty()) {
            std::cerr << "trustcap: live captures from an interface; give no capture file\n";
            return 2;
        }
    } else if (!positional_files.empty() && !read_file.empty()) {
        std::cerr << "trustcap: give the capture either as -r FILE or as an argument, not both\n";
        return 2;
    }
    if (!read_file.empty()) positional_files.push_back(read_file);
    if (std::count(positional_files.begin(), positional_files.end(), "-") > 1) {
        std::cerr << "trustcap: standard input (-) can be read once\n";
        return 2;
    }
    const auto is_folder = [](const std::string& path) {
        std::error_code not_known;
        return path != "-" && std::filesystem::is_directory(path, not_known);
    };
    command.several_captures =
        positional_files.size() > 1 || std::any_of(positional_files.begin(), positional_files.end(), is_folder);
    command.files = positional_files;
    if (!command.several_captures && !positional_files.empty()) command.analysis.file = positional_files.front();
    if (command.files.empty() && command.mode == Mode::file) {
        std::cerr << "trustcap: no capture file given (trustcap FILE, trustcap -r FILE, or - for standard input); "
                     "see trustcap --help\n";
        return 2;
    }
    if (command.several_captures &&
        (annotated_option->count() > 0 || !exported_flow.empty() || command.extracts.only_licensing)) {
        std::cerr << "trustcap: --annotate, --export-flow and --only-licensing work on one capture\n";
        return 2;
    }
    if (command.several_captures && format == "html") {
        std::cerr << "trustcap: --format html makes a page for one capture; give one capture, or use text, json or "
                     "ndjson for several\n";
        return 2;
    }
    if (annotated_option->count() > 0 || !exported_flow.empty() || command.extracts.only_licensing) {
        if (auto problem = check_extract_options(command, annotated_option, annotated_path, exported_flow)) {
            std::cerr << "trustcap: " << terminal_text(*problem) << "\n";
            return 2;
        }
        command.analysis.read_twice = true;
    }
    if (!key_log_path.empty()) {
        auto problem = load_key_log(key_log_path, command.analysis);
        if (problem) {
            std::cerr << "trustcap: --keylog " << terminal_text(key_log_path) << ": " << terminal_text(*problem) << "\n";
            return 2;
        }
    }
    for (int port : ports) command.analysis.checked_ports.insert(static_cast<std::uint16_t>(port));
    command.analysis.max_memory_bytes = max_memory_mib << 20;
    for (const auto& [texts, into, option] :
         {std::tuple{&servers, &command.analysis.targets.servers, "--server"},
          std::tuple{&proxies, &command.analysis.targets.proxies, "--proxy"}}) {
        for (const std::string& text : *texts) {
            auto endpoint = NamedEndpoint::parse(text);
            if (!endpoint) {
                std::cerr << "trustcap: " << option << " " << terminal_text(text)
                          << ": expected HOST, IP, HOST:PORT or IP:PORT\n";
                return 2;
            }
            into->push_back(*endpoint);
        }
    }
    live_options.analysis = command.analysis;
    live_options.user = command.user;
    command.format = format == "json"     ? OutputFormat::json
                     : format == "ndjson" ? OutputFormat::ndjson
                     : format == "html"   ? OutputFormat::html
                                          : OutputFormat::text;
    command.color = no_color || color == "never" ? ColorChoice::never
                    : color == "always"          ? ColorChoice::always
                                                 : ColorChoice::automatic;
    return command;
}

}  // namespace trustcap
