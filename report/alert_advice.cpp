#include "report/alert_advice.h"

#include "dissect/tls_alert.h"
#include "report/ios_xe_fixes.h"

namespace trustcap {
namespace {

// The guides' debugs after a TLS failure: the device's own account of the handshake.
const std::vector<std::string> handshake_debugs = {
    "The device's record of its trust attempts and their errors:", "show license tech support | section Trust",
    "To see the device's side of the next attempt:", "debug ip http client all", "debug crypto pki transactions",
    "license smart sync all", "undebug all"};

const std::vector<std::string> device_certificate_fix = then(
    {"show crypto pki trustpoints",
     "Pick a trustpoint whose certificate is valid: TP-self-signed-xxxxxxxxxx, or CISCO_IDEVID_SUDI on the 9800-80, "
     "9800-40 and 9800-L",
     "configure terminal", "ip http client secure-trustpoint <TP>", "ip http client source-interface <interface>", "end",
     "license smart trust idtoken <token> all force"},
    handshake_debugs);

const std::vector<std::string> interception_fix = {
    "Exempt smartreceiver.cisco.com from SSL decryption on the firewall or proxy",
    "Capture outside the firewall to confirm: the real server's chain verifies"};

// The guides' set-up for an on-prem server, whose self-signed certificate has no CRL to check.
const std::vector<std::string> server_trust_fix = then(
    {"For an on-prem server, the trustpoint Smart Licensing uses must not check revocation:", "configure terminal",
     "crypto pki trustpoint SLA-TrustPoint", "revocation-check none", "end",
     "For smartreceiver.cisco.com, exempt it from SSL decryption on the firewall or proxy in the path"},
    handshake_debugs);

}  // namespace

AlertAdvice advice_for_alert(std::uint8_t description, bool sent_by_server, bool public_server) {
    switch (static_cast<TlsAlertDescription>(description)) {
        case TlsAlertDescription::unknown_ca:
            if (sent_by_server)
                return {Severity::error, "rejected the device's certificate",
                        "the server does not accept the device's certificate: it is expired, self-signed by a "
                        "trustpoint the server does not know, or not the one the device registered with",
                        device_certificate_fix};
            if (!public_server)
                return {Severity::error, "rejected the server's certificate",
                        "the device does not trust the on-prem server's certificate: its CA is not in a trustpoint",
                        server_trust_fix};
            return {Severity::error, "rejected the server's certificate",
                    "the device does not trust the server's certificate chain: usually a firewall or proxy "
                    "decrypting TLS and presenting its own certificate",
                    interception_fix};
        case TlsAlertDescription::bad_certificate:
        case TlsAlertDescription::certificate_unknown:
        case TlsAlertDescription::unsupported_certificate:
            if (sent_by_server)
                return {Severity::error, "rejected the device's certificate", "the server rejected the device's certificate",
                        device_certificate_fix};
            return {Severity::error, "rejected the server's certificate", "the device rejected the server's certificate",
                    server_trust_fix};
        case TlsAlertDescription::certificate_expired:
            if (sent_by_server)
                return {Severity::error, "rejected the device's certificate", "the device's certificate has expired",
                        device_certificate_fix};
            return {Severity::error, "", "the server's certificate has expired (or the device's clock is wrong)",
                    {"show clock detail", "configure terminal", "ntp server <ntp-server>", "end",
                     "Check the server's certificate dates"}};
        case TlsAlertDescription::certificate_revoked:
            return {Severity::error, "", "a certificate in the exchange is revoked",
                    sent_by_server ? device_certificate_fix : server_trust_fix};
        case TlsAlertDescription::certificate_required:
            return {Severity::error, "asked for the device's certificate and got none",
                    "the server requires a client certificate and the device sent none",
                    device_certificate_fix};
        case TlsAlertDescription::handshake_failure:
        case TlsAlertDescription::insufficient_security:
            return {Severity::error, "",
                    "no cipher suite or TLS version in common, or the server refused the device's certificate",
                    {"show ip http client secure status", "configure terminal",
                     "ip http client secure-ciphersuite <ciphersuites>", "end"}};
        case TlsAlertDescription::protocol_version:
            return {Severity::error, "", "the device offered only TLS versions the other side does not accept",
                    {"Upgrade IOS XE: the licensing server requires TLS 1.2 or later",
                     "show ip http client secure status"}};
        case TlsAlertDescription::decrypt_error:
        case TlsAlertDescription::bad_record_mac:
            return {Severity::error, "",
                    "a signature or record did not verify: a wrong private key for the certificate, or a "
                    "middlebox altering the TLS stream",
                    {"show crypto pki certificates <TP>",
                     "If the trustpoint's key pair does not match its certificate, enroll the trustpoint again"}};
        case TlsAlertDescription::access_denied:
            return {Severity::error, "", "the server refuses this device", {"show license status", "Check the device's registration on the server"}};
        case TlsAlertDescription::unrecognized_name:
            return {Severity::warning, "", "the server does not know the name in the SNI", {"configure terminal", "license smart url default", "end"}};
        case TlsAlertDescription::unexpected_message:
        case TlsAlertDescription::illegal_parameter:
        case TlsAlertDescription::decode_error:
        case TlsAlertDescription::internal_error:
            return {Severity::error, "", "the TLS implementation on the other side failed, or a middlebox altered the "
                                     "handshake", {}};
        case TlsAlertDescription::user_canceled:
            return {Severity::warning, "", "the sender cancelled the handshake", {}};
        case TlsAlertDescription::no_application_protocol:
            return {Severity::error, "", "no application protocol (ALPN) in common", {}};
        default:
            return {Severity::error, "", "the sender ended the handshake", {}};
    }
}

}  // namespace trustcap
