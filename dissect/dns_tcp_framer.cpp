#include "dissect/dns_tcp_framer.h"

#include <algorithm>

namespace trustcap {

std::size_t DnsTcpFramer::message_length() const { return (std::size_t{prefix_[0]} << 8) | prefix_[1]; }

void DnsTcpFramer::start_next_message() {
    prefix_received_ = 0;
    message_received_ = 0;
    partial_.clear();
    dropping_message_ = false;
}

void DnsTcpFramer::feed(Bytes bytes, std::uint64_t frame, const MessageHandler& on_message) {
    while (synchronized_ && !bytes.empty()) {
        if (prefix_received_ < prefix_.size()) {
            prefix_[prefix_received_++] = bytes.front();
            bytes = bytes.subspan(1);
        } else {
            const std::size_t taking = std::min(message_length() - message_received_, bytes.size());
            const Bytes piece = bytes.first(taking);
            bytes = bytes.subspan(taking);
            if (message_received_ == 0 && taking == message_length()) {
                on_message(piece, frame);
                start_next_message();
                continue;
            }
            if (!dropping_message_) partial_.insert(partial_.end(), piece.begin(), piece.end());
            message_received_ += taking;
        }
        if (prefix_received_ == prefix_.size() && message_received_ == message_length()) {
            if (!dropping_message_) on_message(Bytes(partial_), frame);
            start_next_message();
        }
    }
}

void DnsTcpFramer::skip(std::uint64_t length) {
    if (length == 0 || !synchronized_) return;
    const std::uint64_t left_in_message = prefix_received_ < prefix_.size() ? 0 : message_length() - message_received_;
    if (length > left_in_message) {
        synchronized_ = false;
        partial_ = {};
    } else if (length == left_in_message) {
        start_next_message();
    } else {
        dropping_message_ = true;
        message_received_ += static_cast<std::size_t>(length);
        partial_ = {};
    }
}

}  // namespace trustcap
