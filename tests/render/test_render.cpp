// Renderer: bare renders checked pixel by pixel at known map coordinates; full layouts
// checked for legend, labels and real (extractable) Chinese text in the PDF.
#include <unistd.h>

#include <QImage>
#include <catch2/catch.hpp>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "../test_support.hpp"
#include "onemap/cli/run.hpp"
#include "onemap/gis/layer/layer_writer.hpp"
#include "onemap/render/map_renderer.hpp"
#include "onemap/render/qt_messages.hpp"

using namespace onemap;
namespace fs = std::filesystem;

namespace {

using test::capture;

// Two squares: A (red) 0..60, B (blue) 40..100 drawn above A; map extent 0..100 × 0..100.
std::shared_ptr<const core::OneMap> twoSquares(const fs::path& dir) {
    fs::remove_all(dir);
    fs::create_directories(dir);
    auto square = [](const char* name, const char* wkt) {
        return test::layerOf(name, {gis::Geometry::fromWkt(wkt)});
    };
    const auto a = square(
        "a",
        "POLYGON((500000 3400000,500060 3400000,500060 3400060,500000 3400060,500000 3400000))");
    const auto b = square(
        "b",
        "POLYGON((500040 3400040,500100 3400040,500100 3400100,500040 3400100,500040 3400040))");
    gis::writeLayers((dir / "l.gpkg").string(), {&a, &b});
    std::ofstream(dir / "plan.toml") << R"(name = "squares"
crs = "EPSG:4549"
[[layers]]
id = "a"
title = "甲"
source = "l.gpkg"
table = "a"
[layers.style]
fill = "#ff0000"
stroke = "none"
[[layers]]
id = "b"
title = "乙"
source = "l.gpkg"
table = "b"
[layers.style]
fill = "#0000ff"
stroke = "none"
)";
    return core::OneMap::load(core::Plan::load((dir / "plan.toml").string()));
}

QColor pixelAt(const QImage& img, const render::ViewTransform& v, double x, double y) {
    const QPointF p = v.toPixel(x, y);
    return img.pixelColor(static_cast<int>(p.x()), static_cast<int>(p.y()));
}

}  // namespace

TEST_CASE("Bare render: fills at known coordinates, white outside, file order", "[render]") {
    const auto map = twoSquares(onemap::test::scratch("render-squares"));
    const render::MapRenderer renderer(map);
    render::RenderOptions o;
    o.size = QSize(200, 100);  // wider than the 100 × 100 m extent: widened around the centre
    o.bare = true;
    o.extent = gis::Envelope{500000, 3400000, 500100, 3400100};
    const QImage img = renderer.renderImage(o);
    const render::ViewTransform view(*o.extent, QRectF(0, 0, 200, 100));
    // The widened extent: 200 m across, 100 m down, same centre (hand-worked).
    CHECK(view.extent().minx == Approx(499950));
    CHECK(view.extent().maxx == Approx(500150));
    CHECK(view.unitsPerPixel() == Approx(1.0));
    CHECK(pixelAt(img, view, 500020, 3400020) == QColor(255, 0, 0));      // A only
    CHECK(pixelAt(img, view, 500050, 3400050) == QColor(0, 0, 255));      // both: B is drawn above
    CHECK(pixelAt(img, view, 500080, 3400080) == QColor(0, 0, 255));      // B only
    CHECK(pixelAt(img, view, 500090, 3400010) == QColor(255, 255, 255));  // neither
    CHECK(pixelAt(img, view, 499960, 3400050) == QColor(255, 255, 255));  // the widened margin
    // --layers b: A disappears.
    o.layers = std::vector<std::string>{"b"};
    const QImage onlyB = renderer.renderImage(o);
    CHECK(pixelAt(onlyB, view, 500020, 3400020) == QColor(255, 255, 255));
    o.layers = std::vector<std::string>{"nope"};
    CHECK_THROWS_WITH(renderer.renderImage(o), Catch::Contains("nope"));
}

TEST_CASE("onemap render: PNG layout of the sample has a legend and labels", "[render][cli]") {
    const fs::path dir = onemap::test::scratch("render-sample");
    fs::remove_all(dir);
    fs::create_directories(dir);
    std::ostringstream out, err;
    const std::string png = (dir / "map.png").string();
    REQUIRE(cli::run({"render", "--sites", std::string(ONEMAP_SAMPLE_DIR) + "/sites.gpkg", "-o",
                      png, "--size", "1200x850"},
                     out, err) == 0);
    QImage img(QString::fromStdString(png));
    REQUIRE(img.width() == 1200);
    // The legend panel (right) and the title (top) hold dark pixels: drawn text and symbols.
    auto darkPixels = [&](QRect r) {
        int n = 0;
        for (int y = r.top(); y <= r.bottom(); ++y)
            for (int x = r.left(); x <= r.right(); ++x)
                n += img.pixelColor(x, y).lightness() < 100 ? 1 : 0;
        return n;
    };
    CHECK(darkPixels(QRect(1200 - 250, 60, 230, 300)) > 500);
    CHECK(darkPixels(QRect(10, 5, 400, 45)) > 200);
}

