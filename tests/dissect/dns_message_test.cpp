#include "dissect/dns_message.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <iterator>
#include <random>
#include <string>
#include <string_view>
#include <vector>

namespace trustcap {
namespace {

constexpr std::uint16_t query_flags = 0x0100;     // RD
constexpr std::uint16_t response_flags = 0x8180;  // QR RD RA, NOERROR
constexpr std::uint16_t in_class = 1;

// Writes DNS messages field by field, so tests can also write broken ones.
class DnsBuilder {
public:
    DnsBuilder& header(std::uint16_t id, std::uint16_t flags, std::uint16_t questions, std::uint16_t answers,
                       std::uint16_t authorities = 0, std::uint16_t additionals = 0) {
        return u16(id).u16(flags).u16(questions).u16(answers).u16(authorities).u16(additionals);
    }
    DnsBuilder& u8(std::uint8_t value) {
        bytes_.push_back(value);
        return *this;
    }
    DnsBuilder& u16(std::uint16_t value) {
        return u8(static_cast<std::uint8_t>(value >> 8)).u8(static_cast<std::uint8_t>(value));
    }
    DnsBuilder& u32(std::uint32_t value) {
        return u16(static_cast<std::uint16_t>(value >> 16)).u16(static_cast<std::uint16_t>(value));
    }
    DnsBuilder& raw(std::string_view text) {
        bytes_.insert(bytes_.end(), text.begin(), text.end());
        return *this;
    }
    DnsBuilder& labels(std::string_view dotted) {
        while (!dotted.empty()) {
            const std::size_t dot = dotted.find('.');
            const std::string_view label = dotted.substr(0, dot);
            u8(static_cast<std::uint8_t>(label.size())).raw(label);
            dotted = dot == std::string_view::npos ? std::string_view() : dotted.substr(dot + 1);
        }
        return *this;
    }
    DnsBuilder& name(std::string_view dotted) { return labels(dotted).u8(0); }
    DnsBuilder& pointer(std::size_t offset) { return u16(static_cast<std::uint16_t>(0xC000 | offset)); }
    DnsBuilder& question(std::string_view dotted, std::uint16_t type) { return name(dotted).u16(type).u16(in_class); }
    // The owner name comes before; the record data between begin_record and end_record.
    DnsBuilder& begin_record(std::uint16_t type, std::uint32_t ttl) {
        u16(type).u16(in_class).u32(ttl);
        data_length_at_ = bytes_.size();
        return u16(0);
    }
    DnsBuilder& end_record() {
        const std::size_t length = bytes_.size() - data_length_at_ - 2;
        bytes_[data_length_at_] = static_cast<std::uint8_t>(length >> 8);
        bytes_[data_length_at_ + 1] = static_cast<std::uint8_t>(length);
        return *this;
    }
    DnsBuilder& address(std::string_view text) {
        const IpAddress ip = *IpAddress::parse(text);
        const std::size_t size = ip.is_v4() ? 4 : 16;
        bytes_.insert(bytes_.end(), ip.bytes().begin(), ip.bytes().begin() + static_cast<std::ptrdiff_t>(size));
        return *this;
    }

