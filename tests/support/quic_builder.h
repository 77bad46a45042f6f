// QUIC v1 Initial packets for tests (RFC 9000 §17.2.2, RFC 9001 §5): a client Initial whose
// CRYPTO frame carries a ClientHello, sealed with the Initial keys of RFC 9001 Appendix A
// (DCID 0x8394c8f03e515708) — published values, so the analyzer's own key derivation is what
// the tests check — and a server Initial (header only matters to Tstat).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace tstat::testing {

using Bytes = std::vector<uint8_t>;

// A TLS 1.3 ClientHello handshake message (type 1, 3-byte length) with SNI, ALPN h3, the QUIC
// transport parameters (a gQUIC user agent 0x3129 when `ua` is given) and, when `ech_len` > 0,
// an encrypted_client_hello extension (0xfe0d) of that many bytes.
Bytes quic_client_hello(std::string_view sni, std::string_view ua = {}, int ech_len = 0);

// A client Initial with one CRYPTO frame (`crypto` at `offset`), packet number `pn`, padded to
// at least `size` bytes, sealed and header-protected. Tstat's limits: 1-byte packet number,
// 2-byte Length.
Bytes quic_client_initial(const Bytes& crypto, uint64_t offset = 0, uint8_t pn = 0,
                          size_t size = 1200);

// A server Initial (SCID set, DCID the client's SCID) of `version`; its payload is filler.
Bytes quic_server_initial(uint32_t version = 1);

// The RFC 9001 Appendix A client keys, for tests of the derivation.
extern const uint8_t kRfc9001Dcid[8];
extern const uint8_t kRfc9001ClientKey[16];
extern const uint8_t kRfc9001ClientIv[12];
extern const uint8_t kRfc9001ClientHp[16];

}  // namespace tstat::testing
