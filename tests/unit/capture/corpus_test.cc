// Every trace of the shared corpus (../shared/traces, see MANIFEST.tsv) reads with the packet
// count the manifest gives (tshark's, or the frames readable before a damage). Skipped where
// the corpus is absent; TSTAT_CORPUS_DIR may point elsewhere.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "capture/source.h"

namespace tstat::capture {
namespace {

std::filesystem::path corpus_dir() {
    if (const char* env = std::getenv("TSTAT_CORPUS_DIR")) return env;
    return std::filesystem::path(TSTAT_SOURCE_DIR) / ".." / "shared" / "traces";
}

std::vector<std::string> split(const std::string& line) {
    std::vector<std::string> out;
    std::stringstream ss(line);
    std::string cell;
    while (std::getline(ss, cell, '\t')) out.push_back(cell);
    return out;
}

TEST(Corpus, EveryManifestTraceReadsWithItsPacketCount) {
    const auto dir = corpus_dir();
    std::ifstream manifest(dir / "MANIFEST.tsv");
    if (!manifest) GTEST_SKIP() << "no corpus at " << dir;
    std::string line;
    std::getline(manifest, line);
    const std::vector<std::string> header = split(line);
    size_t file_col = 0, packets_col = 0, format_col = 0;
    for (size_t i = 0; i < header.size(); ++i) {
        if (header[i] == "file") file_col = i;
        if (header[i] == "packets") packets_col = i;
        if (header[i] == "format") format_col = i;
    }
    ASSERT_GT(packets_col, 0u);
    size_t checked = 0;
    while (std::getline(manifest, line)) {
        const std::vector<std::string> row = split(line);
        if (row.size() <= std::max({file_col, packets_col, format_col})) continue;
        SCOPED_TRACE(row[file_col]);
        SourceSpec spec;
        spec.path = (dir / row[file_col]).string();
        auto src = open_source(spec);
        if (row[format_col] == "invalid") {
            EXPECT_FALSE(src.ok());
            continue;
        }
        ASSERT_TRUE(src.ok()) << src.error();
        PacketBatch batch;
        ReadStatus s;
        while ((s = (*src)->next_batch(batch)) == ReadStatus::kOk) {
        }
        // Records read, counting those Tstat's zero-timestamp rule skipped.
        EXPECT_EQ((*src)->progress().packets, std::stoull(row[packets_col])) << (*src)->error();
        ++checked;
    }
    EXPECT_GT(checked, 100u);
}

}  // namespace
}  // namespace tstat::capture