    [[nodiscard]] std::size_t position() const { return bytes_.size(); }
    [[nodiscard]] const std::vector<std::uint8_t>& bytes() const { return bytes_; }

private:
    std::vector<std::uint8_t> bytes_;
    std::size_t data_length_at_ = 0;
};

struct Parsed {
    std::optional<DnsMessage> message;
    std::string error;
};

Parsed parse(const std::vector<std::uint8_t>& bytes, std::size_t length = SIZE_MAX) {
    Parsed parsed;
    parsed.message = parse_dns_message(Bytes(bytes.data(), std::min(length, bytes.size())), parsed.error);
    return parsed;
}

constexpr std::size_t question_offset = 12;

// smartreceiver.cisco.com → CNAME smartreceiver.cisco.com.edgekey.net → CNAME e1234.dscb.akamaiedge.net → A,
// with the owner names and the last "net" compressed, and an SOA-like authority record after the answers.
struct CnameChain {
    DnsBuilder builder;
    std::size_t answers_end = 0;
};

CnameChain cname_chain() {
    CnameChain chain;
    DnsBuilder& b = chain.builder;
    b.header(0xBEEF, response_flags, 1, 3, 1, 0).question("smartreceiver.cisco.com", dns_type::a);
    b.pointer(question_offset).begin_record(dns_type::cname, 3600);
    const std::size_t edgekey_target = b.position();
    b.labels("smartreceiver.cisco.com.edgekey");
    const std::size_t net_label = b.position();
    b.name("net").end_record();
    b.pointer(edgekey_target).begin_record(dns_type::cname, 21600);
    const std::size_t akamai_target = b.position();
    b.labels("e1234.dscb.akamaiedge").pointer(net_label).end_record();
    b.pointer(akamai_target).begin_record(dns_type::a, 20).address("23.50.10.20").end_record();
    chain.answers_end = b.position();
    b.pointer(net_label).begin_record(6, 900).name("ns1.example").end_record();
    return chain;
}

TEST(DnsMessage, ParsesAQueryWithLowerCasedName) {
    DnsBuilder b;
    b.header(0x1234, query_flags, 1, 0).question("SmartReceiver.Cisco.COM", dns_type::a);
    const Parsed parsed = parse(b.bytes());
    ASSERT_TRUE(parsed.message) << parsed.error;
    const DnsMessage& m = *parsed.message;
    EXPECT_EQ(m.id, 0x1234);
    EXPECT_FALSE(m.is_response);
    EXPECT_TRUE(m.recursion_desired);
    EXPECT_EQ(m.opcode, 0);
    EXPECT_EQ(m.rcode, dns_rcode::no_error);
    ASSERT_EQ(m.questions.size(), 1u);
    EXPECT_EQ(m.questions[0].name, "smartreceiver.cisco.com");
    EXPECT_EQ(m.questions[0].type, dns_type::a);
    EXPECT_EQ(m.questions[0].klass, in_class);
    EXPECT_TRUE(m.answers.empty());
}

TEST(DnsMessage, FollowsACnameChainToAnAddress) {
    const CnameChain chain = cname_chain();
    const Parsed parsed = parse(chain.builder.bytes());
    ASSERT_TRUE(parsed.message) << parsed.error;
    const DnsMessage& m = *parsed.message;
    EXPECT_TRUE(m.is_response);
    EXPECT_TRUE(m.recursion_available);
    EXPECT_FALSE(m.truncated);
    EXPECT_EQ(m.authority_count, 1);
    ASSERT_EQ(m.answers.size(), 3u);
    EXPECT_EQ(m.answers[0].name, "smartreceiver.cisco.com");
    EXPECT_EQ(m.answers[0].type, dns_type::cname);
    EXPECT_EQ(m.answers[0].ttl, 3600u);
    EXPECT_EQ(std::get<std::string>(m.answers[0].data), "smartreceiver.cisco.com.edgekey.net");
    EXPECT_EQ(m.answers[1].name, "smartreceiver.cisco.com.edgekey.net");
    EXPECT_EQ(std::get<std::string>(m.answers[1].data), "e1234.dscb.akamaiedge.net");
    EXPECT_EQ(m.answers[2].name, "e1234.dscb.akamaiedge.net");
    EXPECT_EQ(m.answers[2].type, dns_type::a);
    EXPECT_EQ(m.answers[2].klass, in_class);
    EXPECT_EQ(m.answers[2].ttl, 20u);
    EXPECT_EQ(std::get<IpAddress>(m.answers[2].data), *IpAddress::parse("23.50.10.20"));
}

TEST(DnsMessage, ParsesAaaaAnswers) {
    DnsBuilder b;
    b.header(7, response_flags, 1, 2).question("smartreceiver.cisco.com", dns_type::aaaa);
    b.pointer(question_offset).begin_record(dns_type::aaaa, 300).address("2001:420:1101:1::a").end_record();
    b.pointer(question_offset).begin_record(dns_type::aaaa, 300).address("2001:420:1201:2::a").end_record();
    const Parsed parsed = parse(b.bytes());
    ASSERT_TRUE(parsed.message) << parsed.error;
    ASSERT_EQ(parsed.message->answers.size(), 2u);
    EXPECT_EQ(std::get<IpAddress>(parsed.message->answers[0].data), *IpAddress::parse("2001:420:1101:1::a"));
    EXPECT_EQ(std::get<IpAddress>(parsed.message->answers[1].data).to_string(), "2001:420:1201:2::a");
}

TEST(DnsMessage, KeepsOtherRecordTypesWithoutData) {
    DnsBuilder b;
    b.header(7, response_flags, 1, 2).question("cisco.com", 16);
    b.pointer(question_offset).begin_record(16, 60).u8(5).raw("v=spf").end_record();
    b.pointer(question_offset).begin_record(dns_type::a, 60).address("72.163.4.185").end_record();
    const Parsed parsed = parse(b.bytes());
    ASSERT_TRUE(parsed.message) << parsed.error;
    ASSERT_EQ(parsed.message->answers.size(), 2u);
    EXPECT_EQ(parsed.message->answers[0].type, 16);
    EXPECT_TRUE(std::holds_alternative<std::monostate>(parsed.message->answers[0].data));
    EXPECT_TRUE(std::holds_alternative<IpAddress>(parsed.message->answers[1].data));
}

TEST(DnsMessage, FailureResponsesWithoutAnswers) {
    struct Case {
        std::uint8_t rcode;
        std::string_view name;
        std::string_view id;
    };
    for (const Case& c : {Case{dns_rcode::name_error, "No such name", "NXDOMAIN"},
                          Case{dns_rcode::server_failure, "Server failure", "SERVFAIL"},
                          Case{dns_rcode::refused, "Refused", "REFUSED"}}) {
        DnsBuilder b;
        b.header(9, static_cast<std::uint16_t>(response_flags | c.rcode), 1, 0,
                 c.rcode == dns_rcode::name_error ? 1 : 0)
            .question("smartreceiver.cisco.com", dns_type::a);
        if (c.rcode == dns_rcode::name_error) {
            b.pointer(question_offset + 14).begin_record(6, 60).name("ns1.cisco.com").name("root.cisco.com");
            b.u32(1).u32(2).u32(3).u32(4).u32(5).end_record();
        }
        const Parsed parsed = parse(b.bytes());
        ASSERT_TRUE(parsed.message) << parsed.error;
        EXPECT_EQ(parsed.message->rcode, c.rcode);
        EXPECT_TRUE(parsed.message->answers.empty());
        ASSERT_EQ(parsed.message->questions.size(), 1u);
        EXPECT_EQ(parsed.message->questions[0].name, "smartreceiver.cisco.com");
        EXPECT_EQ(dns_rcode_name(parsed.message->rcode), c.name);
        EXPECT_EQ(dns_rcode_id(parsed.message->rcode), c.id);
    }
}

TEST(DnsMessage, RcodeNamesMatchWireshark) {
    EXPECT_EQ(dns_rcode_name(0), "No error");
    EXPECT_EQ(dns_rcode_name(1), "Format error");
    EXPECT_EQ(dns_rcode_name(2), "Server failure");
    EXPECT_EQ(dns_rcode_name(3), "No such name");
    EXPECT_EQ(dns_rcode_name(4), "Not implemented");
    EXPECT_EQ(dns_rcode_name(5), "Refused");
    EXPECT_EQ(dns_rcode_name(9), "Not authoritative");
    EXPECT_EQ(dns_rcode_name(12), "Unknown (12)");
    EXPECT_EQ(dns_rcode_id(0), "NOERROR");
    EXPECT_EQ(dns_rcode_id(1), "FORMERR");
    EXPECT_EQ(dns_rcode_id(4), "NOTIMP");
    EXPECT_EQ(dns_rcode_id(10), "NOTZONE");
    EXPECT_EQ(dns_rcode_id(15), "RCODE15");
}

TEST(DnsMessage, ReadsTheHeaderFlags) {
    DnsBuilder b;
    b.header(1, 0x8780 | (2 << 11), 0, 0);  // QR opcode=2 AA TC RD RA
    const Parsed parsed = parse(b.bytes());
    ASSERT_TRUE(parsed.message) << parsed.error;
    EXPECT_TRUE(parsed.message->truncated);
    EXPECT_TRUE(parsed.message->authoritative);
    EXPECT_EQ(parsed.message->opcode, 2);
    DnsBuilder plain;
    plain.header(1, response_flags, 0, 0);
    EXPECT_FALSE(parse(plain.bytes()).message->truncated);
}

TEST(DnsMessage, RejectsMessagesShorterThanTheHeader) {
    const std::vector<std::uint8_t> header(12, 0);
    for (std::size_t length = 0; length < header.size(); ++length) {
        const Parsed parsed = parse(header, length);
        EXPECT_FALSE(parsed.message);
        EXPECT_NE(parsed.error.find("12-byte header"), std::string::npos) << parsed.error;
    }
    EXPECT_TRUE(parse(header).message);
}

TEST(DnsMessage, TruncatedAtEveryLengthFailsUntilTheAnswersAreWhole) {
    const CnameChain chain = cname_chain();
    const std::vector<std::uint8_t>& bytes = chain.builder.bytes();
    for (std::size_t length = 0; length < chain.answers_end; ++length) {
        const Parsed parsed = parse(bytes, length);
        EXPECT_FALSE(parsed.message) << "length " << length;
        EXPECT_FALSE(parsed.error.empty()) << "length " << length;
    }
    for (std::size_t length = chain.answers_end; length <= bytes.size(); ++length) {
        const Parsed parsed = parse(bytes, length);
        ASSERT_TRUE(parsed.message) << "authority section is not read; length " << length << ": " << parsed.error;
        EXPECT_EQ(parsed.message->answers.size(), 3u);
    }
}

TEST(DnsMessage, HugeCountsInATinyMessageFailFast) {
    DnsBuilder questions;
    questions.header(1, response_flags, 0xFFFF, 0);
    const Parsed no_questions = parse(questions.bytes());
    EXPECT_FALSE(no_questions.message);
    EXPECT_NE(no_questions.error.find("question 1 of 65535"), std::string::npos) << no_questions.error;

    DnsBuilder answers;
    answers.header(1, response_flags, 1, 0xFFFF).question("smartreceiver.cisco.com", dns_type::a);
    answers.pointer(question_offset).begin_record(dns_type::a, 1).address("10.0.0.1").end_record();
    const Parsed one_answer = parse(answers.bytes());
    EXPECT_FALSE(one_answer.message);
    EXPECT_NE(one_answer.error.find("answer 2 of 65535"), std::string::npos) << one_answer.error;

    DnsBuilder ignored;
    ignored.header(1, response_flags, 0, 0, 0xFFFF, 0xFFFF);
    const Parsed unread_sections = parse(ignored.bytes());
    ASSERT_TRUE(unread_sections.message) << "authority and additional sections are not read";
    EXPECT_EQ(unread_sections.message->authority_count, 0xFFFF);
    EXPECT_EQ(unread_sections.message->additional_count, 0xFFFF);
}

Parsed parse_question_name(const std::vector<std::uint8_t>& name_bytes, std::uint16_t question_count = 1) {
    DnsBuilder b;
    b.header(1, query_flags, question_count, 0);
    std::vector<std::uint8_t> bytes = b.bytes();
    bytes.insert(bytes.end(), name_bytes.begin(), name_bytes.end());
    bytes.insert(bytes.end(), {0, 1, 0, 1});
    return parse(bytes);
}

TEST(DnsMessage, RejectsBadCompressionPointers) {
    struct Case {
        std::string_view what;
        std::vector<std::uint8_t> name;
        std::string_view error;
    };
    const std::vector<Case> cases{
        {"self pointer", {0xC0, 12}, "points to itself"},
        {"label then pointer to its own start", {1, 'a', 0xC0, 12}, "loops"},
        {"two pointers to each other", {0xC0, 14, 0xC0, 12}, "forward"},
        {"forward pointer to a valid name", {0xC0, 14, 1, 'a', 0}, "forward"},
        {"pointer past the end", {0xC0, 0xFF}, "past the end"},
        {"largest pointer", {0xFF, 0xFF}, "past the end"},
    };
    for (const Case& c : cases) {
        const Parsed parsed = parse_question_name(c.name);
        EXPECT_FALSE(parsed.message) << c.what;
        EXPECT_NE(parsed.error.find(c.error), std::string::npos) << c.what << ": " << parsed.error;
    }
    DnsBuilder cut;
    cut.header(1, query_flags, 1, 0).u8(0xC0);
    const Parsed cut_pointer = parse(cut.bytes());
    EXPECT_FALSE(cut_pointer.message);
    EXPECT_NE(cut_pointer.error.find("cut off"), std::string::npos) << cut_pointer.error;
}

TEST(DnsMessage, FollowsPointerChainsUpToTheJumpCap) {
    const auto chained_questions = [](std::uint16_t count) {
        DnsBuilder b;
        b.header(1, query_flags, count, 0).question("smartreceiver.cisco.com", dns_type::a);
        std::size_t previous = question_offset;
        for (std::uint16_t i = 1; i < count; ++i) {
            const std::size_t here = b.position();
            b.pointer(previous).u16(dns_type::a).u16(in_class);
            previous = here;
        }
        return parse(b.bytes());
    };
    const Parsed at_cap = chained_questions(65);  // the last question follows 64 pointers
    ASSERT_TRUE(at_cap.message) << at_cap.error;
    EXPECT_EQ(at_cap.message->questions.back().name, "smartreceiver.cisco.com");
    const Parsed over_cap = chained_questions(66);
    EXPECT_FALSE(over_cap.message);
    EXPECT_NE(over_cap.error.find("more than 64"), std::string::npos) << over_cap.error;
}

TEST(DnsMessage, RejectsExtendedAndReservedLabelTypes) {
    std::vector<std::uint8_t> label_of_64{64};
    label_of_64.insert(label_of_64.end(), 64, 'a');
    label_of_64.push_back(0);
    const Parsed too_long_label = parse_question_name(label_of_64);
    EXPECT_FALSE(too_long_label.message);
    EXPECT_NE(too_long_label.error.find("0x40"), std::string::npos) << too_long_label.error;
    const Parsed reserved = parse_question_name({0x80, 0});
    EXPECT_FALSE(reserved.message);
    EXPECT_NE(reserved.error.find("0x80"), std::string::npos) << reserved.error;
}

TEST(DnsMessage, NamesAreAtMost255BytesOnTheWire) {
    const std::string l63(63, 'a');
    DnsBuilder longest;
    longest.header(1, query_flags, 1, 0)
        .question(l63 + "." + l63 + "." + l63 + "." + std::string(61, 'b'), dns_type::a);
    const Parsed at_limit = parse(longest.bytes());
    ASSERT_TRUE(at_limit.message) << at_limit.error;
    EXPECT_EQ(at_limit.message->questions[0].name.size(), 253u);

    DnsBuilder too_long;
    too_long.header(1, query_flags, 1, 0)
        .question(l63 + "." + l63 + "." + l63 + "." + std::string(62, 'b'), dns_type::a);
    const Parsed over = parse(too_long.bytes());
    EXPECT_FALSE(over.message);
    EXPECT_NE(over.error.find("longer than 255"), std::string::npos) << over.error;

    DnsBuilder through_pointer;
    through_pointer.header(1, query_flags, 2, 0).question(l63 + "." + l63 + "." + l63 + ".cisco", dns_type::a);
    through_pointer.labels(l63).pointer(question_offset).u16(dns_type::a).u16(in_class);
    const Parsed compressed = parse(through_pointer.bytes());
    EXPECT_FALSE(compressed.message);
    EXPECT_NE(compressed.error.find("question 2 of 2"), std::string::npos) << compressed.error;
    EXPECT_NE(compressed.error.find("longer than 255"), std::string::npos) << compressed.error;
}

TEST(DnsMessage, EscapesUnusualLabelBytes) {
    const Parsed parsed = parse_question_name({3, 'a', '.', 'B', 2, '\\', 0x00, 1, 0xE9, 0});
    ASSERT_TRUE(parsed.message) << parsed.error;
    EXPECT_EQ(parsed.message->questions[0].name, "a\\.b.\\\\\\000.\\233");
    EXPECT_EQ(parse_question_name({0}).message->questions[0].name, "") << "the root";
}

TEST(DnsMessage, RejectsMalformedRecordData) {
    DnsBuilder short_a;
    short_a.header(1, response_flags, 1, 1).question("smartreceiver.cisco.com", dns_type::a);
    short_a.pointer(question_offset).begin_record(dns_type::a, 1).u8(10).u8(0).u8(0).end_record();
    const Parsed a = parse(short_a.bytes());
    EXPECT_FALSE(a.message);
    EXPECT_NE(a.error.find("A record with 3 bytes"), std::string::npos) << a.error;

    DnsBuilder long_aaaa;
    long_aaaa.header(1, response_flags, 1, 1).question("smartreceiver.cisco.com", dns_type::aaaa);
    long_aaaa.pointer(question_offset).begin_record(dns_type::aaaa, 1).address("10.0.0.1").end_record();
    EXPECT_FALSE(parse(long_aaaa.bytes()).message);

    DnsBuilder cname_overrun;
    cname_overrun.header(1, response_flags, 1, 2).question("smartreceiver.cisco.com", dns_type::a);
    cname_overrun.pointer(question_offset).begin_record(dns_type::cname, 1).labels("x").end_record();
    cname_overrun.pointer(question_offset).begin_record(dns_type::a, 1).address("10.0.0.1").end_record();
    const Parsed cname = parse(cname_overrun.bytes());
    EXPECT_FALSE(cname.message);
    EXPECT_FALSE(cname.error.empty());

    DnsBuilder data_past_end;
    data_past_end.header(1, response_flags, 1, 1).question("smartreceiver.cisco.com", dns_type::a);
    data_past_end.pointer(question_offset).u16(dns_type::a).u16(in_class).u32(1).u16(4).u8(10);
    const Parsed past_end = parse(data_past_end.bytes());
    EXPECT_FALSE(past_end.message);
    EXPECT_NE(past_end.error.find("answer 1 of 1"), std::string::npos) << past_end.error;
}

// Deterministic: mutations of real messages and random bytes. Checks that
// nothing crashes and that whatever parses stays within the input's size.
TEST(DnsMessageFuzz, NoCrashOnMutatedOrRandomInput) {
    std::vector<std::vector<std::uint8_t>> seeds{cname_chain().builder.bytes()};
    {
        DnsBuilder b;
        b.header(2, response_flags | dns_rcode::name_error, 1, 0, 1)
            .question("smartreceiver.cisco.com", dns_type::aaaa);
        b.pointer(question_offset + 14).begin_record(6, 60).name("ns1.cisco.com").u32(1).end_record();
        seeds.push_back(b.bytes());
        DnsBuilder aaaa;
        aaaa.header(3, response_flags, 1, 1).question("smartreceiver.cisco.com", dns_type::aaaa);
        aaaa.pointer(question_offset).begin_record(dns_type::aaaa, 300).address("2001:420:1101:1::a").end_record();
        seeds.push_back(aaaa.bytes());
    }
    std::mt19937 random(1035);
    const auto check = [](const std::vector<std::uint8_t>& input) {
        std::string error;
        const auto message = parse_dns_message(Bytes(input), error);
        if (!message) {
            EXPECT_FALSE(error.empty());
            return;
        }
        EXPECT_LE(message->questions.size() * 5 + message->answers.size() * 11 + 12, input.size());
        for (const DnsQuestion& question : message->questions) EXPECT_LE(question.name.size(), 4u * 253u);
    };
    constexpr std::uint8_t interesting[] = {0x00, 0x01, 0x3F, 0x40, 0x80, 0xC0, 0xC0, 0xFF, 0x0C};
    for (int round = 0; round < 30000; ++round) {
        std::vector<std::uint8_t> input = seeds[static_cast<std::size_t>(round) % seeds.size()];
        const int mutations = 1 + static_cast<int>(random() % 4);
        for (int m = 0; m < mutations && !input.empty(); ++m) {
            const std::size_t at = random() % input.size();
            switch (random() % 4) {
                case 0: input[at] = static_cast<std::uint8_t>(random()); break;
                case 1: input[at] = interesting[random() % std::size(interesting)]; break;
                case 2:
                    input.erase(
                        input.begin() + static_cast<std::ptrdiff_t>(at),
                        input.begin() + static_cast<std::ptrdiff_t>(std::min(input.size(), at + 1 + random() % 6)));
                    break;
                default: input.resize(at); break;
            }
        }
        check(input);
    }
    for (int round = 0; round < 5000; ++round) {
        std::vector<std::uint8_t> input(random() % 96);
        for (std::uint8_t& byte : input) byte = static_cast<std::uint8_t>(random());
        if (input.size() > 5) input[4] = 0;  // keep question counts small enough to reach the names
        check(input);
    }
}

}  // namespace
}  // namespace trustcap
