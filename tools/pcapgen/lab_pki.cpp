#include "lab_pki.h"

#include "certificate_builder.h"
#include "lab_private_keys.h"

#include <openssl/pem.h>

#include <cstdio>
#include <string>

namespace pcapgen {

namespace {

constexpr CertificateValidity lab_validity{1704067200, 1735689600};       // 2024-01-01 .. 2025-01-01
constexpr CertificateValidity expired_validity{1640995200, 1672531200};   // 2022-01-01 .. 2023-01-01
constexpr CertificateValidity corp_ca_validity{1685577600, 2001196800};   // 2023-06-01 .. 2033-06-01
constexpr CertificateValidity intercepted_validity{1710115200, 1717977600};  // 2024-03-11 .. 2024-06-10
constexpr CertificateValidity fortinet_ca_validity{1577836800, 1893456000};  // 2020-01-01 .. 2030-01-01
constexpr CertificateValidity lab_validity_2021{1609459200, 1640995200};     // 2021-01-01 .. 2022-01-01

constexpr const char* device_serial = "9ZL3QH5XK2B";
constexpr int big_chain_leaf_extra_names = 230;

EvpPkeyPtr load_key(LabKey key)
{
    const std::string_view pem = lab_private_key_pem(key);
    BioPtr bio(require_openssl(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())), "BIO_new_mem_buf"));
    return EvpPkeyPtr(
        require_openssl(PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr), "PEM_read_bio_PrivateKey"));
}

TlsIdentity issue(const CertificateProfile& profile, LabKey subject_key, const TlsIdentity* issuer)
{
    TlsIdentity identity;
    identity.key = load_key(subject_key);
    identity.certificate =
        issuer != nullptr
            ? issue_certificate(profile, identity.key.get(), issuer->certificate.get(), issuer->key.get())
            : issue_certificate(profile, identity.key.get(), nullptr, identity.key.get());
    return identity;
}

std::vector<std::pair<int, std::string>> ca_extensions(const std::string& path_length)
{
    return {{NID_basic_constraints, "critical,CA:TRUE" + path_length},
            {NID_key_usage, "critical,keyCertSign,cRLSign"}};
}

std::vector<std::pair<int, std::string>> server_extensions(const std::string& subject_alternative_names)
{
    return {{NID_basic_constraints, "critical,CA:FALSE"},
            {NID_key_usage, "critical,digitalSignature,keyEncipherment"},
            {NID_ext_key_usage, "serverAuth"},
            {NID_subject_alt_name, subject_alternative_names}};
}

std::vector<std::pair<std::string, std::string>> smartreceiver_subject()
{
    return {{"C", "US"}, {"ST", "California"}, {"L", "San Jose"}, {"O", "Trustcap Lab"},
            {"CN", "smartreceiver.cisco.com"}};
}

std::vector<std::pair<std::string, std::string>> fortinet_subject(const std::string& common_name)
{
    return {{"C", "US"},
            {"ST", "California"},
            {"L", "Sunnyvale"},
            {"O", "Fortinet"},
            {"OU", "Certificate Authority"},
            {"CN", common_name},
            {"emailAddress", "support@fortinet.com"}};
}

CertificateProfile device_profile(CertificateValidity validity, std::uint64_t serial_number)
{
    const std::string serial(device_serial);
    return {{{"serialNumber", "PID:C9800-CL-K9 SN:" + serial},
             {"O", "Trustcap Lab"},
             {"CN", "C9800-CL-K9_" + serial}},
            serial_number,
            validity,
            {{NID_basic_constraints, "critical,CA:FALSE"},
             {NID_key_usage, "critical,digitalSignature,keyEncipherment"},
             {NID_ext_key_usage, "clientAuth"}}};
}

std::string many_host_names()
{
    std::string names = "DNS:smartreceiver.cisco.com";
    char name[64];
    for (int index = 1; index <= big_chain_leaf_extra_names; ++index) {
        std::snprintf(name, sizeof name, ",DNS:sr-edge-%03d.licensing.trustcap-lab.example", index);
        names += name;
    }
    return names;
}

