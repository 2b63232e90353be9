#pragma once

#include "capture_session.h"

#include <chrono>
#include <cstdint>
#include <string_view>

namespace pcapgen {

// A syslog message from the device to 10.20.30.9:514 over UDP: traffic that is not licensing.
void record_syslog_message(CaptureSession& session, std::string_view message, std::uint16_t ip_identification,
                           std::chrono::nanoseconds gap);

}  // namespace pcapgen
