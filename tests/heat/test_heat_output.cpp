// The GeoTIFF writer (gis/raster) read back by GDAL, and `onemap heat` end to end on the
// bundled sample: bad inputs exit 2 with one line and no file, the same bytes on every run.
#include <gdal_alg.h>
#include <gdal_priv.h>
#include <ogr_spatialref.h>
#include <ogrsf_frmts.h>
#include <tbb/global_control.h>

#include <catch2/catch.hpp>
#include <cmath>
#include <filesystem>
#include <fstream>

#include "../test_support.hpp"
#include "onemap/core/heat/kernel_density.hpp"
#include "onemap/gis/base/atomic_file.hpp"
#include "onemap/gis/base/error.hpp"
#include "onemap/gis/layer/layer_writer.hpp"
#include "onemap/gis/raster/geotiff_writer.hpp"

namespace fs = std::filesystem;
using onemap::test::runCli;

namespace {

struct Raster {
    int columns = 0, rows = 0;
    double transform[6] = {};
    std::string epsg;
    double noData = 0;
    int hasNoData = 0;
    int blockX = 0, blockY = 0, overviews = 0;
    std::string compression;
    std::vector<float> values;
};

Raster readBack(const std::string& path) {
    GDALAllRegister();
    std::unique_ptr<GDALDataset> ds(
        GDALDataset::Open(path.c_str(), GDAL_OF_RASTER | GDAL_OF_READONLY));
    REQUIRE(ds);
    Raster r;
    r.columns = ds->GetRasterXSize();
    r.rows = ds->GetRasterYSize();
    REQUIRE(ds->GetGeoTransform(r.transform) == CE_None);
    const OGRSpatialReference* srs = ds->GetSpatialRef();
    REQUIRE(srs);
    r.epsg = srs->GetAuthorityCode(nullptr) ? srs->GetAuthorityCode(nullptr) : "";
    GDALRasterBand* band = ds->GetRasterBand(1);
    REQUIRE(band->GetRasterDataType() == GDT_Float32);
    r.noData = band->GetNoDataValue(&r.hasNoData);
    band->GetBlockSize(&r.blockX, &r.blockY);
    r.overviews = band->GetOverviewCount();
    const char* c = ds->GetMetadataItem("COMPRESSION", "IMAGE_STRUCTURE");
    r.compression = c ? c : "";
    r.values.resize(static_cast<std::size_t>(r.columns) * r.rows);
    REQUIRE(band->RasterIO(GF_Read, 0, 0, r.columns, r.rows, r.values.data(), r.columns, r.rows,
                           GDT_Float32, 0, 0, nullptr) == CE_None);
    return r;
}

std::size_t filesIn(const fs::path& dir) {
    return static_cast<std::size_t>(std::distance(fs::directory_iterator(dir), {}));
}

}  // namespace

TEST_CASE("Heat: the GeoTIFF reads back through GDAL as written", "[heat]") {
    const auto dir = onemap::test::scratch("heat-tif");
    onemap::gis::RasterGrid grid{500000, 3400000, 10, 700, 300};
    std::vector<double> values(grid.cells());
    for (std::size_t i = 0; i < values.size(); ++i) values[i] = std::sin(double(i)) * 1e3;
    const std::string path = (dir / "d.tif").string();
    onemap::gis::writeGeoTiff(path, grid, onemap::gis::Crs::fromEpsg(4549), values);
    const auto r = readBack(path);
    CHECK(r.columns == 700);
    CHECK(r.rows == 300);
    CHECK(r.transform[0] == 500000);
    CHECK(r.transform[1] == 10);
    CHECK(r.transform[2] == 0);
    CHECK(r.transform[3] == 3400000);
    CHECK(r.transform[5] == -10);
    CHECK(r.epsg == "4549");
    CHECK(r.hasNoData);
    CHECK(r.noData == -9999);
    CHECK(r.blockX == 256);
    CHECK(r.blockY == 256);
    CHECK(r.overviews >= 1);
    CHECK(r.compression == "DEFLATE");
    for (std::size_t i = 0; i < values.size(); ++i)
        REQUIRE(r.values[i] == static_cast<float>(values[i]));
    // Written again: the same bytes; nothing but the file in the folder.
    const auto first = onemap::gis::sha256File(path);
    onemap::gis::writeGeoTiff(path, grid, onemap::gis::Crs::fromEpsg(4549), values);
    CHECK(onemap::gis::sha256File(path) == first);
    CHECK(filesIn(dir) == 1);
    // A folder that does not exist: refused, nothing written.
    CHECK_THROWS_AS(onemap::gis::writeGeoTiff((dir / "no" / "d.tif").string(), grid,
                                              onemap::gis::Crs::fromEpsg(4549), values),
                    onemap::InputError);
    CHECK(filesIn(dir) == 1);
}

