// A key log file (--keylog), then every secret it gives used as a TLS 1.3
// and a TLS 1.2 key on a record made of the same bytes.
#include <cstddef>
#include <cstdint>
#include <sstream>
#include <string>

#include "dissect/tls_key_log.h"
#include "dissect/tls_record_decrypter.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace trustcap;
    TlsKeyLogLimits limits;
    limits.max_connections = 64;
    TlsKeyLog log(limits);
    std::istringstream in(std::string(reinterpret_cast<const char*>(data), size));
    log.read(in);
    (void)log.malformed_lines();
    // The randoms the log names are read back from its lines' second field.
    std::istringstream lines(std::string(reinterpret_cast<const char*>(data), size));
    const Bytes record(data, size);
    const TlsRecordHeader header{23, 0x0303, static_cast<std::uint16_t>(size & 0xFFFFU)};
    for (std::string line; std::getline(lines, line);) {
        std::istringstream fields(line);
        std::string label;
        std::string random_hex;
        fields >> label >> random_hex;
        if (random_hex.size() != 2 * tls_random_size) continue;
        TlsRandom random{};
        bool hex = true;
        for (std::size_t i = 0; i < random.size() && hex; ++i) {
            try {
                random[i] = static_cast<std::uint8_t>(std::stoul(random_hex.substr(2 * i, 2), nullptr, 16));
            } catch (...) {
                hex = false;
            }
        }
        const TlsSessionSecrets* secrets = hex ? log.find(random) : nullptr;
        if (!secrets) continue;
        for (std::uint16_t suite : {std::uint16_t{0x1301}, std::uint16_t{0x1302}, std::uint16_t{0x1303}})
            if (auto decrypter = TlsRecordDecrypter::tls13(suite, secrets->server_handshake_traffic_secret)) {
                (void)decrypter->decrypt(header, record);
                (void)decrypter->update_traffic_secret();
            }
        for (std::uint16_t suite : {std::uint16_t{0xC02F}, std::uint16_t{0xCCA8}, std::uint16_t{0xC027}, std::uint16_t{0x002F}})
            if (auto decrypter = TlsRecordDecrypter::tls12(suite, secrets->master_secret, random, random, true))
                (void)decrypter->decrypt(header, record);
    }
    return 0;
}
