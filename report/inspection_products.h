#pragma once

#include <optional>
#include <string>

namespace trustcap {

// The TLS-inspection product a certificate's issuer names ("Fortinet",
// "Zscaler", …), when it names a known one.
std::optional<std::string> inspection_product(const std::string& issuer);

}  // namespace trustcap
