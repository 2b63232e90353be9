// Runs a fuzz target's entry point over files and directories of inputs, so
// a build without libFuzzer replays the seed corpus and the regression
// reproducers. Any crash or sanitizer report fails the run.
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <set>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);

namespace {

int replay(const std::filesystem::path& file) {
    std::ifstream in(file, std::ios::binary);
    if (!in) {
        std::cerr << "cannot read " << file << "\n";
        return 1;
    }
    std::vector<std::uint8_t> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    LLVMFuzzerTestOneInput(bytes.data(), bytes.size());
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    std::set<std::filesystem::path> inputs;  // sorted, so a run is reproducible
    for (int i = 1; i < argc; ++i) {
        std::filesystem::path argument(argv[i]);
        if (!std::filesystem::exists(argument)) continue;  // a target without regressions yet
        if (std::filesystem::is_directory(argument)) {
            for (const auto& entry : std::filesystem::recursive_directory_iterator(argument))
                if (entry.is_regular_file()) inputs.insert(entry.path());
        } else {
            inputs.insert(argument);
        }
    }
    int failures = 0;
    for (const auto& input : inputs) failures += replay(input);
    std::cout << inputs.size() - static_cast<std::size_t>(failures) << " inputs replayed\n";
    return failures == 0 && !inputs.empty() ? 0 : 1;
}
