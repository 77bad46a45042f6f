#include "classify/protocols/sye/sye_matcher.h"

#include <algorithm>
#include <array>

namespace tstat::classify::sye {

namespace {
// The command's first bytes; two of them are zeros, so they must have been captured.
constexpr std::array<uint8_t, 5> kCommandPrefix = {0x0a, 0x00, 0x18, 0x00, 0x42};
}  // namespace

Kind kind(std::span<const uint8_t> payload) noexcept {
    if (payload.size() >= kCommandPrefix.size() &&
        std::equal(kCommandPrefix.begin(), kCommandPrefix.end(), payload.begin()))
        return Kind::kCommand;
    if (!payload.empty() && (payload[0] == 0x14 || payload[0] == 0x15)) return Kind::kData;
    return Kind::kOther;
}

}  // namespace tstat::classify::sye
