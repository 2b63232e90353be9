#include "report/time_format.h"

#include <cinttypes>
#include <cstdio>

namespace trustcap {
namespace {

constexpr std::int64_t seconds_per_day = 86'400;

struct CivilTime {
    std::int64_t year = 1970;
    unsigned month = 1;
    unsigned day = 1;
    unsigned hour = 0;
    unsigned minute = 0;
    unsigned second = 0;
};

// The proleptic Gregorian calendar for any int64 count of seconds since the
// epoch (gmtime gives up past the year 2^31). Days to year, month and day as
// in Howard Hinnant's civil_from_days: eras of 400 years, March-based years.
CivilTime civil_time(std::int64_t seconds) {
    std::int64_t days = seconds / seconds_per_day;
    std::int64_t second_of_day = seconds % seconds_per_day;
    if (second_of_day < 0) {
        second_of_day += seconds_per_day;
        --days;
    }
    days += 719'468;  // from 1970-01-01 to 0000-03-01
    const std::int64_t era = (days >= 0 ? days : days - 146'096) / 146'097;
    const std::int64_t day_of_era = days - era * 146'097;
    const std::int64_t year_of_era =
        (day_of_era - day_of_era / 1'460 + day_of_era / 36'524 - day_of_era / 146'096) / 365;
    const std::int64_t day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    const std::int64_t month_from_march = (5 * day_of_year + 2) / 153;

    CivilTime civil;
    civil.day = static_cast<unsigned>(day_of_year - (153 * month_from_march + 2) / 5 + 1);
    civil.month = static_cast<unsigned>(month_from_march < 10 ? month_from_march + 3 : month_from_march - 9);
    civil.year = year_of_era + era * 400 + (civil.month <= 2 ? 1 : 0);
    civil.hour = static_cast<unsigned>(second_of_day / 3'600);
    civil.minute = static_cast<unsigned>(second_of_day / 60 % 60);
    civil.second = static_cast<unsigned>(second_of_day % 60);
    return civil;
}

// Four digits from 0000 to 9999; outside, ISO 8601's expanded years: "+10000", "-0001".
std::string year_text(std::int64_t year) {
    char text[32];
    if (year >= 0 && year <= 9999) {
        std::snprintf(text, sizeof text, "%04" PRId64, year);
    } else if (year > 9999) {
        std::snprintf(text, sizeof text, "+%" PRId64, year);
    } else {
        std::snprintf(text, sizeof text, "-%04" PRIu64, 0 - static_cast<std::uint64_t>(year));
    }
    return text;
}

std::string date_time(std::int64_t seconds, char separator) {
    const CivilTime civil = civil_time(seconds);
    char text[32];
    std::snprintf(text, sizeof text, "-%02u-%02u%c%02u:%02u:%02u", civil.month, civil.day, separator, civil.hour,
                  civil.minute, civil.second);
    return year_text(civil.year) + text;
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
    std::string whole = date_time(time.seconds, 'T');
    return (digits > 0 ? whole + "." + fraction(time.nanoseconds, digits) : whole) + "Z";
}

std::string readable_utc(const Timestamp& time) {
    return date_time(time.seconds, ' ') + "." + fraction(time.nanoseconds, 3) + " UTC";
}

std::string relative_seconds(const Timestamp& time, const Timestamp& origin, int digits) {
    const TimeSpan span = span_between(origin, time);
    std::string text = span.negative ? "-" : "";
    text += std::to_string(span.seconds);
    text += '.';
    text += fraction(span.nanoseconds, digits);
    return text;
}

}  // namespace trustcap
