#include "capture_corpus.h"

#include <algorithm>
#include <fstream>

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
        // NAME.VARIANT.expected.json: another run of NAME.pcap, with that file's arguments.
        std::string variant;
        const auto has_capture = [&](const std::string& base) {
            return fs::exists(path.parent_path() / (base + ".pcap")) || fs::exists(path.parent_path() / (base + ".pcapng"));
        };
        if (const auto dot = stem.rfind('.'); !has_capture(stem) && dot != std::string::npos && has_capture(stem.substr(0, dot))) {
            variant = stem.substr(dot);
            stem.resize(dot);
        }
        for (const char* extension : {".pcap", ".pcapng"}) {
            fs::path capture = path.parent_path() / (stem + extension);
            if (!fs::exists(capture)) continue;
            std::string test_name = fs::relative(capture, TRUSTCAP_PCAPS_DIR).string() + variant;
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

nlohmann::json expected_verdict(const CorpusEntry& entry) {
    std::ifstream in(entry.expected);
    return nlohmann::json::parse(in);
}

ProcessResult run_trustcap_as_expected(const CorpusEntry& entry, const std::vector<std::string>& extra) {
    std::vector<std::string> arguments{trustcap_binary(), "--format", "json"};
    for (const auto& argument : expected_verdict(entry).value("args", nlohmann::json::array()))
        arguments.push_back(expand_argument(argument.get<std::string>()));
    arguments.insert(arguments.end(), extra.begin(), extra.end());
    arguments.push_back(entry.capture.string());
    return run_process(arguments);
}

const nlohmann::json* finding_with_id(const nlohmann::json& report, const std::string& id) {
    if (!report.contains("findings")) return nullptr;
    for (const nlohmann::json& finding : report.at("findings"))
        if (finding.at("id") == id) return &finding;
    return nullptr;
}

}  // namespace trustcap::testing
