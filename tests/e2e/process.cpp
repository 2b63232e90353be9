#include "process.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <csignal>
#include <sstream>
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

void close_if_open(int& descriptor) {
    if (descriptor >= 0) close(descriptor);
    descriptor = -1;
}

}  // namespace

RunningProcess::RunningProcess(const std::vector<std::string>& arguments, Input input) {
    int in_pipe[2];
    int out_pipe[2];
    int err_pipe[2];
    if (pipe(in_pipe) != 0 || pipe(out_pipe) != 0 || pipe(err_pipe) != 0) throw std::runtime_error("pipe failed");
    child_ = fork();
    if (child_ < 0) throw std::runtime_error("fork failed");
    if (child_ == 0) {
        dup2(out_pipe[1], STDOUT_FILENO);
        dup2(err_pipe[1], STDERR_FILENO);
        if (input == Input::pipe) {
            dup2(in_pipe[0], STDIN_FILENO);
        } else {
            int null_input = open("/dev/null", O_RDONLY);
            dup2(null_input, STDIN_FILENO);
        }
        for (int descriptor : {in_pipe[0], in_pipe[1], out_pipe[0], out_pipe[1], err_pipe[0], err_pipe[1]})
            close(descriptor);
        std::vector<char*> argv;
        for (const std::string& argument : arguments) argv.push_back(const_cast<char*>(argument.c_str()));
        argv.push_back(nullptr);
        execvp(argv[0], argv.data());
        _exit(127);
    }
    close(in_pipe[0]);
    close(out_pipe[1]);
    close(err_pipe[1]);
    input_ = in_pipe[1];
    output_ = out_pipe[0];
    error_ = err_pipe[0];
    if (input != Input::pipe) close_if_open(input_);
}

RunningProcess::~RunningProcess() {
    if (child_ > 0) {
        kill(child_, SIGKILL);
        waitpid(child_, nullptr, 0);
    }
    close_if_open(input_);
    close_if_open(output_);
    close_if_open(error_);
}

void RunningProcess::write_input(const std::string& bytes) {
    std::signal(SIGPIPE, SIG_IGN);  // a program that stopped reading fails the write instead
    std::size_t written = 0;
    while (written < bytes.size()) {
        ssize_t now = write(input_, bytes.data() + written, bytes.size() - written);
        if (now <= 0) throw std::runtime_error("cannot write to the program's input");
        written += static_cast<std::size_t>(now);
    }
}

void RunningProcess::close_input() { close_if_open(input_); }

void RunningProcess::send_signal(int signal_number) { kill(child_, signal_number); }

ProcessResult RunningProcess::wait() {
    ProcessResult result;
    bool out_open = true;
    bool err_open = true;
    while (out_open || err_open) {
        pollfd fds[2] = {{out_open ? output_ : -1, POLLIN, 0}, {err_open ? error_ : -1, POLLIN, 0}};
        if (poll(fds, 2, -1) < 0) break;
        if (out_open && (fds[0].revents & (POLLIN | POLLHUP))) drain(output_, result.standard_output, out_open);
        if (err_open && (fds[1].revents & (POLLIN | POLLHUP))) drain(error_, result.standard_error, err_open);
    }
    close_if_open(input_);
    close_if_open(output_);
    close_if_open(error_);
    int status = 0;
    rusage usage{};
    wait4(child_, &status, 0, &usage);
    child_ = -1;
    result.peak_memory_kib = static_cast<std::uint64_t>(usage.ru_maxrss);
    result.exit_status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    return result;
}

ProcessResult run_process(const std::vector<std::string>& arguments) { return RunningProcess(arguments).wait(); }

std::vector<std::string> lines_of(const std::string& text) {
    std::vector<std::string> lines;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) lines.push_back(line);
    return lines;
}

}  // namespace trustcap::testing
