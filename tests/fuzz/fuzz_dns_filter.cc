// libFuzzer target for the dump engine's DNS filter file (-F, spec §12): any text either
// parses or yields an error naming the file; a parsed filter answers for any name, within
// Tstat's limits.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "output/pcap_dump/dns_filter.h"

namespace {
void require(bool ok) {
    if (!ok) __builtin_trap();
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    using tstat::output::pcap_dump::DnsFilter;
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    auto f = DnsFilter::parse(text, "fuzz.txt");
    if (!f) {
        require(f.error().rfind("fuzz.txt", 0) == 0);
        return 0;
    }
    require(f->entries() < DnsFilter::kMaxNames);
    // Every suffix of the input as a flow name, and no name at all (the default).
    require(f->dump("") == f->default_value());
    for (size_t i = 0; i < size && i < 64; ++i) (void)f->dump(text.substr(i));
    return 0;
}
