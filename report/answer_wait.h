#pragma once

namespace trustcap {

// How long a silence must last before it says that no answer came. RFC
// 1122's initial retransmission timeout: the longest initial timer common
// stacks use before they send again (RFC 6298 stacks: 1 s). A SYN, Client
// Hello or request less than this before the capture ends, with nothing
// closed, is not yet unanswered: the capture stopped first.
inline constexpr double answer_wait_seconds = 3.0;

}  // namespace trustcap
