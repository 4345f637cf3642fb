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
#include "onemap/gis/vector_io.hpp"
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
