#include "parallel_judgement.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif
#include <unistd.h>

#include <array>
#include <atomic>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <optional>

#include <nlohmann/json.hpp>

#include "command_line.h"
#include "tools/analysis/stop_signals.h"

namespace trustcap {
namespace {

using Json = nlohmann::json;

constexpr std::size_t rounds_waiting = 4;

// The children reading now, for the signal handler to pass a stop on to.
std::array<std::atomic<pid_t>, max_jobs> reading_children{};

void pass_stop_on(int signal_number) {
    for (std::atomic<pid_t>& child : reading_children)
        if (pid_t pid = child.load(); pid > 0) kill(pid, signal_number);
}

struct RunningJudgement {
    std::size_t input = 0;
    pid_t pid = -1;
    int from_child = -1;
    std::string received;
};

std::string encoded(const JudgedCapture& judged) {
    return Json{{"exit_status", judged.exit_status}, {"report", judged.report},     {"error", judged.error},
                {"devices", judged.devices},         {"verdict", judged.verdict},   {"diagnosis", judged.diagnosis}}
        .dump(-1, ' ', false, Json::error_handler_t::replace);
}

JudgedCapture not_read(const std::string& path, std::string error) {
    JudgedCapture judged;
    judged.path = path;
    judged.error = std::move(error);
    judged.verdict = "NOT READ";
    return judged;
}

JudgedCapture decoded(const std::string& path, const std::string& bytes, int wait_status) {
    if (WIFSIGNALED(wait_status) && (WTERMSIG(wait_status) == SIGINT || WTERMSIG(wait_status) == SIGTERM))
        return not_read(path, std::string("not read: ") + stop_signal_name(WTERMSIG(wait_status)) +
                                  " stopped the run before its reading began");
    if (WIFSIGNALED(wait_status))
        return not_read(path, std::string("the process judging it ended on signal ") +
                                  std::to_string(WTERMSIG(wait_status)) + " (" + strsignal(WTERMSIG(wait_status)) + ")");
    Json fields = Json::parse(bytes, nullptr, false);
    if (fields.is_discarded() || !fields.is_object())
        return not_read(path, "the process judging it ended without its report");
    JudgedCapture judged;
    judged.path = path;
    judged.exit_status = fields.value("exit_status", 2);
    judged.report = fields.value("report", "");
    judged.error = fields.value("error", "");
    judged.devices = fields.value("devices", "");
    judged.verdict = fields.value("verdict", "");
    judged.diagnosis = fields.value("diagnosis", "");
    return judged;
}

bool write_all(int descriptor, const std::string& bytes) {
    for (std::size_t written = 0; written < bytes.size();) {
        ssize_t count = write(descriptor, bytes.data() + written, bytes.size() - written);
        if (count < 0 && errno == EINTR) continue;
        if (count <= 0) return false;
        written += static_cast<std::size_t>(count);
    }
    return true;
}

// SIGINT and SIGTERM held back while a child is started and recorded, so that
// none is lost or passed on to a child not yet recorded.
class StopSignalsHeld {
public:
    StopSignalsHeld() {
        sigset_t stops;
        sigemptyset(&stops);
        sigaddset(&stops, SIGINT);
        sigaddset(&stops, SIGTERM);
        sigprocmask(SIG_BLOCK, &stops, &previous_);
    }
    ~StopSignalsHeld() { sigprocmask(SIG_SETMASK, &previous_, nullptr); }
    StopSignalsHeld(const StopSignalsHeld&) = delete;
    StopSignalsHeld& operator=(const StopSignalsHeld&) = delete;

private:
    sigset_t previous_{};
};

// The child stops as a single capture's reading does: by default a stop
// signal ends it, until its reading takes the signals over (ReadInterruption).
// In a process group of its own, it hears only what the parent passes on, once;
// it goes when the parent goes.
void become_judging_child() {
    for (std::atomic<pid_t>& child : reading_children) child = 0;
    std::signal(SIGINT, SIG_DFL);
    std::signal(SIGTERM, SIG_DFL);
    setpgid(0, 0);
#ifdef __linux__
    prctl(PR_SET_PDEATHSIG, SIGTERM);
#endif
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, nullptr);
}

[[noreturn]] void judge_in_child(const CaptureInput& input, int descriptor, const std::vector<int>& descriptors,
                                 const std::vector<RunningJudgement>& running, int to_parent, const JudgeCapture& judge) {
    for (int other : descriptors)
        if (other >= 0 && other != descriptor) close(other);
    for (const RunningJudgement& sibling : running) close(sibling.from_child);
    JudgedCapture judged;
    try {
        judged = input.error.empty() ? judge(input, descriptor) : not_read(input.path, input.error);
    } catch (const std::exception& failure) {
        judged = not_read(input.path, std::string("cannot be judged: ") + failure.what());
    }
    _exit(write_all(to_parent, encoded(judged)) ? 0 : 1);
}

}  // namespace

