// Helpers for the capture tests: drain a source into copies, open traces from bytes.
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "capture/pcap_file/trace_source.h"
#include "capture/source.h"
#include "support/pcap_writer.h"

namespace tstat::capture::test {

struct Captured {
    int64_t ts_us = 0;
    uint32_t caplen = 0;
    uint32_t wire_len = 0;
    uint32_t link_type = 0;
    std::vector<uint8_t> data;
};

struct Drained {
    std::vector<Captured> packets;
    ReadStatus last = ReadStatus::kOk;
    std::string error;
    size_t batches = 0;
};

// Reads until kEnd or kError (kTimeout is retried), copying every packet.
inline Drained drain(CaptureSource& src, size_t max_calls = 1000000) {
    Drained d;
    PacketBatch batch;
    for (size_t i = 0; i < max_calls; ++i) {
        ReadStatus s = src.next_batch(batch);
        if (s == ReadStatus::kTimeout) continue;
        if (s != ReadStatus::kOk) {
            EXPECT_EQ(batch.count, 0u);
            d.last = s;
            d.error = src.error();
            return d;
        }
        EXPECT_GT(batch.count, 0u);
        ++d.batches;
        for (size_t k = 0; k < batch.count; ++k) {
            const RawPacket& p = batch.packets[k];
            Captured c;
            c.ts_us = p.ts.us;
            c.caplen = p.caplen;
            c.wire_len = p.wire_len;
            c.link_type = p.link_type;
            c.data.assign(p.data, p.data + p.caplen);
            d.packets.push_back(std::move(c));
        }
    }
    ADD_FAILURE() << "source never ended";
    return d;
}

// The ways a test opens the same bytes: in place, streamed through a (small) chunk buffer,
// and from a file.
enum class OpenMode { kMemory, kStreamed, kFile, kMappedFile };

inline const char* to_string(OpenMode m) {
    switch (m) {
        case OpenMode::kMemory:
            return "memory";
        case OpenMode::kStreamed:
            return "streamed";
        case OpenMode::kFile:
            return "file";
        case OpenMode::kMappedFile:
            return "mapped-file";
    }
    return "?";
}

// Test-name suffix for parameterised tests.
inline std::string mode_name(const ::testing::TestParamInfo<OpenMode>& param) {
    std::string s = to_string(param.param);
    for (char& c : s)
        if (c == '-') c = '_';
    return s;
}

inline constexpr OpenMode kAllModes[] = {OpenMode::kMemory, OpenMode::kStreamed, OpenMode::kFile,
                                         OpenMode::kMappedFile};

// Keeps the bytes (and any temporary file) alive as long as the source.
struct Opened {
    std::vector<uint8_t> bytes;
    std::unique_ptr<tstat::testing::ScratchDir> dir;
    Result<std::unique_ptr<CaptureSource>> source = make_error("not opened");
    bool ok() const { return source.ok(); }
    CaptureSource& operator*() { return *source.value(); }
    CaptureSource* operator->() { return source.value().get(); }
};

inline std::unique_ptr<Opened> open_bytes(std::span<const uint8_t> bytes, OpenMode mode,
                                          const std::string& filter = {}, size_t chunk_size = 64) {
    auto o = std::make_unique<Opened>();
    o->bytes.assign(bytes.begin(), bytes.end());
    SourceSpec spec;
    spec.path = "t.pcap";
    spec.bpf_filter = filter;
    pcap_file::ReaderOptions options;
    options.chunk_size = chunk_size;
    switch (mode) {
        case OpenMode::kMemory:
            o->source = pcap_file::open_memory_source(o->bytes, spec, options);
            break;
        case OpenMode::kStreamed:
            options.stream_memory = true;
            o->source = pcap_file::open_memory_source(o->bytes, spec, options);
            break;
        case OpenMode::kFile:
        case OpenMode::kMappedFile:
            o->dir = std::make_unique<tstat::testing::ScratchDir>();
            spec.path = o->dir->file("t.pcap");
            tstat::testing::write_file(spec.path, o->bytes);
            options.map_files = mode == OpenMode::kMappedFile;
            o->source = pcap_file::open_file_source(spec, options);
            break;
    }
    return o;
}

}  // namespace tstat::capture::test
