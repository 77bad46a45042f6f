// Open-addressing hash map (linear probing, backward-shift deletion): grows by doubling and
// never allocates otherwise, so the packet path stays allocation-free once warmed up.
#pragma once

#include <cstdint>
#include <vector>

namespace tstat::classify {

template <class Key, class Value, class Hash>
class FlatMap {
public:
    explicit FlatMap(size_t initial = 1024) { rehash(initial < 16 ? 16 : initial); }

    Value* find(const Key& k) {
        size_t i = Hash{}(k) & mask_;
        while (used_[i]) {
            if (slots_[i].key == k) return &slots_[i].value;
            i = (i + 1) & mask_;
        }
        return nullptr;
    }
    const Value* find(const Key& k) const { return const_cast<FlatMap*>(this)->find(k); }

    // Inserts or overwrites.
    void put(const Key& k, const Value& v) {
        if ((size_ + 1) * 4 > slots_.size() * 3) rehash(slots_.size() * 2);
        size_t i = Hash{}(k) & mask_;
        while (used_[i]) {
            if (slots_[i].key == k) {
                slots_[i].value = v;
                return;
            }
            i = (i + 1) & mask_;
        }
        used_[i] = 1;
        slots_[i] = Slot{k, v};
        ++size_;
    }

    bool erase(const Key& k) {
        size_t i = Hash{}(k) & mask_;
        while (used_[i]) {
            if (slots_[i].key == k) {
                // Backward shift: move later entries of the probe run into the hole.
                size_t hole = i;
                size_t j = (i + 1) & mask_;
                while (used_[j]) {
                    const size_t home = Hash{}(slots_[j].key) & mask_;
                    const bool movable = hole <= j ? (home <= hole || home > j)
                                                   : (home <= hole && home > j);
                    if (movable) {
                        slots_[hole] = slots_[j];
                        hole = j;
                    }
                    j = (j + 1) & mask_;
                }
                used_[hole] = 0;
                --size_;
                return true;
            }
            i = (i + 1) & mask_;
        }
        return false;
    }

    size_t size() const { return size_; }
    size_t memory_bytes() const { return slots_.capacity() * sizeof(Slot) + used_.capacity(); }

private:
    struct Slot {
        Key key{};
        Value value{};
    };
    void rehash(size_t n) {
        std::vector<Slot> old = std::move(slots_);
        std::vector<uint8_t> old_used = std::move(used_);
        slots_.assign(n, Slot{});
        used_.assign(n, 0);
        mask_ = n - 1;
        size_ = 0;
        for (size_t i = 0; i < old.size(); ++i)
            if (old_used[i]) put(old[i].key, old[i].value);
    }

    std::vector<Slot> slots_;
    std::vector<uint8_t> used_;
    size_t mask_ = 0;
    size_t size_ = 0;
};

}  // namespace tstat::classify
