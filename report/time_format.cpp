#include "report/time_format.h"

#include <cinttypes>
#include <cstdio>
#include <ctime>

namespace trustcap {
namespace {

std::string date_time(std::int64_t seconds, const char* format) {
    std::time_t value = static_cast<std::time_t>(seconds);
    std::tm parts{};
    gmtime_r(&value, &parts);
    char text[64];
    std::strftime(text, sizeof text, format, &parts);
    return text;
}

std::string fraction(std::uint32_t nanoseconds, int digits) {
    char text[16];
    if (digits >= 9) {
        std::snprintf(text, sizeof text, "%09u", nanoseconds);
    } else if (digits == 3) {
        std::snprintf(text, sizeof text, "%03u", nanoseconds / 1'000'000);
    } else {
        std::snprintf(text, sizeof text, "%06u", nanoseconds / 1000);
    }
    return text;
}

}  // namespace

std::string iso8601_utc(const Timestamp& time, int digits) {
    std::string whole = date_time(time.seconds, "%Y-%m-%dT%H:%M:%S");
    return (digits > 0 ? whole + "." + fraction(time.nanoseconds, digits) : whole) + "Z";
}

std::string readable_utc(const Timestamp& time) {
    return date_time(time.seconds, "%Y-%m-%d %H:%M:%S") + "." + fraction(time.nanoseconds, 3) + " UTC";
}

std::string relative_seconds(const Timestamp& time, const Timestamp& origin, int digits) {
    std::int64_t delta = time.total_nanoseconds() - origin.total_nanoseconds();
    const char* sign = delta < 0 ? "-" : "";
    if (delta < 0) delta = -delta;
    return sign + std::to_string(delta / 1'000'000'000) + "." +
           fraction(static_cast<std::uint32_t>(delta % 1'000'000'000), digits);
}

}  // namespace trustcap
