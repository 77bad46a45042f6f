#include "classify/tcp/string_table.h"

#include <cstring>

namespace tstat::classify::tcp {

namespace {
uint32_t fnv1a(std::string_view s) {
    uint32_t h = 2166136261u;
    for (char c : s) h = (h ^ static_cast<uint8_t>(c)) * 16777619u;
    return h;
}
uint8_t class_of(size_t len) {
    uint8_t c = 0;
    for (size_t cap = 16; cap < len; cap <<= 1) ++c;
    return c;
}
}  // namespace

StringTable::StringTable() : index_(1024, 0) {}

char* StringTable::slot_ptr(uint8_t cls, uint32_t slot) const {
    const size_t size = size_t{16} << cls;
    return classes_[cls].chunks[slot / kSlotsPerChunk].get() + (slot % kSlotsPerChunk) * size;
}

uint32_t StringTable::alloc_slot(uint8_t cls) {
    SizeClass& c = classes_[cls];
    if (!c.free.empty()) {
        const uint32_t s = c.free.back();
        c.free.pop_back();
        return s;
    }
    if (c.used % kSlotsPerChunk == 0)
        c.chunks.push_back(std::make_unique<char[]>(kSlotsPerChunk * (size_t{16} << cls)));
    return c.used++;
}

size_t StringTable::find_index(std::string_view s, uint32_t hash) const {
    const size_t mask = index_.size() - 1;
    for (size_t i = hash & mask;; i = (i + 1) & mask) {
        const uint32_t v = index_[i];
        if (v == 0) return i;
        const Entry& e = entries_[v - 1];
        if (e.hash == hash && e.length == s.size() &&
            std::memcmp(slot_ptr(e.size_class, e.slot), s.data(), s.size()) == 0)
            return i;
    }
}

void StringTable::grow_index() {
    std::vector<uint32_t> old;
    old.swap(index_);
    index_.assign(old.size() * 2, 0);
    const size_t mask = index_.size() - 1;
    for (uint32_t v : old) {
        if (v == 0) continue;
        size_t i = entries_[v - 1].hash & mask;
        while (index_[i] != 0) i = (i + 1) & mask;
        index_[i] = v;
    }
}

uint32_t StringTable::intern(std::string_view s) {
    if (s.size() > kMaxLength) s = s.substr(0, kMaxLength);
    const uint32_t hash = fnv1a(s);
    size_t i = find_index(s, hash);
    if (index_[i] != 0) {
        ++entries_[index_[i] - 1].refs;
        return index_[i] - 1;
    }
    if ((live_ + 1) * 4 > index_.size() * 3) {
        grow_index();
        i = find_index(s, hash);
    }
    uint32_t id;
    if (!free_ids_.empty()) {
        id = free_ids_.back();
        free_ids_.pop_back();
    } else {
        id = static_cast<uint32_t>(entries_.size());
        entries_.emplace_back();
    }
    Entry& e = entries_[id];
    e.hash = hash;
    e.refs = 1;
    e.length = static_cast<uint8_t>(s.size());
    e.size_class = class_of(s.size());
    e.slot = alloc_slot(e.size_class);
    std::memcpy(slot_ptr(e.size_class, e.slot), s.data(), s.size());
    index_[i] = id + 1;
    ++live_;
    return id;
}

void StringTable::release(uint32_t id) {
    if (id == kNone) return;
    Entry& e = entries_[id];
    if (--e.refs != 0) return;
    // Remove from the index with backward-shift deletion.
    const size_t mask = index_.size() - 1;
    size_t hole = e.hash & mask;
    while (index_[hole] != id + 1) hole = (hole + 1) & mask;
    for (size_t j = (hole + 1) & mask; index_[j] != 0; j = (j + 1) & mask) {
        const size_t home = entries_[index_[j] - 1].hash & mask;
        const bool movable = hole <= j ? (home <= hole || home > j) : (home <= hole && home > j);
        if (movable) {
            index_[hole] = index_[j];
            hole = j;
        }
    }
    index_[hole] = 0;
    classes_[e.size_class].free.push_back(e.slot);
    free_ids_.push_back(id);
    --live_;
}

std::string_view StringTable::view(uint32_t id) const {
    if (id == kNone) return {};
    const Entry& e = entries_[id];
    return {slot_ptr(e.size_class, e.slot), e.length};
}

size_t StringTable::memory_bytes() const {
    size_t n = entries_.capacity() * sizeof(Entry) + free_ids_.capacity() * 4 + index_.capacity() * 4;
    for (int c = 0; c < kClasses; ++c)
        n += classes_[c].chunks.size() * kSlotsPerChunk * (size_t{16} << c) +
             classes_[c].free.capacity() * 4;
    return n;
}

}  // namespace tstat::classify::tcp
