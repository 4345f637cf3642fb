#pragma once
// gis/src only: the PROJ object of a Crs on the calling thread's context.
#include <proj.h>

#include "onemap/gis/crs/crs.hpp"

namespace onemap::gis::detail {

/// The calling thread's PJ for c (owned by the thread, never share it); null if c is unknown.
PJ* pjOf(const Crs& c);

}  // namespace onemap::gis::detail
