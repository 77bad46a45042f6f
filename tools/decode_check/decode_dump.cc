// decode_dump TRACE [compat]: one tab-separated line per packet of a pcap/pcapng file as our
// decoder sees it (libpcap reads the file). Used by check_corpus.py; handy on its own to see
// what the decoder makes of a trace. Build (from the repository root):
//   g++ -std=c++20 -O2 -Isrc -o build/decode_dump tools/decode_check/decode_dump.cc
//       src/decode/decoder.cc src/common/ip_address.cc -lpcap        (one command line)
// Columns: frame, status, ip version, src, dst, protocol, sport, dport, payload_len, pure SYN,
// ip_total_len, VLAN tags, MPLS labels, IP-in-IP (ports/lengths "-" unless transport_ok).
#include <pcap/pcap.h>

#include <cstdio>
#include <cstring>

#include "decode/decoder.h"

int main(int argc, char** argv) {
    using namespace tstat;  // NOLINT(google-build-using-namespace): a small tool
    if (argc < 2) {
        std::fprintf(stderr, "usage: decode_dump TRACE [compat]\n");
        return 2;
    }
    char err[PCAP_ERRBUF_SIZE];
    pcap_t* p = pcap_open_offline(argv[1], err);
    if (p == nullptr) {
        std::fprintf(stderr, "%s: %s\n", argv[1], err);
        return 2;
    }
    decode::DecodeOptions options;
    options.tstat_compat = argc > 2 && std::strcmp(argv[2], "compat") == 0;
    // libpcap hands out DLT_ numbers; only raw IP differs from the LINKTYPE_ ones we use.
    const int dlt = pcap_datalink(p);
    const uint32_t link_type = dlt == DLT_RAW ? capture::link::kRaw : static_cast<uint32_t>(dlt);
    long counts[static_cast<int>(decode::DecodeStatus::kCount)] = {};
    long n = 0;
    pcap_pkthdr* h = nullptr;
    const u_char* data = nullptr;
    int rc = 0;
    while ((rc = pcap_next_ex(p, &h, &data)) == 1) {
        capture::RawPacket raw;
        raw.data = data;
        raw.caplen = h->caplen;
        raw.wire_len = h->len;
        raw.link_type = link_type;
        decode::DecodedPacket o;
        const decode::DecodeStatus s = decode::decode_packet(raw, o, options);
        ++counts[static_cast<int>(s)];
        const bool v = o.ip_version != 0 && o.src.version() != 0;
        std::printf("%ld\t%s\t%d\t%s\t%s\t%d", ++n, decode::to_string(s), o.ip_version,
                    v ? o.src.to_string().c_str() : "-", v ? o.dst.to_string().c_str() : "-",
                    o.protocol);
        if (o.transport_ok && o.protocol == decode::ip_proto::kTcp) {
            std::printf("\t%u\t%u\t%d\t%d", o.tcp.src_port, o.tcp.dst_port, o.payload_len,
                        (o.tcp.flags & 0x12) == 0x02 ? 1 : 0);
        } else if (o.transport_ok && o.protocol == decode::ip_proto::kUdp) {
            std::printf("\t%u\t%u\t%d\t0", o.udp.src_port, o.udp.dst_port, o.payload_len);
        } else {
            std::printf("\t-\t-\t-\t0");
        }
        std::printf("\t%u\t%d\t%d\t%d\n", o.ip_total_len, o.vlan_count, o.mpls_count,
                    o.outer_ip != nullptr ? 1 : 0);
    }
    std::fprintf(stderr, "%s\tlink=%u\tpackets=%ld", argv[1], link_type, n);
    for (int i = 0; i < static_cast<int>(decode::DecodeStatus::kCount); ++i) {
        if (counts[i] != 0) {
            std::fprintf(stderr, "\t%s=%ld",
                         decode::to_string(static_cast<decode::DecodeStatus>(i)), counts[i]);
        }
    }
    std::fprintf(stderr, "%s\n", rc == -1 ? "\tread-error" : "");
    pcap_close(p);
    return 0;
}
