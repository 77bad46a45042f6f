// libFuzzer target: the ldns-compatible DNS parser, its presentation printer and DN-Hunter's
// response reader over arbitrary bytes.
#include <cstddef>
#include <cstdint>
#include <span>

#include "classify/dn_hunter/dn_hunter.h"
#include "classify/protocols/dns/dns_message.h"
#include "classify/protocols/dns/dns_presentation.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    using namespace tstat::classify;
    const std::span<const uint8_t> msg(data, size);
    dns::MessageInfo info;
    if (dns::parse_message(msg, info)) {
        static dns::Record rr;
        static char buf[8192];
        for (auto [pos, count, section] :
             {std::tuple{info.questions_pos, info.header.qdcount, dns::Section::kQuestion},
              std::tuple{info.answers_pos, info.header.ancount, dns::Section::kAnswer}})
            dns::for_each_record(msg, pos, count, section, rr, [&](const dns::Record& r) {
                dns::TextOut t(buf, sizeof buf);
                dns::print_record(msg, r, t);
                return true;
            });
    }
    static dn_hunter::Response r;
    (void)dn_hunter::parse_response(msg, size & 1, r);
    return 0;
}
