#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

#include "capture/stream_consumer.h"
#include "dissect/tls_message.h"

namespace trustcap {

// The messages and application-data counts of one connection, as the TLS 1.3
// inference adds records to them and corrects what it added.
class Tls13RecordLog {
public:
    // Adds the record that just completed in `direction` as `kind`, inferred:
    // an alert is an encrypted one, application data is counted. Its index in
    // the messages; none when the message limit kept it out.
    virtual std::optional<std::size_t> add_inferred_record(Direction direction, TlsMessageKind kind) = 0;
    // A record added to the client's handshake flight was application data:
    // counted as such, and renamed if it was kept.
    virtual void reclassify_as_application_data(Direction direction, std::optional<std::size_t> message,
                                                std::uint32_t length) = 0;
    // A record added as application data was a post-handshake message: no longer counted.
    virtual void reclassify_as_post_handshake(Direction direction, std::size_t message, std::uint32_t length) = 0;
    [[nodiscard]] virtual std::uint64_t application_records(Direction direction) const = 0;

protected:
    ~Tls13RecordLog() = default;
};

// Names the encrypted records (content type 23) of a connection whose Server
// Hello selected TLS 1.3, by their position and size; the rules are at the top
// of tls13_record_inference.cpp.
class Tls13RecordInference {
public:
    // A record of `length` bytes from `direction`, after `server` sent the
    // Server Hello selecting `cipher_suite`.
    void classify(Direction direction, std::uint32_t length, Direction server, std::uint16_t cipher_suite,
                  Tls13RecordLog& log);

    [[nodiscard]] std::size_t held_bytes() const;

private:
    enum class ClientFlight : std::uint8_t { not_started, in_progress, done };

    // A record already added, which a later record may show to be something else.
    struct AddedRecord {
        std::optional<std::size_t> message_index;
        std::uint32_t length = 0;
    };

    void classify_client_record(Direction direction, std::uint32_t length, std::uint16_t cipher_suite,
                                Tls13RecordLog& log);
    void classify_server_record(Direction direction, std::uint32_t length, Tls13RecordLog& log);
    void end_client_flight_without_finished(Direction client, Tls13RecordLog& log);

    ClientFlight client_flight_ = ClientFlight::not_started;
    std::vector<AddedRecord> client_flight_records_;
    std::optional<AddedRecord> first_server_data_;  // the server's first record taken as data
    bool server_second_record_seen_ = false;
    bool server_application_data_seen_ = false;
    std::uint32_t last_post_handshake_length_ = 0;
    std::size_t post_handshake_records_ = 0;
};

}  // namespace trustcap
