#pragma once

#include <functional>
#include <string>
#include <vector>

#include "capture_inputs.h"

namespace trustcap {

// What the judgement of one capture hands back: its report as written, and
// its line of the summary.
struct JudgedCapture {
    std::string path;
    int exit_status = 2;  // as trustcap's for that capture alone
    std::string report;   // in the format asked for; empty when it could not be judged
    std::string error;    // one line when it could not be judged
    std::string devices;  // the devices its licensing flows came from
    std::string verdict;  // HEALTHY, PROBLEM or NOT READ
    std::string diagnosis;
};

// Runs in a child process of its own, as the user trustcap runs as; `descriptor`
// is the capture opened beforehand, or -1 for one to open by its path.
using JudgeCapture = std::function<JudgedCapture(const CaptureInput& input, int descriptor)>;
using DeliverJudgement = std::function<void(JudgedCapture&& judged)>;

// Judges every input, each in a child process (so that one capture's
// signals, memory or crash is its own), `jobs` at a time, and delivers the
// results in the order of the inputs, each as soon as those before it are
// delivered. SIGINT and SIGTERM stop the captures being read (each then
// reports what it read) and leave the rest unread. `descriptors[i]` is
// input i opened beforehand, or -1; they are closed here.
void judge_in_parallel(const std::vector<CaptureInput>& inputs, const std::vector<int>& descriptors, unsigned jobs,
                       const JudgeCapture& judge, const DeliverJudgement& deliver);

}  // namespace trustcap