CertificateProfile big_chain_intermediate_profile(int level, std::uint64_t serial_number)
{
    const std::string number = std::to_string(level);
    const std::string base = "http://pki.trustcap-lab.example/intermediate-" + number;
    return {{{"C", "US"}, {"O", "Trustcap Lab"}, {"OU", "Licensing Edge PKI"},
             {"CN", "Trustcap Lab Intermediate CA " + number}},
            serial_number,
            lab_validity,
            {{NID_basic_constraints, "critical,CA:TRUE"},
             {NID_key_usage, "critical,keyCertSign,cRLSign"},
             {NID_crl_distribution_points, "URI:" + base + "/current.crl,URI:" + base + "/backup.crl"},
             {NID_info_access, "caIssuers;URI:" + base + "/issuer.crt,OCSP;URI:" + base + "/ocsp"}}};
}

void write_certificate_pem(const std::filesystem::path& file, X509* certificate)
{
    BioPtr bio(require_openssl(BIO_new_file(file.c_str(), "w"), "BIO_new_file"));
    require_openssl(PEM_write_bio_X509(bio.get(), certificate), "PEM_write_bio_X509");
}

}  // namespace

LabPki::LabPki()
{
    root_ca_ = issue({{{"C", "US"}, {"O", "Trustcap Lab"}, {"CN", "Trustcap Lab Root CA"}},
                      0x5472757374434101,
                      lab_validity,
                      ca_extensions("")},
                     LabKey::lab_root_ca, nullptr);
    device_sub_ca_ = issue({{{"C", "US"}, {"O", "Trustcap Lab"}, {"CN", "Trustcap Lab Device Sub CA"}},
                            0x5472757374434102,
                            lab_validity,
                            ca_extensions(",pathlen:0")},
                           LabKey::device_sub_ca, &root_ca_);

    smartreceiver_ = issue({smartreceiver_subject(), 0x5352000000000001, lab_validity,
                            server_extensions("DNS:smartreceiver.cisco.com")},
                           LabKey::smartreceiver, &root_ca_);

    TlsIdentity intermediate_1 =
        issue(big_chain_intermediate_profile(1, 0x5472757374434111), LabKey::big_chain_intermediate_1, &root_ca_);
    TlsIdentity intermediate_2 = issue(big_chain_intermediate_profile(2, 0x5472757374434112),
                                       LabKey::big_chain_intermediate_2, &intermediate_1);
    TlsIdentity intermediate_3 = issue(big_chain_intermediate_profile(3, 0x5472757374434113),
                                       LabKey::big_chain_intermediate_3, &intermediate_2);
    smartreceiver_big_chain_ = issue({smartreceiver_subject(), 0x5352000000000002, lab_validity,
                                      server_extensions(many_host_names())},
                                     LabKey::smartreceiver, &intermediate_3);
    smartreceiver_big_chain_.chain.push_back(std::move(intermediate_3.certificate));
    smartreceiver_big_chain_.chain.push_back(std::move(intermediate_2.certificate));
    smartreceiver_big_chain_.chain.push_back(std::move(intermediate_1.certificate));

    TlsIdentity corp_ca = issue({{{"C", "US"}, {"O", "Corp"}, {"OU", "Network Security"},
                                  {"CN", "Corp Firewall SSL Inspection CA"}},
                                 0x0c0f1a2b3c4d5e01,
                                 corp_ca_validity,
                                 ca_extensions("")},
                                LabKey::corp_firewall_ca, nullptr);
    intercepted_smartreceiver_ = issue({{{"CN", "smartreceiver.cisco.com"}},
                                        0x0c0f1a2b3c4d5e77,
                                        intercepted_validity,
                                        server_extensions("DNS:smartreceiver.cisco.com")},
                                       LabKey::corp_firewall_leaf, &corp_ca);
    intercepted_smartreceiver_.chain.push_back(std::move(corp_ca.certificate));

    device_ = issue(device_profile(lab_validity, 0x4445560000000001), LabKey::device, &device_sub_ca_);
    device_.chain.push_back(share(device_sub_ca_.certificate));
    expired_device_ =
        issue(device_profile(expired_validity, 0x4445560000000000), LabKey::device, &device_sub_ca_);
    expired_device_.chain.push_back(share(device_sub_ca_.certificate));

    issue_interception_and_other_servers();
    issue_2021_certificates();
}

