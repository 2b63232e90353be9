#include "report/wire_text.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace trustcap {
namespace {

TEST(TerminalText, PrintableUtf8PassesUnchanged) {
    EXPECT_EQ("smartreceiver.cisco.com", terminal_text("smartreceiver.cisco.com"));
    EXPECT_EQ("Zertifikat f\xc3\xbcr M\xc3\xbcnchen \xe2\x86\x92 \xe6\x9d\xb1\xe4\xba\xac \xf0\x9f\x94\x92",
              terminal_text("Zertifikat f\xc3\xbcr M\xc3\xbcnchen \xe2\x86\x92 \xe6\x9d\xb1\xe4\xba\xac \xf0\x9f\x94\x92"));
    EXPECT_EQ("C:\\captures\\cssm.pcap", terminal_text("C:\\captures\\cssm.pcap"));
    EXPECT_EQ("", terminal_text(""));
}

TEST(TerminalText, AsciiControlsAreEscapedAsBytes) {
    EXPECT_EQ("\\x1B]0;owned\\x07", terminal_text("\x1b]0;owned\x07"));
    EXPECT_EQ("\\x1B[2J\\x1B[1;31mred", terminal_text("\x1b[2J\x1b[1;31mred"));
    EXPECT_EQ("line\\x0D\\x0AVerdict: HEALTHY\\x09tab", terminal_text("line\r\nVerdict: HEALTHY\ttab"));
    EXPECT_EQ("nul\\x00del\\x7F", terminal_text(std::string_view("nul\0del\x7f", 8)));
}

TEST(TerminalText, C1ControlsAndReorderingCharactersAreEscapedAsCharacters) {
    EXPECT_EQ("\\u009B2J \\u009D0;t", terminal_text("\xc2\x9b" "2J \xc2\x9d" "0;t"));
    EXPECT_EQ("\\u0085next", terminal_text("\xc2\x85next"));
    EXPECT_EQ("abc\\u202Edcba", terminal_text("abc\xe2\x80\xae" "dcba"));
    EXPECT_EQ("\\u2066x\\u2069\\u200F\\u2028", terminal_text("\xe2\x81\xa6x\xe2\x81\xa9\xe2\x80\x8f\xe2\x80\xa8"));
    EXPECT_EQ("\xc2\xa0\xe2\x80\x94", terminal_text("\xc2\xa0\xe2\x80\x94"));  // no-break space, em dash
}

TEST(TerminalText, BytesThatAreNotUtf8AreEscapedOneByOne) {
    EXPECT_EQ("\\x9B2J", terminal_text("\x9b" "2J"));                  // a raw 8-bit CSI
    EXPECT_EQ("bad\\xA2name", terminal_text("bad\xa2name"));
    EXPECT_EQ("\\xFF\\xFE", terminal_text("\xff\xfe"));
    EXPECT_EQ("\\xC0\\xAF", terminal_text("\xc0\xaf"));                // overlong '/'
    EXPECT_EQ("\\xED\\xA0\\x80", terminal_text("\xed\xa0\x80"));       // a surrogate
    EXPECT_EQ("\\xF4\\x90\\x80\\x80", terminal_text("\xf4\x90\x80\x80"));  // past U+10FFFF
    EXPECT_EQ("cut \\xE2\\x80", terminal_text("cut \xe2\x80"));        // a character cut short
    EXPECT_EQ("\\xC3\\x1B", terminal_text("\xc3\x1b"));
}

TEST(TerminalText, NothingEscapedIsLeftRaw) {
    std::string every_byte;
    for (int byte = 0; byte < 256; ++byte) every_byte += static_cast<char>(byte);
    const std::string shown = terminal_text(every_byte + "\xc2\x80\xc2\x9f");
    for (unsigned char byte : shown) {
        EXPECT_GE(byte, 0x20) << shown;
        EXPECT_NE(byte, 0x7f) << shown;
    }
    EXPECT_NO_THROW((void)nlohmann::json(shown).dump()) << "the result is valid UTF-8";
    EXPECT_EQ(shown, terminal_text(shown)) << "escaping is stable: escaped text has nothing left to escape";
}

TEST(JsonText, KeepsValidUtf8ExactlyAndEscapesOnlyInvalidBytes) {
    EXPECT_EQ("\x1b]0;owned\x07\xc2\x9b", json_text("\x1b]0;owned\x07\xc2\x9b"));
    EXPECT_EQ("bad\\xA2name \\xFF\\xFE", json_text("bad\xa2name \xff\xfe"));
    EXPECT_EQ("M\xc3\xbcnchen", json_text("M\xc3\xbcnchen"));
    const std::string document = nlohmann::json(json_text("\x1b\xff\xc3\x28\x9b")).dump();
    EXPECT_EQ(R"("\u001b\\xFF\\xC3(\\x9B")", document);
    EXPECT_EQ("\x1b\\xFF\\xC3(\\x9B", nlohmann::json::parse(document).get<std::string>());
}

TEST(JsonText, ValidUtf8IsWhatJsonTextLeavesUnchanged) {
    for (const std::string text : {"", "smartreceiver.cisco.com", "M\xc3\xbcnchen", "\x1b]0;x\x07\xc2\x9b",
                                   "\xf0\x9f\x94\x92 lock", "bad\xa2name", "\xc3\x28", "\xc0\xaf overlong",
                                   "\xed\xa0\x80 surrogate", "\xf4\x90\x80\x80 past U+10FFFF", "cut \xe2\x80"}) {
        EXPECT_EQ(json_text(text) == text, is_valid_utf8(text)) << terminal_text(text);
    }
    EXPECT_TRUE(is_valid_utf8("M\xc3\xbcnchen"));
    EXPECT_FALSE(is_valid_utf8("cut \xe2\x80"));
}

TEST(HtmlText, EscapesMarkupAfterTheTerminalRules) {
    EXPECT_EQ("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;q&quot;",
              html_text("<script>alert('x')</script> & \"q\""));
    EXPECT_EQ("\\x1B[2J\\xFF\\u202E", html_text("\x1b[2J\xff\xe2\x80\xae"));
    EXPECT_EQ("smartreceiver.cisco.com", html_text("smartreceiver.cisco.com"));
}

}  // namespace
}  // namespace trustcap
