// Captures of the corpus rewritten into what a hostile or broken capture
// holds (time fields past one second, times at the ends of the 64-bit range
// or going backwards, control characters and bytes that are not UTF-8 in
// every name, a file name that retitles the terminal), run through trustcap
// in every output format.
#include <gtest/gtest.h>

#include <fstream>
#include <limits>
#include <sstream>
#include <string_view>

#include <nlohmann/json.hpp>

#include "capture_corpus.h"
#include "crafted_capture.h"
#include "process.h"

namespace trustcap::testing {
namespace {

namespace fs = std::filesystem;
using Json = nlohmann::json;

const fs::path proxied_tls = fs::path(TRUSTCAP_PCAPS_DIR) / "generated-tls" / "tls12-mutual-via-proxy.pcap";
const fs::path proxy_refusal = fs::path(TRUSTCAP_PCAPS_DIR) / "generated-tls" / "proxy-auth-required.pcap";
const fs::path named_by_dns = fs::path(TRUSTCAP_PCAPS_DIR) / "generated-tls" / "dns-answer-then-no-sni.pcap";

ProcessResult run_trustcap(const std::string& format, const fs::path& capture,
                           const std::vector<std::string>& extra = {}) {
    std::vector<std::string> arguments{trustcap_binary(), "--format", format, "--ca-bundle",
                                       expand_argument("@PCAPS@/generated-tls/lab-root-ca.pem")};
    arguments.insert(arguments.end(), extra.begin(), extra.end());
    arguments.push_back(capture.string());
    return run_process(arguments);
}

// A report is what trustcap writes when it judged the capture: exit status 0 (healthy) or 1 (a problem).
void expect_report(const ProcessResult& result, const std::string& what) {
    EXPECT_TRUE(result.exit_status == 0 || result.exit_status == 1)
        << what << ": exit status " << result.exit_status << "\n" << result.standard_error;
}

// No byte below 0x20 but the newline, no DEL, valid UTF-8 with no C1 control or right-to-left override.
void expect_terminal_safe(const std::string& text, const std::string& what) {
    for (std::size_t at = 0; at < text.size(); ++at) {
        const auto byte = static_cast<unsigned char>(text[at]);
        if (byte == '\n') continue;
        ASSERT_GE(byte, 0x20) << what << ": raw control byte at " << at << " in:\n" << text;
        ASSERT_NE(byte, 0x7f) << what << ": raw DEL at " << at << " in:\n" << text;
        ASSERT_FALSE(byte == 0xc2 && at + 1 < text.size() && static_cast<unsigned char>(text[at + 1]) <= 0x9f &&
                     static_cast<unsigned char>(text[at + 1]) >= 0x80)
            << what << ": a C1 control at " << at;
        ASSERT_NE(0, text.compare(at, 3, "\xe2\x80\xae")) << what << ": a right-to-left override at " << at;
    }
    EXPECT_NO_THROW((void)Json(text).dump()) << what << ": not valid UTF-8";
}

Json parsed_json(const ProcessResult& result, const std::string& what) {
    Json document;
    EXPECT_NO_THROW(document = Json::parse(result.standard_output)) << what << ": not valid JSON";
    return document;
}

std::vector<Json> parsed_ndjson(const ProcessResult& result, const std::string& what) {
    std::vector<Json> events;
    std::istringstream lines(result.standard_output);
    for (std::string line; std::getline(lines, line);) {
        Json event;
        EXPECT_NO_THROW(event = Json::parse(line)) << what << ": not a JSON line: " << line;
        events.push_back(event);
    }
    EXPECT_FALSE(events.empty()) << what;
    return events;
}

// Runs trustcap on the capture in every format and checks each output; the JSON report comes back.
Json judged_in_every_format(const fs::path& capture, const std::vector<std::string>& extra = {}) {
    const std::string what = capture.filename().string();
    const ProcessResult text = run_trustcap("text", capture, extra);
    expect_report(text, what + " as text");
    expect_terminal_safe(text.standard_output, what + " as text");
    expect_terminal_safe(text.standard_error, what + " standard error");
    const ProcessResult ndjson = run_trustcap("ndjson", capture, extra);
    expect_report(ndjson, what + " as ndjson");
    parsed_ndjson(ndjson, what + " as ndjson");
    const ProcessResult json = run_trustcap("json", capture, extra);
    expect_report(json, what + " as json");
    EXPECT_EQ(text.exit_status, json.exit_status) << what;
    EXPECT_EQ(ndjson.exit_status, json.exit_status) << what;
    return parsed_json(json, what + " as json");
}

void expect_durations_not_negative(const Json& report) {
    for (const Json& flow : report.at("flows"))
        EXPECT_GE(flow.at("duration_seconds").get<double>(), 0.0) << "flow " << flow.at("id");
}

TEST(HostileTimes, FractionFieldsBeyondOneSecondAreCarriedIntoTheSeconds) {
    ScratchDirectory scratch("time-fields");
    ClassicCapture capture = read_classic_capture(proxied_tls);
    ASSERT_EQ(0xa1b2c3d4u, capture.magic);
    // Every record one second earlier with a million microseconds more: 1 500 000 where it held 500 000.
    const std::uint32_t first_second = capture.records.front().seconds;
    for (ClassicRecord& record : capture.records) {
        record.fraction += (record.seconds - first_second + 1) * 1'000'000;
        record.seconds = first_second - 1;
    }
    const fs::path crafted = scratch.path() / "microseconds-past-one-second.pcap";
    write_classic_capture(crafted, capture);

    Json original = parsed_json(run_trustcap("json", proxied_tls), "the original");
    Json rewritten = judged_in_every_format(crafted);
    original["capture"].erase("file");
    rewritten["capture"].erase("file");
    EXPECT_EQ(original, rewritten) << "the same times, written differently, give the same report";
}

TEST(HostileTimes, PcapngTimesFarInTheFuture) {
    ScratchDirectory scratch("year-2300");
    const ClassicCapture capture = read_classic_capture(proxied_tls);
    const std::uint64_t year_2300 = 10'413'792'000;
    const std::uint32_t first_second = capture.records.front().seconds;
    std::vector<std::uint64_t> timestamps;
    for (const ClassicRecord& record : capture.records)
        timestamps.push_back((year_2300 + record.seconds - first_second) * 1'000'000'000 + record.fraction * 1000ULL);
    const fs::path crafted = scratch.path() / "year-2300.pcapng";
    write_pcapng_capture(crafted, capture, 9, 0, timestamps);

    const Json report = judged_in_every_format(crafted);
    const Json original = parsed_json(run_trustcap("json", proxied_tls), "the original");
    const std::string first_time = report.at("capture").at("first_time");
    EXPECT_EQ("2300-01-01T00:00:00.", first_time.substr(0, 20)) << first_time;
    ASSERT_EQ(original.at("flows").size(), report.at("flows").size());
    for (std::size_t i = 0; i < report.at("flows").size(); ++i)
        EXPECT_NEAR(original["flows"][i]["duration_seconds"].get<double>(),
                    report["flows"][i]["duration_seconds"].get<double>(), 1e-6);
}

TEST(HostileTimes, TimesAtBothEndsOfTheRangeAndWrappingBetweenThem) {
    ScratchDirectory scratch("int64-ends");
    const ClassicCapture capture = read_classic_capture(proxied_tls);
    // Whole seconds: the first half counts up to INT64_MAX, the rest from INT64_MIN.
    const std::uint64_t most = std::numeric_limits<std::int64_t>::max();
    const std::size_t half = capture.records.size() / 2;
    std::vector<std::uint64_t> timestamps;
    for (std::size_t i = 0; i < capture.records.size(); ++i)
        timestamps.push_back(i < half ? most - half + 1 + i : most + 1 + (i - half));
    const fs::path crafted = scratch.path() / "int64-ends.pcapng";
    write_pcapng_capture(crafted, capture, 0, 0, timestamps);

    const Json report = judged_in_every_format(crafted);
    const std::string first_time = report.at("capture").at("first_time");
    EXPECT_EQ("+292277026596-12-04T15:29:", first_time.substr(0, 26)) << first_time;
    const std::string last_time = report.at("capture").at("last_time");
    EXPECT_EQ("-292277022657-01-27T08:", last_time.substr(0, 23)) << last_time;
    expect_durations_not_negative(report);
}

TEST(HostileTimes, TimeGoingBackwards) {
    ScratchDirectory scratch("backwards");
    ClassicCapture capture = read_classic_capture(proxied_tls);
    const ClassicCapture original = capture;
    const std::size_t count = capture.records.size();
    for (std::size_t i = 0; i < count; ++i) {
        capture.records[i].seconds = original.records[count - 1 - i].seconds;
        capture.records[i].fraction = original.records[count - 1 - i].fraction;
    }
    const fs::path crafted = scratch.path() / "backwards.pcap";
    write_classic_capture(crafted, capture);

    const Json report = judged_in_every_format(crafted);
    expect_durations_not_negative(report);
    const ProcessResult text = run_trustcap("text", crafted);
    EXPECT_EQ(std::string::npos, text.standard_output.find("lasted -")) << text.standard_output;
}

// Same length as `original`: the escapes first, then the original's own bytes.
std::string hostile_in_place_of(const std::string& original, const std::string& escapes) {
    return escapes + original.substr(escapes.size());
}

struct HostileCase {
    fs::path source;
    std::string original;  // replaced wherever it is in the file
    std::string escapes;
    std::vector<std::string> arguments;
    std::string shown;  // what the text report shows for it
};

TEST(HostileText, NamesFromTheWireAndAFileNameReachNoTerminalRaw) {
    ScratchDirectory scratch("hostile-text");
    // The names stay valid UTF-8 (an X.509 UTF8String must): terminal title, BEL, DEL, a UTF-8 CSI, a
    // right-to-left override.
    const std::string name_escapes = "\x1b]0;x\x07\x7f\xc2\x9b\xe2\x80\xae";
    // A DNS label may hold any byte: an 8-bit CSI and bytes that are never UTF-8 too.
    const std::string label_escapes = "\x1b]0;x\x07\x7f\x9b\xff\xc2\x9b";
    // In the HTTP reason phrase only obs-text is allowed: a UTF-8 CSI, a right-to-left override, 8-bit OSC.
    const std::string reason_escapes = "\xc2\x9b" "2J\xe2\x80\xae\x9d" "0;t\xff";
    const std::vector<std::string> by_address = {"--server", "146.112.59.25:443"};
    const std::vector<HostileCase> cases = {
        {fs::path(TRUSTCAP_PCAPS_DIR) / "generated-tls" / "tls12-mutual-healthy.pcap", "smartreceiver", name_escapes,
         by_address, "CN=\\x1B]0\\;x\\x07\\x7F"},
        {named_by_dns, "smartreceiver", label_escapes, by_address, "\\027]0;x\\007\\127\\155\\255"},
        {proxied_tls, "Connection established", reason_escapes, {}, "\\u009B2J\\u202E\\x9D0;t\\xFF"},
        {proxy_refusal, "Proxy Authentication Required", reason_escapes, {}, "407 \\u009B2J\\u202E\\x9D0;t\\xFF"}};
    const std::string file_escape = "\x1b]0;retitled\x07";
    for (const HostileCase& hostile : cases) {
        const fs::path crafted = scratch.path() / (hostile.source.stem().string() + file_escape + ".pcap");
        fs::copy_file(hostile.source, crafted);
        replace_bytes(crafted, hostile.original, hostile_in_place_of(hostile.original, hostile.escapes));

        const Json report = judged_in_every_format(crafted, hostile.arguments);
        const ProcessResult text = run_trustcap("text", crafted, hostile.arguments);
        EXPECT_NE(std::string::npos, text.standard_output.find(hostile.source.stem().string() + "\\x1B]0;retitled\\x07.pcap"))
            << text.standard_output;
        EXPECT_NE(std::string::npos, text.standard_output.find(hostile.shown))
            << "shown escaped: " << hostile.shown << "\n" << text.standard_output;
        EXPECT_EQ(hostile.source.stem().string() + file_escape + ".pcap",
                  fs::path(report.at("capture").at("file").get<std::string>()).filename())
            << "JSON keeps the name exactly";
        EXPECT_FALSE(report.at("flows").empty()) << crafted;
    }
}

TEST(HostileText, FileNamesInErrorMessagesAreEscaped) {
    ScratchDirectory scratch("hostile-name");
    const fs::path missing = scratch.path() / "missing\x1b]0;retitled\x07.pcap";
    const fs::path not_a_capture = scratch.path() / "notes\x1b[2J\x9b.txt";
    { std::ofstream(not_a_capture) << "not a capture\n"; }
    for (const fs::path& path : {missing, not_a_capture}) {
        const ProcessResult result = run_process({trustcap_binary(), path.string()});
        EXPECT_EQ(2, result.exit_status);
        expect_terminal_safe(result.standard_error, "standard error");
        EXPECT_TRUE(result.standard_error.find("missing\\x1B]0;retitled\\x07.pcap") != std::string::npos ||
                    result.standard_error.find("notes\\x1B[2J\\x9B.txt") != std::string::npos)
            << result.standard_error;
    }
}

TEST(HostileDns, AnAnswerWhoseNamePointsAtItselfIsNotReadAndIsToldOf) {
    ScratchDirectory scratch("dns-loop");
    const Json original = parsed_json(run_trustcap("json", named_by_dns), "the original");
    ASSERT_EQ("dns", original.at("flows").at(0).at("identified_by")) << "the answer in frame 2 names the server";
    // The answer's name is a pointer to the question's name at offset 12; it now points at itself (offset 41).
    const fs::path crafted = scratch.path() / "dns-answer-pointing-at-itself.pcap";
    fs::copy_file(named_by_dns, crafted);
    replace_bytes(crafted, std::string("\xc0\x0c\x00\x01\x00\x01\x00\x00\x01\x2c", 10),
                  std::string("\xc0\x29\x00\x01\x00\x01\x00\x00\x01\x2c", 10));

    const Json report = judged_in_every_format(crafted);
    const Json* told = nullptr;
    for (const Json& finding : report.at("findings"))
        if (finding.at("id") == "dns.unread_messages") told = &finding;
    ASSERT_NE(nullptr, told) << report.at("findings");
    EXPECT_EQ(Json::array({2}), told->at("frames"));
    EXPECT_EQ("warning", told->at("severity")) << "the licensing name's address is what was not read";
    EXPECT_EQ("DNS messages were not read: 1 to or from port 53 could not be read (first in frame 2: answer 1 of 1: "
              "compression pointer at offset 41 points to itself). Among them the answer to the lookup of "
              "smartreceiver.cisco.com in frame 2",
              told->at("summary"));
    for (const Json& finding : report.at("findings"))
        EXPECT_NE("dns.no_answer", finding.at("id")) << "the server answered, in frame 2";
    // Without the answer only the server's certificate names the connection (it sends no SNI).
    ASSERT_EQ(1u, report.at("flows").size()) << report.at("flows");
    EXPECT_EQ("certificate", report.at("flows").at(0).at("identified_by"));
}

}  // namespace
}  // namespace trustcap::testing
