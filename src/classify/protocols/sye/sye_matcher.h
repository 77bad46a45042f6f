// SYE (Net Insight's low-latency live streaming, used by Amazon Prime Video Live): the two
// datagram shapes Tstat's behavioural SYE engine looks for (spec §9.6, class 31): a command
// whose payload starts 0a 00 18 00 42 one way, data whose first payload byte is 0x14 or 0x15
// the other way. Pairing the two directions is the UDP classifier's business
// (udp_classifier.cc); this only says what one payload looks like.
#pragma once

#include <cstdint>
#include <span>

namespace tstat::classify::sye {

// MAX_UDP_SYE: the engine looks at a flow while it has fewer packets than this.
inline constexpr uint32_t kMaxPackets = 40;

enum class Kind : uint8_t { kOther, kCommand, kData };

// `payload`: the UDP payload as captured (bytes past the capture are not guessed at).
Kind kind(std::span<const uint8_t> payload) noexcept;

}  // namespace tstat::classify::sye
