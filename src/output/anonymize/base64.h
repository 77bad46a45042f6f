// Base64 as Tstat writes the CPanKey_* file and the --enc names (standard alphabet, '='
// padding, one line) and as it reads --keybase64 files (spec §13).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace tstat::output::anonymize {

// Characters needed for `n` bytes.
constexpr size_t base64_size(size_t n) { return (n + 2) / 3 * 4; }

// Writes base64_size(n) characters to `out`; returns that count.
size_t base64_encode(const uint8_t* in, size_t n, char* out) noexcept;
std::string base64_encode(const uint8_t* in, size_t n);

// Tstat's decoder: characters outside the alphabet count as 'A' (zero bits), the length is
// 3*len/4 minus the '=' padding of the last two characters, and a text shorter than two
// characters is refused (nullopt). Bytes of a trailing incomplete group are zero.
std::optional<std::vector<uint8_t>> base64_decode_lenient(std::string_view text);

}  // namespace tstat::output::anonymize
