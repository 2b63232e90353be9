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
// 2024-01-01 .. 2025-01-01: at the capture time (2024-03-12), not today.
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

    // The device's certificate (C9800-CL-K9_…) and the "Trustcap Lab Device Sub CA" that issued it.
    [[nodiscard]] const TlsIdentity& device() const { return device_; }
    // The same device with a certificate valid 2022-01-01 .. 2023-01-01.
    [[nodiscard]] const TlsIdentity& device_with_expired_certificate() const { return expired_device_; }

    void write_root_ca_pem(const std::filesystem::path& file) const;

private:
    TlsIdentity root_ca_;
    TlsIdentity device_sub_ca_;
    TlsIdentity smartreceiver_;
    TlsIdentity smartreceiver_big_chain_;
    TlsIdentity intercepted_smartreceiver_;
    TlsIdentity device_;
    TlsIdentity expired_device_;
};

}  // namespace pcapgen
