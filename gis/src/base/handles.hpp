#pragma once
// The one place where GDAL, GEOS and PROJ objects get owners. Nobody calls a
// destroy function by hand: everything lives in these unique_ptrs.
#include <gdal_priv.h>
#include <geos_c.h>
#include <ogr_spatialref.h>
#include <proj.h>

#include <memory>
#include <string>

namespace onemap::gis::detail {

/// The GEOS context of the calling thread (created on first use, with error capture).
GEOSContextHandle_t geos();
/// The last error GEOS reported on this thread ("" if none); cleared on read.
std::string takeGeosError();
/// The PROJ context of the calling thread.
PJ_CONTEXT* proj();
/// The CRS object for a definition text (as Crs::definition()) on the calling thread's
/// context, made on first use and owned by the thread (never share it). Throws Error.
PJ* crsObject(const std::string& definition);
/// A per-thread slot for an object holding PJs of this thread's context; emptied at
/// thread exit before the context dies (a separate thread_local could outlive it).
std::shared_ptr<void>& threadProjObject(const std::string& key);
/// Registers GDAL drivers once and routes GDAL errors into our messages.
void initGdal();
/// The last GDAL error message on this thread (CPLGetLastErrorMsg), or a fallback.
std::string gdalError(const char* fallback);

struct GeosGeomDeleter {
    void operator()(GEOSGeometry* g) const { GEOSGeom_destroy_r(geos(), g); }
};
struct GeosPreparedDeleter {
    void operator()(const GEOSPreparedGeometry* g) const { GEOSPreparedGeom_destroy_r(geos(), g); }
};
struct PjDeleter {
    void operator()(PJ* p) const { proj_destroy(p); }
};
struct GdalDatasetDeleter {
    void operator()(GDALDataset* d) const { GDALClose(GDALDataset::ToHandle(d)); }
};
struct OgrFeatureDeleter {
    void operator()(OGRFeature* f) const { OGRFeature::DestroyFeature(f); }
};
struct OgrGeometryDeleter {
    void operator()(OGRGeometry* g) const { OGRGeometryFactory::destroyGeometry(g); }
};

using GeosGeomPtr = std::unique_ptr<GEOSGeometry, GeosGeomDeleter>;
using GeosPreparedPtr = std::unique_ptr<const GEOSPreparedGeometry, GeosPreparedDeleter>;
using PjPtr = std::unique_ptr<PJ, PjDeleter>;
using GdalDatasetPtr = std::unique_ptr<GDALDataset, GdalDatasetDeleter>;
using OgrFeaturePtr = std::unique_ptr<OGRFeature, OgrFeatureDeleter>;
using OgrGeometryPtr = std::unique_ptr<OGRGeometry, OgrGeometryDeleter>;

/// Collects the GDAL errors raised on this thread while it lives (a CPLPushErrorHandlerEx
/// scope: GDAL's handler stack is per thread). Failures, and warnings that say the data is
/// damaged ("malformed", "corrupt", ...), are kept; a read that saw one is not trusted.
class GdalErrorCapture {
  public:
    GdalErrorCapture();
    ~GdalErrorCapture();
    GdalErrorCapture(const GdalErrorCapture&) = delete;
    GdalErrorCapture& operator=(const GdalErrorCapture&) = delete;
    /// The first failure (or damage warning) seen, "" if none.
    [[nodiscard]] const std::string& failure() const { return failure_; }
    void clear() { failure_.clear(); }

  private:
    static void CPL_STDCALL handle(CPLErr level, CPLErrorNum num, const char* msg);
    std::string failure_;
};

/// Wraps a GEOS result; throws onemap::Error with `what` and GEOS's message if null.
GeosGeomPtr checked(GEOSGeometry* g, const char* what);

}  // namespace onemap::gis::detail
