#include "scenarios.h"

#include <exception>
#include <filesystem>
#include <iostream>

int main(int argc, char** argv)
{
    if (argc != 2) {
        std::cerr << "usage: trustcap-pcapgen OUTDIR\n"
                     "Writes the generated test captures into OUTDIR.\n";
        return 2;
    }
    const std::filesystem::path output_directory = argv[1];
    try {
        std::filesystem::create_directories(output_directory);
        for (const pcapgen::Scenario& scenario : pcapgen::all_scenarios()) {
            scenario.write(output_directory / scenario.file_name);
            std::cout << scenario.file_name << '\n';
        }
    } catch (const std::exception& error) {
        std::cerr << "trustcap-pcapgen: " << error.what() << '\n';
        return 1;
    }
    return 0;
}
