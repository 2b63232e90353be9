#include "read_interruption.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <csignal>

namespace trustcap {
namespace {

constexpr unsigned stream_grace_seconds = 1;

std::atomic<int> input{-1};
std::atomic<int> null_input{-1};
std::atomic<bool> input_is_stream{false};
std::atomic<int> stop_requests{0};
std::atomic<bool> input_cut{false};
struct sigaction previous_alarm_action;

void cut_input() {
    input_cut = true;
    if (null_input >= 0) dup2(null_input, input);
}

extern "C" void on_grace_over(int) { cut_input(); }

void on_stop(int) {
    if (stop_requests.fetch_add(1) == 0 && input_is_stream) {
        alarm(stream_grace_seconds);
    } else {
        cut_input();
    }
}

}  // namespace

ReadInterruption::ReadInterruption(int input_descriptor) {
    struct stat status {};
    input_is_stream = fstat(input_descriptor, &status) == 0 && !S_ISREG(status.st_mode);
    null_input = open("/dev/null", O_RDONLY | O_CLOEXEC);
    input = input_descriptor;
    stop_requests = 0;
    input_cut = false;
    struct sigaction action {};
    action.sa_handler = on_grace_over;
    action.sa_flags = SA_RESTART;
    sigemptyset(&action.sa_mask);
    sigaction(SIGALRM, &action, &previous_alarm_action);
    stop_signals_.emplace(on_stop);
}

ReadInterruption::~ReadInterruption() {
    stop_signals_.reset();
    alarm(0);
    sigaction(SIGALRM, &previous_alarm_action, nullptr);
    if (null_input >= 0) close(null_input);
    null_input = -1;
}

bool ReadInterruption::cut() const { return input_cut; }

}  // namespace trustcap