namespace {

// Every tile of every band and overview decompressed by GDAL, as `gdalinfo -checksum` does.
void checksumEverything(const std::string& path) {
    std::unique_ptr<GDALDataset> ds(
        GDALDataset::Open(path.c_str(), GDAL_OF_RASTER | GDAL_OF_READONLY));
    REQUIRE(ds);
    GDALRasterBand* band = ds->GetRasterBand(1);
    CPLErrorReset();
    std::vector<GDALRasterBand*> bands{band};
    for (int i = 0; i < band->GetOverviewCount(); ++i) bands.push_back(band->GetOverview(i));
    for (auto* b : bands)
        GDALChecksumImage(GDALRasterBand::ToHandle(b), 0, 0, b->GetXSize(), b->GetYSize());
    CHECK(CPLGetLastErrorType() == CE_None);
}

}  // namespace

TEST_CASE("Heat: the GeoTIFF's overviews are the block averages of the values, nodata left out",
          "[heat]") {
    const auto dir = onemap::test::scratch("heat-tif-overviews");
    // 700 × 300 with 64² tiles: overviews at 2, 4 and 8 (the last ones cut short at the edges).
    onemap::gis::RasterGrid grid{400000, 3300000, 25, 700, 300};
    std::vector<double> values(grid.cells());
    for (std::size_t i = 0; i < values.size(); ++i) values[i] = std::cos(double(i) * 0.37) * 50;
    for (std::size_t row = 0; row < grid.rows; ++row)
        for (std::size_t column = 0; column < grid.columns; ++column) {
            const std::size_t i = row * grid.columns + column;
            if (row < 16 && column < 16) values[i] = -9999;       // whole blocks missing
            if ((row * 7 + column) % 13 == 0) values[i] = -9999;  // scattered
            if (row == 100 && column == 101) values[i] = std::nan("");
        }
    for (const auto compression :
         {onemap::gis::GeoTiffCompression::Zstd, onemap::gis::GeoTiffCompression::Deflate}) {
        const bool zstd = compression == onemap::gis::GeoTiffCompression::Zstd;
        const std::string path = (dir / (zstd ? "z.tif" : "d.tif")).string();
        onemap::gis::GeoTiffOptions options;
        options.tileSize = 64;
        options.compression = compression;
        onemap::gis::writeGeoTiff(path, grid, onemap::gis::Crs::fromEpsg(4549), values, options);
        checksumEverything(path);
        const auto r = readBack(path);
        CHECK(r.compression == (zstd ? "ZSTD" : "DEFLATE"));
        CHECK(r.blockX == 64);
        CHECK(r.transform[0] == 400000);
        CHECK(r.transform[3] == 3300000);
        CHECK(r.transform[1] == 25);
        for (std::size_t i = 0; i < values.size(); ++i) {
            if (std::isnan(values[i]))
                REQUIRE(std::isnan(r.values[i]));
            else
                REQUIRE(r.values[i] == static_cast<float>(values[i]));
        }
        std::unique_ptr<GDALDataset> ds(
            GDALDataset::Open(path.c_str(), GDAL_OF_RASTER | GDAL_OF_READONLY));
        REQUIRE(ds);
        GDALRasterBand* band = ds->GetRasterBand(1);
        REQUIRE(band->GetOverviewCount() == 3);
        for (int level = 0; level < 3; ++level) {
            const std::size_t f = std::size_t(2) << level;
            GDALRasterBand* overview = band->GetOverview(level);
            const std::size_t columns = (grid.columns + f - 1) / f, rows = (grid.rows + f - 1) / f;
            REQUIRE(std::size_t(overview->GetXSize()) == columns);
            REQUIRE(std::size_t(overview->GetYSize()) == rows);
            int hasNoData = 0;
            CHECK(overview->GetNoDataValue(&hasNoData) == -9999);
            CHECK(hasNoData);
            std::vector<float> got(columns * rows);
            REQUIRE(overview->RasterIO(GF_Read, 0, 0, int(columns), int(rows), got.data(),
                                       int(columns), int(rows), GDT_Float32, 0, 0,
                                       nullptr) == CE_None);
            std::size_t empty = 0;
            for (std::size_t row = 0; row < rows; ++row)
                for (std::size_t column = 0; column < columns; ++column) {
                    double sum = 0;
                    std::size_t n = 0;  // the block, by brute force
                    for (std::size_t y = row * f; y < std::min(grid.rows, (row + 1) * f); ++y)
                        for (std::size_t x = column * f;
                             x < std::min(grid.columns, (column + 1) * f); ++x) {
                            const double v = values[y * grid.columns + x];
                            if (std::isnan(v) || v == -9999) continue;
                            sum += v;
                            ++n;
                        }
                    const float cell = got[row * columns + column];
                    INFO("level " << level << " row " << row << " column " << column);
                    if (n == 0) {
                        REQUIRE(cell == -9999);
                        ++empty;
                    } else {
                        REQUIRE(cell == Approx(sum / double(n)).margin(1e-4));
                    }
                }
            CHECK(empty == (16 / f) * (16 / f));  // the 16 × 16 corner; no other block is empty
        }
    }
}

