#pragma once

#include <string>

#include "capture/timestamp.h"

namespace trustcap {

// "2021-08-23T11:31:13.351123Z", with `digits` fractional digits (0, 6 or 9).
// Every int64 second has its date: years past 9999 are written "+10000-…",
// years before 0 "-0001-…" (ISO 8601 expanded years).
std::string iso8601_utc(const Timestamp& time, int digits);

// "2021-08-23 11:31:13.351 UTC" for people.
std::string readable_utc(const Timestamp& time);

// Seconds from `origin` to `time` with `digits` fractional digits: "0.000123",
// "-2.500000" when `time` comes first. Exact for any two timestamps.
std::string relative_seconds(const Timestamp& time, const Timestamp& origin, int digits);

}  // namespace trustcap
