// The GeoTIFF writer: GDAL's GTiff driver into a temporary sibling, renamed into place.
#include "onemap/gis/raster/geotiff_writer.hpp"

#include <cpl_string.h>
#include <gdal_priv.h>
#include <ogr_spatialref.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <limits>

#include "base/handles.hpp"
#include "onemap/gis/base/atomic_file.hpp"
#include "onemap/gis/base/error.hpp"
#include "onemap/gis/base/output_target.hpp"

namespace onemap::gis {
namespace {

// The temporary file, removed unless it was renamed into place.
class TemporaryFile {
  public:
    explicit TemporaryFile(std::string path) : path_(std::move(path)) {}
    ~TemporaryFile() {
        if (!path_.empty()) ::unlink(path_.c_str());
    }
    TemporaryFile(const TemporaryFile&) = delete;
    TemporaryFile& operator=(const TemporaryFile&) = delete;
    [[nodiscard]] const std::string& path() const { return path_; }
    void committed() { path_.clear(); }

  private:
    std::string path_;
};

// The GTiff creation options, as CSL owned here.
class CreationOptions {
  public:
    explicit CreationOptions(int tileSize) {
        const std::string tile = std::to_string(tileSize);
        list_ = CSLSetNameValue(list_, "TILED", "YES");
        list_ = CSLSetNameValue(list_, "BLOCKXSIZE", tile.c_str());
        list_ = CSLSetNameValue(list_, "BLOCKYSIZE", tile.c_str());
        list_ = CSLSetNameValue(list_, "COMPRESS", "DEFLATE");
        list_ = CSLSetNameValue(list_, "PREDICTOR", "3");  // floating point
        list_ = CSLSetNameValue(list_, "ZLEVEL", "1");     // fast; about as small here
        list_ = CSLSetNameValue(list_, "BIGTIFF", "IF_SAFER");
        list_ = CSLSetNameValue(list_, "NUM_THREADS", "ALL_CPUS");
    }
    ~CreationOptions() { CSLDestroy(list_); }
    CreationOptions(const CreationOptions&) = delete;
    CreationOptions& operator=(const CreationOptions&) = delete;
    [[nodiscard]] char** list() const { return list_; }

  private:
    char** list_ = nullptr;
};

int checkedSize(std::size_t n, const std::string& path) {
    if (n == 0 || n > static_cast<std::size_t>(std::numeric_limits<int>::max()))
        throw InputError(path + ": cannot write a raster of " + std::to_string(n) +
                         " cells on a side");
    return static_cast<int>(n);
}

void writeBand(GDALDataset& ds, const RasterGrid& grid, const std::vector<double>& values) {
    GDALRasterBand* band = ds.GetRasterBand(1);
    const int columns = static_cast<int>(grid.columns);
    constexpr std::size_t kRowsPerWrite = 256;
    for (std::size_t row = 0; row < grid.rows; row += kRowsPerWrite) {
        const std::size_t n = std::min(kRowsPerWrite, grid.rows - row);
        // GDAL's signature takes a non-const buffer; GF_Write only reads it.
        auto* data = const_cast<double*>(values.data() + row * grid.columns);
        if (band->RasterIO(GF_Write, 0, static_cast<int>(row), columns, static_cast<int>(n), data,
                           columns, static_cast<int>(n), GDT_Float64, 0, 0, nullptr) != CE_None)
            throw Error(detail::gdalError("writing the band failed"));
    }
}

void buildOverviews(GDALDataset& ds, const RasterGrid& grid, int tileSize) {
    std::vector<int> factors;
    for (std::size_t f = 2; std::min(grid.columns, grid.rows) / (f / 2) > std::size_t(tileSize);
         f *= 2)
        factors.push_back(static_cast<int>(f));
    if (factors.empty()) return;
    if (GDALBuildOverviews(GDALDataset::ToHandle(&ds), "AVERAGE", static_cast<int>(factors.size()),
                           factors.data(), 0, nullptr, nullptr, nullptr) != CE_None)
        throw Error(detail::gdalError("building overviews failed"));
}

}  // namespace

void writeGeoTiff(const std::string& path, const RasterGrid& grid, const Crs& crs,
                  const std::vector<double>& values, const GeoTiffOptions& options) {
    const int columns = checkedSize(grid.columns, path);
    const int rows = checkedSize(grid.rows, path);
    if (values.size() != grid.cells())
        throw Error("writeGeoTiff: " + std::to_string(values.size()) + " values for " +
                    std::to_string(grid.cells()) + " cells");
    detail::initGdal();
    const std::string target = resolveOutputTarget(path);
    requireWritableTarget(path, target);
    TemporaryFile tmp(temporarySibling(target));

    std::string failure;
    try {
        detail::GdalErrorCapture errors;
        GDALDriver* driver = GetGDALDriverManager()->GetDriverByName("GTiff");
        if (!driver) throw Error("GDAL has no GTiff driver");
        const CreationOptions creation(options.tileSize);
        detail::GdalDatasetPtr ds(
            driver->Create(tmp.path().c_str(), columns, rows, 1, GDT_Float32, creation.list()));
        if (!ds) throw Error(detail::gdalError("cannot create the file"));
        double transform[6] = {grid.originX, grid.cellSize, 0, grid.originY, 0, -grid.cellSize};
        if (ds->SetGeoTransform(transform) != CE_None)
            throw Error(detail::gdalError("cannot set the geotransform"));
        if (crs.isKnown()) {
            OGRSpatialReference srs;
            const auto code = crs.epsg();
            const bool ok = code ? srs.importFromEPSG(*code) == OGRERR_NONE
                                 : srs.importFromWkt(crs.wkt().c_str()) == OGRERR_NONE;
            if (!ok || ds->SetSpatialRef(&srs) != CE_None)
                throw Error("cannot set the CRS " + crs.label());
        }
        if (ds->GetRasterBand(1)->SetNoDataValue(options.noData) != CE_None)
            throw Error(detail::gdalError("cannot set nodata"));
        writeBand(*ds, grid, values);
        if (options.overviews) buildOverviews(*ds, grid, options.tileSize);
        ds.reset();  // closed: everything flushed
        if (!errors.failure().empty()) throw Error(errors.failure());
    } catch (const Error& e) {
        failure = e.what();
    }
    if (!failure.empty()) throw InputError(cannotWrite(path, target, failure));
    if (::rename(tmp.path().c_str(), target.c_str()) != 0)
        throw InputError(cannotWrite(path, target, std::strerror(errno)));
    tmp.committed();
}

}  // namespace onemap::gis
