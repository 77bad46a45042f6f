// A string kept inline with a fixed capacity: flow records carry names by value through the
// writer's batches without allocating (DESIGN.md "Errors": no allocation per packet).
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>

namespace tstat::classify {

template <size_t N>
class BoundedString {
public:
    BoundedString() = default;
    BoundedString(std::string_view s) { assign(s); }  // NOLINT: drop-in for std::string
    BoundedString& operator=(std::string_view s) {
        assign(s);
        return *this;
    }
    void assign(std::string_view s) {
        size_ = static_cast<uint16_t>(s.size() < N ? s.size() : N);
        if (size_ != 0) std::memcpy(data_, s.data(), size_);  // data() may be null when empty
    }
    void clear() { size_ = 0; }
    bool empty() const { return size_ == 0; }
    size_t size() const { return size_; }
    const char* data() const { return data_; }
    std::string_view view() const { return {data_, size_}; }
    operator std::string_view() const { return view(); }  // NOLINT

private:
    char data_[N];
    uint16_t size_ = 0;
};

}  // namespace tstat::classify
