// Reference-counted names for DN-Hunter: a cache entry holds its name once and every flow
// labelled with it shares it (spec §9.10). Blocks come from pools by size class (32 to 256
// bytes), so storing a name allocates nothing once the pools are warm.
#pragma once

#include <cstdint>
#include <cstring>
#include <string_view>

#include "flow/pool.h"

namespace tstat::classify::dn_hunter {

class NameStore {
public:
    static constexpr uint32_t kNone = flow::kNil;

    uint32_t add(std::string_view name) {
        if (name.size() > 255) name = name.substr(0, 255);
        const uint32_t cls = name.size() < 32 ? 0 : name.size() < 64 ? 1 : name.size() < 128 ? 2 : 3;
        uint32_t h = 0;
        char* data = nullptr;
        uint32_t* refs = nullptr;
        switch (cls) {
            case 0: h = alloc(p32_, data, refs); break;
            case 1: h = alloc(p64_, data, refs); break;
            case 2: h = alloc(p128_, data, refs); break;
            default: h = alloc(p256_, data, refs); break;
        }
        std::memcpy(data, name.data(), name.size());
        data[name.size()] = 0;
        *refs = 1;
        return cls << 30 | h;
    }
    void ref(uint32_t id) {
        if (id != kNone) ++*block(id).second;
    }
    void unref(uint32_t id) {
        if (id == kNone) return;
        auto [data, refs] = block(id);
        (void)data;
        if (--*refs == 0) release(id);
    }
    std::string_view get(uint32_t id) const {
        if (id == kNone) return {};
        return const_cast<NameStore*>(this)->block(id).first;
    }
    uint32_t live() const { return p32_.live() + p64_.live() + p128_.live() + p256_.live(); }

private:
    template <uint32_t N>
    struct Block {
        uint32_t refs;
        char data[N];
    };
    template <class P>
    static uint32_t alloc(P& pool, char*& data, uint32_t*& refs) {
        const uint32_t h = pool.alloc();
        data = pool[h].data;
        refs = &pool[h].refs;
        return h;
    }
    std::pair<const char*, uint32_t*> block(uint32_t id) {
        const uint32_t h = id & 0x3fffffffu;
        switch (id >> 30) {
            case 0: return {p32_[h].data, &p32_[h].refs};
            case 1: return {p64_[h].data, &p64_[h].refs};
            case 2: return {p128_[h].data, &p128_[h].refs};
            default: return {p256_[h].data, &p256_[h].refs};
        }
    }
    void release(uint32_t id) {
        const uint32_t h = id & 0x3fffffffu;
        switch (id >> 30) {
            case 0: p32_.release(h); break;
            case 1: p64_.release(h); break;
            case 2: p128_.release(h); break;
            default: p256_.release(h); break;
        }
    }

    flow::Pool<Block<32>, 10> p32_;
    flow::Pool<Block<64>, 10> p64_;
    flow::Pool<Block<128>, 8> p128_;
    flow::Pool<Block<256>, 6> p256_;
};

}  // namespace tstat::classify::dn_hunter
