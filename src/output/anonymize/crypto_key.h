// Where the Crypto-PAn key comes from (spec §13): --keyvalue (the text itself), --keyfile
// (first line of a file, plain text), --keybase64 (first line of a file, Base64), or 32
// random bytes. Longer keys are cut to 32 bytes, shorter ones padded with zeros, as Tstat does.
// The key actually used is saved, Base64-encoded, in <root>/CPanKey_YYYY_MM_DD_HH_MM.
#pragma once

#include <string>
#include <string_view>

#include "common/result.h"
#include "common/timestamp.h"
#include "output/anonymize/crypto_pan.h"

namespace tstat::output::anonymize {

enum class KeySource { kRandom, kValue, kFile, kBase64File };

struct LoadedKey {
    Key key{};
    bool truncated = false;  // the source had more than 32 bytes
    bool padded = false;     // ...or fewer (zeros added)
};

// Key material from bytes (cut or padded to 32).
LoadedKey key_from_bytes(std::string_view bytes);

// The first line of a key file's text, as Tstat's fgets(line, 120) reads it: at most 119
// characters, the newline removed. `base64` decodes it. Errors name `name`.
Result<LoadedKey> parse_key_text(std::string_view text, bool base64, const std::string& name);

// Reads the key from its source (`value` is the text or the file name); kRandom draws 32
// bytes from the kernel's random source.
Result<LoadedKey> load_key(KeySource source, const std::string& value);

// "CPanKey_YYYY_MM_DD_HH_MM" for the first packet, in local time.
std::string key_file_name(Timestamp first_packet);

// Writes Base64(key) and a newline to <root>/<key_file_name(first_packet)>.
Status write_key_file(const std::string& root, Timestamp first_packet, const Key& key);

}  // namespace tstat::output::anonymize
