// Tstat's enum udp_type (spec §9.6): the numbers log_udp_complete prints in c_type/s_type.
#pragma once

#include <cstdint>

namespace tstat::classify::udp_type {

inline constexpr uint8_t kUnknown = 0;
inline constexpr uint8_t kFirstRtp = 1;
inline constexpr uint8_t kFirstRtcp = 2;
inline constexpr uint8_t kRtp = 3;
inline constexpr uint8_t kRtcp = 4;
inline constexpr uint8_t kSkypeE2e = 5;
inline constexpr uint8_t kSkypeOut = 6;
inline constexpr uint8_t kSkypeSig = 7;
inline constexpr uint8_t kEdk = 8;
inline constexpr uint8_t kKad = 9;
inline constexpr uint8_t kKadu = 10;
inline constexpr uint8_t kGnu = 11;
inline constexpr uint8_t kBt = 12;
inline constexpr uint8_t kDc = 13;
inline constexpr uint8_t kKazaa = 14;
inline constexpr uint8_t kPplive = 15;
inline constexpr uint8_t kSopcast = 16;
inline constexpr uint8_t kTvants = 17;
inline constexpr uint8_t kOkad = 18;
inline constexpr uint8_t kDns = 19;
inline constexpr uint8_t kUtp = 20;
inline constexpr uint8_t kUtpBt = 21;
inline constexpr uint8_t kVod = 22;
inline constexpr uint8_t kPpstream = 23;
inline constexpr uint8_t kTeredo = 24;
inline constexpr uint8_t kSip = 25;
inline constexpr uint8_t kDtls = 26;
inline constexpr uint8_t kQuic = 27;
inline constexpr uint8_t kFirstRtpPlus = 28;
inline constexpr uint8_t kRtpPlus = 29;
inline constexpr uint8_t kMturn = 30;
inline constexpr uint8_t kSye = 31;

}  // namespace tstat::classify::udp_type
