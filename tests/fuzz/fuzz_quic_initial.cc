// libFuzzer target: the QUIC Initial path (long header, v1 decryption, CRYPTO gathering,
// ClientHello fields) over arbitrary datagrams starting at the UDP header.
#include <cstddef>
#include <cstdint>
#include <span>

#include "classify/protocols/quic/quic_header.h"
#include "classify/protocols/quic/quic_initial.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    using namespace tstat::classify::quic;
    static InitialDecryptor dec;
    static uint8_t out[kMaxPacket];
    const std::span<const uint8_t> udp(data, size);
    if (size > 8) {
        const LongHeader h = parse_long_header(udp.subspan(8));
        if (h.long_form && h.packet_type == 0) {
            const size_t off = 18u + h.dcid_len + h.scid_len + h.token_len;
            (void)dec.crypto_bytes(udp, off, h, 0, out);
        }
    }
    HelloFields f;
    parse_client_hello(udp, f);
    char enc[256];
    (void)url_encode({reinterpret_cast<const char*>(data), size < 80 ? size : 80}, enc,
                     sizeof enc);
    return 0;
}
