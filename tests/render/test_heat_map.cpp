// The heat map through the renderer: the colour ramp against its stops worked by hand, a small
// grid drawn bare and read back pixel by pixel (transparent where 0 or missing), the admin
// boundaries over it as outlines, the legend's text, and `onemap heat -o x.png` end to end.
#include <QImage>
#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <filesystem>
#include <fstream>

#include "../test_support.hpp"
#include "onemap/gis/layer/layer_writer.hpp"
#include "onemap/render/colour_ramp.hpp"
#include "onemap/render/heat_layer.hpp"
#include "onemap/render/map_renderer.hpp"

using namespace onemap;
namespace fs = std::filesystem;

namespace {

// YlOrRd, 5 classes (ColorBrewer), and the colour at t, worked here on its own.
const int kHeat[5][3] = {
    {255, 255, 178}, {254, 204, 92}, {253, 141, 60}, {240, 59, 32}, {189, 0, 38}};
QRgb expectedHeat(double t) {
    const double s = t * 4;
    const int i = std::min(3, static_cast<int>(std::floor(s)));
    const double f = s - i;
    int c[3];
    for (int k = 0; k < 3; ++k)
        c[k] = static_cast<int>(std::lround(kHeat[i][k] + (kHeat[i + 1][k] - kHeat[i][k]) * f));
    return qRgb(c[0], c[1], c[2]);
}

// A plan with an admin layer (one green square, 500000..500040 × 3400000..3400030) and a point
// layer of three points.
std::string squarePlan(const fs::path& dir) {
    fs::remove_all(dir);
    fs::create_directories(dir);
    const auto city =
        test::layerOf("city", {test::rect(500000, 3400000, 500040, 3400030)}, {"甲市"});
    auto points = test::layerOf(
        "pts", {gis::Geometry::point(500010, 3400010), gis::Geometry::point(500012, 3400011),
                gis::Geometry::point(500030, 3400020)});
    gis::writeLayers((dir / "l.gpkg").string(), {&city, &points});
    std::ofstream(dir / "plan.toml") << R"(name = "heat squares"
crs = "EPSG:4549"
[[layers]]
id = "city"
title = "城市"
source = "l.gpkg"
table = "city"
role = "admin"
label = "id"
[layers.style]
fill = "#00ff00"
stroke = "#000000"
[[layers]]
id = "pts"
title = "设施"
source = "l.gpkg"
table = "pts"
)";
    return (dir / "plan.toml").string();
}

std::size_t filesIn(const fs::path& dir) {
    return static_cast<std::size_t>(std::distance(fs::directory_iterator(dir), {}));
}

}  // namespace

TEST_CASE("Heat map: the ramps' colours are their stops, interpolated", "[render][heat]") {
    const auto heat = render::ColourRamp::named("heat");
    REQUIRE(heat);
    for (const double t : {0.0, 0.1, 0.25, 0.3, 0.5, 0.77, 0.99, 1.0})
        CHECK(heat->at(t).rgb() == expectedHeat(t));
    CHECK(heat->at(-1).rgb() == expectedHeat(0));
    CHECK(heat->at(2).rgb() == expectedHeat(1));
    CHECK(heat->at(0.5).alpha() == 255);
    const auto blues = render::ColourRamp::named("blues");
    REQUIRE(blues);
    CHECK(blues->at(0).rgb() == qRgb(0xef, 0xf3, 0xff));
    CHECK(blues->at(1).rgb() == qRgb(0x08, 0x51, 0x9c));
    CHECK_FALSE(render::ColourRamp::named("rainbow"));
    CHECK_FALSE(render::ColourRamp::named("Heat"));
}

