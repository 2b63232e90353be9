#include "deterministic_openssl_random.h"
#include "lab_pki.h"
#include "scenarios.h"
#include "span_capture.h"
#include "syn_flood.h"
#include "tls_scenarios.h"

#include <exception>
#include <filesystem>
#include <iostream>
#include <string>

namespace {

constexpr const char* usage =
    "usage: trustcap-pcapgen OUTDIR\n"
    "         Writes the generated test captures into OUTDIR.\n"
    "       trustcap-pcapgen --tls OUTDIR\n"
    "         Writes the captures with real TLS, and the lab root CAs they need as --ca-bundle, into OUTDIR.\n"
    "       trustcap-pcapgen --span FILE CONNECTIONS\n"
    "         Writes a large span-port-like capture for benchmarks.\n"
    "       trustcap-pcapgen --syn-flood FILE SYNS\n"
    "         Writes a SYN flood, each SYN from an address and port of its own, for benchmarks.\n";

void write_test_captures(const std::filesystem::path& output_directory)
{
    std::filesystem::create_directories(output_directory);
    for (const pcapgen::Scenario& scenario : pcapgen::all_scenarios()) {
        scenario.write(output_directory / scenario.file_name);
        std::cout << scenario.file_name << '\n';
    }
}

void write_tls_captures(const std::filesystem::path& output_directory)
{
    std::filesystem::create_directories(output_directory);
    pcapgen::seed_openssl_random("lab PKI");
    const pcapgen::LabPki pki;
    pki.write_root_ca_pem(output_directory / pcapgen::lab_root_ca_file_name);
    std::cout << pcapgen::lab_root_ca_file_name << '\n';
    pki.write_root_ca_2021_pem(output_directory / pcapgen::lab_root_ca_2021_file_name);
    std::cout << pcapgen::lab_root_ca_2021_file_name << '\n';
    for (const pcapgen::TlsScenario& scenario : pcapgen::all_tls_scenarios()) {
        pcapgen::seed_openssl_random(scenario.file_name);
        scenario.write(output_directory / scenario.file_name, pki);
        std::cout << scenario.file_name << '\n';
    }
}

}  // namespace

int main(int argc, char** argv)
{
    const bool span = argc == 4 && std::string(argv[1]) == "--span";
    const bool syn_flood = argc == 4 && std::string(argv[1]) == "--syn-flood";
    const bool tls = argc == 3 && std::string(argv[1]) == "--tls";
    if (!span && !syn_flood && !tls && (argc != 2 || std::string(argv[1]).starts_with("--"))) {
        std::cerr << usage;
        return 2;
    }
    try {
        if (span) {
            pcapgen::write_span_capture(argv[2], std::stoul(argv[3]));
        } else if (syn_flood) {
            pcapgen::write_syn_flood(argv[2], std::stoul(argv[3]));
        } else if (tls) {
            write_tls_captures(argv[2]);
        } else {
            write_test_captures(argv[1]);
        }
    } catch (const std::exception& error) {
        std::cerr << "trustcap-pcapgen: " << error.what() << '\n';
        return 1;
    }
    return 0;
}
