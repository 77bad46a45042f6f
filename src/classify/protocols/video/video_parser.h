// Video detection of the STREAMING plugin (spec §9.4; tstat/videoL7.c): the format named by an
// HTTP response's Content-Type, the container signature at the start of the body, and the
// metadata (duration, bit rate, frame size) found in FLV onMetaData, MP4 mvhd/tkhd/btrt and
// AVI avih/strh headers. Pure functions over a segment; zero is read past the capture.
#pragma once

#include <cstdint>

namespace tstat::classify::video {

// enum video_content
enum class Format : uint8_t {
    kNone = 0,
    kFlv,
    kMp4,
    kAvi,
    kWmv,
    kMpeg,
    kWebm,
    k3gpp,
    kOgg,
    kQuicktime,
    kAsf,
    kUnknown,
    kHls,
    kNff,
};

// struct video_metadata: kept across the segments of a flow (each parse updates what it finds).
struct Metadata {
    double duration = 0;
    double framerate = 0;
    double starttime = 0;
    double totalduration = 0;
    double videodatarate = 0;
    double audiodatarate = 0;
    double totaldatarate = 0;
    int32_t width = 0;    // u_int32_t in Tstat, printed with %d
    int32_t height = 0;
    uint32_t total_frames = 0;
    uint32_t bytelength = 0;
};

struct Segment {
    const uint8_t* data = nullptr;
    int32_t length = 0;   // Tstat's data_length
    uint8_t at(int64_t i) const { return i >= 0 && i < length ? data[i] : 0; }
};

// classify_video_by_ctype(): a response whose 5th byte is '/' ("HTTP/") with a Content-Type.
Format format_from_content_type(Segment seg);

// extract_payload_contentType(): where the body starts in a server segment: 0 if the segment
// is not a response head, the offset after the blank line, or -1 (head alone or incomplete).
int32_t body_offset(Segment seg);

// classify_video_by_payload() from `offset`; updates `meta` from the container's header.
Format format_from_payload(Segment seg, int32_t offset, Metadata& meta);

}  // namespace tstat::classify::video
