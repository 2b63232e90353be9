#include "report/text_wrap.h"

#include <gtest/gtest.h>

namespace trustcap {
namespace {

constexpr char no_mark = '\x1e';

TEST(TextWrap, LinesWithinTheWidthAreLeftAlone) {
    EXPECT_EQ(wrap_lines("  short line\nanother", 40, no_mark), "  short line\nanother");
    EXPECT_EQ(wrap_lines(std::string(120, 'x'), 0, no_mark), std::string(120, 'x'));
}

TEST(TextWrap, BreaksAtTheLastSpaceThatFitsAndIndentsTheContinuation) {
    const std::string line = "  Verdict: the licensing connection to smartreceiver.cisco.com failed at step tls";
    EXPECT_EQ(wrap_lines(line, 40, no_mark),
              "  Verdict: the licensing connection to\n"
              "    smartreceiver.cisco.com failed at\n"
              "    step tls");
}

TEST(TextWrap, NoLineIsWiderThanTheWidthUnlessOneWordIs) {
    const std::string words =
        "one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen";
    for (std::size_t width = 40; width <= 60; ++width) {
        std::string wrapped = wrap_lines(words, width, no_mark);
        std::size_t start = 0;
        while (start <= wrapped.size()) {
            std::size_t end = std::min(wrapped.find('\n', start), wrapped.size());
            EXPECT_LE(end - start, width) << wrapped;
            start = end + 1;
        }
    }
    EXPECT_EQ(wrap_lines("a " + std::string(50, 'w') + " b", 40, no_mark), "a\n  " + std::string(50, 'w') + "\n  b");
}

TEST(TextWrap, AnIosXeCommentGoesOnAsAComment) {
    EXPECT_EQ(wrap_lines("    ! Renew the device certificate by re-establishing trust with a new token", 40, no_mark),
              "    ! Renew the device certificate by\n"
              "    ! re-establishing trust with a new\n"
              "    ! token");
}

TEST(TextWrap, MarkedLinesAndUnbreakableSpacesStayWhole) {
    const std::string command = std::string(1, no_mark) + "  license smart trust idtoken " + std::string(60, 'T') + " all";
    EXPECT_EQ(wrap_lines(command, 40, no_mark), command.substr(1));
    std::string filter = "frame.number in {1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16}";
    std::string protected_filter = filter;
    for (char& c : protected_filter)
        if (c == ' ') c = unbreakable_space;
    EXPECT_EQ(wrap_lines("Evidence: frames 1-16   Wireshark: " + protected_filter, 40, no_mark),
              "Evidence: frames 1-16   Wireshark:\n  " + filter);
}

TEST(TextWrap, EscapeSequencesAndMultibyteCharactersTakeTheirColumnsOnly) {
    EXPECT_EQ(display_width("\033[1mFlow 1\033[0m  a \u2192 b"), 13u);
    const std::string coloured = "\033[31mPROBLEM\033[0m " + std::string(30, 'x') + " tail";
    EXPECT_EQ(wrap_lines(coloured, 43, no_mark), coloured);
    EXPECT_EQ(wrap_lines(coloured, 40, no_mark), "\033[31mPROBLEM\033[0m " + std::string(30, 'x') + "\n  tail");
}

TEST(TextWrap, TooNarrowAWidthIsTakenAsForty) {
    EXPECT_EQ(wrap_lines("alpha beta gamma delta epsilon zeta eta theta", 10, no_mark),
              "alpha beta gamma delta epsilon zeta eta\n  theta");
}

TEST(TextWrap, WordsWrapIntoAColumn) {
    EXPECT_EQ(wrap_words("  the DNS server says   the name does not exist  ", 16),
              (std::vector<std::string>{"the DNS server", "says   the name", "does not exist"}));
    EXPECT_EQ(wrap_words("", 10), (std::vector<std::string>{""}));
}

}  // namespace
}  // namespace trustcap
