// A plan's [[heatmaps]] (core::PlanHeatmap): the sample's clinics against a brute force over the
// points GDAL's own OGR reads, the day's records only, the population grid summing to the
// census, and `onemap heat --heatmap` giving the bytes of the same options written out.
#include <gdal_priv.h>
#include <ogrsf_frmts.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <filesystem>
#include <numbers>

#include "../test_support.hpp"
#include "onemap/core/heat/plan_heatmap.hpp"
#include "onemap/gis/base/atomic_file.hpp"

namespace fs = std::filesystem;
using onemap::test::runCli;

namespace {

const std::string kSample = std::string(ONEMAP_SAMPLE_DIR) + "/g60.toml";

struct Point {
    double x, y, weight;
};

// The layer's points through OGR alone, filtered by SQL (nothing of onemap's reader).
std::vector<Point> ogrPoints(const std::string& table, const std::string& where,
                             const std::string& weightField = "") {
    GDALAllRegister();
    std::unique_ptr<GDALDataset> ds(GDALDataset::Open(
        (std::string(ONEMAP_SAMPLE_DIR) + "/g60.gpkg").c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY));
    REQUIRE(ds);
    OGRLayer* layer = ds->GetLayerByName(table.c_str());
    REQUIRE(layer);
    REQUIRE(layer->SetAttributeFilter(where.c_str()) == OGRERR_NONE);
    std::vector<Point> out;
    for (auto& f : *layer) {
        const auto* p = f->GetGeometryRef()->toPoint();
        out.push_back({p->getX(), p->getY(),
                       weightField.empty() ? 1.0 : f->GetFieldAsDouble(weightField.c_str())});
    }
    return out;
}

// The quartic density per km² at (x, y), written from ArcGIS's formula.
double quartic(const std::vector<Point>& points, double x, double y, double r) {
    double sum = 0;
    for (const auto& p : points) {
        const double d2 = (x - p.x) * (x - p.x) + (y - p.y) * (y - p.y);
        if (d2 < r * r)
            sum += p.weight * 3 / (std::numbers::pi * r * r) * std::pow(1 - d2 / (r * r), 2);
    }
    return sum * 1e6;
}

}  // namespace

TEST_CASE("Heat: the sample's clinics heat map equals a brute force over OGR's points", "[heat]") {
    const auto plan = onemap::core::Plan::load(kSample).inForceOn("2026-12-07");
    const auto* spec = plan.heatmap("clinics");
    REQUIRE(spec != nullptr);
    const onemap::core::PlanHeatmap heatmap(plan, *spec);
    const auto points = ogrPoints("services", "kind = '医疗' AND opened <= '2026-12-07'");
    REQUIRE(points.size() > 100);
    CHECK(heatmap.points() == points.size());
    CHECK(heatmap.density().radius() == 3000);
    const auto& g = heatmap.density().grid();
    CHECK(g.cellSize == 500);
    const auto values = heatmap.compute();
    REQUIRE(values.size() == g.cells());
    // Every 499th cell and the hottest one.
    std::vector<std::size_t> cells;
    for (std::size_t i = 0; i < values.size(); i += 499) cells.push_back(i);
    cells.push_back(
        static_cast<std::size_t>(std::max_element(values.begin(), values.end()) - values.begin()));
    int nonZero = 0;
    for (const auto i : cells) {
        const double x = g.originX + (double(i % g.columns) + 0.5) * g.cellSize;
        const double y = g.originY - (double(i / g.columns) + 0.5) * g.cellSize;
        const double expected = quartic(points, x, y, 3000);
        INFO("cell " << i);
        CHECK(values[i] == Approx(expected).epsilon(1e-9).margin(1e-12));
        nonZero += expected > 0;
    }
    CHECK(nonZero > 50);

    // On 2021-01-01 only the clinics opened by then count.
    const auto then = onemap::core::Plan::load(kSample).inForceOn("2021-01-01");
    const onemap::core::PlanHeatmap earlier(then, *then.heatmap("clinics"));
    const auto opened = ogrPoints("services", "kind = '医疗' AND opened <= '2021-01-01'");
    CHECK(earlier.points() == opened.size());
    CHECK(opened.size() < points.size());
}

