#include "capture_corpus.h"

#include <algorithm>

namespace trustcap::testing {

std::vector<CorpusEntry> capture_corpus() {
    namespace fs = std::filesystem;
    std::vector<CorpusEntry> entries;
    for (const auto& item : fs::recursive_directory_iterator(TRUSTCAP_PCAPS_DIR)) {
        const fs::path& path = item.path();
        std::string name = path.filename().string();
        const std::string suffix = ".expected.json";
        if (name.size() <= suffix.size() || name.compare(name.size() - suffix.size(), suffix.size(), suffix) != 0)
            continue;
        std::string stem = name.substr(0, name.size() - suffix.size());
        for (const char* extension : {".pcap", ".pcapng"}) {
            fs::path capture = path.parent_path() / (stem + extension);
            if (!fs::exists(capture)) continue;
            std::string test_name = fs::relative(capture, TRUSTCAP_PCAPS_DIR).string();
            std::replace_if(test_name.begin(), test_name.end(), [](char c) { return !std::isalnum(static_cast<unsigned char>(c)); }, '_');
            entries.push_back({capture, path, test_name});
        }
    }
    std::sort(entries.begin(), entries.end(), [](const auto& a, const auto& b) { return a.capture < b.capture; });
    return entries;
}

std::string trustcap_binary() { return TRUSTCAP_BINARY; }

std::string expand_argument(const std::string& argument) {
    std::string text = argument;
    const std::string token = "@PCAPS@";
    for (auto at = text.find(token); at != std::string::npos; at = text.find(token, at))
        text.replace(at, token.size(), TRUSTCAP_PCAPS_DIR);
    return text;
}

}  // namespace trustcap::testing
