#include "capture/pcap_file/packet_filter.h"

#include <pcap/pcap.h>

#include <cstdio>
#include <cstring>

#include "capture/link_type.h"
#include "capture/pcap_file/endian.h"

namespace tstat::capture::pcap_file {

namespace {

constexpr uint32_t kSnaplen = 262144;

// A pcap_t that looks like a savefile of `link_type` in the given byte order. libpcap's code
// generator depends on both: the BSD loopback family field is in the writer's byte order,
// and compiled filters compare it byte-swapped when the savefile is (pcap_open_dead() cannot
// say so). `header` must outlive the handle: the stream reads from it.
pcap_t* open_fake_savefile(uint32_t link_type, bool swapped, uint8_t (&header)[24], char* errbuf) {
    const bool big = host_is_little_endian() == swapped;
    auto put = [&](size_t at, uint32_t v, size_t width) {
        for (size_t i = 0; i < width; ++i) {
            const size_t shift = 8 * (big ? width - 1 - i : i);
            header[at + i] = static_cast<uint8_t>(v >> shift);
        }
    };
    std::memset(header, 0, sizeof(header));
    put(0, 0xa1b2c3d4, 4);
    put(4, 2, 2);  // version 2.4
    put(6, 4, 2);
    put(16, kSnaplen, 4);
    put(20, link_type, 4);
    // Read-only: a writable fmemopen() stream would put a NUL over the last byte.
    FILE* f = fmemopen(header, sizeof(header), "r");
    if (f == nullptr) return nullptr;
    pcap_t* p = pcap_fopen_offline(f, errbuf);  // owns `f` from here on
    if (p == nullptr) std::fclose(f);
    return p;
}

}  // namespace

struct PacketFilter::Program {
    Program(uint32_t lt, bool sw) : link_type(lt), swapped(sw) {}
    ~Program() { pcap_freecode(&prog); }
    Program(const Program&) = delete;
    Program& operator=(const Program&) = delete;

    uint32_t link_type;
    bool swapped;
    bpf_program prog{};
};

PacketFilter::PacketFilter(std::string expression) : expression_(std::move(expression)) {}

PacketFilter::~PacketFilter() = default;

Result<size_t> PacketFilter::prepare(uint32_t link_type, bool swapped) {
    for (size_t i = 0; i < programs_.size(); ++i) {
        if (programs_[i]->link_type == link_type && programs_[i]->swapped == swapped) return i;
    }
    char errbuf[PCAP_ERRBUF_SIZE] = {};
    uint8_t header[24];
    pcap_t* handle = open_fake_savefile(link_type, swapped, header, errbuf);
    if (handle == nullptr) {
        // Should not happen; pcap_open_dead() still compiles right for all but BSD loopback.
        handle = pcap_open_dead(linktype_to_dlt(link_type), static_cast<int>(kSnaplen));
    }
    if (handle == nullptr) return make_error("cannot create a pcap handle to compile the filter");
    auto program = std::make_unique<Program>(link_type, swapped);
    // Netmask 0 as Tstat passes it for trace files (tcpdump_install_filter(pcap, 0)).
    if (pcap_compile(handle, &program->prog, expression_.c_str(), 1, 0) < 0) {
        std::string why = pcap_geterr(handle);
        pcap_close(handle);
        return make_error("filter \"" + expression_ + "\" does not compile for " +
                          link_type_name(link_type) + ": " + why);
    }
    pcap_close(handle);
    programs_.push_back(std::move(program));
    return programs_.size() - 1;
}

bool PacketFilter::matches(size_t index, const RawPacket& p) const {
    pcap_pkthdr hdr{};
    hdr.caplen = p.caplen;
    hdr.len = p.wire_len;
    return pcap_offline_filter(&programs_[index]->prog, &hdr, p.data) != 0;
}

}  // namespace tstat::capture::pcap_file
