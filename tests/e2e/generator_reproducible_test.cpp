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

TEST(Generator, ReproducesEveryCommittedCapture) {
    fs::path output = fs::temp_directory_path() / ("trustcap-pcapgen-" + std::to_string(::getpid()));
    fs::create_directories(output);
    ProcessResult run = run_process({TRUSTCAP_PCAPGEN, output.string()});
    ASSERT_EQ(0, run.exit_status) << run.standard_error;

    std::size_t compared = 0;
    for (const auto& item : fs::directory_iterator(output)) {
        fs::path committed = fs::path(TRUSTCAP_PCAPS_DIR) / "generated" / item.path().filename();
        ASSERT_TRUE(fs::exists(committed)) << committed << " is generated but not committed";
        EXPECT_EQ(contents(committed), contents(item.path())) << committed << " differs from the generator's output";
        ++compared;
    }
    for (const auto& item : fs::directory_iterator(fs::path(TRUSTCAP_PCAPS_DIR) / "generated")) {
        if (item.path().extension() != ".pcap") continue;
        EXPECT_TRUE(fs::exists(output / item.path().filename())) << item.path() << " is committed but not generated";
    }
    fs::remove_all(output);
    EXPECT_GE(compared, 30u);
}

}  // namespace
}  // namespace trustcap::testing
