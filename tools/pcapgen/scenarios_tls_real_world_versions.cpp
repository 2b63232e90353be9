// TLS handshakes of real-world shapes that are still TLS (issue 10): a warning alert the handshake survives, an
// SSL 2.0 Client Hello nobody answers, an SSL 3.0 Client Hello a modern server refuses.
#include "tls_scenarios.h"

#include "byte_writer.h"
#include "deterministic_bytes.h"
#include "standard_exchanges.h"
#include "tls13_record_protection.h"
#include "tls_exchanges.h"
#include "tls_record_framing.h"
#include "tls_scenario_steps.h"

#include "dissect/tls_alert.h"

#include <openssl/err.h>

#include <chrono>
#include <cstdint>
#include <stdexcept>

namespace pcapgen {

using namespace std::chrono_literals;

namespace {

// The device gives up on a Client Hello nobody answers after 20 s, as in the unanswered scenarios.
constexpr auto device_gives_up_after = 20'000'611'408ns;
// A Linux server's delayed ACK of a segment it has nothing to answer to yet.
constexpr auto server_delayed_ack = 40'213'775ns;

// A server whose virtual host table does not know the name in the SNI: OpenSSL answers with a warning-level
// unrecognized_name alert before its Server Hello, and goes on with its default certificate.
int unrecognized_name_warning(SSL*, int* alert, void*)
{
    *alert = SSL_AD_UNRECOGNIZED_NAME;
    return SSL_TLSEXT_ERR_ALERT_WARNING;
}

// An SSL 2.0 CLIENT-HELLO (SSL 2.0 draft, section "Client Only Protocol Messages") of a client that offers SSL 2.0
// alone: two-byte record header with the high bit set, five SSL 2.0 cipher kinds, no session id, a 16-byte
// challenge.
Bytes ssl2_client_hello()
{
    const std::uint32_t cipher_kinds[] = {
        0x010080,  // SSL_CK_RC4_128_WITH_MD5
        0x0700c0,  // SSL_CK_DES_192_EDE3_CBC_WITH_MD5
        0x030080,  // SSL_CK_RC2_128_CBC_WITH_MD5
        0x060040,  // SSL_CK_DES_64_CBC_WITH_MD5
        0x040080,  // SSL_CK_RC2_128_CBC_EXPORT40_WITH_MD5
    };
    constexpr std::uint16_t challenge_length = 16;
    ByteWriter body;
    body.u8(1);  // CLIENT-HELLO
    body.u16(0x0002);
    body.u16(static_cast<std::uint16_t>(3 * std::size(cipher_kinds)));
    body.u16(0);
    body.u16(challenge_length);
    for (const std::uint32_t kind : cipher_kinds) {
        body.u24(kind);
    }
    body.append(DeterministicBytes(0x73736c7632636831).next(challenge_length));
    ByteWriter record;
    record.u16(static_cast<std::uint16_t>(0x8000 | body.size()));
    record.append(body.bytes());
    return record.take();
}

// An SSL 3.0 ClientHello (RFC 6101): record and client version 0x0300, RSA key exchange suites and the
// renegotiation SCSV, null compression, no extensions (so no SNI).
Bytes ssl3_client_hello()
{
    const std::uint16_t cipher_suites[] = {
        0x0035,  // TLS_RSA_WITH_AES_256_CBC_SHA
        0x002f,  // TLS_RSA_WITH_AES_128_CBC_SHA
        0x000a,  // TLS_RSA_WITH_3DES_EDE_CBC_SHA
        0x0005,  // TLS_RSA_WITH_RC4_128_SHA
        0x00ff,  // TLS_EMPTY_RENEGOTIATION_INFO_SCSV
    };
    ByteWriter hello;
    hello.u16(0x0300);
    hello.u32(static_cast<std::uint32_t>(capture_start.seconds));  // gmt_unix_time
    hello.append(DeterministicBytes(0x73736c7633636831).next(28));
    hello.u8(0);  // no session id
    hello.u16(static_cast<std::uint16_t>(2 * std::size(cipher_suites)));
    for (const std::uint16_t suite : cipher_suites) {
        hello.u16(suite);
    }
    hello.u8(1);
    hello.u8(0);  // null compression
    ByteWriter handshake;
    handshake.u8(1);  // client_hello
    handshake.u24(static_cast<std::uint32_t>(hello.size()));
    handshake.append(hello.bytes());
    ByteWriter record;
    record.u8(22);  // handshake
    record.u16(0x0300);
    record.u16(static_cast<std::uint16_t>(handshake.size()));
    record.append(handshake.bytes());
    return record.take();
}

// What an OpenSSL server with `context` writes when it reads `client_hello`, which it must refuse.
Bytes openssl_server_refusal(SSL_CTX* context, std::span<const std::uint8_t> client_hello)
{
    const SslPtr ssl(require_openssl(SSL_new(context), "SSL_new"));
    BIO* const incoming = require_openssl(BIO_new(BIO_s_mem()), "BIO_new");
    BIO* const outgoing = require_openssl(BIO_new(BIO_s_mem()), "BIO_new");
    SSL_set_bio(ssl.get(), incoming, outgoing);
    SSL_set_accept_state(ssl.get());
    if (BIO_write(incoming, client_hello.data(), static_cast<int>(client_hello.size())) !=
        static_cast<int>(client_hello.size())) {
        throw OpenSslError("BIO_write");
    }
    if (SSL_do_handshake(ssl.get()) == 1) {
        throw std::logic_error("the server accepted a Client Hello it should refuse");
    }
    ERR_clear_error();
    Bytes written(BIO_ctrl_pending(outgoing));
    if (!written.empty() &&
        BIO_read(outgoing, written.data(), static_cast<int>(written.size())) != static_cast<int>(written.size())) {
        throw OpenSslError("BIO_read");
    }
    return written;
}

}  // namespace

void write_tls12_warning_alert_unrecognized_name(const std::filesystem::path& file, const LabPki& pki)
{
    DirectLicensingCapture capture(file);
    FlowRecorder& recorder = capture.recorder();
    const LicensingTlsContexts contexts = licensing_tls_contexts(pki, TlsVersion::tls12);
    SSL_CTX_set_tlsext_servername_callback(contexts.server.get(), unrecognized_name_warning);
    InMemoryTls tls(contexts.device.get(), contexts.server.get(), smartreceiver_host, smartreceiver_host);
    record_stream_bytes(recorder, Side::client, tls.advance(Side::client), gap::local_reaction);

    // The alert leaves in a segment of its own, written as soon as the server read the SNI; the Server Hello
    // flight follows once the server has signed its key exchange.
    const Bytes flight = tls.advance(Side::server);
    const auto records = split_tls_records(flight);
    const std::span<const std::uint8_t> alert = records.front();
    if (alert.size() != 7 || alert[0] != tls_content_type_alert ||
        alert[5] != wire_value(trustcap::TlsAlertLevel::warning) ||
        alert[6] != wire_value(trustcap::TlsAlertDescription::unrecognized_name)) {
        throw std::logic_error("the server did not begin with a warning unrecognized_name alert");
    }
    record_stream_bytes(recorder, Side::server, alert, tls_gap::server_answer);
    if (record_stream_bytes(recorder, Side::server, std::span<const std::uint8_t>(flight).subspan(alert.size()),
                            gap::back_to_back) > 1) {
        recorder.record(capture.conversation().ack(Side::client), gap::local_reaction);
    }
    record_tls_handshake(recorder, tls, tls_gap::device_crypto, Side::client);
    if (!tls.handshake_complete(Side::client) || !tls.handshake_complete(Side::server)) {
        throw std::logic_error("the handshake did not survive the warning alert: " +
                               tls.failure(Side::client).value_or("") + tls.failure(Side::server).value_or(""));
    }
    record_smart_transport_exchange(recorder, tls);
    record_orderly_close(recorder, tls);
}

void write_sslv2_client_hello_unanswered(const std::filesystem::path& file, const LabPki&)
{
    // The server ACKs the SSL 2.0 CLIENT-HELLO and never answers it; 20 s later the device gives up and closes,
    // and the server closes too.
    DirectLicensingCapture capture(file);
    FlowRecorder& recorder = capture.recorder();
    TcpConversation& conversation = capture.conversation();
    record_stream_bytes(recorder, Side::client, ssl2_client_hello(), gap::local_reaction);
    recorder.record(conversation.ack(Side::server), gap::round_trip + server_delayed_ack);
    recorder.record(conversation.fin(Side::client), device_gives_up_after - gap::round_trip - server_delayed_ack);
    recorder.record(conversation.fin(Side::server), gap::round_trip);
    recorder.record(conversation.ack(Side::client), gap::local_reaction);
}

void write_sslv3_client_hello_refused(const std::filesystem::path& file, const LabPki& pki)
{
    // A TLS 1.2-only OpenSSL server reads an SSL 3.0 ClientHello and refuses it ("version too low") with a fatal
    // alert in a record of the client's version, 0x0300; SSL 3.0 has no protocol_version alert (RFC 6101), so
    // OpenSSL sends handshake_failure instead. Then it closes.
    DirectLicensingCapture capture(file);
    FlowRecorder& recorder = capture.recorder();
    TcpConversation& conversation = capture.conversation();
    const Bytes hello = ssl3_client_hello();
    record_stream_bytes(recorder, Side::client, hello, gap::local_reaction);
    const SslCtxPtr server = make_server_context({TlsVersion::tls12, &pki.smartreceiver(), pki.root_ca().get()});
    const Bytes refusal = openssl_server_refusal(server.get(), hello);
    const Bytes expected_refusal{tls_content_type_alert, 0x03, 0x00, 0x00, 0x02,
                                 wire_value(trustcap::TlsAlertLevel::fatal),
                                 wire_value(trustcap::TlsAlertDescription::handshake_failure)};
    if (refusal != expected_refusal) {
        throw std::logic_error("OpenSSL no longer refuses SSL 3.0 with a fatal handshake_failure alert");
    }
    record_stream_bytes(recorder, Side::server, refusal, gap::round_trip);
    recorder.record(conversation.fin(Side::server), gap::back_to_back);
    recorder.record(conversation.fin(Side::client), gap::local_reaction);
    recorder.record(conversation.ack(Side::server), gap::round_trip);
}

}  // namespace pcapgen