TEST_CASE("Heat: onemap heat on the sample's stations equals the library's density", "[heat]") {
    const auto dir = onemap::test::scratch("heat-cli");
    const std::string out = (dir / "station.tif").string();
    const auto r = runCli({"heat", "--layer", "station", "--radius", "30000", "--cell", "2000",
                           "--as-of", "2026-12-07", "-o", out});
    INFO(r.err);
    REQUIRE(r.code == 0);
    CHECK_THAT(r.err, Catch::Contains("quartic kernel, radius 30000 m"));
    const auto tif = readBack(out);
    CHECK(tif.epsg == "4549");
    CHECK(tif.transform[1] == 2000);
    // The same points read by GDAL's own OGR, through the library: the same grid and values.
    GDALAllRegister();
    std::unique_ptr<GDALDataset> src(GDALDataset::Open(
        (std::string(ONEMAP_SAMPLE_DIR) + "/g60.gpkg").c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY));
    REQUIRE(src);
    std::vector<onemap::core::WeightedPoint> points;
    OGRLayer* stations = src->GetLayerByName("station");
    REQUIRE(stations);
    for (auto& f : *stations) {
        const auto* p = f->GetGeometryRef()->toPoint();
        points.push_back(onemap::core::WeightedPoint{p->getX(), p->getY(), 1.0});
    }
    onemap::core::DensityOptions o;
    o.radius = 30000;
    o.cellSize = 2000;
    const onemap::core::KernelDensity density(points, o);
    const auto values = density.compute();
    REQUIRE(std::size_t(tif.columns) == density.grid().columns);
    REQUIRE(std::size_t(tif.rows) == density.grid().rows);
    CHECK(tif.transform[0] == density.grid().originX);
    CHECK(tif.transform[3] == density.grid().originY);
    double sum = 0;
    for (std::size_t i = 0; i < values.size(); ++i) {
        REQUIRE(tif.values[i] == static_cast<float>(values[i]));
        sum += values[i] * 4;  // per km² × 4 km² a cell
    }
    CHECK(sum == Approx(double(points.size())).epsilon(1e-6));  // every disc inside

    // Polygons at their centroids; --where; the same bytes with 1 and 2 threads.
    CHECK(runCli({"heat", "--layer", "city", "--centroids", "--radius", "40000", "--cell", "5000",
                  "-o", (dir / "city.tif").string()})
              .code == 0);
    const std::string a = (dir / "a.tif").string(), b = (dir / "b.tif").string();
    const std::vector<std::string> args{"heat",         "--layer",          "station",
                                        "--where",      "city <> '松江区'", "--kernel",
                                        "epanechnikov", "--cell",           "1000"};
    {
        tbb::global_control limit(tbb::global_control::max_allowed_parallelism, 1);
        auto with = args;
        with.insert(with.end(), {"-o", a});
        REQUIRE(runCli(with).code == 0);
    }
    {
        tbb::global_control limit(tbb::global_control::max_allowed_parallelism, 2);
        auto with = args;
        with.insert(with.end(), {"-o", b});
        REQUIRE(runCli(with).code == 0);
    }
    CHECK(onemap::gis::sha256File(a) == onemap::gis::sha256File(b));
}

