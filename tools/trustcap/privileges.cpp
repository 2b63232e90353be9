#include "privileges.h"

#include <grp.h>
#include <pwd.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace trustcap {

bool drop_privileges(const std::string& user, std::string& error) {
    if (geteuid() != 0) return true;
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
