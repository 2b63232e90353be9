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

bool drop_privileges(const std::string& user, std::string& error) {
    if (geteuid() != 0) return drop_all_capabilities(error);
    const passwd* account = getpwnam(user.c_str());
    if (account == nullptr) {
        error = "cannot drop privileges: no user \"" + user + "\" (use -Z USER)";
        return false;
    }
    gid_t group = account->pw_gid;
    if (setgroups(1, &group) != 0 || setgid(account->pw_gid) != 0 || setuid(account->pw_uid) != 0) {
        error = "cannot drop privileges to \"" + user + "\": " + std::strerror(errno);
        return false;
    }
    if (setuid(0) == 0) {
        error = "privileges were not dropped: root could be regained";
        return false;
    }
    return true;
}

}  // namespace trustcap
