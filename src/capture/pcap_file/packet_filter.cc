#include "capture/pcap_file/packet_filter.h"

#include <pcap/pcap.h>

#include "capture/link_type.h"

namespace tstat::capture::pcap_file {

namespace {
// libpcap's largest usual snapshot; the filter only needs it to bound its loads.
constexpr int kDeadSnaplen = 262144;
}  // namespace

struct PacketFilter::Program {
    explicit Program(uint32_t lt) : link_type(lt) {}
    ~Program() { pcap_freecode(&prog); }
    Program(const Program&) = delete;
    Program& operator=(const Program&) = delete;

    uint32_t link_type;
    bpf_program prog{};
};

PacketFilter::PacketFilter(std::string expression) : expression_(std::move(expression)) {}

PacketFilter::~PacketFilter() = default;

Status PacketFilter::prepare(uint32_t link_type) {
    for (const auto& p : programs_)
        if (p->link_type == link_type) return {};
    pcap_t* dead = pcap_open_dead(linktype_to_dlt(link_type), kDeadSnaplen);
    if (dead == nullptr) return make_error("cannot create a pcap handle to compile the filter");
    auto program = std::make_unique<Program>(link_type);
    // Netmask 0 as Tstat passes it for trace files (tcpdump_install_filter(pcap, 0)).
    if (pcap_compile(dead, &program->prog, expression_.c_str(), 1, 0) < 0) {
        std::string why = pcap_geterr(dead);
        pcap_close(dead);
        return make_error("filter \"" + expression_ + "\" does not compile for " +
                          link_type_name(link_type) + ": " + why);
    }
    pcap_close(dead);
    programs_.push_back(std::move(program));
    return {};
}

bool PacketFilter::matches(const RawPacket& p) const {
    const Program* program = programs_[last_].get();
    if (program->link_type != p.link_type) {
        program = nullptr;
        for (size_t i = 0; i < programs_.size(); ++i) {
            if (programs_[i]->link_type == p.link_type) {
                last_ = i;
                program = programs_[i].get();
                break;
            }
        }
        if (program == nullptr) return true;   // not prepared: cannot happen, deliver it
    }
    pcap_pkthdr hdr{};
    hdr.caplen = p.caplen;
    hdr.len = p.wire_len;
    return pcap_offline_filter(&program->prog, &hdr, p.data) != 0;
}

}  // namespace tstat::capture::pcap_file