TEST_CASE("Heat: the sample's population heat map holds the census, person for person", "[heat]") {
    const auto plan = onemap::core::Plan::load(kSample);
    const onemap::core::PlanHeatmap heatmap(plan, *plan.heatmap("population"));
    const auto cells = ogrPoints("population", "1 = 1", "pop");
    double people = 0;
    for (const auto& p : cells) people += p.weight;
    CHECK(people == 57927466);  // the 2020 census of the nine units (sample-data/README.md)
    const auto values = heatmap.compute();
    const auto& g = heatmap.density().grid();
    const double r = heatmap.density().radius();
    CHECK(r == 1500);
    const double cellKm2 = g.cellSize * g.cellSize / 1e6;
    double sum = 0;
    for (const double v : values) sum += v * cellKm2;
    // The population points lie on a 500 m lattice and so does the grid: every point sees the
    // same cells around it, and one point's discrete sum, worked here cell by cell, times the
    // residents is the grid's total (each disc lies inside the default extent).
    const Point first{cells[0].x, cells[0].y, 1};
    double one = 0;
    for (std::size_t row = 0; row < g.rows; ++row)
        for (std::size_t col = 0; col < g.columns; ++col) {
            const double x = g.originX + (double(col) + 0.5) * g.cellSize;
            const double y = g.originY - (double(row) + 0.5) * g.cellSize;
            if (std::abs(x - first.x) < r && std::abs(y - first.y) < r)
                one += quartic({first}, x, y, r) * cellKm2;
        }
    CHECK(one == Approx(1).epsilon(2e-2));  // the kernel integrates to about 1 on the cells
    CHECK(sum == Approx(people * one).epsilon(1e-9));
}

TEST_CASE("Heat: onemap heat --heatmap writes the bytes of the same options given by hand",
          "[heat]") {
    const auto dir = onemap::test::scratch("heat-heatmap");
    const std::string a = (dir / "declared.tif").string(), b = (dir / "by-hand.tif").string();
    const auto declared = runCli({"heat", "--heatmap", "clinics", "-o", a});
    INFO(declared.err);
    REQUIRE(declared.code == 0);
    REQUIRE(runCli({"heat", "--layer", "services", "--where", "kind = '医疗'", "--radius", "3000",
                    "--cell", "500", "-o", b})
                .code == 0);
    CHECK(onemap::gis::sha256File(a) == onemap::gis::sha256File(b));

    // Refused, one line, nothing written.
    const std::string out = (dir / "no.tif").string();
    const auto unknown = runCli({"heat", "--heatmap", "gyms", "-o", out});
    CHECK(unknown.code == 2);
    CHECK_THAT(unknown.err,
               Catch::Contains("no heatmap 'gyms' (it has clinics, schools, population)"));
    CHECK(runCli({"heat", "--heatmap", "clinics", "--radius", "10", "-o", out}).code == 2);
    // A day before any clinic opened: nothing to draw, said with the entry's line.
    const auto early = runCli({"heat", "--heatmap", "clinics", "--as-of", "1980-01-01", "-o", out});
    CHECK(early.code == 2);
    CHECK_THAT(early.err, Catch::Contains("g60.toml:"));
    CHECK_THAT(early.err,
               Catch::Contains(": heatmap 'clinics': heat: layer 'services' has no point "
                               "matching kind = '医疗' in force on 1980-01-01"));
    const auto neither = runCli({"heat", "-o", out});
    CHECK(neither.code == 2);
    CHECK_THAT(neither.err, Catch::Contains("give --layer LAYER or --heatmap ID"));
    CHECK_FALSE(fs::exists(out));
}
