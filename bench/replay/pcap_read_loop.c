/* Baseline of the replay benchmark: the cheapest libpcap loop over a trace (pcap_open_offline
 * + pcap_next_ex), touching one byte of every packet so the data is really read.
 *
 * usage: pcap_read_loop TRACE [BPF-FILTER]
 * prints one line of key=value pairs: packets, bytes (captured), file_bytes, seconds, pps,
 * gbps (file bytes per second, 1e9), checksum. */
#include <pcap/pcap.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/stat.h>
#include <time.h>

static double now_seconds(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char** argv) {
    if (argc < 2 || argc > 3) {
        fprintf(stderr, "usage: %s TRACE [BPF-FILTER]\n", argv[0]);
        return 2;
    }
    char errbuf[PCAP_ERRBUF_SIZE];
    double start = now_seconds();
    pcap_t* p = pcap_open_offline(argv[1], errbuf);
    if (p == NULL) {
        fprintf(stderr, "%s: %s\n", argv[1], errbuf);
        return 1;
    }
    if (argc == 3) {
        struct bpf_program prog;
        if (pcap_compile(p, &prog, argv[2], 1, 0) < 0 || pcap_setfilter(p, &prog) < 0) {
            fprintf(stderr, "%s: filter: %s\n", argv[1], pcap_geterr(p));
            return 1;
        }
        pcap_freecode(&prog);
    }
    struct pcap_pkthdr* hdr;
    const u_char* data;
    uint64_t packets = 0, bytes = 0, checksum = 0;
    int rc;
    while ((rc = pcap_next_ex(p, &hdr, &data)) == 1) {
        ++packets;
        bytes += hdr->caplen;
        if (hdr->caplen > 0) checksum += data[hdr->caplen / 2];
    }
    if (rc == PCAP_ERROR) fprintf(stderr, "%s: %s\n", argv[1], pcap_geterr(p));
    pcap_close(p);
    double seconds = now_seconds() - start;
    struct stat st;
    uint64_t file_bytes = stat(argv[1], &st) == 0 ? (uint64_t)st.st_size : 0;
    if (seconds <= 0) seconds = 1e-9;
    printf("packets=%llu bytes=%llu file_bytes=%llu seconds=%.6f pps=%.0f gbps=%.3f "
           "checksum=%llu\n",
           (unsigned long long)packets, (unsigned long long)bytes,
           (unsigned long long)file_bytes, seconds, (double)packets / seconds,
           (double)file_bytes / seconds / 1e9, (unsigned long long)checksum);
    return rc == PCAP_ERROR ? 1 : 0;
}
