#include "command_line.h"

#include <CLI/CLI.hpp>

#include <iostream>
#include <tuple>

namespace trustcap {

std::variant<CommandLine, int> parse_command_line(int argc, char** argv, const std::string& version) {
    CommandLine command;
    std::string positional_file;
    std::string read_file;
    std::string format = "text";
    bool no_color = false;
    std::vector<int> ports;
    std::vector<std::string> servers;
    std::vector<std::string> proxies;

    CLI::App app{
        "trustcap: reads a packet capture of Cisco Smart Licensing traffic and tells, for every connection to the "
        "licensing server, whether TCP, TLS, application data and teardown went through, and if not, why.",
        "trustcap"};
    app.set_version_flag("--version", "trustcap " + version);
    app.add_option("file", positional_file, "Capture file (pcap or pcapng); - reads standard input");
    app.add_option("-r,--read", read_file, "Capture file to read (as tcpdump -r)");
    app.add_option("--filter", command.analysis.filter, "BPF filter applied to every frame (frame numbers stay the file's)");
    app.add_option("--server", servers,
                   "An on-prem SSM or CSLU, HOST|IP[:PORT] (repeatable): connections to it are licensing connections")
        ->allow_extra_args(false);
    app.add_option("--proxy", proxies, "The HTTPS proxy the device uses, HOST|IP:PORT (repeatable)")
        ->allow_extra_args(false);
    app.add_flag("--all-flows", command.analysis.targets.all_flows, "Check every TLS connection, on any port");
    app.add_option("--ca-bundle", command.analysis.ca_bundles,
                   "PEM file of CA certificates trusted besides the system's (repeatable)")
        ->allow_extra_args(false)
        ->check(CLI::ExistingFile);
    app.add_option("--port", ports, "Check every TCP connection to this port, whatever it carries (repeatable)")
        ->check(CLI::Range(1, 65535))
        ->allow_extra_args(false);
    app.add_option("--max-flows", command.analysis.max_flows,
                   "Most TCP flows kept in memory at once; beyond it the least recently seen are dropped early "
                   "(reported as capture.memory_limit)")
        ->check(CLI::Range(1, 100'000'000))
        ->default_val(command.analysis.max_flows);
    app.add_option("--format", format, "Output format")->check(CLI::IsMember({"text", "json"}));
    app.add_option("-o,--output", command.output_file, "Write the report to this file instead of standard output");
    app.add_flag("--no-color", no_color, "Never colour the text report");
    app.footer(
        "Exit status: 0 every checked flow healthy, 1 a problem was found (or nothing to check), "
        "2 unusable input or arguments.");

    try {
        app.parse(argc, argv);
    } catch (const CLI::CallForHelp& request) {
        return app.exit(request);
    } catch (const CLI::CallForVersion& request) {
        return app.exit(request);
    } catch (const CLI::ParseError& error) {
        std::cerr << "trustcap: " << error.what() << " (see trustcap --help)\n";
        return 2;
    }

    if (!positional_file.empty() && !read_file.empty()) {
        std::cerr << "trustcap: give the capture either as -r FILE or as an argument, not both\n";
        return 2;
    }
    command.analysis.file = !read_file.empty() ? read_file : positional_file;
    if (command.analysis.file.empty()) {
        std::cerr << "trustcap: no capture file given (trustcap FILE, trustcap -r FILE, or - for standard input); "
                     "see trustcap --help\n";
        return 2;
    }
    for (int port : ports) command.analysis.checked_ports.insert(static_cast<std::uint16_t>(port));
    for (const auto& [texts, into, option] :
         {std::tuple{&servers, &command.analysis.targets.servers, "--server"},
          std::tuple{&proxies, &command.analysis.targets.proxies, "--proxy"}}) {
        for (const std::string& text : *texts) {
            auto endpoint = NamedEndpoint::parse(text);
            if (!endpoint) {
                std::cerr << "trustcap: " << option << " " << text << ": expected HOST, IP, HOST:PORT or IP:PORT\n";
                return 2;
            }
            into->push_back(*endpoint);
        }
    }
    command.format = format == "json" ? OutputFormat::json : OutputFormat::text;
    command.color = no_color ? ColorChoice::never : ColorChoice::automatic;
    return command;
}

}  // namespace trustcap
