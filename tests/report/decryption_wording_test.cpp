#include "report/decryption_wording.h"

#include <gtest/gtest.h>

namespace trustcap {
namespace {

TEST(DecryptionWording, SaysWhatWasDecryptedAndWhereItStopped) {
    DecryptionReport decryption;
    decryption.keys_found = true;
    decryption.client_records = 1;
    decryption.server_records = 9;
    decryption.server_failed_frame = 20;
    EXPECT_EQ(decryption_sentences(decryption),
              (std::vector<std::string>{"decrypted with the key log: 1 record from the device, 9 from the server",
                                        "key log: the server's record in frame 20 failed authentication; its later "
                                        "records were not decrypted"}));
}

TEST(DecryptionWording, SaysWhyNothingWasDecrypted) {
    DecryptionReport decryption;
    EXPECT_EQ(decryption_sentences(decryption), std::vector<std::string>{"key log: no keys for this connection"});
    decryption.keys_found = true;
    decryption.not_decryptable = true;
    EXPECT_EQ(decryption_sentences(decryption),
              std::vector<std::string>{"key log: keys found, but records of this version or cipher suite are not decrypted"});
    decryption.not_decryptable = false;
    EXPECT_EQ(decryption_sentences(decryption),
              std::vector<std::string>{"key log: keys found, but no record was decrypted"});
}

TEST(DecryptionWording, MarksOnlyTheCertificatesReadFromDecryptedRecords) {
    TlsReport tls;
    EXPECT_EQ(certificates_whose(tls, "server"), "server");
    tls.decryption = DecryptionReport{};
    tls.decryption->server_certificates_decrypted = true;
    EXPECT_EQ(certificates_whose(tls, "server"), "server (decrypted)");
    EXPECT_EQ(certificates_whose(tls, "device"), "device");
}

}  // namespace
}  // namespace trustcap
