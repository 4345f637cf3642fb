#pragma once
// Today's date as planners write it (YYYY-MM-DD, the local calendar day). No state: any
// thread may call it (localtime_r).
#include <string>

namespace onemap::gis {

/// Today in the local time zone, "2026-12-07".
[[nodiscard]] std::string todayIso();

}  // namespace onemap::gis
