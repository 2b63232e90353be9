#pragma once

#include <string>

namespace trustcap {

// The unprivileged account trustcap switches to when started as root
// without -Z: it parses hostile traffic and needs no rights once the
// interface is open.
inline constexpr const char* default_unprivileged_user = "nobody";

// When running as root, becomes `user` (its group, no supplementary
// groups). False and a one-line `error` when that fails. Does nothing for
// a non-root process.
bool drop_privileges(const std::string& user, std::string& error);

}  // namespace trustcap
