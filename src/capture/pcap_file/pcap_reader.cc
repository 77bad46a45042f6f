#include "capture/pcap_file/pcap_reader.h"

#include "capture/link_type.h"
#include "capture/pcap_file/endian.h"

namespace tstat::capture::pcap_file {

namespace {

constexpr uint32_t kMagicMicro = 0xa1b2c3d4;
constexpr uint32_t kMagicNano = 0xa1b23c4d;
constexpr uint32_t kMagicKuznetzov = 0xa1b2cd34;  // patched libpcap: 24-byte record headers
constexpr size_t kFileHeaderSize = 24;
constexpr uint32_t kLinkTypeMask = 0x03FFFFFF;  // upper bits carry FCS information

// The magic read in host order, or 0 when it is none of ours; `swapped` tells the order.
uint32_t classify_magic(const uint8_t* p, bool& swapped) {
    const uint32_t native = load32(p, false);
    for (uint32_t m : {kMagicMicro, kMagicNano, kMagicKuznetzov}) {
        if (native == m) {
            swapped = false;
            return m;
        }
        if (native == __builtin_bswap32(m)) {
            swapped = true;
            return m;
        }
    }
    return 0;
}

}  // namespace

bool PcapSource::recognises(const uint8_t* p, size_t n) {
    bool swapped = false;
    return n >= 4 && classify_magic(p, swapped) != 0;
}

Result<std::unique_ptr<CaptureSource>> PcapSource::open(TraceInput input) {
    ChunkBuffer& buf = *input.buffer;
    ChunkBuffer::Fill f = buf.refill(kFileHeaderSize);
    if (f == ChunkBuffer::Fill::kError) return make_error(input.name + ": " + buf.input_error());
    if (f == ChunkBuffer::Fill::kInterrupted)
        return make_error(input.name + ": interrupted while waiting for data");
    if (buf.available() < kFileHeaderSize) {
        return make_error(input.name + ": pcap file header cut short (" +
                          std::to_string(buf.available()) + " of 24 bytes)");
    }
    const uint8_t* h = buf.cursor();
    std::unique_ptr<PcapSource> src(new PcapSource(std::move(input)));
    const uint32_t magic = classify_magic(h, src->swapped_);
    const bool sw = src->swapped_;
    src->nanoseconds_ = magic == kMagicNano;
    src->version_major_ = load16(h + 4, sw);
    src->version_minor_ = load16(h + 6, sw);
    const uint32_t snaplen = load32(h + 16, sw);
    src->link_type_ = load32(h + 20, sw) & kLinkTypeMask;

    // libpcap reads 2.x and the DG/UX 543.0; any 2.x minor is accepted as Wireshark does.
    const uint16_t major = src->version_major_;
    const uint16_t minor = src->version_minor_;
    if (major != 2 && !(major == 543 && minor == 0)) {
        return make_error(src->name_ + ": unsupported pcap version " + std::to_string(major) + "." +
                          std::to_string(minor));
    }
    // Before 2.3 (and in DG/UX files) the record header had caplen and len interchanged;
    // some 2.3 writers kept the old order, so 2.3 swaps when caplen > len (as libpcap does).
    if (major == 543 || minor < 3) {
        src->length_order_ = LengthOrder::kSwapped;
    } else if (minor == 3) {
        src->length_order_ = LengthOrder::kMaybeSwapped;
    }

    // libpcap's pcap_adjust_snapshot(): 0 or absurd means "the maximum".
    src->snapshot_ = (snaplen == 0 || snaplen > kMaxCaplen) ? kMaxCaplen : snaplen;
    if (magic == kMagicKuznetzov) {
        src->record_header_size_ = 24;
        // Such captures may be cooked with a fake Ethernet header added (libpcap does this).
        if (src->link_type_ == link::kEthernet) src->snapshot_ += 14;
    }
    src->buf_->advance(kFileHeaderSize);
    if (!src->prepare_filter(src->link_type_, sw, src->filter_program_))
        return make_error(src->error());
    return std::unique_ptr<CaptureSource>(std::move(src));
}

std::string PcapSource::record_where() const {
    return "record " + std::to_string(records_ + 1) + " at offset " +
           std::to_string(buf_->offset());
}

ReadStatus PcapSource::next_batch(PacketBatch& batch) {
    if (state_ != State::kRunning) return finish_batch(batch, 0);
    ChunkBuffer& buf = *buf_;
    const bool sw = swapped_;
    const size_t hsize = record_header_size_;
    size_t n = 0;
    while (n < PacketBatch::kCapacity) {
        const uint8_t* h = buf.peek(hsize);
        if (h == nullptr) {
            // The batch's packets view the buffer: hand them out before it is refilled.
            if (n > 0) break;
            ChunkBuffer::Fill f = buf.refill(hsize);
            if (f == ChunkBuffer::Fill::kData) continue;
            if (f == ChunkBuffer::Fill::kInterrupted) return interrupted(batch);
            if (f == ChunkBuffer::Fill::kError) {
                fail_input(record_where());
                break;
            }
            if (buf.available() == 0) {
                state_ = State::kEnded;
            } else {
                fail(record_where() + ": file ends inside the record header (" +
                     std::to_string(buf.available()) + " of " + std::to_string(hsize) + " bytes)");
            }
            break;
        }
        uint32_t caplen = load32(h + 8, sw);
        uint32_t wire_len = load32(h + 12, sw);
        if (length_order_ == LengthOrder::kSwapped ||
            (length_order_ == LengthOrder::kMaybeSwapped && caplen > wire_len)) {
            std::swap(caplen, wire_len);
        }
        if (caplen > kMaxCaplen) {
            fail(record_where() + ": caplen " + std::to_string(caplen) + " exceeds " +
                 std::to_string(kMaxCaplen));
            break;
        }
        const size_t need = hsize + caplen;
        const uint8_t* rec = buf.peek(need);
        if (rec == nullptr) {
            if (n > 0) break;
            ChunkBuffer::Fill f = buf.refill(need);
            if (f == ChunkBuffer::Fill::kData) continue;
            if (f == ChunkBuffer::Fill::kInterrupted) return interrupted(batch);
            if (f == ChunkBuffer::Fill::kError) {
                fail_input(record_where());
            } else {
                fail(record_where() + ": file ends inside the packet (caplen " +
                     std::to_string(caplen) + ", " + std::to_string(buf.available() - hsize) +
                     " bytes present)");
            }
            break;
        }
        buf.advance(need);
        ++records_;

        RawPacket& p = batch.packets[n];
        const uint32_t sec = load32(h, sw);
        uint32_t usec = load32(h + 4, sw);
        if (nanoseconds_) usec /= 1000;  // truncation, as libpcap scales ns down
        // Tstat's "bogus nanoseconds" adaptation (spec §3.3): once a microsecond field is
        // >= 1e6, it and every later one are taken as nanoseconds.
        if (usec >= 1000000 || bogus_nanoseconds_) [[unlikely]] {
            bogus_nanoseconds_ = true;
            usec /= 1000;
        }
        p.ts.us = int64_t{sec} * 1000000 + usec;
        // libpcap hands out at most the snapshot length and skips the rest of the record.
        p.caplen = caplen <= snapshot_ ? caplen : snapshot_;
        p.wire_len = wire_len;
        p.link_type = link_type_;
        p.data = rec + hsize;
        if (accept(p, filter_program_)) {
            // A wire length below the captured length is a writer bug; raise it so consumers
            // can rely on wire_len >= caplen (after the filter, which sees what libpcap does).
            if (p.wire_len < p.caplen) [[unlikely]]
                p.wire_len = p.caplen;
            ++n;
        }
    }
    return finish_batch(batch, n);
}

std::string PcapSource::format_description() const {
    const bool little = host_is_little_endian() != swapped_;
    std::string d = "pcap ";
    if (version_major_ != 2 || version_minor_ != 4)
        d += std::to_string(version_major_) + "." + std::to_string(version_minor_) + " ";
    d += nanoseconds_ ? "(ns, " : "(µs, ";
    d += little ? "little-endian, " : "big-endian, ";
    d += link_type_name(link_type_) + ")";
    return d;
}

}  // namespace tstat::capture::pcap_file
