#include "capture/ip_address.h"

#include <arpa/inet.h>

#include <algorithm>
#include <functional>

namespace trustcap {

IpAddress IpAddress::v4(Bytes four_bytes) {
    IpAddress address;
    address.family_ = Family::v4;
    std::copy_n(four_bytes.begin(), std::min<std::size_t>(4, four_bytes.size()), address.bytes_.begin());
    return address;
}

IpAddress IpAddress::v6(Bytes sixteen_bytes) {
    IpAddress address;
    address.family_ = Family::v6;
    std::copy_n(sixteen_bytes.begin(), std::min<std::size_t>(16, sixteen_bytes.size()), address.bytes_.begin());
    return address;
}

std::optional<IpAddress> IpAddress::parse(std::string_view text) {
    std::string terminated(text);
    std::array<std::uint8_t, 16> buffer{};
    if (inet_pton(AF_INET, terminated.c_str(), buffer.data()) == 1) return v4(Bytes(buffer.data(), 4));
    if (inet_pton(AF_INET6, terminated.c_str(), buffer.data()) == 1) return v6(Bytes(buffer.data(), 16));
    return std::nullopt;
}

std::string IpAddress::to_string() const {
    char text[INET6_ADDRSTRLEN] = {};
    switch (family_) {
        case Family::v4: inet_ntop(AF_INET, bytes_.data(), text, sizeof text); return text;
        case Family::v6: inet_ntop(AF_INET6, bytes_.data(), text, sizeof text); return text;
        case Family::none: break;
    }
    return "?";
}

std::size_t IpAddress::hash() const {
    std::size_t value = static_cast<std::size_t>(family_);
    for (std::uint8_t byte : bytes_) value = value * 131 + byte;
    return value;
}

std::string Endpoint::to_string() const {
    std::string text;
    bool bracketed = ip.family() == IpAddress::Family::v6;
    if (bracketed) text.push_back('[');
    text.append(ip.to_string());
    if (bracketed) text.push_back(']');
    text.push_back(':');
    text.append(std::to_string(port));
    return text;
}

}  // namespace trustcap
