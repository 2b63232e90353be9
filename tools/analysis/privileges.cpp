#include "privileges.h"

#include <grp.h>
#include <linux/capability.h>
#include <pwd.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace trustcap {
namespace {

bool drop_all_capabilities(std::string& error) {
    __user_cap_header_struct header{_LINUX_CAPABILITY_VERSION_3, 0};
    __user_cap_data_struct none[_LINUX_CAPABILITY_U32S_3]{};
    if (syscall(SYS_capset, &header, none) == 0) return true;
    error = std::string("cannot give up the capture capabilities: ") + std::strerror(errno);
    return false;
}

}  // namespace

bool keeps_root(const std::string& user) {
    const passwd* account = getpwnam(user.empty() ? default_unprivileged_user : user.c_str());
    return account != nullptr && account->pw_uid == 0;
}

std::optional<std::string> user_option_warning(const std::string& requested_user) {
    if (requested_user.empty()) return std::nullopt;
    if (geteuid() != 0)
        return "-Z " + requested_user + " has no effect: trustcap was not started as root (uid " +
               std::to_string(geteuid()) + "), so it keeps its user and gives up only its capabilities";
    if (keeps_root(requested_user))
        return "-Z " + requested_user + ": trustcap keeps root and parses the traffic with every right";
    return std::nullopt;
}

bool drop_privileges(const std::string& user, std::string& error) {
    if (geteuid() != 0) return drop_all_capabilities(error);
    const std::string target = user.empty() ? std::string(default_unprivileged_user) : user;
    const passwd* account = getpwnam(target.c_str());
    if (account == nullptr) {
        error = "cannot drop privileges: no user \"" + target + "\" (use -Z USER)";
        return false;
    }
    if (account->pw_uid == 0) return true;
    gid_t group = account->pw_gid;
    if (setgroups(1, &group) != 0 || setgid(account->pw_gid) != 0 || setuid(account->pw_uid) != 0) {
        error = "cannot drop privileges to \"" + target + "\": " + std::strerror(errno);
        return false;
    }
    if (setuid(0) == 0) {
        error = "privileges were not dropped: root could be regained";
        return false;
    }
    return true;
}

}  // namespace trustcap
