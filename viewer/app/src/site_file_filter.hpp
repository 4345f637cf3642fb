#pragma once
// The open dialog's filters for site files: every format `check` reads, taken from the site
// format registry (ONEMAP_SITE_FORMATS) and the OGR formats sites come in. Any thread.
#include <QString>

namespace onemap::viewer {

/// "选址文件 Sites (*.gpkg *.shp … *.txt *.kml … *.dxf *.csv …);;<one per format>;;All (*)":
/// the first (default) filter holds every extension.
[[nodiscard]] QString sitesFileFilter();

}  // namespace onemap::viewer
