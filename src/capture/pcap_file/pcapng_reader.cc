#include "capture/pcap_file/pcapng_reader.h"

#include <algorithm>
#include <cstdio>
#include <limits>

#include "capture/link_type.h"
#include "capture/pcap_file/endian.h"

namespace tstat::capture::pcap_file {

namespace {

constexpr uint32_t kSectionHeader = 0x0A0D0D0A;  // a palindrome: same in both byte orders
constexpr uint32_t kInterfaceDescription = 1;
constexpr uint32_t kObsoletePacket = 2;
constexpr uint32_t kSimplePacket = 3;
constexpr uint32_t kEnhancedPacket = 6;
constexpr uint32_t kByteOrderMagic = 0x1A2B3C4D;

constexpr uint16_t kOptEnd = 0;
constexpr uint16_t kOptTsResol = 9;
constexpr uint16_t kOptTsOffset = 14;

// Blocks are parsed in place, so one must fit in memory: libpcap's limit.
constexpr uint32_t kMaxBlockLength = 16u << 20;
// More interfaces than this in one section is corruption, not a capture.
constexpr size_t kMaxInterfaces = 65536;

// __extension__ keeps -Wpedantic quiet about the GCC/Clang 128-bit types.
__extension__ typedef __int128 Int128;            // NOLINT(modernize-use-using)
__extension__ typedef unsigned __int128 UInt128;  // NOLINT(modernize-use-using)

}  // namespace

bool PcapngSource::recognises(const uint8_t* p, size_t n) {
    return n >= 4 && load32(p, false) == kSectionHeader;
}

Result<std::unique_ptr<CaptureSource>> PcapngSource::open(TraceInput input) {
    std::unique_ptr<PcapngSource> src(new PcapngSource(std::move(input)));
    // Read up to the first interface (as libpcap does) so that a bad section header, a
    // filter that does not compile for the link type, or a file without interfaces is
    // reported at open time.
    RawPacket scratch;
    size_t program = 0;
    while (src->interfaces_.empty()) {
        Step s = src->read_block(scratch, program, true);
        if (s == Step::kInterrupted)
            return make_error(src->name_ + ": interrupted while waiting for data");
        if (s == Step::kStop) {
            if (src->state_ == State::kFailed) return make_error(src->error());
            return make_error(src->name_ +
                              ": pcapng file without an Interface Description "
                              "Block");
        }
    }
    return std::unique_ptr<CaptureSource>(std::move(src));
}

std::string PcapngSource::block_where() const {
    return "block " + std::to_string(blocks_ + 1) + " at offset " + std::to_string(buf_->offset());
}

const uint8_t* PcapngSource::require(size_t n, bool may_refill, bool header, Step& step) {
    ChunkBuffer& buf = *buf_;
    if (const uint8_t* p = buf.peek(n)) return p;
    if (!may_refill) {
        step = Step::kWait;
        return nullptr;
    }
    switch (buf.refill(n)) {
        case ChunkBuffer::Fill::kData:
            return buf.cursor();
        case ChunkBuffer::Fill::kInterrupted:
            step = Step::kInterrupted;
            return nullptr;
        case ChunkBuffer::Fill::kError:
            fail_input(block_where());
            break;
        case ChunkBuffer::Fill::kEnd:
            if (buf.available() == 0) {
                state_ = State::kEnded;
            } else if (header) {
                fail(block_where() + ": file ends inside the block header (" +
                     std::to_string(buf.available()) + " of " + std::to_string(n) + " bytes)");
            } else {
                fail(block_where() + ": file ends inside the block (block length " +
                     std::to_string(n) + ", " + std::to_string(buf.available()) +
                     " bytes present)");
            }
            break;
    }
    step = Step::kStop;
    return nullptr;
}

PcapngSource::Step PcapngSource::read_block(RawPacket& p, size_t& program, bool may_refill) {
    Step step = Step::kStop;
    const uint8_t* h = require(8, may_refill, true, step);
    if (h == nullptr) return step;
    bool sw = swapped_;
    if (load32(h, false) == kSectionHeader) {
        // A new section may change the byte order: its byte-order magic decides.
        h = require(12, may_refill, true, step);
        if (h == nullptr) return step;
        const uint32_t bom = load32(h + 8, false);
        if (bom == kByteOrderMagic) {
            sw = false;
        } else if (bom == __builtin_bswap32(kByteOrderMagic)) {
            sw = true;
        } else {
            char hex[16];
            std::snprintf(hex, sizeof(hex), "%08x", bom);
            fail(block_where() + ": section header with a bad byte-order magic 0x" + hex);
            return Step::kStop;
        }
    }
    const uint32_t type = load32(h, sw);
    const uint32_t len = load32(h + 4, sw);
    if (len < 12 || len % 4 != 0) {
        fail(block_where() + ": invalid block length " + std::to_string(len));
        return Step::kStop;
    }
    if (len > kMaxBlockLength) {
        fail(block_where() + ": block length " + std::to_string(len) + " exceeds " +
             std::to_string(kMaxBlockLength));
        return Step::kStop;
    }
    const uint8_t* b = require(len, may_refill, false, step);
    if (b == nullptr) return step;
    const uint32_t trailer = load32(b + len - 4, sw);
    if (trailer != len) {
        fail(block_where() + ": block length " + std::to_string(len) + " in the header but " +
             std::to_string(trailer) + " in the trailer");
        return Step::kStop;
    }
    bool ok = true;
    step = Step::kOther;
    switch (type) {
        case kSectionHeader:
            ok = parse_section_header(b, len, sw);
            break;
        case kInterfaceDescription:
            ok = parse_interface(b, len);
            break;
        case kEnhancedPacket:
        case kObsoletePacket:
        case kSimplePacket:
            ok = parse_packet(b, type, len, p, program);
            step = Step::kPacket;
            break;
        default:
            break;  // statistics, name resolution, secrets, custom...: not needed
    }
    if (!ok) return Step::kStop;
    buf_->advance(len);
    ++blocks_;
    return step;
}

bool PcapngSource::check_options(const uint8_t* p, const uint8_t* end, const char* block_name) {
    while (end - p >= 4) {
        const uint16_t code = load16(p, swapped_);
        const uint16_t length = load16(p + 2, swapped_);
        const size_t padded = (size_t{length} + 3) & ~size_t{3};
        if (padded > static_cast<size_t>(end - p - 4)) {
            fail(block_where() + ": " + block_name + " option " + std::to_string(code) +
                 " of length " + std::to_string(length) + " overruns the block");
            return false;
        }
        if (code == kOptEnd) break;
        p += 4 + padded;
    }
    return true;
}

bool PcapngSource::parse_section_header(const uint8_t* b, uint32_t len, bool swapped) {
    if (len < 28) {
        fail(block_where() + ": section header block too short (" + std::to_string(len) +
             " bytes)");
        return false;
    }
    const uint16_t major = load16(b + 12, swapped);
    const uint16_t minor = load16(b + 14, swapped);
    // 1.0 and 1.2 are the versions in use (libpcap reads exactly these).
    if (major != 1 || (minor != 0 && minor != 2)) {
        fail(block_where() + ": unsupported pcapng version " + std::to_string(major) + "." +
             std::to_string(minor));
        return false;
    }
    const bool previous = swapped_;
    swapped_ = swapped;
    if (!check_options(b + 24, b + len - 4, "section header")) {
        swapped_ = previous;
        return false;
    }
    if (sections_ == 0) {
        first_section_little_ = host_is_little_endian() != swapped;
        version_minor_ = minor;
    }
    ++sections_;
    interfaces_.clear();  // interface ids restart in every section
    return true;
}

bool PcapngSource::parse_interface(const uint8_t* b, uint32_t len) {
    if (len < 20) {
        fail(block_where() + ": interface description block too short (" + std::to_string(len) +
             " bytes)");
        return false;
    }
    if (interfaces_.size() >= kMaxInterfaces) {
        fail(block_where() + ": more than " + std::to_string(kMaxInterfaces) +
             " interfaces in one section");
        return false;
    }
    Interface ifc;
    ifc.link_type = load16(b + 8, swapped_);
    const uint32_t snaplen = load32(b + 12, swapped_);
    ifc.snaplen = (snaplen == 0 || snaplen > kMaxCaplen) ? kMaxCaplen : snaplen;

    const uint8_t* p = b + 16;
    const uint8_t* end = b + len - 4;
    if (!check_options(p, end, "interface")) return false;
    while (end - p >= 4) {
        const uint16_t code = load16(p, swapped_);
        const uint16_t length = load16(p + 2, swapped_);
        const uint8_t* value = p + 4;
        if (code == kOptEnd) break;
        if (code == kOptTsResol) {
            if (length != 1) {
                fail(block_where() + ": if_tsresol of length " + std::to_string(length) +
                     " (must be 1)");
                return false;
            }
            const uint8_t v = value[0];
            if ((v & 0x80) != 0) {
                const uint8_t shift = v & 0x7f;
                if (shift > 63) {
                    fail(block_where() + ": if_tsresol 2^-" + std::to_string(shift) +
                         " is too fine");
                    return false;
                }
                ifc.scale = TsScale::kBinary;
                ifc.shift = shift;
                ifc.units_per_sec = uint64_t{1} << shift;
            } else {
                if (v > 19) {
                    fail(block_where() + ": if_tsresol 10^-" + std::to_string(v) + " is too fine");
                    return false;
                }
                uint64_t units = 1;
                for (uint8_t i = 0; i < v; ++i) units *= 10;
                ifc.units_per_sec = units;
                if (units == 1000000) {
                    ifc.scale = TsScale::kMicro;
                } else if (units > 1000000) {
                    ifc.scale = TsScale::kDivide;
                    ifc.factor = units / 1000000;
                } else {
                    ifc.scale = TsScale::kMultiply;
                    ifc.factor = 1000000 / units;
                }
            }
        } else if (code == kOptTsOffset) {
            if (length != 8) {
                fail(block_where() + ": if_tsoffset of length " + std::to_string(length) +
                     " (must be 8)");
                return false;
            }
            ifc.offset_sec = static_cast<int64_t>(load64(value, swapped_));
        }
        p += 4 + ((size_t{length} + 3) & ~size_t{3});
    }
    if (!prepare_filter(ifc.link_type, swapped_, ifc.filter_program, block_where())) return false;
    interfaces_.push_back(ifc);
    ++interfaces_total_;
    if (std::find(link_types_seen_.begin(), link_types_seen_.end(), ifc.link_type) ==
        link_types_seen_.end()) {
        link_types_seen_.push_back(ifc.link_type);
    }
    return true;
}

int64_t PcapngSource::to_micros(const Interface& ifc, uint64_t t) const {
    Int128 us = 0;
    switch (ifc.scale) {
        case TsScale::kMicro:
            us = static_cast<Int128>(t);
            break;
        case TsScale::kDivide:  // truncation, as libpcap scales finer units down
            us = static_cast<Int128>(t / ifc.factor);
            break;
        case TsScale::kMultiply:
            us = static_cast<Int128>(t / ifc.units_per_sec) * 1000000 +
                 static_cast<Int128>((t % ifc.units_per_sec) * ifc.factor);
            break;
        case TsScale::kBinary: {
            const uint64_t frac = t & (ifc.units_per_sec - 1);
            us = static_cast<Int128>(t >> ifc.shift) * 1000000 +
                 static_cast<Int128>((static_cast<UInt128>(frac) * 1000000) >> ifc.shift);
            break;
        }
    }
    us += static_cast<Int128>(ifc.offset_sec) * 1000000;
    // Absurd times saturate instead of overflowing.
    constexpr int64_t kMax = std::numeric_limits<int64_t>::max();
    constexpr int64_t kMin = std::numeric_limits<int64_t>::min();
    if (us > kMax) return kMax;
    if (us < kMin) return kMin;
    return static_cast<int64_t>(us);
}

bool PcapngSource::parse_packet(const uint8_t* b, uint32_t type, uint32_t len, RawPacket& p,
                                size_t& program) {
    const bool sw = swapped_;
    uint32_t iface = 0;
    uint32_t caplen = 0;
    uint32_t wire_len = 0;
    uint64_t t = 0;
    const uint8_t* data = nullptr;
    if (type == kSimplePacket) {
        if (len < 16) {
            fail(block_where() + ": simple packet block too short (" + std::to_string(len) +
                 " bytes)");
            return false;
        }
        if (interfaces_.empty()) {
            fail(block_where() + ": simple packet block before any interface description");
            return false;
        }
        // No captured length in an SPB: the wire length cut to the snaplen and the block.
        wire_len = load32(b + 8, sw);
        caplen = std::min({wire_len, interfaces_[0].snaplen, len - 16});
        data = b + 12;
    } else {
        if (len < 32) {
            fail(block_where() + ": packet block too short (" + std::to_string(len) + " bytes)");
            return false;
        }
        iface = type == kEnhancedPacket ? load32(b + 8, sw) : load16(b + 8, sw);
        t = uint64_t{load32(b + 12, sw)} << 32 | load32(b + 16, sw);
        caplen = load32(b + 20, sw);
        wire_len = load32(b + 24, sw);
        data = b + 28;
        if (caplen > len - 32) {
            fail(block_where() + ": caplen " + std::to_string(caplen) +
                 " exceeds the block (length " + std::to_string(len) + ")");
            return false;
        }
        if (iface >= interfaces_.size()) {
            fail(block_where() + ": packet on interface " + std::to_string(iface) +
                 ", but the section describes " + std::to_string(interfaces_.size()));
            return false;
        }
    }
    if (caplen > kMaxCaplen) {
        fail(block_where() + ": caplen " + std::to_string(caplen) + " exceeds " +
             std::to_string(kMaxCaplen));
        return false;
    }
    const Interface& ifc = interfaces_[iface];
    ++records_;
    // Simple packet blocks have no timestamp: libpcap reports 0 (then Tstat's start-of-file
    // rule skips them).
    p.ts.us = type == kSimplePacket ? 0 : to_micros(ifc, t);
    p.caplen = caplen;
    p.wire_len = wire_len;  // raised to caplen by next_batch(), after the filter
    p.link_type = ifc.link_type;
    p.data = data;
    program = ifc.filter_program;
    return true;
}

ReadStatus PcapngSource::next_batch(PacketBatch& batch) {
    if (state_ != State::kRunning) return finish_batch(batch, 0);
    size_t n = 0;
    while (n < PacketBatch::kCapacity) {
        // Only an empty batch may refill: the others' packets view the buffer.
        size_t program = 0;
        Step s = read_block(batch.packets[n], program, n == 0);
        if (s == Step::kPacket) {
            RawPacket& p = batch.packets[n];
            if (accept(p, program)) {
                // wire_len >= caplen for consumers (a writer bug otherwise).
                if (p.wire_len < p.caplen) [[unlikely]]
                    p.wire_len = p.caplen;
                ++n;
            }
        } else if (s == Step::kInterrupted) {
            return interrupted(batch);
        } else if (s != Step::kOther) {
            break;
        }
    }
    return finish_batch(batch, n);
}

std::string PcapngSource::format_description() const {
    std::string d = "pcapng ";
    if (version_minor_ != 0) d += "1." + std::to_string(version_minor_) + " ";
    d += first_section_little_ ? "(little-endian" : "(big-endian";
    if (sections_ > 1) d += ", " + std::to_string(sections_) + " sections";
    d += ", " + std::to_string(interfaces_total_) +
         (interfaces_total_ == 1 ? " interface: " : " interfaces: ");
    for (size_t i = 0; i < link_types_seen_.size(); ++i) {
        if (i > 0) d += ", ";
        d += link_type_name(link_types_seen_[i]);
    }
    return d + ")";
}

}  // namespace tstat::capture::pcap_file
