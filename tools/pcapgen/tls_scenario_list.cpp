#include "tls_scenarios.h"

namespace pcapgen {

std::vector<TlsScenario> all_tls_scenarios()
{
    return {
        {"tls12-mutual-healthy.pcap", write_tls12_mutual_healthy},
        {"tls12-mutual-via-proxy.pcap", write_tls12_mutual_via_proxy},
        {"tls13-healthy.pcap", write_tls13_healthy},
        {"tls12-expired-device-certificate.pcap", write_tls12_expired_device_certificate},
        {"tls12-server-unknown-ca.pcap", write_tls12_server_unknown_ca},
        {"tls12-no-response.pcap", write_tls12_no_response},
        {"proxy-auth-required.pcap", write_proxy_auth_required},
        {"dns-nxdomain.pcap", write_dns_nxdomain},
        {"dns-answer-then-no-sni.pcap", write_dns_answer_then_no_sni},
        {"tls12-big-chain-reordered.pcap", write_tls12_big_chain_reordered},
    };
}

}  // namespace pcapgen
