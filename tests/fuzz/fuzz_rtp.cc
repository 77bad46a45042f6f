// libFuzzer target: the RTP+ engine over a sequence of datagrams of one flow, then its
// log_mm_complete rows. Input: records of [direction/flags byte][length byte][datagram from the
// RTP header]; the flags byte's bit 0 is the direction, bit 1 a privileged server port.
#include <cstddef>
#include <cstdint>
#include <span>

#include "classify/event_sink.h"
#include "classify/protocols/rtp/rtp_classifier.h"
#include "classify/protocols/rtp/rtp_parser.h"
#include "output/logs/mm_log.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    using namespace tstat;
    using namespace tstat::classify;
    static rtp::RtpClassifier engine;
    static output::MmLog log(nullptr);

    flow::udp::UdpFlow f;
    f.key.a_port = 30000;
    f.key.b_port = 40000;
    uint32_t handle = flow::kNil;
    int64_t now = 1'600'000'000'000'000;
    size_t i = 0;
    while (i + 2 <= size) {
        const uint8_t flags = data[i];
        size_t len = data[i + 1];
        i += 2;
        if (len > size - i) len = size - i;
        const std::span<const uint8_t> bytes(data + i, len);
        i += len;
        if (flags & 2) f.key.b_port = 1000;
        const flow::Dir dir = (flags & 1) ? flow::Dir::kS2C : flow::Dir::kC2S;
        flow::udp::UdpDirection& d = f.dir(dir);
        ++d.packets;
        d.ttl_min = d.ttl_max = 64;
        now += 1000 * (flags >> 2);
        // Pure parser paths.
        const rtp::Bytes b{bytes};
        const rtp::Header h = rtp::read_header(b);
        (void)rtp::classify(b);
        (void)rtp::extension_size(b, h);
        (void)rtp::read_report(b, h.rtcp_type, h.report_count);
        if (len < rtp::kHeaderSize) continue;
        engine.packet(handle, f, dir,
                      rtp::Datagram{bytes, static_cast<uint16_t>(len + 8 + (flags >> 6)),
                                    static_cast<int32_t>(len + 8), Timestamp{now}});
        if (handle != flow::kNil) engine.count_ttl(handle, dir, 64);
    }
    if (handle != flow::kNil) {
        (void)log.write(MmEvent{&f, &engine, handle});
        engine.release(handle);
    }
    return 0;
}
