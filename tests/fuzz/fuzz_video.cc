// libFuzzer target: the STREAMING plugin's parsers (Content-Type of a response head, where its
// body starts, container signatures and FLV/MP4/AVI metadata) over arbitrary server segments.
// Byte 0 picks a body offset when the segment is no response head.
#include <cstddef>
#include <cstdint>

#include "classify/protocols/video/video_parser.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    using namespace tstat::classify::video;
    if (size < 1) return 0;
    const Segment seg{data + 1, static_cast<int32_t>(size - 1)};
    (void)format_from_content_type(seg);
    int32_t offset = body_offset(seg);
    if (offset > seg.length) __builtin_trap();
    if (offset < 0) offset = data[0] < seg.length ? data[0] : 0;
    Metadata meta;
    (void)format_from_payload(seg, offset, meta);
    return 0;
}
