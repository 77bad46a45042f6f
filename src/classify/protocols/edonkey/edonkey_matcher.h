// eDonkey/eMule over TCP (spec §9.5; tstat/ipp2p_tstat.c search_all_edk, tstat/p2p.c ED2K_is_*):
// the IPP2P matcher and the message kinds behind the ed2k_* columns of log_tcp_complete.
#pragma once

#include <cstdint>

namespace tstat::classify::edonkey {

inline constexpr int kProtocol = 1;   // IPP2P_EDK

struct Segment {
    const uint8_t* data = nullptr;
    int32_t captured = 0;      // bytes captured (Tstat's data_len)
    int32_t payload_len = 0;   // length from the IP header
    uint8_t at(int32_t i) const { return i >= 0 && i < captured ? data[i] : 0; }
};

struct Match {
    int code = 0;            // IPP2P code (protocol * 100 + subtype), 0 if none
    uint8_t type = 0;        // protocol byte (0xe3 eDonkey, 0xc5 eMule, 0xd4 compressed)
    uint8_t opcode = 0;      // message opcode (payload[5])
};

// search_all_edk(). Tstat calls it only for payloads longer than 20 bytes.
Match search_all_edk(Segment seg);

// Message kinds (ED2K_is_data / _C2S / _msg); what is not C2S is counted as client-client.
bool is_data(int type, int opcode);
bool is_client_server(int type, int opcode);
bool is_chat(int type, int opcode);

}  // namespace tstat::classify::edonkey
