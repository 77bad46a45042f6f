#include "output/logs/classified_logs.h"

#include <sstream>
#include <vector>

#include "output/log_schema.h"

namespace tstat::output {

namespace {

std::vector<std::string> split(const char* words) {
    std::vector<std::string> out;
    std::istringstream in(words);
    for (std::string w; in >> w;) out.push_back(w);
    return out;
}

std::string header(const char* words) {
    std::string out = "#";
    append_header_names(out, split(words));
    return out;
}

}  // namespace

std::string mm_log_header() {
    return header(
        "a_proto direction c_proto c_ip c_port c_internal c_iscrypto c_mux_prot s_proto s_ip "
        "s_port s_internal s_iscrypto s_mux_prot packets ipg jitter_avg jitter_max jitter_min "
        "ttl_avg ttl_max ttl_min starttime duration databytes speed SSRC losses oos dup late "
        "pt_id pt_counters bogus rtcp_losses rtcp_fraclost rtcp_lenpack rtcp_lenbytes rtt_avg "
        "rtt_max rtt_min rtt_samples rtcp_trunc rtp_max_payload rtp_min_payload rtp_avg_payload "
        "rtp_stdev_payload jitter8k_avg jitter8k_max jitter8k_min jitter90k_avg jitter90k_max "
        "jitter90k_min");
}

std::string chat_complete_header() {
    return header(
        "c_ip c_port c_bytes_uniq c_pkts_all c_msn c_msn_a c_msn_d c_msn_n c_msn_u c_msn_y s_ip "
        "s_port s_bytes_uniq s_pkts_all s_msn s_msn_a s_msn_d s_msn_n s_msn_u s_msn_y first_tm "
        "durat type ver c_isint flowid T con_t c_iscrypto s_iscrypto");
}

std::string chat_messages_header() {
    return header("idflow type dir paylen first_tm durat con_t");
}


}  // namespace tstat::output
