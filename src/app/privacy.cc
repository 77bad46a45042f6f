#include "app/privacy.h"

#include <cerrno>
#include <cstdlib>

namespace tstat::app {

namespace anon = output::anonymize;

std::optional<uint32_t> parse_xor_mask(const std::string& text) {
    if (text.empty()) return std::nullopt;
    errno = 0;
    char* end = nullptr;
    const long long v = std::strtoll(text.c_str(), &end, 0);
    if (*end != '\0' || errno != 0) return std::nullopt;
    return static_cast<uint32_t>(static_cast<unsigned long long>(v) & 0xffffffffULL);
}

Result<Privacy> load_privacy(const Options& o, const Globals& g, std::FILE* messages) {
    Privacy p;
    if (!o.xor_mask.empty()) {
        if (auto m = parse_xor_mask(o.xor_mask)) {
            p.xor_mask = *m;
            std::fprintf(messages, "Anonymization mask set to 0x%08x\n", p.xor_mask);
        } else {
            std::fprintf(messages,
                         "Invalid value %s for the anonymization mask - Using default value "
                         "0x%08x\n",
                         o.xor_mask.c_str(), 0u);
        }
    }

    const int key_options =
        int{!o.key_value.empty()} + int{!o.key_file.empty()} + int{!o.key_base64.empty()};
    if (key_options > 1)
        return make_error(
            "only one encryption key option (--keyvalue, --keyfile, --keybase64) can be used");

    if (o.crypto_file.empty()) {
        if (key_options > 0)
            std::fprintf(messages,
                         "Warning: One encryption key option has been specified but no "
                         "encrypted\n         networks have been defined with the -Y option. "
                         "Encryption is disabled\n");
        if (!o.white_file.empty())
            std::fprintf(messages,
                         "Warning: A set of whitelisted networks has been provided but no "
                         "encrypted\n         networks have been defined with the -Y option.\n");
        if (o.enc)
            std::fprintf(messages,
                         "Warning: The encryption of all relevant hostnames has been requested, "
                         "but\n         no encrypted networks have been defined with the -Y "
                         "option. The option is ignored\n");
        return p;
    }

    auto crypto = NetList::load(o.crypto_file, g.max_crypto_hosts);
    if (!crypto) return Error{crypto.error()};
    NetList white;
    if (!o.white_file.empty()) {
        auto w = NetList::load(o.white_file, g.max_white_hosts);
        if (!w) return Error{w.error()};
        white = std::move(*w);
    }
    p.crypto = anon::CryptoNets(std::move(*crypto), std::move(white));

    std::optional<Result<anon::LoadedKey>> key;
    if (!o.key_value.empty()) {
        std::fprintf(messages, "Using plain text key from command line\n");
        key.emplace(anon::load_key(anon::KeySource::kValue, o.key_value));
    } else if (!o.key_file.empty()) {
        std::fprintf(messages, "Reading plain text key from file %s ...\n", o.key_file.c_str());
        key.emplace(anon::load_key(anon::KeySource::kFile, o.key_file));
    } else if (!o.key_base64.empty()) {
        std::fprintf(messages, "Reading Base64 encoded key from file %s ...\n",
                     o.key_base64.c_str());
        key.emplace(anon::load_key(anon::KeySource::kBase64File, o.key_base64));
    }
    if (key) {
        if (!*key) return Error{key->error()};
        if ((*key)->truncated)
            std::fprintf(messages, "Key is too long: using only the first %zu bytes\n",
                         anon::kKeySize);
        if ((*key)->padded)
            std::fprintf(messages, "Key shorter than %zu bytes: padding with zeros\n",
                         anon::kKeySize);
        p.key = **key;
    }

    for (int i = 0; i < 4; ++i)
        p.settings.ipv6_masks[static_cast<size_t>(i)] = g.crypto_ipv6_mask[i];
    p.settings.cache_size = g.max_crypto_cache_size;
    p.settings.names = o.enc;
    return p;
}

}  // namespace tstat::app