TEST_CASE("Heat map: a known grid drawn bare, each cell its ramp colour, 0 and nodata clear",
          "[render][heat]") {
    const auto dir = test::scratch("heat-map-bare");
    const auto map = core::OneMap::load(core::Plan::load(squarePlan(dir)));
    // 4 × 3 cells of 10 m over the square, values with a known maximum of 8.
    render::HeatLayer heat;
    heat.grid = gis::RasterGrid{500000, 3400030, 10, 4, 3};
    heat.values = {0, 1, 2, 3, 4, 5, -9999, 6, std::nan(""), 7, 8, 0.5};
    REQUIRE(render::heatMaximum(heat) == 8);
    const QImage cells = render::heatImage(heat);
    REQUIRE(cells.size() == QSize(4, 3));
    for (int row = 0; row < 3; ++row)
        for (int column = 0; column < 4; ++column) {
            const double v = heat.values[std::size_t(row * 4 + column)];
            const QRgb got = cells.pixel(column, row);
            INFO("cell " << row << "," << column << " = " << v);
            if (!(v > 0)) {
                CHECK(qAlpha(got) == 0);
            } else {
                CHECK(qAlpha(got) == 255);
                CHECK((got & 0xffffff) == (expectedHeat(v / 8) & 0xffffff));
            }
        }
    // Drawn 10 px a cell (the extent is the grid's, the image its aspect): no layers, a white
    // background where the cell is clear.
    render::RenderOptions o;
    o.size = QSize(40, 30);
    o.bare = true;
    o.extent = gis::Envelope{500000, 3400000, 500040, 3400030};
    o.layers = std::vector<std::string>{};
    o.heat = &heat;
    const render::MapRenderer renderer(map);
    const QImage image = renderer.renderImage(o);
    for (int row = 0; row < 3; ++row)
        for (int column = 0; column < 4; ++column) {
            const double v = heat.values[std::size_t(row * 4 + column)];
            const QRgb got = image.pixel(column * 10 + 5, row * 10 + 5) & 0xffffff;
            INFO("cell " << row << "," << column << " = " << v);
            CHECK(got == (v > 0 ? expectedHeat(v / 8) & 0xffffff : 0xffffffu));
        }
    // The admin layer over it with polygonOutlines (100 px a cell; its name in the middle): its
    // green fill never hides the heat.
    o.size = QSize(400, 300);
    o.layers = std::vector<std::string>{"city"};
    o.polygonOutlines = true;
    const QImage over = renderer.renderImage(o);
    CHECK((over.pixel(350, 50) & 0xffffff) == (expectedHeat(3.0 / 8) & 0xffffff));
    CHECK((over.pixel(150, 250) & 0xffffff) == (expectedHeat(7.0 / 8) & 0xffffff));
    CHECK((over.pixel(250, 150) & 0xffffff) == 0xffffffu);  // nodata: clear
    o.polygonOutlines = false;                              // the fill, as `render` draws it
    CHECK((renderer.renderImage(o).pixel(350, 50) & 0xffffff) == 0x00ff00u);
}

TEST_CASE("Heat map: cells smaller than pixels, each pixel the colour of its cells' average",
          "[render][heat]") {
    const auto dir = test::scratch("heat-map-fine");
    const auto map = core::OneMap::load(core::Plan::load(squarePlan(dir)));
    // 80 × 60 cells of 0.5 m drawn 40 × 30 pixels: each pixel 2 × 2 cells.
    render::HeatLayer heat;
    heat.grid = gis::RasterGrid{500000, 3400030, 0.5, 80, 60};
    heat.values.resize(heat.grid.cells());
    for (std::size_t i = 0; i < heat.values.size(); ++i)
        heat.values[i] = i % 11 == 3 ? -9999 : double((i * 7) % 13);
    double maximum = 0;
    for (const double v : heat.values) maximum = std::max(maximum, v);
    render::RenderOptions o;
    o.size = QSize(40, 30);
    o.bare = true;
    o.extent = gis::Envelope{500000, 3400000, 500040, 3400030};
    o.layers = std::vector<std::string>{};
    o.heat = &heat;
    const QImage image = render::MapRenderer(map).renderImage(o);
    for (int y = 0; y < 30; ++y)
        for (int x = 0; x < 40; ++x) {
            double sum = 0;
            int n = 0;
            for (int row = 2 * y; row < 2 * y + 2; ++row)
                for (int column = 2 * x; column < 2 * x + 2; ++column) {
                    const double v = heat.values[std::size_t(row * 80 + column)];
                    if (v == -9999) continue;
                    sum += v;
                    ++n;
                }
            const double mean = n ? sum / n : 0;
            INFO("pixel " << x << "," << y << " mean " << mean);
            CHECK((image.pixel(x, y) & 0xffffff) ==
                  (mean > 0 ? expectedHeat(mean / maximum) & 0xffffff : 0xffffffu));
        }
}

