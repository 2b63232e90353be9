#include "report/licensing_targets.h"

#include <algorithm>
#include <cctype>

namespace trustcap {
namespace {

std::string lower(std::string text) {
    std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return std::tolower(c); });
    return text;
}

std::optional<std::uint16_t> parse_port(const std::string& text) {
    if (text.empty() || text.size() > 5 || !std::all_of(text.begin(), text.end(), ::isdigit)) return std::nullopt;
    unsigned long value = std::stoul(text);
    if (value == 0 || value > 65535) return std::nullopt;
    return static_cast<std::uint16_t>(value);
}

}  // namespace

std::optional<NamedEndpoint> NamedEndpoint::parse(const std::string& text) {
    if (text.empty()) return std::nullopt;
    NamedEndpoint endpoint;
    std::string host = text;
    if (text.front() == '[') {
        std::size_t close = text.find(']');
        if (close == std::string::npos) return std::nullopt;
        host = text.substr(1, close - 1);
        if (close + 1 < text.size()) {
            if (text[close + 1] != ':') return std::nullopt;
            endpoint.port = parse_port(text.substr(close + 2));
            if (!endpoint.port) return std::nullopt;
        }
    } else if (std::count(text.begin(), text.end(), ':') == 1) {
        std::size_t colon = text.find(':');
        host = text.substr(0, colon);
        endpoint.port = parse_port(text.substr(colon + 1));
        if (!endpoint.port) return std::nullopt;
    }
    if (host.empty()) return std::nullopt;
    if (auto address = IpAddress::parse(host)) {
        endpoint.address = address;
    } else {
        bool valid = std::all_of(host.begin(), host.end(),
                                 [](unsigned char c) { return std::isalnum(c) || c == '-' || c == '.' || c == '_'; });
        if (!valid) return std::nullopt;
        endpoint.host = lower(host);
    }
    return endpoint;
}

bool NamedEndpoint::matches(const Endpoint& endpoint, const std::vector<std::string>& names) const {
    if (port && *port != endpoint.port) return false;
    if (address) return *address == endpoint.ip;
    return std::any_of(names.begin(), names.end(), [&](const std::string& name) { return lower(name) == host; });
}

bool NamedEndpoint::names_host(const std::string& text) const {
    if (address) {
        std::optional<IpAddress> given = IpAddress::parse(text);
        return given && *given == *address;
    }
    return !host.empty() && lower(text) == host;
}

std::string NamedEndpoint::to_string() const {
    std::string text = address ? address->to_string() : host;
    if (address && !address->is_v4() && port) {
        text.insert(text.begin(), '[');
        text += ']';
    }
    if (port) {
        text += ':';
        text += std::to_string(*port);
    }
    return text;
}

std::set<std::uint16_t> licensing_ports(const LicensingTargets& targets, const std::set<std::uint16_t>& checked_ports) {
    std::set<std::uint16_t> ports{443, cslu_port};
    for (const auto* endpoints : {&targets.proxies, &targets.servers})
        for (const NamedEndpoint& endpoint : *endpoints)
            if (endpoint.port) ports.insert(*endpoint.port);
    ports.insert(checked_ports.begin(), checked_ports.end());
    return ports;
}

std::set<std::uint16_t> followed_ports(const LicensingTargets& targets, const std::set<std::uint16_t>& checked_ports) {
    std::set<std::uint16_t> ports = licensing_ports(targets, checked_ports);
    ports.insert(plain_http_port);
    return ports;
}

ServerKind kind_of_name(const std::string& name) {
    std::string host = lower(name);
    if (!host.empty() && host.back() == '.') host.pop_back();
    if (host == smart_receiver_host) return ServerKind::licensing;
    if (host == legacy_licensing_host) return ServerKind::legacy;
    return ServerKind::other;
}

bool is_onprem_licensing_path(const std::string& target) {
    // The request target as a proxy may see it: absolute ("http://host:8182/cslu/v1/pi") or a path.
    std::string path = target;
    if (std::size_t scheme = path.find("://"); scheme != std::string::npos) {
        std::size_t slash = path.find('/', scheme + 3);
        path = slash == std::string::npos ? std::string("/") : path.substr(slash);
    }
    auto under = [&](const std::string& prefix) {
        return path.size() >= prefix.size() && lower(path.substr(0, prefix.size())) == lower(prefix) &&
               (path.size() == prefix.size() || path[prefix.size()] == '/' || path[prefix.size()] == '?');
    };
    return under("/cslu") || under("/SmartTransport") || under("/Transportgateway/services/DeviceRequestHandler");
}

std::string host_of_target(const std::string& target) {
    if (!target.empty() && target.front() == '[') {
        std::size_t close = target.find(']');
        return close == std::string::npos ? target : target.substr(1, close - 1);
    }
    std::size_t colon = target.rfind(':');
    return colon == std::string::npos ? target : target.substr(0, colon);
}

}  // namespace trustcap
