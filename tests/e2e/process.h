#pragma once

#include <sys/types.h>

#include <cstdint>
#include <string>
#include <vector>

namespace trustcap::testing {

struct ProcessResult {
    int exit_status = -1;  // 128 + the signal when a signal ended it
    std::string standard_output;
    std::string standard_error;
    std::uint64_t peak_memory_kib = 0;  // the program's largest resident set
};

// Under AddressSanitizer the resident set is mostly shadow memory and
// quarantine, not the program's own: peak_memory_kib bounds nothing there.
#ifdef TRUSTCAP_SANITIZED
inline constexpr bool peak_memory_is_the_programs = false;
#else
inline constexpr bool peak_memory_is_the_programs = true;
#endif

// A program started in the background (no shell), its standard input a pipe
// the test writes to, or /dev/null.
class RunningProcess {
public:
    enum class Input { null, pipe };

    explicit RunningProcess(const std::vector<std::string>& arguments, Input input = Input::null);
    ~RunningProcess();
    RunningProcess(const RunningProcess&) = delete;
    RunningProcess& operator=(const RunningProcess&) = delete;

    void write_input(const std::string& bytes);
    void close_input();
    void send_signal(int signal_number);
    [[nodiscard]] pid_t pid() const { return child_; }
    // Collects the output until the program ends, then its exit status.
    ProcessResult wait();

private:
    pid_t child_ = -1;
    int input_ = -1;
    int output_ = -1;
    int error_ = -1;
};

// A program's output, a line each, without their newlines.
std::vector<std::string> lines_of(const std::string& text);

// Runs a program with arguments (no shell) and collects its output.
ProcessResult run_process(const std::vector<std::string>& arguments);

}  // namespace trustcap::testing
