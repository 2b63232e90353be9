#include "tls_scenarios.h"

#include "byte_writer.h"
#include "http_messages.h"
#include "lab_network.h"
#include "standard_exchanges.h"
#include "tls_exchanges.h"
#include "tls_scenario_steps.h"

#include <chrono>
#include <string_view>
#include <utility>
#include <vector>

namespace pcapgen {

using namespace std::chrono_literals;

namespace {

// A CSLU on a Windows host in the data centre, one router away, on its default port.
constexpr std::uint16_t cslu_port = 8182;
inline const IpAddress cslu_ipv4 = IpAddress::parse("10.50.0.20");
constexpr auto cslu_answer_time = 41'327'903ns;
constexpr auto device_next_request = 1'204'118'533ns;

HostIpProfile cslu_ip_profile()
{
    HostIpProfile profile;
    profile.ttl = 127;
    profile.first_identification = 0x6c10;
    return profile;
}

// SSM On-Prem's http CSLU URL (license smart url cslu http://10.50.0.30/cslu/v1/pi/<tenant-id>): port 80.
constexpr std::uint16_t ssm_onprem_http_port = 80;
inline const IpAddress ssm_onprem_ipv4 = IpAddress::parse("10.50.0.30");

struct CsluExchange {
    std::string_view path;
    std::string response;
};

CsluExchange exchange(std::string_view path, int status, std::string_view reason)
{
    return {path, cslu_response(status, reason)};
}

struct OnPremServer {
    IpAddress address = cslu_ipv4;
    std::uint16_t port = cslu_port;
    std::string host = "10.50.0.20:8182";  // as the device writes it in Host
};

// The device's connection to the CSLU (configured by address: no DNS lookup), one exchange after another on it,
// then the device closes.
void write_cslu_connection(const std::filesystem::path& file, const std::vector<CsluExchange>& exchanges,
                           const OnPremServer& server = {})
{
    DirectCaptureSetup setup;
    setup.lookup.reset();
    setup.connection.server_address = server.address;
    setup.connection.server_port = server.port;
    setup.server_ip_profile = cslu_ip_profile();
    DirectLicensingCapture capture(file, setup);
    FlowRecorder& recorder = capture.recorder();
    TcpConversation& conversation = capture.conversation();
    bool first = true;
    for (const CsluExchange& exchange : exchanges) {
        record_stream_bytes(recorder, Side::client, text_bytes(cslu_request(exchange.path, server.host)),
                            first ? gap::local_reaction : device_next_request);
        record_stream_bytes(recorder, Side::server, text_bytes(exchange.response), cslu_answer_time);
        recorder.record(conversation.ack(Side::client), gap::local_reaction);
        first = false;
    }
    recorder.record(conversation.fin(Side::client), gap::local_reaction);
    recorder.record(conversation.fin(Side::server), gap::round_trip);
    recorder.record(conversation.ack(Side::client), gap::round_trip);
}

}  // namespace

void write_cslu_http_wrong_path(const std::filesystem::path& file, const LabPki&)
{
    // license smart url cslu http://10.50.0.20:8182/cslu/v1/p1: a typo in the path.
    write_cslu_connection(file, {exchange("/cslu/v1/p1", 404, "Not Found")});
}

void write_cslu_http_second_exchange_fails(const std::filesystem::path& file, const LabPki&)
{
    write_cslu_connection(file, {exchange("/cslu/v1/pi", 200, "OK"), exchange("/cslu/v1/pi", 500, "Internal Server Error")});
}

void write_cslu_http_healthy(const std::filesystem::path& file, const LabPki&)
{
    write_cslu_connection(file, {exchange("/cslu/v1/pi", 200, "OK"), exchange("/cslu/v1/pi", 200, "OK")});
}

void write_ssm_onprem_http_chunked_then_error(const std::filesystem::path& file, const LabPki&)
{
    // SSM On-Prem behind nginx on port 80: a chunked acknowledgement, then a server error on the next report.
    constexpr std::string_view tenant_path = "/cslu/v1/pi/OP-4f2a91";
    constexpr std::size_t chunk_size = 64;
    write_cslu_connection(file,
                          {{tenant_path, chunked_acknowledgement(chunk_size)},
                           exchange(tenant_path, 500, "Internal Server Error")},
                          {ssm_onprem_ipv4, ssm_onprem_http_port, "10.50.0.30"});
}

}  // namespace pcapgen
