#include "report/server_kinds.h"

namespace trustcap {

const char* server_kind_id(ServerKind kind) {
    switch (kind) {
        case ServerKind::other: return "other";
        case ServerKind::licensing: return "licensing";
        case ServerKind::legacy: return "legacy";
        case ServerKind::onprem: return "onprem";
    }
    return "other";
}

bool is_cisco_licensing(ServerKind kind) { return kind == ServerKind::licensing || kind == ServerKind::legacy; }

const char* naming_source_id(NamingSource source) {
    switch (source) {
        case NamingSource::none: return "";
        case NamingSource::sni: return "sni";
        case NamingSource::connect: return "connect";
        case NamingSource::dns: return "dns";
        case NamingSource::certificate: return "certificate";
        case NamingSource::server: return "server";
        case NamingSource::port: return "port";
        case NamingSource::path: return "path";
        case NamingSource::proxy: return "proxy";
        case NamingSource::attempt: return "attempt";
    }
    return "";
}

}  // namespace trustcap
