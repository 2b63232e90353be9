#pragma once

#include <memory>
#include <vector>

#include "capture/tcp_flow.h"
#include "report/report.h"

namespace trustcap {

// Judges every checked flow and the capture as a whole.
Report build_report(CaptureSummary capture, const std::vector<std::unique_ptr<TcpFlow>>& flows,
                    std::uint64_t other_tcp_flows);

}  // namespace trustcap
