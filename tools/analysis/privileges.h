#pragma once

#include <optional>
#include <string>

namespace trustcap {

// The unprivileged account trustcap switches to when started as root
// without -Z: it parses hostile traffic and needs no rights once its inputs
// are open.
inline constexpr const char* default_unprivileged_user = "nobody";

// What a -Z given by the user will do, said before anything is opened: as
// root, -Z with an account of uid 0 keeps root (as tcpdump -Z root does);
// not as root, -Z changes nothing. nullopt when there is nothing to say.
std::optional<std::string> user_option_warning(const std::string& requested_user);

// Whether drop_privileges(user) leaves a process started as root with root.
bool keeps_root(const std::string& user);

// When running as root, becomes `user` (default_unprivileged_user when
// empty; its group, no supplementary groups), unless `user` has uid 0.
// `user` is an account name or a uid; with no account database at all (an
// empty chroot), the default user is uid and gid 65534. A
// non-root process (one given capabilities with setcap) keeps its user and
// gives up every capability instead. False and a one-line `error` when that
// fails.
bool drop_privileges(const std::string& user, std::string& error);

}  // namespace trustcap
