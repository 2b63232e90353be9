#include "capture_extracts.h"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <memory>

#include "capture/link_type.h"
#include "capture/packet_decoder.h"
#include "capture/packet_file_writer.h"
#include "capture/pcapng_writer.h"
#include "report/flow_frames.h"
#include "report/frame_comments.h"
#include "report/report_builder.h"

namespace trustcap {
namespace {

struct PcapCloser {
    void operator()(pcap_t* handle) const { pcap_close(handle); }
};
struct DumperCloser {
    void operator()(pcap_dumper_t* dumper) const { pcap_dump_close(dumper); }
};

const FlowReport* find_flow(const Report& report, std::uint64_t id) {
    auto found = std::find_if(report.flows.begin(), report.flows.end(),
                              [id](const FlowReport& flow) { return flow.id == id; });
    return found == report.flows.end() ? nullptr : &*found;
}

FlowFrames annotated_frames(const Report& report, const std::set<std::uint16_t>& checked_ports) {
    FlowFrames frames;
    for (const FlowReport& flow : report.flows)
        if (is_licensing_flow(flow, checked_ports)) frames.add_flow(flow);
    for (const Finding& finding : report.findings) frames.add_frames(finding.frames);
    return frames;
}

// A comment of a frame written out of its place says where it was.
std::string with_original_number(const std::string& comment, std::uint64_t frame, bool renumbered) {
    if (!renumbered || comment.empty()) return comment;
    return comment + " [frame " + std::to_string(frame) + " of the original capture]";
}

}  // namespace

bool ExtractFiles::create(const ExtractOptions& options, std::string& error) {
    if (!options.annotated_path.empty() && !(annotated_ = ReplacingFile::create(options.annotated_path, error)))
        return false;
    return options.exported_path.empty() || (exported_ = ReplacingFile::create(options.exported_path, error));
}

std::optional<std::string> extract_problem(const ExtractOptions& options, const Report& report) {
    if (!options.exported_flow || find_flow(report, *options.exported_flow) != nullptr) return std::nullopt;
    std::string listed;
    for (const FlowReport& flow : report.flows) listed += (listed.empty() ? "" : ", ") + std::to_string(flow.id);
    return "--export-flow " + std::to_string(*options.exported_flow) + ": the report lists no such flow" +
           (listed.empty() ? std::string(" (it lists none)") : " (it lists " + listed + ")");
}

bool write_extracts(CaptureFile& capture, const Report& report, const ExtractOptions& options, ExtractFiles& files,
                    const std::set<std::uint16_t>& checked_ports, const std::string& application,
                    const std::function<bool()>& stop_requested, std::string& error) {
    // The first reading's: a pcapng or compressed file tells its resolution only with its first frame.
    const bool nanoseconds = report.capture.precision_digits == 9;
    // A pcapng file's first interface is known once it is open; a pcap file's is its only one.
    const CaptureInterface first = capture.interfaces().empty() ? CaptureInterface{DLT_EN10MB, 262144}
                                                                : capture.interfaces().front();

    std::unique_ptr<PcapngWriter> annotated;
    std::optional<FlowFrames> annotated_selection;
    std::map<std::uint64_t, std::string> comments;
    if (files.annotated_) {
        // Frames of the file's other interfaces add their own interface descriptions as they come.
        annotated = PcapngWriter::open(OwnedFile(files.annotated_->release_stream()), options.annotated_path,
                                       first.link_type, first.snaplen, nanoseconds, application, error);
        if (!annotated) return false;
        if (options.only_licensing) annotated_selection = annotated_frames(report, checked_ports);
        comments = frame_comments(report);
    }

    // The exported flow is a pcap file: of one link type, that of the flow's first frame.
    std::unique_ptr<pcap_t, PcapCloser> exported_handle;
    std::unique_ptr<pcap_dumper_t, DumperCloser> exported;
    OwnedFile exported_stream;
    std::uint64_t exported_first_frame = 0;
    FlowFrames exported_selection;
    if (files.exported_) {
        exported_selection.add_flow(*find_flow(report, *options.exported_flow));
        exported_stream.reset(files.exported_->release_stream());
    }
    auto start_export = [&](int link_type, std::uint32_t snaplen) {
        exported_handle.reset(pcap_open_dead_with_tstamp_precision(
            link_type, static_cast<int>(snaplen == 0 ? 262144 : snaplen),
            nanoseconds ? PCAP_TSTAMP_PRECISION_NANO : PCAP_TSTAMP_PRECISION_MICRO));
        if (exported_handle) exported.reset(pcap_dump_fopen(exported_handle.get(), exported_stream.get()));
        if (exported) exported_stream.release();
        if (!exported) {
            error = options.exported_path + ": cannot start a pcap file of link type " + link_type_name(link_type);
            return false;
        }
        return true;
    };

    // As far as the first reading went: what the report judged, no more.
    PacketDecoder decoder;
    RawFrame frame;
    CaptureFile::ReadStatus status = CaptureFile::ReadStatus::end;
    while (!stop_requested() && (status = capture.next(frame)) == CaptureFile::ReadStatus::frame &&
           frame.number <= report.capture.frames) {
        const DecodeResult decoded = decoder.decode(frame);
        if (annotated && (!annotated_selection || annotated_selection->selects(frame.number, decoded))) {
            auto comment = comments.find(frame.number);
            const std::string text = comment == comments.end() ? std::string() : comment->second;
            if (!annotated->write(frame, with_original_number(text, frame.number, annotated_selection.has_value()))) {
                error = annotated->error();
                return false;
            }
        }
        if (files.exported_ && exported_selection.selects(frame.number, decoded)) {
            if (!exported) {
                if (!start_export(frame.link_type, frame.snaplen)) return false;
                exported_first_frame = frame.number;
            }
            if (pcap_datalink(exported_handle.get()) != frame.link_type) {
                error = options.exported_path + ": flow " + std::to_string(*options.exported_flow) +
                        " was captured on interfaces of different link types (" +
                        link_type_name(pcap_datalink(exported_handle.get())) + " from frame " +
                        std::to_string(exported_first_frame) + ", " + link_type_name(frame.link_type) +
                        " from frame " + std::to_string(frame.number) +
                        "), which a pcap file cannot hold; --annotate keeps them all";
                return false;
            }
            dump_frame(exported.get(), frame, nanoseconds);
        }
    }
    if (files.exported_ && !exported && !start_export(first.link_type, first.snaplen)) return false;
    if (stop_requested()) {
        error = "stopped before the end";
        return false;
    }
    if (status != CaptureFile::ReadStatus::frame && capture.frames_read() < report.capture.frames) {
        error = "the capture could not be read again as far as the first time" +
                (status == CaptureFile::ReadStatus::damaged ? ": " + capture.damage_description() : std::string());
        return false;
    }
    if (annotated && !annotated->close(error)) return false;
    if (exported && (pcap_dump_flush(exported.get()) != 0 || std::ferror(pcap_dump_file(exported.get())) != 0)) {
        error = options.exported_path + ": " + std::strerror(errno);
        return false;
    }
    exported.reset();
    if (files.annotated_ && !files.annotated_->put_in_place(error)) return false;
    if (files.exported_ && !files.exported_->put_in_place(error)) {
        if (files.annotated_) error += " (" + options.annotated_path + " was written)";
        return false;
    }
    return true;
}

}  // namespace trustcap
