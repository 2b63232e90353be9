#include "read_interruption.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <csignal>

namespace trustcap {
namespace {

constexpr unsigned stream_grace_seconds = 1;

std::atomic<int> input{-1};
std::atomic<int> null_input{-1};
std::atomic<bool> input_is_stream{false};
std::atomic<int> stop_requests{0};
std::atomic<bool> input_cut{false};
std::atomic<bool> grace_started{false};
struct sigaction previous_alarm_action;

void cut_input() {
    input_cut = true;
    if (null_input >= 0) dup2(null_input, input);
}

extern "C" void on_grace_over(int) {
    int saved_errno = errno;
    cut_input();
    errno = saved_errno;
}

// SIGALRM is taken only once a signal starts the grace, so a process that
// times itself with SIGALRM (libFuzzer's -timeout) keeps its timer otherwise.
void start_grace() {
    struct sigaction action {};
    action.sa_handler = on_grace_over;
    action.sa_flags = SA_RESTART;
    sigemptyset(&action.sa_mask);
    sigaction(SIGALRM, &action, &previous_alarm_action);
    grace_started = true;
    alarm(stream_grace_seconds);
}

void on_stop(int) {
    int saved_errno = errno;
    if (stop_requests.fetch_add(1) == 0 && input_is_stream) {
        start_grace();
    } else {
        cut_input();
    }
    errno = saved_errno;
}

}  // namespace

ReadInterruption::ReadInterruption(int input_descriptor) {
    struct stat status {};
    input_is_stream = fstat(input_descriptor, &status) == 0 && !S_ISREG(status.st_mode);
    null_input = open("/dev/null", O_RDONLY | O_CLOEXEC);
    input = input_descriptor;
    stop_requests = 0;
    input_cut = false;
    grace_started = false;
    stop_signals_.emplace(on_stop);
}

ReadInterruption::~ReadInterruption() {
    stop_signals_.reset();
    if (grace_started) {
        alarm(0);
        sigaction(SIGALRM, &previous_alarm_action, nullptr);
    }
    if (null_input >= 0) close(null_input);
    null_input = -1;
}

bool ReadInterruption::cut() const { return input_cut; }

}  // namespace trustcap
