// Tstat's INI dialect (inireader.c): [section] lines, "key = value" or "key value",
// '#' comments, a key alone means 1. Errors name the file and line.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "common/result.h"

namespace tstat {

struct IniEntry {
    std::string section;   // lower-cased
    std::string key;
    std::string value;     // "1" when the key had no value
    int line = 0;
};

Result<std::vector<IniEntry>> read_ini(const std::string& path);
Result<std::vector<IniEntry>> parse_ini(const std::string& text, const std::string& name);

// Integer in decimal or 0x-hex; false on anything else.
bool parse_int(const std::string& text, int64_t& out);
// Decimal number ("21", "21.5").
bool parse_double(const std::string& text, double& out);

}  // namespace tstat
