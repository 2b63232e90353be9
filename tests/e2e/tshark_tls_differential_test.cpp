// tshark is the oracle for TLS too: on every capture, the handshake message
// types and clear-text alerts trustcap reports per frame, the SNI, and every
// certificate (its bytes, subject and issuer) agree with what tshark reads;
// a run given --keylog is compared with tshark given the same key log.
#include <gtest/gtest.h>

#include <openssl/evp.h>
#include <openssl/x509.h>

#include <algorithm>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

#include "capture_corpus.h"
#include "process.h"

namespace trustcap::testing {
namespace {

using Json = nlohmann::json;

struct TlsFrame {
    std::string stream;
    std::vector<int> handshake_types;
    std::vector<std::pair<int, int>> alerts;
    std::string server_name;
    std::vector<std::string> certificates_hex;
};

std::vector<std::string> split_list(const std::string& text, char separator) {
    std::vector<std::string> parts;
    std::string part;
    std::istringstream in(text);
    while (std::getline(in, part, separator))
        if (!part.empty()) parts.push_back(part);
    return parts;
}

// The key log a run was given (--keylog), for tshark to decrypt with as well.
std::vector<std::string> tshark_key_log_options(const CorpusEntry& entry) {
    const Json arguments = expected_verdict(entry).value("args", Json::array());
    for (std::size_t i = 0; i + 1 < arguments.size(); ++i)
        if (arguments[i] == "--keylog")
            return {"-o", "tls.keylog_file:" + expand_argument(arguments[i + 1].get<std::string>())};
    return {};
}

std::map<std::uint64_t, TlsFrame> read_tls_with_tshark(const std::filesystem::path& capture,
                                                       const std::set<int>& tls_ports,
                                                       const std::vector<std::string>& options) {
    std::vector<std::string> arguments{"tshark", "-n", "-r", capture.string()};
    arguments.insert(arguments.end(), options.begin(), options.end());
    for (int port : tls_ports) {
        arguments.push_back("-d");
        arguments.push_back("tcp.port==" + std::to_string(port) + ",tls");
    }
    for (const char* field : {"frame.number", "tcp.stream", "tls.handshake.type", "tls.alert_message.level",
                              "tls.alert_message.desc", "tls.handshake.extensions_server_name",
                              "tls.handshake.certificate"}) {
        arguments.push_back("-e");
        arguments.push_back(field);
    }
    arguments.insert(arguments.end(), {"-T", "fields", "-E", "occurrence=a", "-E", "aggregator=;"});
    ProcessResult run = run_process(arguments);
    std::map<std::uint64_t, TlsFrame> frames;
    std::istringstream lines(run.standard_output);
    std::string line;
    while (std::getline(lines, line)) {
        std::vector<std::string> field;
        std::string part;
        std::istringstream cells(line);
        while (std::getline(cells, part, '\t')) field.push_back(part);
        field.resize(7);
        TlsFrame frame;
        frame.stream = field[1];
        for (const std::string& type : split_list(field[2], ';')) frame.handshake_types.push_back(std::stoi(type));
        std::vector<std::string> levels = split_list(field[3], ';');
        std::vector<std::string> descriptions = split_list(field[4], ';');
        for (std::size_t i = 0; i < std::min(levels.size(), descriptions.size()); ++i)
            frame.alerts.emplace_back(std::stoi(levels[i]), std::stoi(descriptions[i]));
        frame.server_name = field[5];
        frame.certificates_hex = split_list(field[6], ';');
        frames[std::stoull(field[0])] = frame;
    }
    return frames;
}

std::vector<unsigned char> from_hex(std::string hex) {
    hex.erase(std::remove(hex.begin(), hex.end(), ':'), hex.end());
    std::vector<unsigned char> bytes;
    for (std::size_t i = 0; i + 1 < hex.size(); i += 2)
        bytes.push_back(static_cast<unsigned char>(std::stoi(hex.substr(i, 2), nullptr, 16)));
    return bytes;
}

std::string sha256_fingerprint(const std::vector<unsigned char>& der) {
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    EVP_Digest(der.data(), der.size(), digest, &length, EVP_sha256(), nullptr);
    std::string text;
    char pair[4];
    for (unsigned int i = 0; i < length; ++i) {
        std::snprintf(pair, sizeof pair, "%02X", digest[i]);
        text += (i ? ":" : "") + std::string(pair);
    }
    return text;
}

// (subject CN, issuer CN) of every certificate tshark dissects, from the
// "rdnSequence: N items (id-at-commonName=…,…)" lines of its verbose output.
std::multiset<std::pair<std::string, std::string>> certificate_names_with_tshark(const std::filesystem::path& capture,
                                                                                 const std::set<int>& tls_ports,
                                                                                 const std::vector<std::string>& options) {
    std::vector<std::string> arguments{"tshark", "-n", "-r", capture.string(), "-V", "-Y", "tls.handshake.certificate"};
    arguments.insert(arguments.end(), options.begin(), options.end());
    for (int port : tls_ports) {
        arguments.push_back("-d");
        arguments.push_back("tcp.port==" + std::to_string(port) + ",tls");
    }
    ProcessResult run = run_process(arguments);
    auto common_name = [](const std::string& line) {
        const std::string key = "id-at-commonName=";
        auto at = line.find(key);
        if (at == std::string::npos) return std::string();
        auto end = line.find_first_of(",)", at + key.size());
        return line.substr(at + key.size(), end - at - key.size());
    };
    std::multiset<std::pair<std::string, std::string>> names;
    std::istringstream lines(run.standard_output);
    std::string line;
    std::string pending;  // what the next rdnSequence line describes
    std::string issuer;
    while (std::getline(lines, line)) {
        if (line.find("issuer: rdnSequence") != std::string::npos) pending = "issuer";
        else if (line.find("subject: rdnSequence") != std::string::npos) pending = "subject";
        else if (!pending.empty() && line.find("rdnSequence:") != std::string::npos) {
            if (pending == "issuer") issuer = common_name(line);
            else names.emplace(common_name(line), issuer);
            pending.clear();
        }
    }
    return names;
}

class TsharkTlsDifferentialTest : public ::testing::TestWithParam<CorpusEntry> {};

TEST_P(TsharkTlsDifferentialTest, TlsMessagesAndCertificatesAgreeWithTshark) {
    ProcessResult run = run_trustcap_as_expected(GetParam());
    if (run.exit_status == 2) GTEST_SKIP() << "unusable by design: no report to compare";
    Json report = Json::parse(run.standard_output);
    std::set<int> tls_ports;
    for (const Json& flow : report.at("flows"))
        if (!flow.at("tls").is_null()) tls_ports.insert(flow.at("server").at("port").get<int>());
    if (tls_ports.empty()) GTEST_SKIP() << "no flow of this capture carries TLS";
    const std::vector<std::string> key_log = tshark_key_log_options(GetParam());
    std::map<std::uint64_t, TlsFrame> tshark = read_tls_with_tshark(GetParam().capture, tls_ports, key_log);

    for (const Json& flow : report.at("flows")) {
        if (flow.at("tls").is_null()) continue;
        std::set<std::string> streams;
        std::multiset<std::string> our_certificates;
        for (const char* whose : {"server_certs", "client_certs"})
            for (const Json& certificate : flow.at("tls").at(whose)) our_certificates.insert(certificate.at("sha256"));
        for (const Json& row : flow.at("timeline")) {
            std::uint64_t number = row.at("frame");
            ASSERT_TRUE(tshark.contains(number)) << number;
            const TlsFrame& theirs = tshark[number];
            if (row.contains("src_port")) streams.insert(theirs.stream);
            std::vector<int> ours = row.value("tls_handshake_types", std::vector<int>{});
            std::vector<int> expected_types = theirs.handshake_types;
            std::sort(ours.begin(), ours.end());
            std::sort(expected_types.begin(), expected_types.end());
            EXPECT_EQ(expected_types, ours) << "frame " << number << " handshake types";
            std::vector<std::pair<int, int>> our_alerts;
            for (const Json& alert : row.value("tls_alerts", Json::array()))
                our_alerts.emplace_back(alert.at("level"), alert.at("description"));
            EXPECT_EQ(theirs.alerts, our_alerts) << "frame " << number << " alerts";
            if (std::count(ours.begin(), ours.end(), 1) > 0) {
                Json sni = flow.at("tls").at("server_name");
                EXPECT_EQ(theirs.server_name, sni.is_null() ? "" : sni.get<std::string>()) << "frame " << number;
            }
        }
        // Every frame of the flow where tshark reads a handshake message or an alert is in trustcap's timeline.
        std::multiset<std::string> their_certificates;
        for (const auto& [number, theirs] : tshark) {
            if (!streams.contains(theirs.stream)) continue;
            for (const std::string& hex : theirs.certificates_hex) their_certificates.insert(sha256_fingerprint(from_hex(hex)));
            if (theirs.handshake_types.empty() && theirs.alerts.empty()) continue;
            const auto frame = number;  // a structured binding cannot be captured before clang 16
            bool listed = std::any_of(flow.at("timeline").begin(), flow.at("timeline").end(),
                                      [&](const Json& row) { return row.at("frame") == frame; });
            EXPECT_TRUE(listed) << "tshark reads TLS in frame " << number << "; trustcap's timeline lacks it";
        }
        EXPECT_EQ(their_certificates, our_certificates) << "certificates of flow " << flow.at("id");
        auto their_names = certificate_names_with_tshark(GetParam().capture, tls_ports, key_log);
        for (const char* whose : {"server_certs", "client_certs"}) {
            for (const Json& certificate : flow.at("tls").at(whose)) {
                std::pair<std::string, std::string> ours{certificate.at("subject_cn"), certificate.at("issuer_cn")};
                EXPECT_TRUE(their_names.contains(ours))
                    << "subject CN \"" << ours.first << "\", issuer CN \"" << ours.second << "\" not seen by tshark";
            }
        }
    }
}

INSTANTIATE_TEST_SUITE_P(Pcaps, TsharkTlsDifferentialTest, ::testing::ValuesIn(capture_corpus()),
                         [](const ::testing::TestParamInfo<CorpusEntry>& info) { return info.param.test_name; });

}  // namespace
}  // namespace trustcap::testing
