// librrd, loaded when an RRD option asks for it: linking it would load some forty shared
// libraries (cairo, pango, glib...) at every start of tstat, for a feature most runs leave off.
#pragma once

#include <rrd.h>

#include "common/result.h"

namespace tstat::stats::rrd {

struct RrdApi {
    decltype(&::rrd_create_r) create_r = nullptr;
    decltype(&::rrd_update_r) update_r = nullptr;
    decltype(&::rrd_info_r) info_r = nullptr;
    decltype(&::rrd_info_free) info_free = nullptr;
    decltype(&::rrd_get_error) get_error = nullptr;
    decltype(&::rrd_clear_error) clear_error = nullptr;
};

// The library's entry points (loaded once; later calls return the same table), or why not.
Result<const RrdApi*> rrd_api();

}  // namespace tstat::stats::rrd
