#pragma once

#include <string>
#include <vector>

#include "report/report.h"

namespace trustcap {

// What --keylog did for a connection, as the text and HTML reports say it:
// "decrypted with the key log: 5 records from the device, 9 from the server",
// or why nothing was, and where a record failed authentication.
std::vector<std::string> decryption_sentences(const DecryptionReport& decryption);

// "server (decrypted)" when the key log made that side's certificates readable; `whose` is "server" or "device".
std::string certificates_whose(const TlsReport& tls, const std::string& whose);

}  // namespace trustcap
