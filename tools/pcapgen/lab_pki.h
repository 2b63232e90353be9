#pragma once

#include "openssl_handles.h"

#include <filesystem>
#include <vector>

namespace pcapgen {

// What one TLS endpoint presents: its certificate, the intermediates it sends after it, and its key.
struct TlsIdentity {
    X509Ptr certificate;
    std::vector<X509Ptr> chain;
    EvpPkeyPtr key;
};

// The lab's certificates, all built from fixed keys at construction. The lab certificates are valid
// 2024-01-01 .. 2025-01-01: at the capture time (2024-03-12), not today. A second lab root and its certificates,
// valid 2021-01-01 .. 2022-01-01, serve a capture from 2021.
class LabPki {
public:
    LabPki();

    // "Trustcap Lab Root CA": what the device and the server trust, and what trustcap gets as --ca-bundle.
    [[nodiscard]] const X509Ptr& root_ca() const { return root_ca_.certificate; }

    // smartreceiver.cisco.com, issued directly by the root.
    [[nodiscard]] const TlsIdentity& smartreceiver() const { return smartreceiver_; }
    // The same name behind three 4096-bit intermediates, with a leaf naming hundreds of hosts: a ~16 KiB chain.
    [[nodiscard]] const TlsIdentity& smartreceiver_with_big_chain() const { return smartreceiver_big_chain_; }
    // smartreceiver.cisco.com as an intercepting firewall presents it: issued by "Corp Firewall SSL Inspection CA".
    [[nodiscard]] const TlsIdentity& intercepted_smartreceiver() const { return intercepted_smartreceiver_; }

    // smartreceiver.cisco.com as a FortiGate doing SSL deep inspection presents it: the original subject, issued by
    // the firewall's "FG100FTK20012345" CA (sent after the leaf), which "Fortinet CA" issued (not sent).
    [[nodiscard]] const TlsIdentity& fortigate_intercepted_smartreceiver() const
    {
        return fortigate_intercepted_smartreceiver_;
    }
    // tools.cisco.com (legacy Smart Licensing), issued directly by the root.
    [[nodiscard]] const TlsIdentity& tools_cisco_com() const { return tools_cisco_com_; }
    // An on-prem SSM's self-signed certificate, CN=ssm.corp.example: the device trusts this certificate itself.
    [[nodiscard]] const TlsIdentity& onprem_ssm() const { return onprem_ssm_; }
    // A web server's certificate, CN=www.example.com (and that name alone in its SAN), issued directly by the root:
    // its chain verifies, its name is not smartreceiver.cisco.com.
    [[nodiscard]] const TlsIdentity& www_example_com() const { return www_example_com_; }

    // "Trustcap Lab Root CA 2021" and the device and smartreceiver certificates of 2021, all valid
    // 2021-01-01 .. 2022-01-01; the device's is issued by "Trustcap Lab Device Sub CA 2021", which it sends.
    [[nodiscard]] const X509Ptr& root_ca_2021() const { return root_ca_2021_.certificate; }
    [[nodiscard]] const TlsIdentity& smartreceiver_2021() const { return smartreceiver_2021_; }
    [[nodiscard]] const TlsIdentity& device_2021() const { return device_2021_; }

    // The device's certificate (C9800-CL-K9_…) and the "Trustcap Lab Device Sub CA" that issued it.
    [[nodiscard]] const TlsIdentity& device() const { return device_; }
    // The same device with a certificate valid 2022-01-01 .. 2023-01-01.
    [[nodiscard]] const TlsIdentity& device_with_expired_certificate() const { return expired_device_; }

    void write_root_ca_pem(const std::filesystem::path& file) const;
    void write_root_ca_2021_pem(const std::filesystem::path& file) const;

private:
    void issue_interception_and_other_servers();
    void issue_2021_certificates();

    TlsIdentity root_ca_;
    TlsIdentity device_sub_ca_;
    TlsIdentity smartreceiver_;
    TlsIdentity smartreceiver_big_chain_;
    TlsIdentity intercepted_smartreceiver_;
    TlsIdentity device_;
    TlsIdentity expired_device_;
    TlsIdentity fortigate_intercepted_smartreceiver_;
    TlsIdentity tools_cisco_com_;
    TlsIdentity onprem_ssm_;
    TlsIdentity www_example_com_;
    TlsIdentity root_ca_2021_;
    TlsIdentity smartreceiver_2021_;
    TlsIdentity device_2021_;
};

}  // namespace pcapgen