TEST_CASE("onemap render: vector PDF with embedded CJK font and real Chinese text",
          "[render][cli]") {
    const fs::path dir = onemap::test::scratch("render-pdf");
    fs::remove_all(dir);
    fs::create_directories(dir);
    const std::string pdf = (dir / "map.pdf").string();
    std::ostringstream out, err;
    REQUIRE(cli::run({"render", "-o", pdf}, out, err) == 0);
    const std::string fonts = capture("pdffonts " + pdf);
    CHECK(fonts.find("yes") != std::string::npos);  // embedded
    const std::string text = capture("pdftotext " + pdf + " -");
    for (const char* s :
         {"长三角G60科创走廊", "永久基本农田", "生态保护红线", "城镇开发边界", "图例", "杭州市"}) {
        INFO(s);
        CHECK(text.find(s) != std::string::npos);
    }
}

TEST_CASE("onemap render: bad input is exit 2 and writes nothing", "[render][cli]") {
    const fs::path dir = onemap::test::scratch("render-bad");
    fs::remove_all(dir);
    fs::create_directories(dir);
    const std::string png = (dir / "x.png").string();
    for (const std::vector<std::string>& args :
         {std::vector<std::string>{"render", "-o", png, "--size", "12x"},
          std::vector<std::string>{"render", "-o", png, "--extent", "1,2,3"},
          std::vector<std::string>{"render", "-o", png, "--extent", "5,5,1,1"},
          std::vector<std::string>{"render", "-o", (dir / "x.tif").string()},
          std::vector<std::string>{"render", "-o", png, "--layers", "nope"}}) {
        std::ostringstream out, err;
        CHECK(cli::run(args, out, err) == 2);
        CHECK_FALSE(err.str().empty());
    }
    CHECK(fs::is_empty(dir));
}

TEST_CASE("Qt's warnings reach stderr once each, as short lines, and never as a flood",
          "[render][safety]") {
    render::installQtMessageFilter();
    const auto dir = test::scratch("qt-messages");
    const std::string log = (dir / "stderr.txt").string();
    std::fflush(stderr);
    const int saved = ::dup(2);
    FILE* file = std::fopen(log.c_str(), "w");
    REQUIRE(file);
    ::dup2(::fileno(file), 2);
    for (int i = 0; i < 40; ++i) qWarning("font warning %d\nsecond line", i % 20);
    qWarning("%s", std::string(2000, 'x').c_str());
    qDebug("debug noise");
    std::fflush(stderr);
    ::dup2(saved, 2);
    ::close(saved);
    std::fclose(file);
    std::ifstream in(log);
    std::vector<std::string> lines;
    for (std::string line; std::getline(in, line);) lines.push_back(line);
    REQUIRE(lines.size() == 6);  // five distinct messages, then one notice
    CHECK(lines[0] == "qt: font warning 0 second line");
    CHECK(lines[4] == "qt: font warning 4 second line");
    CHECK(lines[5] == "qt: (further Qt messages suppressed)");
}

namespace {

// A 40 × 40 grid of 1 m squares every 50 m (sub-pixel at 10 m a pixel), a tight cluster of
// 20 more inside one pixel, and a 400 km line across everything.
std::shared_ptr<const core::OneMap> grainsAndLine(const fs::path& dir) {
    fs::remove_all(dir);
    fs::create_directories(dir);
    std::vector<gis::Geometry> grains;
    auto square = [](double x, double y, double side) {
        return gis::Geometry::polygon(
            {{{x, y}, {x + side, y}, {x + side, y + side}, {x, y + side}, {x, y}}});
    };
    for (int i = 0; i < 40; ++i)
        for (int j = 0; j < 40; ++j)
            grains.push_back(square(500000 + 50 * i + 20, 3400000 + 50 * j + 20, 1));
    for (int k = 0; k < 20; ++k)  // all inside the pixel 500003..500007 × 3401003..3401007
        grains.push_back(square(500003 + 0.2 * k, 3401003 + 0.2 * k, 0.1));
    const auto g = test::layerOf("grains", grains);
    const auto line =
        test::layerOf("axis", {gis::Geometry::lineString({{300000, 3400525}, {700000, 3400525}})});
    gis::writeLayers((dir / "l.gpkg").string(), {&g, &line});
    std::ofstream(dir / "plan.toml") << R"(name = "grains"
crs = "EPSG:4549"
[[layers]]
id = "grains"
title = "grains"
source = "l.gpkg"
table = "grains"
[layers.style]
fill = "#00aa00"
stroke = "none"
[[layers]]
id = "axis"
title = "轴线"
source = "l.gpkg"
table = "axis"
)";
    return core::OneMap::load(core::Plan::load((dir / "plan.toml").string()));
}

}  // namespace

