// The privacy options of the command line (spec §13): -A (XOR of internal IPv4 addresses in
// the packets), -Y/-W (Crypto-PAn networks and their whitelist), --keyvalue/--keyfile/
// --keybase64 (the key) and --enc (host names). Read and checked at start-up, with Tstat's
// warnings for options that have no effect without -Y.
#pragma once

#include <cstdint>
#include <cstdio>
#include <memory>
#include <optional>

#include "app/config_files.h"
#include "app/options.h"
#include "common/result.h"
#include "output/anonymize/anonymizer.h"
#include "output/anonymize/crypto_key.h"
#include "output/anonymize/crypto_nets.h"

namespace tstat::app {

struct Privacy {
    uint32_t xor_mask = 0;                 // -A, host order (0: off)
    output::anonymize::CryptoNets crypto;  // -Y minus -W; inactive without -Y
    // The key given on the command line; without one each output root draws its own random
    // key, as Tstat does at every initialize_crypto().
    std::optional<output::anonymize::LoadedKey> key;
    output::anonymize::Settings settings;  // masks, cache size, --enc (key per root)

    bool crypto_on() const { return crypto.active(); }
};

// `messages`: where Tstat's informational lines and warnings go (its stdout).
Result<Privacy> load_privacy(const Options& o, const Globals& g, std::FILE* messages);

// Tstat's -A argument: strtoll(base 0) of the whole text, cut to 32 bits; anything else keeps
// the mask at 0 with a warning.
std::optional<uint32_t> parse_xor_mask(const std::string& text);

}  // namespace tstat::app
