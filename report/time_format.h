#pragma once

#include <string>

#include "capture/timestamp.h"

namespace trustcap {

// "2021-08-23T11:31:13.351123Z", with `digits` fractional digits (0, 6 or 9).
std::string iso8601_utc(const Timestamp& time, int digits);

// "2021-08-23 11:31:13.351 UTC" for people.
std::string readable_utc(const Timestamp& time);

// Seconds between two timestamps with `digits` fractional digits: "0.000123".
std::string relative_seconds(const Timestamp& time, const Timestamp& origin, int digits);

}  // namespace trustcap
