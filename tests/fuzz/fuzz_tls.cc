// libFuzzer target: Tstat's TLS handshake parsers (ClientHello, ServerHello, certificate CN,
// Facebook Zero CHLO) over arbitrary segments. Bytes 0-1: the IP payload length to claim; the
// rest is the captured segment, used in place so a read past it is a heap overflow for ASan.
#include <cstddef>
#include <cstdint>

#include "classify/protocols/tls/tls_parser.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    using namespace tstat::classify::tls;
    if (size < 2) return 0;
    const int32_t claimed = data[0] << 8 | data[1];
    const Bytes seg{data + 2, static_cast<int64_t>(size - 2)};
    ClientHello c;
    if (parse_client_hello(seg, claimed, c)) {
        if (c.sni_found && !plausible_name(c.sni.view())) __builtin_trap();
        if (c.versions.size() > 80) __builtin_trap();
    }
    ServerHello s;
    (void)parse_server_hello(seg, claimed, s);
    const auto cn = certificate_common_name(seg);
    if (!cn.empty() && !plausible_name(cn.view())) __builtin_trap();
    bool found = false;
    tstat::classify::BoundedString<119> sni;
    (void)parse_fb0_hello(seg, found, sni);
    (void)is_application_data(seg);
    return 0;
}
