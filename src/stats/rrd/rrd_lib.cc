#include "stats/rrd/rrd_lib.h"

#include <dlfcn.h>

#include <mutex>
#include <string>

namespace tstat::stats::rrd {

namespace {

template <class F>
bool bind(void* lib, const char* name, F& out) {
    out = reinterpret_cast<F>(dlsym(lib, name));
    return out != nullptr;
}

Result<const RrdApi*> load() {
    static RrdApi api;
    void* lib = nullptr;
    std::string why;
    // The runtime package's soname first (librrd8), then the development link.
    for (const char* name : {"librrd.so.8", "librrd.so"}) {
        lib = dlopen(name, RTLD_NOW | RTLD_LOCAL);
        if (lib != nullptr) break;
        const char* e = dlerror();
        if (why.empty() && e != nullptr) why = e;
    }
    if (lib == nullptr)
        return make_error("RRD (-R/-r) needs librrd (Debian package librrd8): " + why);
    if (!bind(lib, "rrd_create_r", api.create_r) || !bind(lib, "rrd_update_r", api.update_r) ||
        !bind(lib, "rrd_info_r", api.info_r) || !bind(lib, "rrd_info_free", api.info_free) ||
        !bind(lib, "rrd_get_error", api.get_error) ||
        !bind(lib, "rrd_clear_error", api.clear_error))
        return make_error("librrd lacks the thread-safe calls (rrd_create_r, rrd_update_r, "
                          "rrd_info_r): version 1.4 or later is needed");
    return &api;
}

}  // namespace

Result<const RrdApi*> rrd_api() {
    static std::once_flag once;
    static Result<const RrdApi*> result = make_error("not loaded");
    std::call_once(once, [] { result = load(); });
    return result;
}

}  // namespace tstat::stats::rrd
