#pragma once

#include <string>

namespace trustcap {

// The unprivileged account trustcap switches to when started as root
// without -Z: it parses hostile traffic and needs no rights once the
// interface is open.
inline constexpr const char* default_unprivileged_user = "nobody";

// When running as root, becomes `user` (its group, no supplementary
// groups). A non-root process (one given CAP_NET_RAW and CAP_NET_ADMIN with
// setcap) keeps its user and gives up every capability instead. False and a
// one-line `error` when that fails.
bool drop_privileges(const std::string& user, std::string& error);

}  // namespace trustcap