TEST_CASE("Heat: bad input exits 2 with one line and writes nothing", "[heat]") {
    const auto dir = onemap::test::scratch("heat-bad");
    // A plan of its own: points with a weight, one of them negative, and a text field.
    onemap::gis::VectorLayer layer;
    layer.name = "pts";
    layer.crs = onemap::gis::Crs::fromEpsg(4549);
    layer.geometryType = "Point";
    layer.fields = {{"w", onemap::gis::FieldType::Real}, {"name", onemap::gis::FieldType::String}};
    for (int i = 0; i < 4; ++i) {
        onemap::gis::Feature f;
        f.fid = i + 1;
        f.values = {i == 2 ? -1.5 : 2.0, std::string("p") + std::to_string(i)};
        f.geometry = onemap::gis::Geometry::point(500000 + i * 1000, 3400000 + i * 500);
        layer.features.push_back(std::move(f));
    }
    onemap::gis::writeLayer((dir / "pts.gpkg").string(), layer);
    // The same points with no CRS: never taken as the plan's.
    layer.name = "bare";
    layer.crs = onemap::gis::Crs();
    onemap::gis::writeLayer((dir / "bare.gpkg").string(), layer);
    const std::string plan = (dir / "plan.toml").string();
    std::ofstream(plan) << "name = \"heat\"\ncrs = \"EPSG:4549\"\n[[layers]]\nid = \"pts\"\n"
                           "title = \"points\"\nsource = \"pts.gpkg\"\n[[layers]]\nid = \"bare\"\n"
                           "title = \"no crs\"\nsource = \"bare.gpkg\"\n";
    const std::string out = (dir / "out.tif").string();
    const auto before = filesIn(dir);
    const std::vector<std::pair<std::vector<std::string>, std::string>> cases{
        {{plan, "--layer", "pts", "--weight", "w"}, "fid 3"},
        {{plan, "--layer", "pts", "--weight", "name"}, "holds text"},
        {{plan, "--layer", "pts", "--weight", "nope"}, "no field 'nope'"},
        {{plan, "--layer", "pts", "--radius", "0"}, "radius"},
        {{plan, "--layer", "pts", "--radius", "nan"}, "radius"},
        {{plan, "--layer", "pts", "--radius", "-3"}, "radius"},
        {{plan, "--layer", "pts", "--radius", "100", "--cell", "0.001"}, "GB"},
        {{plan, "--layer", "pts", "--radius", "100", "--extent", "1,2,3"}, "--extent"},
        {{plan, "--layer", "pts", "--kernel", "gaussian"}, "gaussian"},
        {{plan, "--layer", "pts", "--where", "1=1; DROP TABLE pts"}, ";"},
        {{plan, "--layer", "nope"}, "no layer 'nope'"},
        {{plan, "--layer", "bare", "--radius", "100"}, "has no CRS"},
        {{plan, "--layer", "pts", "--radius", "100", "--compress", "lzw"},
         "'lzw' is not deflate or zstd"},
    };
    for (const auto& [args, says] : cases) {
        auto with = args;
        with.insert(with.begin(), "heat");
        with.insert(with.end(), {"-o", out});
        const auto r = runCli(with);
        INFO(args.back() << " → " << r.err);
        CHECK(r.code == 2);
        CHECK_THAT(r.err, Catch::Contains(says));
        CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
        CHECK(filesIn(dir) == before);
    }
    // The sample's city boundaries are polygons: refused without --centroids.
    const auto poly = runCli({"heat", "--layer", "city", "--radius", "1000", "-o", out});
    CHECK(poly.code == 2);
    CHECK_THAT(poly.err, Catch::Contains("--centroids"));
    // Outputs that are neither a GeoTIFF nor a PNG, or a PNG with a bad ramp (or no renderer).
    const auto jpg = runCli({"heat", plan, "--layer", "pts", "-o", (dir / "out.jpg").string()});
    CHECK(jpg.code == 2);
    const auto png = runCli(
        {"heat", plan, "--layer", "pts", "--ramp", "nope", "-o", (dir / "out.png").string()});
    CHECK(png.code == 2);
    CHECK(filesIn(dir) == before);
    // The good weights alone work.
    CHECK(runCli({"heat", plan, "--layer", "pts", "--where", "w >= 0", "--weight", "w", "--radius",
                  "2000", "-o", out})
              .code == 0);
    CHECK(readBack(out).compression == "DEFLATE");
    CHECK(runCli({"heat", plan, "--layer", "pts", "--where", "w >= 0", "--radius", "2000",
                  "--compress", "zstd", "-o", out})
              .code == 0);
    CHECK(readBack(out).compression == "ZSTD");
}
