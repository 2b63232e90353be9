#pragma once

#include <string_view>

namespace pcapgen {

// The fixed RSA keys of the lab PKI: 2048 bits, except the big chain's 4096-bit intermediates.
enum class LabKey {
    lab_root_ca,
    device_sub_ca,
    smartreceiver,
    device,
    corp_firewall_ca,
    corp_firewall_leaf,
    big_chain_intermediate_1,
    big_chain_intermediate_2,
    big_chain_intermediate_3,
    fortinet_ca,
    fortigate_ssl_inspection_ca,
    fortigate_leaf,
    tools_cisco_com,
    onprem_ssm,
    www_example_com,
};

// PKCS#8 PEM.
std::string_view lab_private_key_pem(LabKey key);

}  // namespace pcapgen
