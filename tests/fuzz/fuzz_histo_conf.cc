// libFuzzer target for the -H histogram configuration parser (parse_histo_conf). Any input
// either parses or yields an error naming the file; a parsed configuration is coherent.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "stats/histo_conf.h"

namespace {
void require(bool ok) {
    if (!ok) __builtin_trap();
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    using namespace tstat::stats;
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    for (bool globals : {false, true}) {
        auto c = parse_histo_conf(text, "fuzz.conf", globals);
        if (!c) {
            require(c.error().rfind("fuzz.conf:", 0) == 0);
            continue;
        }
        for (size_t i = 0; i < kHistoCount; ++i)
            if (c->on[i] && histo_def(histo_at(i)).global_only) require(globals);
        require(c->adx2_sample_us >= 1'000'000);
        require(c->adx3_sample_us >= 1'000'000);
    }
    return 0;
}
