#include "output/anonymize/crypto_key.h"

#include <sys/random.h>

#include <cerrno>
#include <cstring>
#include <ctime>
#include <fstream>
#include <iterator>

#include "output/anonymize/base64.h"

namespace tstat::output::anonymize {

LoadedKey key_from_bytes(std::string_view bytes) {
    LoadedKey k;
    const size_t n = bytes.size() < kKeySize ? bytes.size() : kKeySize;
    std::memcpy(k.key.data(), bytes.data(), n);
    k.truncated = bytes.size() > kKeySize;
    k.padded = bytes.size() < kKeySize;
    return k;
}

Result<LoadedKey> parse_key_text(std::string_view text, bool base64, const std::string& name) {
    if (text.empty())
        return make_error(name + ": cannot read the " +
                          std::string(base64 ? "Base64 encoded" : "plain text") +
                          " key: the file is empty");
    // fgets(line, 120): one line, at most 119 characters, newline kept then removed.
    std::string_view line = text.substr(0, 119);
    if (const auto nl = line.find('\n'); nl != std::string_view::npos) line = line.substr(0, nl);
    // C strings: the key ends at a NUL byte.
    if (const auto nul = line.find('\0'); nul != std::string_view::npos) line = line.substr(0, nul);
    if (!base64) {
        if (line.empty()) return make_error(name + ": the plain text key is empty");
        return key_from_bytes(line);
    }
    auto decoded = base64_decode_lenient(line);
    if (!decoded) return make_error(name + ": the Base64 key is too short (at least 2 characters)");
    return key_from_bytes(
        std::string_view(reinterpret_cast<const char*>(decoded->data()), decoded->size()));
}

Result<LoadedKey> load_key(KeySource source, const std::string& value) {
    switch (source) {
        case KeySource::kValue:
            return key_from_bytes(std::string_view(value.c_str()));
        case KeySource::kFile:
        case KeySource::kBase64File: {
            std::ifstream in(value, std::ios::binary);
            if (!in) return make_error(value + ": cannot open the key file");
            std::string text;
            // Only the first line matters; a key file is small, but do not trust its size.
            text.resize(4096);
            in.read(text.data(), static_cast<std::streamsize>(text.size()));
            text.resize(static_cast<size_t>(in.gcount()));
            return parse_key_text(text, source == KeySource::kBase64File, value);
        }
        case KeySource::kRandom: {
            LoadedKey k;
            size_t got = 0;
            while (got < kKeySize) {
                const ssize_t n = getrandom(k.key.data() + got, kKeySize - got, 0);
                if (n < 0) {
                    if (errno == EINTR) continue;
                    return make_error(std::string("cannot draw a random Crypto-PAn key: ") +
                                      std::strerror(errno));
                }
                got += static_cast<size_t>(n);
            }
            return k;
        }
    }
    return make_error("unknown key source");
}

std::string key_file_name(Timestamp first_packet) {
    const time_t secs = static_cast<time_t>(first_packet.sec());
    struct tm tm {};
    localtime_r(&secs, &tm);
    char buf[64];
    std::strftime(buf, sizeof buf, "CPanKey_%Y_%m_%d_%H_%M", &tm);
    return buf;
}

Status write_key_file(const std::string& root, Timestamp first_packet, const Key& key) {
    const std::string path = root + "/" + key_file_name(first_packet);
    std::ofstream out(path, std::ios::trunc);
    out << base64_encode(key.data(), key.size()) << '\n';
    out.close();
    if (!out) return make_error(path + ": cannot write the Crypto-PAn key file");
    return {};
}

}  // namespace tstat::output::anonymize
