#include "process.h"

#include <fcntl.h>
#include <poll.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <stdexcept>

namespace trustcap::testing {
namespace {

void drain(int descriptor, std::string& into, bool& open) {
    std::array<char, 65536> buffer{};
    ssize_t got = read(descriptor, buffer.data(), buffer.size());
    if (got > 0) {
        into.append(buffer.data(), static_cast<std::size_t>(got));
    } else {
        open = false;
    }
}

}  // namespace

ProcessResult run_process(const std::vector<std::string>& arguments) {
    int out_pipe[2];
    int err_pipe[2];
    if (pipe(out_pipe) != 0 || pipe(err_pipe) != 0) throw std::runtime_error("pipe failed");
    pid_t child = fork();
    if (child < 0) throw std::runtime_error("fork failed");
    if (child == 0) {
        dup2(out_pipe[1], STDOUT_FILENO);
        dup2(err_pipe[1], STDERR_FILENO);
        int null_input = open("/dev/null", O_RDONLY);
        dup2(null_input, STDIN_FILENO);
        close(out_pipe[0]);
        close(err_pipe[0]);
        std::vector<char*> argv;
        for (const std::string& argument : arguments) argv.push_back(const_cast<char*>(argument.c_str()));
        argv.push_back(nullptr);
        execvp(argv[0], argv.data());
        _exit(127);
    }
    close(out_pipe[1]);
    close(err_pipe[1]);
    ProcessResult result;
    bool out_open = true;
    bool err_open = true;
    while (out_open || err_open) {
        pollfd fds[2] = {{out_open ? out_pipe[0] : -1, POLLIN, 0}, {err_open ? err_pipe[0] : -1, POLLIN, 0}};
        if (poll(fds, 2, -1) < 0) break;
        if (out_open && (fds[0].revents & (POLLIN | POLLHUP))) drain(out_pipe[0], result.standard_output, out_open);
        if (err_open && (fds[1].revents & (POLLIN | POLLHUP))) drain(err_pipe[0], result.standard_error, err_open);
    }
    close(out_pipe[0]);
    close(err_pipe[0]);
    int status = 0;
    rusage usage{};
    wait4(child, &status, 0, &usage);
    result.peak_memory_kib = static_cast<std::uint64_t>(usage.ru_maxrss);
    result.exit_status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    return result;
}

}  // namespace trustcap::testing
