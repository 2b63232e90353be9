#include "report/decryption_wording.h"

#include <utility>

#include "report/wording.h"

namespace trustcap {

std::vector<std::string> decryption_sentences(const DecryptionReport& decryption) {
    if (!decryption.keys_found) return {"key log: no keys for this connection"};
    std::vector<std::string> sentences;
    if (decryption.client_records + decryption.server_records == 0) {
        sentences.push_back(decryption.not_decryptable
                                ? "key log: keys found, but records of this version or cipher suite are not decrypted"
                                : "key log: keys found, but no record was decrypted");
    } else {
        sentences.push_back("decrypted with the key log: " + counted(decryption.client_records, "record") +
                            " from the device, " + std::to_string(decryption.server_records) + " from the server");
    }
    for (const auto& [who, frame] : {std::pair{"device", decryption.client_failed_frame},
                                     std::pair{"server", decryption.server_failed_frame}})
        if (frame)
            sentences.push_back(std::string("key log: the ") + who + "'s record in frame " + std::to_string(*frame) +
                                " failed authentication; its later records were not decrypted");
    return sentences;
}

std::string certificates_whose(const TlsReport& tls, const std::string& whose) {
    const auto& decryption = tls.decryption;
    const bool decrypted = decryption && (whose == "server" ? decryption->server_certificates_decrypted
                                                            : decryption->client_certificates_decrypted);
    return decrypted ? whose + " (decrypted)" : whose;
}

}  // namespace trustcap