void judge_in_parallel(const std::vector<CaptureInput>& inputs, const std::vector<int>& descriptors, unsigned jobs,
                       const JudgeCapture& judge, const DeliverJudgement& deliver) {
    StopSignals stop_signals(pass_stop_on);
    std::vector<std::optional<JudgedCapture>> results(inputs.size());
    std::vector<int> open_descriptors = descriptors;
    std::vector<RunningJudgement> running;
    std::size_t next_to_start = 0;
    std::size_t next_to_deliver = 0;
    jobs = std::max(1u, std::min(jobs, max_jobs));

    auto close_descriptor = [&](std::size_t input) {
        if (open_descriptors[input] >= 0) close(open_descriptors[input]);
        open_descriptors[input] = -1;
    };
    auto start = [&](std::size_t input) {
        int pipe_ends[2];
        if (pipe2(pipe_ends, O_CLOEXEC) != 0) {
            results[input] = not_read(inputs[input].path, std::string("cannot start its reading: ") + std::strerror(errno));
            close_descriptor(input);
            return;
        }
        StopSignalsHeld held;
        pid_t pid = fork();
        if (pid == 0) {
            become_judging_child();
            close(pipe_ends[0]);
            judge_in_child(inputs[input], open_descriptors[input], open_descriptors, running, pipe_ends[1], judge);
        }
        if (pid > 0) setpgid(pid, pid);
        close(pipe_ends[1]);
        close_descriptor(input);
        if (pid < 0) {
            close(pipe_ends[0]);
            results[input] = not_read(inputs[input].path, std::string("cannot start its reading: ") + std::strerror(errno));
            return;
        }
        for (std::atomic<pid_t>& slot : reading_children)
            if (slot.load() == 0) {
                slot = pid;
                break;
            }
        running.push_back({input, pid, pipe_ends[0], {}});
    };
    auto finish = [&](std::size_t at) {
        RunningJudgement& judgement = running[at];
        close(judgement.from_child);
        // Forgotten before it is reaped, so that a stop is never passed on to a process that took its pid.
        for (std::atomic<pid_t>& slot : reading_children)
            if (slot.load() == judgement.pid) slot = 0;
        int wait_status = 0;
        while (waitpid(judgement.pid, &wait_status, 0) < 0 && errno == EINTR) {
        }
        results[judgement.input] = decoded(inputs[judgement.input].path, judgement.received, wait_status);
        running.erase(running.begin() + static_cast<std::ptrdiff_t>(at));
    };

    while (next_to_deliver < inputs.size()) {
        if (int stop = stop_signals.received(); stop != 0) {
            for (; next_to_start < inputs.size(); ++next_to_start) {
                close_descriptor(next_to_start);
                results[next_to_start] = not_read(inputs[next_to_start].path,
                                                  std::string("not read: ") + stop_signal_name(stop) + " stopped the run");
            }
        }
        // Reports wait in memory behind a capture still being read: a few rounds of jobs at most.
        while (running.size() < jobs && next_to_start < inputs.size() &&
               next_to_start - next_to_deliver < jobs * rounds_waiting)
            start(next_to_start++);
        while (next_to_deliver < inputs.size() && results[next_to_deliver]) {
            deliver(std::move(*results[next_to_deliver]));
            results[next_to_deliver++].reset();
        }
        if (running.empty()) continue;
        std::vector<pollfd> waiting;
        for (const RunningJudgement& judgement : running) waiting.push_back({judgement.from_child, POLLIN, 0});
        if (poll(waiting.data(), waiting.size(), -1) < 0) continue;  // a signal: looked at on the next turn
        for (std::size_t at = running.size(); at-- > 0;) {
            if (waiting[at].revents == 0) continue;
            std::array<char, 1 << 16> chunk{};
            ssize_t count = read(running[at].from_child, chunk.data(), chunk.size());
            if (count > 0) {
                running[at].received.append(chunk.data(), static_cast<std::size_t>(count));
            } else if (count == 0 || errno != EINTR) {
                finish(at);
            }
        }
    }
}

}  // namespace trustcap
