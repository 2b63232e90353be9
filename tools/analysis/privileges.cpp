#include "privileges.h"

#include <grp.h>
#include <pwd.h>
#include <unistd.h>
#ifdef __linux__
#include <linux/capability.h>
#include <sys/syscall.h>
#endif

#include <cerrno>
#include <charconv>
#include <cstring>
#include <optional>

namespace trustcap {
namespace {

// Capabilities are Linux's; elsewhere a process not started as root has no
// capture rights of its own to give up (the BSDs and macOS grant them by the
// permissions of /dev/bpf*).
bool drop_all_capabilities([[maybe_unused]] std::string& error) {
#ifdef __linux__
    __user_cap_header_struct header{_LINUX_CAPABILITY_VERSION_3, 0};
    __user_cap_data_struct none[_LINUX_CAPABILITY_U32S_3]{};
    if (syscall(SYS_capset, &header, none) == 0) return true;
    error = std::string("cannot give up the capture capabilities: ") + std::strerror(errno);
    return false;
#else
    return true;
#endif
}

struct Account {
    uid_t uid;
    gid_t gid;
};

// The kernel's overflow uid and gid, which Linux distributions name nobody.
constexpr uid_t overflow_id = 65534;

// `user` as the account database names it, or as a number (its gid the
// account's when the database knows the uid, the same number otherwise). A
// fully static trustcap in a directory with no /etc/passwd (a chroot, a
// container) finds no account by name: the default user is then the overflow
// id, which is what nobody is.
std::optional<Account> find_account(const std::string& user) {
    if (const passwd* account = getpwnam(user.c_str())) return Account{account->pw_uid, account->pw_gid};
    unsigned long number = 0;
    const char* end = user.data() + user.size();
    if (!user.empty() && std::from_chars(user.data(), end, number).ptr == end &&
        number < static_cast<uid_t>(-1)) {
        const auto uid = static_cast<uid_t>(number);
        if (const passwd* account = getpwuid(uid)) return Account{account->pw_uid, account->pw_gid};
        return Account{uid, static_cast<gid_t>(uid)};
    }
    if (user == default_unprivileged_user && getpwnam("root") == nullptr) return Account{overflow_id, overflow_id};
    return std::nullopt;
}

std::string requested_or_default(const std::string& user) {
    return user.empty() ? std::string(default_unprivileged_user) : user;
}

}  // namespace

bool keeps_root(const std::string& user) {
    const std::optional<Account> account = find_account(requested_or_default(user));
    return account && account->uid == 0;
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
    const std::string target = requested_or_default(user);
    const std::optional<Account> account = find_account(target);
    if (!account) {
        error = "cannot drop privileges: no user \"" + target + "\" (use -Z USER or -Z UID)";
        return false;
    }
    if (account->uid == 0) return true;
    gid_t group = account->gid;
    if (setgroups(1, &group) != 0 || setgid(account->gid) != 0 || setuid(account->uid) != 0) {
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