TEST_CASE("Heat map: the legend says units, kernel, radius and cell, and is drawn",
          "[render][heat]") {
    render::HeatLayer heat;
    heat.grid = gis::RasterGrid{500000, 3400030, 10, 4, 3};
    heat.values = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 1234.4};
    heat.kernel = gis::Kernel::Epanechnikov;
    heat.radius = 1500;
    const auto lines = render::heatLegendLines(heat);
    REQUIRE(lines.size() == 3);
    CHECK(lines[0].toStdString() == "每平方公里 per km²");
    CHECK(lines[1].toStdString() == "核 kernel: epanechnikov, 半径 radius 1500 m");
    CHECK(lines[2].toStdString() == "格网 cell 10 m");
    CHECK(render::heatValueLabel(1234.4).toStdString() == "1234");
    CHECK(render::heatValueLabel(0.051234).toStdString() == "0.0512");
    CHECK(render::heatValueLabel(3.2712).toStdString() == "3.27");

    // A full layout: the heat block's text boxes lie in the legend, and there is ink there.
    const auto dir = test::scratch("heat-map-legend");
    const auto map = core::OneMap::load(core::Plan::load(squarePlan(dir)));
    const render::MapRenderer renderer(map);
    render::RenderOptions o;
    o.size = QSize(900, 600);
    o.heat = &heat;
    render::RenderRecord with, without;
    const QImage image = renderer.renderImage(o, &with);
    o.heat = nullptr;
    (void)renderer.renderImage(o, &without);
    REQUIRE(with.layoutText.size() == without.layoutText.size() + 6);  // heading, 0, max, 3 lines
    std::size_t inked = 0;
    for (const auto& box : with.layoutText) {
        if (box.left() < with.frame.right()) continue;  // the legend is right of the frame
        for (int y = int(box.top()); y < int(box.bottom()); ++y)
            for (int x = int(box.left()); x < int(box.right()); ++x)
                if (qGray(image.pixel(x, y)) < 128) ++inked;
    }
    CHECK(inked > 200);
}

TEST_CASE(
    "Heat map: onemap heat -o x.tif -o x.png writes both, and bad PNG arguments exit 2 with "
    "nothing written",
    "[render][heat]") {
    const auto dir = test::scratch("heat-map-cli");
    const std::string plan = squarePlan(dir / "plan");
    const auto out = dir / "out";
    fs::create_directories(out);
    const std::string png = (out / "h.png").string(), tif = (out / "h.tif").string();
    const std::vector<std::string> base{"heat",     plan, "--layer", "pts",
                                        "--radius", "15", "--cell",  "2"};
    const std::vector<std::pair<std::vector<std::string>, std::string>> bad{
        {{"--ramp", "rainbow", "-o", png}, "'rainbow' is not heat or blues"},
        {{"--size", "10x10", "-o", png}, "--size"},
        {{"--size", "big", "-o", png}, "--size"},
        {{"-o", png, "-o", (out / "g.png").string()}, "one GeoTIFF and one PNG at most"},
        {{"-o", (out / "h.jpg").string()}, ".png"},
        {{"--ramp", "rainbow", "-o", tif, "-o", png}, "rainbow"},
        {{"--kernel", "gaussian", "-o", tif, "-o", png}, "gaussian"},
    };
    for (const auto& [args, says] : bad) {
        auto with = base;
        with.insert(with.end(), args.begin(), args.end());
        const auto r = test::runCli(with);
        INFO(says << " → " << r.err);
        CHECK(r.code == 2);
        CHECK_THAT(r.err, Catch::Contains(says));
        CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
        CHECK(filesIn(out) == 0);
    }
    auto good = base;
    good.insert(good.end(), {"--ramp", "blues", "--size", "400x300", "-o", tif, "-o", png});
    const auto r = test::runCli(good);
    INFO(r.err);
    REQUIRE(r.code == 0);
    CHECK_THAT(r.err, Catch::Contains("PNG"));
    CHECK(filesIn(out) == 2);
    const QImage image(QString::fromStdString(png));
    CHECK(image.size() == QSize(400, 300));
}

