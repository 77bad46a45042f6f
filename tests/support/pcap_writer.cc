#include "support/pcap_writer.h"

#include <zlib.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <stdexcept>

namespace tstat::testing {

void ByteSink::u16(uint16_t v) {
    if (order_ == ByteOrder::kLittle) {
        u8(static_cast<uint8_t>(v));
        u8(static_cast<uint8_t>(v >> 8));
    } else {
        u8(static_cast<uint8_t>(v >> 8));
        u8(static_cast<uint8_t>(v));
    }
}

void ByteSink::u32(uint32_t v) {
    if (order_ == ByteOrder::kLittle) {
        u16(static_cast<uint16_t>(v));
        u16(static_cast<uint16_t>(v >> 16));
    } else {
        u16(static_cast<uint16_t>(v >> 16));
        u16(static_cast<uint16_t>(v));
    }
}

void ByteSink::u64(uint64_t v) {
    if (order_ == ByteOrder::kLittle) {
        u32(static_cast<uint32_t>(v));
        u32(static_cast<uint32_t>(v >> 32));
    } else {
        u32(static_cast<uint32_t>(v >> 32));
        u32(static_cast<uint32_t>(v));
    }
}

void ByteSink::append(std::span<const uint8_t> data) {
    bytes_.insert(bytes_.end(), data.begin(), data.end());
}

void ByteSink::pad_to_4() {
    while (bytes_.size() % 4 != 0) bytes_.push_back(0);
}

void ByteSink::set_u32(size_t offset, uint32_t v) {
    ByteSink tmp(order_);
    tmp.u32(v);
    for (size_t i = 0; i < 4; ++i) bytes_.at(offset + i) = tmp.bytes()[i];
}

PcapWriter::PcapWriter(const Options& o) : out_(o.order) {
    out_.u32(o.magic != 0 ? o.magic : (o.nanoseconds ? 0xa1b23c4d : 0xa1b2c3d4));
    out_.u16(o.version_major);
    out_.u16(o.version_minor);
    out_.u32(0);  // thiszone
    out_.u32(0);  // sigfigs
    out_.u32(o.snaplen);
    out_.u32(o.link_type);
}

PcapWriter& PcapWriter::packet(uint32_t sec, uint32_t frac, std::span<const uint8_t> data,
                               uint32_t wire_len) {
    const auto caplen = static_cast<uint32_t>(data.size());
    return record(sec, frac, caplen, wire_len != 0 ? wire_len : caplen, data);
}

PcapWriter& PcapWriter::record(uint32_t sec, uint32_t frac, uint32_t caplen, uint32_t wire_len,
                               std::span<const uint8_t> data) {
    offsets_.push_back(out_.size());
    out_.u32(sec);
    out_.u32(frac);
    out_.u32(caplen);
    out_.u32(wire_len);
    out_.append(data);
    return *this;
}

PcapWriter& PcapWriter::raw(std::span<const uint8_t> data) {
    out_.append(data);
    return *this;
}

void PcapngWriter::begin_block(uint32_t type) {
    block_start_ = out_.size();
    offsets_.push_back(block_start_);
    out_.u32(type);
    out_.u32(0);  // patched by end_block()
}

void PcapngWriter::end_block() {
    out_.pad_to_4();
    const auto total = static_cast<uint32_t>(out_.size() - block_start_ + 4);
    out_.u32(total);
    out_.set_u32(block_start_ + 4, total);
}

void PcapngWriter::options(const std::vector<PcapngOption>& opts) {
    if (opts.empty()) return;
    for (const PcapngOption& o : opts) {
        out_.u16(o.code);
        out_.u16(static_cast<uint16_t>(o.value.size()));
        out_.append(o.value);
        out_.pad_to_4();
    }
    out_.u16(0);  // opt_endofopt
    out_.u16(0);
}

PcapngWriter& PcapngWriter::section(std::vector<PcapngOption> opts, uint16_t major,
                                    uint16_t minor) {
    begin_block(0x0A0D0D0A);
    out_.u32(0x1A2B3C4D);
    out_.u16(major);
    out_.u16(minor);
    out_.u64(~uint64_t{0});  // section length unknown
    options(opts);
    end_block();
    interfaces_ = 0;
    return *this;
}

PcapngWriter& PcapngWriter::section_in(ByteOrder order, std::vector<PcapngOption> opts) {
    out_.set_order(order);
    return section(std::move(opts));
}

uint32_t PcapngWriter::interface(uint16_t link_type, uint32_t snaplen,
                                 std::optional<uint8_t> tsresol, std::optional<int64_t> tsoffset,
                                 std::vector<PcapngOption> extra) {
    begin_block(1);
    out_.u16(link_type);
    out_.u16(0);
    out_.u32(snaplen);
    std::vector<PcapngOption> opts;
    if (tsresol) opts.push_back({9, {*tsresol}});
    if (tsoffset) {
        ByteSink v(out_.order());
        v.u64(static_cast<uint64_t>(*tsoffset));
        opts.push_back({14, v.bytes()});
    }
    opts.insert(opts.end(), extra.begin(), extra.end());
    options(opts);
    end_block();
    return interfaces_++;
}

PcapngWriter& PcapngWriter::enhanced(uint32_t iface, uint64_t ts, std::span<const uint8_t> data,
                                     uint32_t wire_len, std::vector<PcapngOption> opts) {
    begin_block(6);
    out_.u32(iface);
    out_.u32(static_cast<uint32_t>(ts >> 32));
    out_.u32(static_cast<uint32_t>(ts));
    out_.u32(static_cast<uint32_t>(data.size()));
    out_.u32(wire_len != 0 ? wire_len : static_cast<uint32_t>(data.size()));
    out_.append(data);
    out_.pad_to_4();
    options(opts);
    end_block();
    return *this;
}

PcapngWriter& PcapngWriter::simple(std::span<const uint8_t> data, uint32_t wire_len) {
    begin_block(3);
    out_.u32(wire_len != 0 ? wire_len : static_cast<uint32_t>(data.size()));
    out_.append(data);
    end_block();
    return *this;
}

PcapngWriter& PcapngWriter::obsolete(uint16_t iface, uint64_t ts, std::span<const uint8_t> data,
                                     uint32_t wire_len) {
    begin_block(2);
    out_.u16(iface);
    out_.u16(0);  // drops count
    out_.u32(static_cast<uint32_t>(ts >> 32));
    out_.u32(static_cast<uint32_t>(ts));
    out_.u32(static_cast<uint32_t>(data.size()));
    out_.u32(wire_len != 0 ? wire_len : static_cast<uint32_t>(data.size()));
    out_.append(data);
    end_block();
    return *this;
}

PcapngWriter& PcapngWriter::block(uint32_t type, std::span<const uint8_t> body) {
    begin_block(type);
    out_.append(body);
    end_block();
    return *this;
}

PcapngWriter& PcapngWriter::raw(std::span<const uint8_t> data) {
    out_.append(data);
    return *this;
}

std::vector<uint8_t> gzip_compress(std::span<const uint8_t> data, int level) {
    z_stream z{};
    if (deflateInit2(&z, level, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY) != Z_OK)
        throw std::runtime_error("deflateInit2 failed");
    std::vector<uint8_t> out(deflateBound(&z, static_cast<uLong>(data.size())) + 64);
    z.next_in = const_cast<Bytef*>(data.data());
    z.avail_in = static_cast<uInt>(data.size());
    z.next_out = out.data();
    z.avail_out = static_cast<uInt>(out.size());
    int rc = deflate(&z, Z_FINISH);
    deflateEnd(&z);
    if (rc != Z_STREAM_END) throw std::runtime_error("deflate failed");
    out.resize(z.total_out);
    return out;
}

std::vector<uint8_t> test_payload(size_t size, uint32_t seed) {
    std::vector<uint8_t> out(size);
    uint32_t x = seed * 2654435761u + 12345u;
    for (size_t i = 0; i < size; ++i) {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        out[i] = static_cast<uint8_t>(x);
    }
    return out;
}

std::vector<uint8_t> udp_frame(uint16_t src_port, uint16_t dst_port, size_t payload) {
    std::vector<uint8_t> f(14 + 20 + 8 + payload, 0);
    // Ethernet: dst, src, type IPv4
    for (int i = 0; i < 6; ++i) {
        f[static_cast<size_t>(i)] = 0x02;
        f[static_cast<size_t>(6 + i)] = 0x04;
    }
    f[12] = 0x08;
    f[13] = 0x00;
    uint8_t* ip = f.data() + 14;
    const auto ip_len = static_cast<uint16_t>(20 + 8 + payload);
    ip[0] = 0x45;
    ip[2] = static_cast<uint8_t>(ip_len >> 8);
    ip[3] = static_cast<uint8_t>(ip_len);
    ip[8] = 64;
    ip[9] = 17;  // UDP
    ip[12] = 10;
    ip[15] = 1;  // 10.0.0.1
    ip[16] = 10;
    ip[19] = 2;  // 10.0.0.2
    uint8_t* udp = ip + 20;
    udp[0] = static_cast<uint8_t>(src_port >> 8);
    udp[1] = static_cast<uint8_t>(src_port);
    udp[2] = static_cast<uint8_t>(dst_port >> 8);
    udp[3] = static_cast<uint8_t>(dst_port);
    const auto udp_len = static_cast<uint16_t>(8 + payload);
    udp[4] = static_cast<uint8_t>(udp_len >> 8);
    udp[5] = static_cast<uint8_t>(udp_len);
    return f;
}

void write_file(const std::string& path, std::span<const uint8_t> data) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(data.data()),
              static_cast<std::streamsize>(data.size()));
    if (!out) throw std::runtime_error("cannot write " + path);
}

ScratchDir::ScratchDir() {
    const char* base = std::getenv("TMPDIR");
    std::string tmpl =
        std::string(base != nullptr && *base != '\0' ? base : "/tmp") + "/tstat-test-XXXXXX";
    if (mkdtemp(tmpl.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
    path_ = tmpl;
}

ScratchDir::~ScratchDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
}

}  // namespace tstat::testing
