#include "addresses.h"

#include <arpa/inet.h>

#include <stdexcept>
#include <string>

namespace pcapgen {

IpAddress IpAddress::parse(std::string_view text)
{
    const std::string terminated(text);
    IpAddress address;
    if (inet_pton(AF_INET, terminated.c_str(), address.storage_.data()) == 1) {
        return address;
    }
    if (inet_pton(AF_INET6, terminated.c_str(), address.storage_.data()) == 1) {
        address.is_ipv6_ = true;
        return address;
    }
    throw std::invalid_argument("not an IP address: " + terminated);
}

std::span<const std::uint8_t> IpAddress::bytes() const
{
    return std::span<const std::uint8_t>(storage_.data(), is_ipv6_ ? 16 : 4);
}

}  // namespace pcapgen