TEST_CASE(
    "Frames: sub-pixel features are one dot at their pixel, long lines cut to a close-up "
    "still cross it, a kept image repaints whole",
    "[render]") {
    const auto map = grainsAndLine(onemap::test::scratch("render-grains"));
    const render::MapRenderer renderer(map);
    render::RenderOptions o;
    o.size = QSize(200, 200);
    o.bare = true;
    o.layers = std::vector<std::string>{"grains"};
    o.extent = gis::Envelope{500000, 3400000, 502000, 3402000};  // 10 m a pixel
    QImage kept = renderer.renderImage(o);
    const render::ViewTransform view(*o.extent, QRectF(0, 0, 200, 200));
    REQUIRE(view.unitsPerPixel() == Approx(10.0));
    const QColor green(0, 0xaa, 0), white(255, 255, 255);
    int greenPixels = 0;
    for (int y = 0; y < 200; ++y)
        for (int x = 0; x < 200; ++x) greenPixels += kept.pixelColor(x, y) == green;
    // Hand count: 1,600 grains 5 px apart, each its own pixel, and one for the cluster.
    CHECK(greenPixels == 1601);
    for (int i = 0; i < 40; i += 7)
        for (int j = 0; j < 40; j += 7) {
            CHECK(pixelAt(kept, view, 500020.5 + 50 * i, 3400020.5 + 50 * j) == green);
            CHECK(pixelAt(kept, view, 500045 + 50 * i, 3400045 + 50 * j) == white);
        }
    CHECK(pixelAt(kept, view, 500005, 3401005) == green);  // the cluster

    // A close-up (100 m across) of the 400 km line: drawn from edge to edge.
    render::RenderOptions close = o;
    close.layers = std::vector<std::string>{"axis"};
    close.extent = gis::Envelope{500000, 3400475, 500100, 3400575};
    const QImage line = renderer.renderImage(close);
    const render::ViewTransform closeView(*close.extent, QRectF(0, 0, 200, 200));
    for (const double x : {500001.0, 500050.0, 500099.0}) {
        const QColor c = pixelAt(line, closeView, x, 3400525);
        CHECK(c.red() > 200);
        CHECK(c.blue() < 120);
        CHECK(pixelAt(line, closeView, x, 3400550) == white);
    }
    // Drawing the close-up into the kept image leaves nothing of the grains behind.
    renderer.renderInto(kept, close);
    CHECK(kept == line);
    // And the same frame twice is the same image (labels and dots come from caches).
    const auto layout =
        core::OneMap::load(core::Plan::load(std::string(ONEMAP_SAMPLE_DIR) + "/g60.toml"));
    const render::MapRenderer sample(layout);
    render::RenderOptions whole;
    whole.size = QSize(800, 600);
    CHECK(sample.renderImage(whole) == sample.renderImage(whole));
}

TEST_CASE("onemap render --as-of: the footer names the day and the versions drawn",
          "[render][cli]") {
    const fs::path dir = onemap::test::scratch("render-versions");
    auto square = [](double x0, double y0, double side) {
        return gis::Geometry::polygon(
            {{{x0, y0}, {x0 + side, y0}, {x0 + side, y0 + side}, {x0, y0 + side}, {x0, y0}}});
    };
    gis::writeLayer((dir / "old.gpkg").string(),
                    test::layerOf("devbound", {square(500000, 3400000, 1000)}));
    gis::writeLayer((dir / "new.gpkg").string(),
                    test::layerOf("devbound", {square(500500, 3400000, 1000)}));
    std::ofstream(dir / "plan.toml") << R"(name = "版本地图"
crs = "EPSG:4549"
[[layers]]
id = "devbound"
title = "城镇开发边界"
table = "devbound"
[[layers.versions]]
from = "2021-03-01"
source = "old.gpkg"
doc = "示例〔2021〕1号"
[[layers.versions]]
from = "2024-06-30"
source = "new.gpkg"
doc = "示例〔2024〕3号"
)";
    const std::string pdf = (dir / "map.pdf").string();
    std::ostringstream out, err;
    REQUIRE(cli::run({"render", (dir / "plan.toml").string(), "-o", pdf, "--as-of", "2022-05-01"},
                     out, err) == 0);
    const std::string text = capture("pdftotext " + pdf + " -");
    INFO(text);
    CHECK(text.find("规划基准日 2022-05-01") != std::string::npos);
    CHECK(text.find("devbound 2021-03-01 示例〔2021〕1号") != std::string::npos);
    CHECK(text.find("示例〔2024〕3号") == std::string::npos);
    // Before the first version nothing is in force: exit 2 with one line, no file.
    std::ostringstream out2, err2;
    const std::string early = (dir / "early.png").string();
    CHECK(cli::run({"render", (dir / "plan.toml").string(), "-o", early, "--as-of", "2020-01-01"},
                   out2, err2) == 2);
    CHECK(err2.str().find("no layer is in force on 2020-01-01") != std::string::npos);
    CHECK_FALSE(fs::exists(early));
}
