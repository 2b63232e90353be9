#include "http_chunked_body.h"

#include <algorithm>
#include <cctype>

namespace trustcap {

namespace {

constexpr std::size_t max_line_bytes = 8192;  // a size line with its extensions, or one trailer field
constexpr std::size_t max_size_digits = 15;   // keeps a chunk size below 2^60

int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    const char lower = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (lower >= 'a' && lower <= 'f') return lower - 'a' + 10;
    return -1;
}

}  // namespace

// Adds bytes to the current line up to its LF; false when the line grows too long.
bool ChunkedBodyReader::take_line(Bytes bytes, std::size_t& at, bool& complete) {
    complete = false;
    while (at < bytes.size()) {
        const char c = static_cast<char>(bytes[at++]);
        if (c == '\n') {
            if (!line_.empty() && line_.back() == '\r') line_.pop_back();
            complete = true;
            return true;
        }
        if (line_.size() >= max_line_bytes) return false;
        line_.push_back(c);
    }
    return true;
}

ChunkedBodyReader::State ChunkedBodyReader::after_line() {
    const std::string line = std::move(line_);
    line_.clear();
    switch (state_) {
        case State::size_line: {
            std::uint64_t size = 0;
            std::size_t digits = 0;
            std::size_t significant = 0;  // leading zeros do not count against the limit
            for (; digits < line.size() && hex_value(line[digits]) >= 0; ++digits) {
                if (size > 0 || line[digits] != '0') ++significant;
                if (significant > max_size_digits) return State::invalid;
                size = size * 16 + static_cast<std::uint64_t>(hex_value(line[digits]));
            }
            if (digits == 0) return State::invalid;
            const std::string_view rest = std::string_view(line).substr(digits);
            const bool extension_or_space =
                rest.empty() || rest.front() == ';' || rest.front() == ' ' || rest.front() == '\t';
            if (!extension_or_space) return State::invalid;
            chunk_remaining_ = size;
            return size == 0 ? State::trailer_line : State::data;
        }
        case State::data_end:
            return line.empty() ? State::size_line : State::invalid;
        case State::trailer_line:
            return line.empty() ? State::done : State::trailer_line;
        default:
            return State::invalid;
    }
}

ChunkedBodyReader::Result ChunkedBodyReader::read(Bytes bytes, std::size_t& consumed) {
    std::size_t at = 0;
    while (at < bytes.size() && state_ != State::done && state_ != State::invalid) {
        if (state_ == State::data) {
            const std::uint64_t taken = std::min<std::uint64_t>(chunk_remaining_, bytes.size() - at);
            at += static_cast<std::size_t>(taken);
            chunk_remaining_ -= taken;
            if (chunk_remaining_ == 0) state_ = State::data_end;
            continue;
        }
        bool complete = false;
        if (!take_line(bytes, at, complete)) {
            state_ = State::invalid;
            break;
        }
        if (complete) state_ = after_line();
    }
    consumed = at;
    if (state_ == State::done) return Result::done;
    if (state_ == State::invalid) return Result::invalid;
    return Result::more;
}

}  // namespace trustcap
