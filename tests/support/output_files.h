// Reading what a tstat run wrote: whole files, and the time folders (<time>.out) of an
// output folder in name order.
#pragma once

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

namespace tstat::testing {

inline std::string slurp(const std::filesystem::path& p) {
    std::ifstream in(p, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
}

inline std::vector<std::filesystem::path> time_dirs(const std::filesystem::path& root) {
    std::vector<std::filesystem::path> out;
    if (!std::filesystem::exists(root)) return out;
    for (const auto& e : std::filesystem::directory_iterator(root))
        if (e.is_directory() && e.path().extension() == ".out") out.push_back(e.path());
    std::sort(out.begin(), out.end());
    return out;
}

}  // namespace tstat::testing
