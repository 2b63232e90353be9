#include "stop_signals.h"

#include <atomic>
#include <csignal>
#include <iterator>

namespace trustcap {
namespace {

constexpr int stop_signal_numbers[] = {SIGINT, SIGTERM};

std::atomic<StopSignals::Handler> current_handler{nullptr};
std::atomic<int> first_signal{0};
struct sigaction previous_actions[std::size(stop_signal_numbers)];

static_assert(std::atomic<StopSignals::Handler>::is_always_lock_free);
static_assert(std::atomic<int>::is_always_lock_free);

extern "C" void on_stop_signal(int signal_number) {
    int none = 0;
    first_signal.compare_exchange_strong(none, signal_number);
    if (StopSignals::Handler handler = current_handler.load()) handler(signal_number);
}

}  // namespace

StopSignals::StopSignals(Handler on_stop) {
    first_signal = 0;
    current_handler = on_stop;
    struct sigaction action {};
    action.sa_handler = on_stop_signal;
    action.sa_flags = SA_RESTART;
    sigemptyset(&action.sa_mask);
    for (int signal_number : stop_signal_numbers) sigaddset(&action.sa_mask, signal_number);
    for (std::size_t i = 0; i < std::size(stop_signal_numbers); ++i)
        sigaction(stop_signal_numbers[i], &action, &previous_actions[i]);
}

StopSignals::~StopSignals() {
    for (std::size_t i = 0; i < std::size(stop_signal_numbers); ++i)
        sigaction(stop_signal_numbers[i], &previous_actions[i], nullptr);
    current_handler = nullptr;
}

int StopSignals::received() const { return first_signal.load(); }

const char* stop_signal_name(int signal_number) { return signal_number == SIGTERM ? "SIGTERM" : "SIGINT"; }

}  // namespace trustcap