void LabPki::issue_interception_and_other_servers()
{
    TlsIdentity fortinet_ca =
        issue({fortinet_subject("Fortinet CA"), 0x464f5254494e4301, fortinet_ca_validity, ca_extensions("")},
              LabKey::fortinet_ca, nullptr);
    TlsIdentity fortigate_ca = issue(
        {fortinet_subject("FG100FTK20012345"), 0x464731303046544b, fortinet_ca_validity, ca_extensions(",pathlen:0")},
        LabKey::fortigate_ssl_inspection_ca, &fortinet_ca);
    fortigate_intercepted_smartreceiver_ = issue({smartreceiver_subject(), 0x46475353494e5301, intercepted_validity,
                                                  server_extensions("DNS:smartreceiver.cisco.com")},
                                                 LabKey::fortigate_leaf, &fortigate_ca);
    fortigate_intercepted_smartreceiver_.chain.push_back(std::move(fortigate_ca.certificate));

    tools_cisco_com_ = issue({{{"C", "US"}, {"ST", "California"}, {"L", "San Jose"}, {"O", "Trustcap Lab"},
                               {"CN", "tools.cisco.com"}},
                              0x544f4f4c53000001,
                              lab_validity,
                              server_extensions("DNS:tools.cisco.com")},
                             LabKey::tools_cisco_com, &root_ca_);

    onprem_ssm_ = issue({{{"C", "US"}, {"O", "Corp"}, {"OU", "Smart Software Manager On-Prem"},
                          {"CN", "ssm.corp.example"}},
                         0x53534d0000000001,
                         corp_ca_validity,
                         server_extensions("DNS:ssm.corp.example")},
                        LabKey::onprem_ssm, nullptr);

    www_example_com_ = issue({{{"C", "US"}, {"O", "Trustcap Lab"}, {"CN", "www.example.com"}},
                              0x5757574558000001,
                              lab_validity,
                              server_extensions("DNS:www.example.com")},
                             LabKey::www_example_com, &root_ca_);
}

void LabPki::issue_2021_certificates()
{
    root_ca_2021_ = issue({{{"C", "US"}, {"O", "Trustcap Lab"}, {"CN", "Trustcap Lab Root CA 2021"}},
                           0x5472757374432101,
                           lab_validity_2021,
                           ca_extensions("")},
                          LabKey::lab_root_ca, nullptr);
    TlsIdentity device_sub_ca_2021 =
        issue({{{"C", "US"}, {"O", "Trustcap Lab"}, {"CN", "Trustcap Lab Device Sub CA 2021"}},
               0x5472757374432102,
               lab_validity_2021,
               ca_extensions(",pathlen:0")},
              LabKey::device_sub_ca, &root_ca_2021_);
    smartreceiver_2021_ = issue({smartreceiver_subject(), 0x5352000000002101, lab_validity_2021,
                                 server_extensions("DNS:smartreceiver.cisco.com")},
                                LabKey::smartreceiver, &root_ca_2021_);
    device_2021_ = issue(device_profile(lab_validity_2021, 0x4445560000002101), LabKey::device, &device_sub_ca_2021);
    device_2021_.chain.push_back(std::move(device_sub_ca_2021.certificate));
}

void LabPki::write_root_ca_pem(const std::filesystem::path& file) const
{
    write_certificate_pem(file, root_ca_.certificate.get());
}

void LabPki::write_root_ca_2021_pem(const std::filesystem::path& file) const
{
    write_certificate_pem(file, root_ca_2021_.certificate.get());
}

}  // namespace pcapgen
