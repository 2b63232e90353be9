#include "scenarios.h"
#include "span_capture.h"

#include <exception>
#include <filesystem>
#include <iostream>
#include <string>

namespace {

constexpr const char* usage =
    "usage: trustcap-pcapgen OUTDIR\n"
    "         Writes the generated test captures into OUTDIR.\n"
    "       trustcap-pcapgen --span FILE CONNECTIONS\n"
    "         Writes a large span-port-like capture for benchmarks.\n";

void write_test_captures(const std::filesystem::path& output_directory)
{
    std::filesystem::create_directories(output_directory);
    for (const pcapgen::Scenario& scenario : pcapgen::all_scenarios()) {
        scenario.write(output_directory / scenario.file_name);
        std::cout << scenario.file_name << '\n';
    }
}

}  // namespace

int main(int argc, char** argv)
{
    bool span = argc == 4 && std::string(argv[1]) == "--span";
    if (argc != 2 && !span) {
        std::cerr << usage;
        return 2;
    }
    try {
        if (span) {
            pcapgen::write_span_capture(argv[2], std::stoul(argv[3]));
        } else {
            write_test_captures(argv[1]);
        }
    } catch (const std::exception& error) {
        std::cerr << "trustcap-pcapgen: " << error.what() << '\n';
        return 1;
    }
    return 0;
}