TEST_CASE("Heat map: a plan's [[heatmaps]] drawn at its opacity, and by onemap render --heatmap",
          "[render][heat]") {
    const auto dir = test::scratch("heat-map-plan");
    const std::string planPath = squarePlan(dir / "plan");
    std::ofstream(planPath, std::ios::app) << R"(
[[heatmaps]]
id = "pts"
layer = "pts"
radius = 15
cell = 2
opacity = 0.5
)";
    const auto plan = core::Plan::load(planPath);
    REQUIRE(plan.heatmaps.size() == 1);
    const core::PlanHeatmap heatmap(plan, plan.heatmaps[0]);
    const render::HeatLayer heat = render::heatLayerOf(heatmap);
    CHECK(heat.opacity == 0.5);
    CHECK(heat.title == "设施 核密度");
    CHECK(heat.radius == 15);
    // The hottest cell's value where identify reads it, and its colour half over white.
    const auto hottest = static_cast<std::size_t>(
        std::max_element(heat.values.begin(), heat.values.end()) - heat.values.begin());
    const auto& g = heat.grid;
    const double cx = g.originX + (double(hottest % g.columns) + 0.5) * g.cellSize;
    const double cy = g.originY - (double(hottest / g.columns) + 0.5) * g.cellSize;
    REQUIRE(render::heatValueAt(heat, cx, cy).has_value());
    CHECK(*render::heatValueAt(heat, cx, cy) == heat.values[hottest]);
    CHECK_FALSE(render::heatValueAt(heat, g.originX - 1, cy).has_value());

    const render::MapRenderer renderer(core::OneMap::load(plan));
    render::RenderOptions o;
    o.bare = true;
    o.layers = std::vector<std::string>{};
    o.heat = &heat;
    o.size = QSize(int(g.columns) * 4, int(g.rows) * 4);
    o.extent = gis::Envelope{g.originX, g.originY - double(g.rows) * g.cellSize,
                             g.originX + double(g.columns) * g.cellSize, g.originY};
    const QImage image = renderer.renderImage(o);
    const render::ViewTransform view(*o.extent, QRectF(QPointF(0, 0), QSizeF(o.size)));
    const QPointF at = view.toPixel(cx, cy);
    const QRgb got = image.pixel(int(at.x()), int(at.y()));
    const QRgb top = expectedHeat(1.0);
    INFO(qRed(got) << "," << qGreen(got) << "," << qBlue(got));
    CHECK(std::abs(qRed(got) - (qRed(top) + 255) / 2.0) <= 2);
    CHECK(std::abs(qGreen(got) - (qGreen(top) + 255) / 2.0) <= 2);
    CHECK(std::abs(qBlue(got) - (qBlue(top) + 255) / 2.0) <= 2);

    const auto out = dir / "out";
    fs::create_directories(out);
    const std::string png = (out / "map.png").string();
    const auto ok = test::runCli({"render", planPath, "--heatmap", "pts", "-o", png});
    INFO(ok.err);
    CHECK(ok.code == 0);
    CHECK(QImage(QString::fromStdString(png)).width() == 1600);
    const auto bad =
        test::runCli({"render", planPath, "--heatmap", "gyms", "-o", (out / "bad.png").string()});
    CHECK(bad.code == 2);
    CHECK_THAT(bad.err, Catch::Contains("no heatmap 'gyms'"));
    CHECK(filesIn(out) == 1);
}
