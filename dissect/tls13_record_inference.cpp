#include "dissect/tls13_record_inference.h"

#include "dissect/tls_handshake_parser.h"  // handshake_header_size

// How TLS 1.3 records are classified. After a Server Hello selecting 0x0304
// every record of content type 23 is encrypted; trustcap names it by position
// and size and sets TlsMessage::inferred. "Client" is the side that sent the
// Client Hello, "server" the side that sent the Server Hello; "before" is the
// order in which records complete in the calls the dissector receives (the
// capture's order). One TlsMessage per record throughout.
//   1. A record whose payload is exactly 2 + 1 + tag bytes (19 with a 16-byte
//      AEAD tag, 11 with TLS_AES_128_CCM_8_SHA256) is an encrypted alert.
//   2. Server records before the client's first encrypted record are
//      tls13_server_handshake_flight (EncryptedExtensions .. Finished).
//   3. The client's first encrypted record opens its handshake flight. The
//      flight is up to three records sent back to back (no server record in
//      between): [Certificate], [CertificateVerify], Finished. It ends with the
//      first record the size of a lone Finished: 4-byte handshake header +
//      verify_data (48 bytes for TLS_AES_256_GCM_SHA384, else 32) + 1 type
//      byte + tag, i.e. 53 or 69 bytes with a 16-byte tag. When the flight ends
//      without such a record (a server record arrives, or a fourth record
//      comes), only its first record stays in the flight (a stack that put
//      Certificate, CertificateVerify and Finished in one record) and the
//      others become application data, retroactively.
//   4. After the client's flight, server records are tls13_post_handshake
//      (NewSessionTicket) while the server has sent no application data, at
//      most 4 of them, and each either comes before the client's first
//      application-data record (the server has nothing to answer yet), or
//      - the first one: is at most 1024 bytes (NewSessionTicket records are
//        typically 100–300 bytes; OpenSSL's embed the client certificate,
//        ~600 bytes with an EC one, and licensing responses are larger);
//      - a later one: has the size of the previous one (a server's tickets
//        share one format, so the same size).
//      This is a guess: a response under 1 KiB sent with no ticket before it
//      is mislabelled tls13_post_handshake.
//   5. Everything else is application_data (and counts as application data).
// Wireshark shows all of these as "Application Data".

namespace trustcap {

namespace {

constexpr std::size_t max_client_flight_records = 3;
constexpr std::size_t max_post_handshake_records = 4;
constexpr std::uint32_t max_ticket_record_length = 1024;
// Tickets that carry the client's certificate chain; full-size data records are larger.
constexpr std::uint32_t max_ticket_with_certificate_length = 6144;

constexpr std::uint16_t tls_aes_256_gcm_sha384 = 0x1302;
constexpr std::uint16_t tls_aes_128_ccm_8_sha256 = 0x1305;

std::uint32_t aead_tag_length(std::uint16_t cipher_suite) { return cipher_suite == tls_aes_128_ccm_8_sha256 ? 8 : 16; }

std::uint32_t finished_record_length(std::uint16_t cipher_suite) {
    const std::uint32_t verify_data = cipher_suite == tls_aes_256_gcm_sha384 ? 48 : 32;
    return static_cast<std::uint32_t>(handshake_header_size) + verify_data + 1 + aead_tag_length(cipher_suite);
}

std::uint32_t encrypted_alert_length(std::uint16_t cipher_suite) { return 2 + 1 + aead_tag_length(cipher_suite); }

}  // namespace

void Tls13RecordInference::classify(Direction direction, std::uint32_t length, Direction server,
                                    std::uint16_t cipher_suite, Tls13RecordLog& log) {
    const bool from_server = direction == server;
    if (length == encrypted_alert_length(cipher_suite)) {
        if (!from_server && client_flight_ == ClientFlight::in_progress) {
            end_client_flight_without_finished(direction, log);
        }
        log.add_inferred_record(direction, TlsMessageKind::alert);
        return;
    }
    if (from_server) {
        classify_server_record(direction, length, log);
    } else {
        classify_client_record(direction, length, cipher_suite, log);
    }
}

void Tls13RecordInference::classify_client_record(Direction direction, std::uint32_t length,
                                                  std::uint16_t cipher_suite, Tls13RecordLog& log) {
    if (client_flight_ == ClientFlight::in_progress && client_flight_records_.size() >= max_client_flight_records) {
        end_client_flight_without_finished(direction, log);
    }
    if (client_flight_ == ClientFlight::done) {
        log.add_inferred_record(direction, TlsMessageKind::application_data);
        return;
    }
    client_flight_ = ClientFlight::in_progress;
    client_flight_records_.push_back(
        {log.add_inferred_record(direction, TlsMessageKind::tls13_client_handshake_flight), length});
    if (length == finished_record_length(cipher_suite)) client_flight_ = ClientFlight::done;
}

void Tls13RecordInference::classify_server_record(Direction direction, std::uint32_t length, Tls13RecordLog& log) {
    if (client_flight_ == ClientFlight::not_started) {
        log.add_inferred_record(direction, TlsMessageKind::tls13_server_handshake_flight);
        return;
    }
    if (client_flight_ == ClientFlight::in_progress) end_client_flight_without_finished(opposite(direction), log);
    const bool client_sent_data = log.application_records(opposite(direction)) > 0;
    const bool looks_like_ticket = !client_sent_data || (post_handshake_records_ == 0
                                                             ? length <= max_ticket_record_length
                                                             : length == last_post_handshake_length_);
    if (!server_application_data_seen_ && post_handshake_records_ < max_post_handshake_records && looks_like_ticket) {
        ++post_handshake_records_;
        last_post_handshake_length_ = length;
        log.add_inferred_record(direction, TlsMessageKind::tls13_post_handshake);
        return;
    }
    // Servers send their tickets in a row of equal-sized records; tickets
    // carrying the client's certificate exceed the size limit above, so a
    // first large record is application data only until its twin shows up.
    if (first_server_data_ && !server_second_record_seen_) {
        server_second_record_seen_ = true;
        if (length == first_server_data_->length && length <= max_ticket_with_certificate_length &&
            first_server_data_->message_index) {
            log.reclassify_as_post_handshake(direction, *first_server_data_->message_index, first_server_data_->length);
            server_application_data_seen_ = false;
            ++post_handshake_records_;
            last_post_handshake_length_ = length;
            log.add_inferred_record(direction, TlsMessageKind::tls13_post_handshake);
            return;
        }
    }
    if (!server_application_data_seen_ && post_handshake_records_ == 0)
        first_server_data_ = AddedRecord{log.add_inferred_record(direction, TlsMessageKind::application_data), length};
    else
        log.add_inferred_record(direction, TlsMessageKind::application_data);
    server_application_data_seen_ = true;
}

// The flight ended without a record the size of a lone Finished: its first
// record held the whole flight, the records after it were application data.
void Tls13RecordInference::end_client_flight_without_finished(Direction client, Tls13RecordLog& log) {
    client_flight_ = ClientFlight::done;
    for (std::size_t i = 1; i < client_flight_records_.size(); ++i) {
        const AddedRecord& member = client_flight_records_[i];
        log.reclassify_as_application_data(client, member.message_index, member.length);
    }
}

std::size_t Tls13RecordInference::held_bytes() const {
    return client_flight_records_.capacity() * sizeof(AddedRecord);
}

}  // namespace trustcap
