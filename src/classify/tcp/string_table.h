// Interned, reference-counted strings for the names classification keeps per flow (TLS SNI and
// certificate names, TLS version lists, HTTP hosts, YouTube ids). Real traffic repeats a few
// names over many flows, so a flow holds a 4-byte id instead of its own copy. Storage comes
// in size classes reused after release: no allocation once warmed up.
#pragma once

#include <cstdint>
#include <memory>
#include <string_view>
#include <vector>

namespace tstat::classify::tcp {

class StringTable {
public:
    static constexpr uint32_t kNone = 0xffffffffu;
    static constexpr size_t kMaxLength = 255;

    StringTable();

    // Adds a reference to `s` (truncated to kMaxLength) and returns its id.
    uint32_t intern(std::string_view s);
    // Drops one reference; the id may be reused once the last one is gone.
    void release(uint32_t id);
    std::string_view view(uint32_t id) const;

    uint32_t live() const { return live_; }
    size_t memory_bytes() const;

private:
    struct Entry {
        uint32_t hash = 0;
        uint32_t refs = 0;
        uint32_t slot = 0;       // slot within the size class
        uint8_t size_class = 0;
        uint8_t length = 0;
    };
    static constexpr int kClasses = 5;   // 16, 32, 64, 128, 256 bytes
    static constexpr uint32_t kSlotsPerChunk = 1024;
    struct SizeClass {
        std::vector<std::unique_ptr<char[]>> chunks;
        std::vector<uint32_t> free;
        uint32_t used = 0;
    };

    char* slot_ptr(uint8_t cls, uint32_t slot) const;
    uint32_t alloc_slot(uint8_t cls);
    void grow_index();
    size_t find_index(std::string_view s, uint32_t hash) const;

    std::vector<Entry> entries_;
    std::vector<uint32_t> free_ids_;
    std::vector<uint32_t> index_;   // open addressing: entry id + 1, 0 = empty
    SizeClass classes_[kClasses];
    uint32_t live_ = 0;
};

}  // namespace tstat::classify::tcp
