#pragma once

#include <filesystem>
#include <ostream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "process.h"

namespace trustcap::testing {

// Every capture under pcaps/ that has an expected-verdict file beside it
// (NAME.pcap / NAME.pcapng with NAME.expected.json), and each further run of
// one written down as NAME.VARIANT.expected.json (e.g. NAME.keylog.expected.json).
struct CorpusEntry {
    std::filesystem::path capture;
    std::filesystem::path expected;
    std::string test_name;  // a valid GoogleTest name
};

std::vector<CorpusEntry> capture_corpus();

inline void PrintTo(const CorpusEntry& entry, std::ostream* out) { *out << entry.capture.string(); }

std::string trustcap_binary();

// An argument from an expected-verdict file, with @PCAPS@ replaced by the
// absolute path of pcaps/.
std::string expand_argument(const std::string& argument);

// The entry's expected-verdict file.
nlohmann::json expected_verdict(const CorpusEntry& entry);

// The report's first finding with this id, or nullptr.
const nlohmann::json* finding_with_id(const nlohmann::json& report, const std::string& id);

// Runs trustcap --format json on the capture with the expected file's arguments.
ProcessResult run_trustcap_as_expected(const CorpusEntry& entry, const std::vector<std::string>& extra = {});

}  // namespace trustcap::testing
