#include "flow_dissectors.h"

#include "dissect/dns_over_tcp_dissector.h"

#include <utility>

namespace trustcap {
namespace {

constexpr std::uint16_t dns_port = 53;

class ForwardingConsumer final : public StreamConsumer {
public:
    explicit ForwardingConsumer(StreamConsumer& target) : target_(target) {}
    void on_data(Direction direction, std::uint64_t offset, Bytes bytes, std::uint64_t frame,
                 const Timestamp& time) override {
        target_.on_data(direction, offset, bytes, frame, time);
    }
    void on_gap(Direction direction, std::uint64_t offset, std::uint64_t length, std::uint64_t frame,
                GapReason reason) override {
        target_.on_gap(direction, offset, length, frame, reason);
    }
    [[nodiscard]] bool frame_is_evidence(std::uint64_t frame) const override { return target_.frame_is_evidence(frame); }
    [[nodiscard]] bool wants_more_bytes() const override { return target_.wants_more_bytes(); }
    [[nodiscard]] bool is_of_interest() const override { return target_.is_of_interest(); }
    [[nodiscard]] std::size_t held_bytes() const override { return sizeof(*this) + target_.held_bytes(); }

private:
    StreamConsumer& target_;
};

}  // namespace

std::unique_ptr<StreamConsumer> FlowDissectors::consumer_for(const TcpFlow& flow) {
    if (flow.server.port == dns_port) {
        auto& dns_dissector = dns_dissectors_[flow.id];
        dns_dissector = std::make_unique<DnsOverTcpDissector>(dns_, flow.client, flow.server);
        return std::make_unique<ForwardingConsumer>(*dns_dissector);
    }
    auto& dissector = dissectors_[flow.id];
    dissector = make_dissector_(flow);
    return std::make_unique<ForwardingConsumer>(*dissector);
}

std::unique_ptr<ConnectionDissector> FlowDissectors::take(std::uint64_t flow_id) {
    dns_dissectors_.erase(flow_id);
    auto found = dissectors_.find(flow_id);
    if (found == dissectors_.end()) return nullptr;
    std::unique_ptr<ConnectionDissector> dissector = std::move(found->second);
    dissectors_.erase(found);
    return dissector;
}

}  // namespace trustcap
