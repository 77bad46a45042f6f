// -h, -v and --list-columns texts.
#pragma once

#include <cstdio>

#include "app/config_files.h"

namespace tstat::app {

inline constexpr const char* kVersion = "0.1.0";

void print_usage(std::FILE* out);
void print_help(std::FILE* out, const Globals& g);
void print_version(std::FILE* out);
// Every log column the tables define: "log<TAB>index<TAB>name<TAB>description".
void print_columns(std::FILE* out);

}  // namespace tstat::app
