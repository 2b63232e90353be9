// The generated captures in pcaps/ are what the generator writes today: no
// capture was edited by hand, and a change to the generator that changes a
// capture shows up here until the capture (and its verdict) is renewed.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>

#include <unistd.h>

#include "process.h"

namespace trustcap::testing {
namespace {

namespace fs = std::filesystem;

std::string contents(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// Runs the generator and compares what it writes with pcaps/<folder>/.
void expect_generator_reproduces(const std::vector<std::string>& mode, const std::string& folder,
                                 std::size_t at_least) {
    fs::path output = fs::temp_directory_path() / ("trustcap-pcapgen-" + folder + "-" + std::to_string(::getpid()));
    fs::create_directories(output);
    std::vector<std::string> arguments{TRUSTCAP_PCAPGEN};
    arguments.insert(arguments.end(), mode.begin(), mode.end());
    arguments.push_back(output.string());
    ProcessResult run = run_process(arguments);
    ASSERT_EQ(0, run.exit_status) << run.standard_error;

    fs::path committed_folder = fs::path(TRUSTCAP_PCAPS_DIR) / folder;
    std::size_t compared = 0;
    for (const auto& item : fs::directory_iterator(output)) {
        fs::path committed = committed_folder / item.path().filename();
        ASSERT_TRUE(fs::exists(committed)) << committed << " is generated but not committed";
        EXPECT_EQ(contents(committed), contents(item.path())) << committed << " differs from the generator's output";
        ++compared;
    }
    for (const auto& item : fs::directory_iterator(committed_folder)) {
        if (item.path().extension() != ".pcap") continue;
        EXPECT_TRUE(fs::exists(output / item.path().filename())) << item.path() << " is committed but not generated";
    }
    fs::remove_all(output);
    EXPECT_GE(compared, at_least);
}

TEST(Generator, ReproducesEveryCommittedCapture) { expect_generator_reproduces({}, "generated", 30); }

// OpenSSL's random generator is replaced by its seeded test generator, so the
// TLS captures are byte-identical too (with this OpenSSL version).
TEST(Generator, ReproducesEveryCommittedTlsCapture) { expect_generator_reproduces({"--tls"}, "generated-tls", 11); }

}  // namespace
}  // namespace trustcap::testing
