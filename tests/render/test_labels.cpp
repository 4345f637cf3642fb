// Labels, colours and the layout's text: on the rendered sample no two labels overlap, none
// is cut by the frame, the names the issue found missing are there and really drawn; the
// verdict and diff colours are told apart from every layer colour (Lab distances computed
// here); the footer fits the page at the report's map size.
#include <QFontMetricsF>
#include <QImage>
#include <QPdfWriter>
#include <catch2/catch.hpp>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <numbers>
#include <sstream>

#include "../test_support.hpp"
#include "onemap/cli/run.hpp"
#include "onemap/core/check/compliance_engine.hpp"
#include "onemap/core/check/site_set.hpp"
#include "onemap/render/cjk_font.hpp"
#include "onemap/render/label_placer.hpp"
#include "onemap/render/map_renderer.hpp"
#include "onemap/render/style.hpp"

using namespace onemap;
namespace fs = std::filesystem;

namespace {

// The sample as of a fixed day, so that the footer's versions do not move with the clock.
std::shared_ptr<const core::OneMap> sampleMap() {
    return core::OneMap::load(
        core::Plan::load(std::string(ONEMAP_SAMPLE_DIR) + "/g60.toml").inForceOn("2026-12-07"));
}

// Overlap with area (touching edges is not overlap), computed by hand, not by QRectF.
bool overlaps(const QRectF& a, const QRectF& b) {
    const double w = std::min(a.right(), b.right()) - std::max(a.left(), b.left());
    const double h = std::min(a.bottom(), b.bottom()) - std::max(a.top(), b.top());
    return w > 1e-9 && h > 1e-9;
}

bool within(const QRectF& inner, const QRectF& outer) {
    return inner.left() >= outer.left() - 1e-9 && inner.top() >= outer.top() - 1e-9 &&
           inner.right() <= outer.right() + 1e-9 && inner.bottom() <= outer.bottom() + 1e-9;
}

// Does the segment pass through the inside of r (sampled every 0.1 px)?
bool segmentEnters(const QLineF& s, const QRectF& r) {
    const QRectF in = r.adjusted(0.6, 0.6, -0.6, -0.6);
    const int steps = static_cast<int>(s.length() * 10) + 1;
    for (int i = 0; i <= steps; ++i)
        if (in.contains(s.pointAt(static_cast<double>(i) / steps))) return true;
    return false;
}

// The truths a placement must hold, checked pair by pair.
void checkPlacement(const render::RenderRecord& r) {
    REQUIRE(!r.labels.empty());
    for (std::size_t i = 0; i < r.labels.size(); ++i) {
        const auto& a = r.labels[i];
        INFO(a.text.toStdString());
        CHECK(within(a.box, r.frame));
        // The box holds the whole text as the font measures it (never cut to "13").
        const QFontMetricsF fm(a.font);
        CHECK(a.box.width() >= fm.horizontalAdvance(a.text));
        CHECK(a.box.height() >= fm.height());
        for (std::size_t j = i + 1; j < r.labels.size(); ++j) {
            INFO("against " << r.labels[j].text.toStdString());
            CHECK_FALSE(overlaps(a.box, r.labels[j].box));
        }
        if (a.leader)
            for (std::size_t j = 0; j < r.labels.size(); ++j)
                if (j != i) CHECK_FALSE(segmentEnters(*a.leader, r.labels[j].box));
    }
}

const render::PlacedLabel* find(const render::RenderRecord& r, const char* text) {
    for (const auto& l : r.labels)
        if (l.text == QString::fromUtf8(text)) return &l;
    return nullptr;
}

// Labels are dark text on a white halo: inside each box some pixels are dark (the glyphs)
// and some are near white (the halo), whatever lies beneath.
void checkDrawn(const QImage& img, const render::RenderRecord& r) {
    for (const auto& l : r.labels) {
        INFO(l.text.toStdString());
        int dark = 0, light = 0;
        const QRect box = l.box.toAlignedRect().adjusted(2, 2, -2, -2);
        for (int y = box.top(); y <= box.bottom(); ++y)
            for (int x = box.left(); x <= box.right(); ++x) {
                const int v = img.pixelColor(x, y).lightness();
                dark += v < 150;
                light += v > 235;
            }
        CHECK(dark >= 8);
        CHECK(light >= 8);
    }
}

gis::Point stationAt(const core::OneMap& map, const char* name) {
    const auto* layer = map.layer("station");
    REQUIRE(layer);
    for (std::size_t i = 0; i < layer->size(); ++i)
        if (layer->label(i) == name) return layer->geometry(i).pointOnSurface();
    FAIL("no station " << name);
    return {};
}

}  // namespace

TEST_CASE("Label placer: around the symbol, never past the frame, a leader when crowded",
          "[render][labels]") {
    render::ensureGuiApplication();
    const QFont font = render::cjkFont(12);
    const QSizeF size = render::LabelPlacer::labelSize("湖州站", font);
    CHECK(size.width() >= QFontMetricsF(font).horizontalAdvance("湖州站"));
    auto request = [&](const QRectF& symbol, int priority = 0) {
        render::LabelRequest rq;
        rq.text = "湖州站";
        rq.font = font;
        rq.priority = priority;
        rq.symbol = symbol;
        return rq;
    };
    // A symbol at the frame's top-right corner: above and to the right are out; the label
    // goes left of it or below it, wholly inside.
    const QRectF frame(0, 0, 300, 200);
    {
        render::LabelPlacer placer(frame);
        const auto placed = placer.place({request(QRectF(290, 2, 6, 6))});
        REQUIRE(placed.size() == 1);
        CHECK(within(placed[0].box, frame));
        CHECK(placed[0].box.right() <= 290);
    }
    // The same symbol asked for 40 times: each label elsewhere, none overlapping; those that
    // fit nowhere are left out; the higher priority (the last asked) wins the first place.
    {
        render::LabelPlacer placer(frame);
        std::vector<render::LabelRequest> many;
        for (int i = 0; i < 40; ++i)
            many.push_back(request(QRectF(147, 97, 6, 6), i == 39 ? 0 : 1));
        const auto placed = placer.place(many);
        // Above and below, then left and right of a ring out (the sides, as tall as a label,
        // reach into the box above a small symbol): at least four.
        CHECK(placed.size() >= 4);
        CHECK(placed.size() < 40);
        const QRectF touching = QRectF(147, 97, 6, 6).adjusted(-1.5, -1.5, 1.5, 1.5);
        CHECK(placed[0].box.bottom() <= 97);  // above the symbol
        CHECK(placed[0].box.center().x() == Approx(150).margin(1));
        render::RenderRecord r;
        r.frame = frame;
        r.labels = placed;
        checkPlacement(r);
        // Those next to the symbol touch it; the others, farther out, have a leader to it.
        std::size_t leaders = 0;
        for (const auto& l : placed) {
            leaders += l.leader ? 1 : 0;
            CHECK(l.box.intersects(touching) != l.leader.has_value());
            if (l.leader) CHECK(touching.contains(l.leader->p1()));
        }
        CHECK(leaders >= 2);
        // Deterministic: the same requests, the same boxes.
        render::LabelPlacer again(frame);
        const auto second = again.place(many);
        REQUIRE(second.size() == placed.size());
        for (std::size_t i = 0; i < placed.size(); ++i) CHECK(second[i].box == placed[i].box);
    }
    // An obstacle (another symbol) is never covered.
    {
        render::LabelPlacer placer(frame);
        const QRectF obstacle(130, 70, 40, 26);  // where "above" would go
        placer.addObstacle(obstacle);
        const auto placed = placer.place({request(QRectF(147, 97, 6, 6))});
        REQUIRE(placed.size() == 1);
        CHECK_FALSE(overlaps(placed[0].box, obstacle));
    }
}

TEST_CASE("Labels on the rendered sample: none overlap, none cut, the missing ones placed",
          "[render][labels]") {
    const auto map = sampleMap();
    const auto sites =
        core::SiteSet::load(std::string(ONEMAP_SAMPLE_DIR) + "/sites.gpkg", map->plan().crs, {});
    const core::Report report = core::ComplianceEngine(map).run(sites, nullptr);
    const render::MapRenderer renderer(map);
    render::RenderOptions o;  // what `onemap render --sites` draws: 1600 × 1131
    o.report = &report;

    SECTION("full extent") {
        render::RenderRecord r;
        const QImage img = renderer.renderImage(o, &r);
        checkPlacement(r);
        checkDrawn(img, r);
        for (const char* name : {"苏州市", "松江区", "P-013", "湖州站", "杭州东站", "P-024",
                                 "P-015", "P-025", "P-008", "P-020", "P-010"}) {
            INFO(name);
            CHECK(find(r, name));
        }
        // The whole text of P-013, not "13": its box is as wide as the font makes "P-013".
        const auto* p013 = find(r, "P-013");
        REQUIRE(p013);
        CHECK(p013->box.width() >= QFontMetricsF(p013->font).horizontalAdvance("P-013"));
        // Every city is named at full extent.
        for (const char* city : {"合肥市", "芜湖市", "宣城市", "杭州市", "湖州市", "嘉兴市",
                                 "金华市", "苏州市", "松江区"}) {
            INFO(city);
            CHECK(find(r, city));
        }
    }
    for (const char* station : {"湖州站", "杭州东站"}) {
        SECTION(std::string("zoomed around ") + station) {
            const gis::Point c = stationAt(*map, station);
            o.extent = gis::Envelope{c.x - 12000, c.y - 8000, c.x + 12000, c.y + 8000};
            render::RenderRecord r;
            const QImage img = renderer.renderImage(o, &r);
            checkPlacement(r);
            checkDrawn(img, r);
            CHECK(find(r, station));
            // Every site and station whose symbol is in view has its label at this scale.
            const render::ViewTransform view(*o.extent, r.frame);
            for (const auto& s : report.sites) {
                const auto e = s.geometry.envelope();
                const QPointF at = view.toPixel(e.center().x, e.center().y);
                if (!r.frame.adjusted(40, 40, -40, -40).contains(at)) continue;
                INFO(s.id);
                CHECK(find(r, s.id.c_str()));
            }
        }
    }
    SECTION("the viewer's frame (bare, renderInto) places the same way") {
        o.bare = true;
        o.size = QSize(1600, 1000);
        QImage frame;
        render::RenderRecord r;
        renderer.renderInto(frame, o, &r);
        checkPlacement(r);
        checkDrawn(frame, r);
        CHECK(r.frame == QRectF(0, 0, 1600, 1000));
    }
}

namespace {

// sRGB → CIE L*a*b* (D65), from the standard formulas.
struct Lab {
    double l, a, b;
};
Lab toLab(const QColor& c) {
    auto linear = [](double v) {
        return v <= 0.04045 ? v / 12.92 : std::pow((v + 0.055) / 1.055, 2.4);
    };
    const double r = linear(c.redF()), g = linear(c.greenF()), b = linear(c.blueF());
    const double x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047;
    const double y = 0.2126 * r + 0.7152 * g + 0.0722 * b;
    const double z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883;
    auto f = [](double t) { return t > 216.0 / 24389 ? std::cbrt(t) : t * 841.0 / 108 + 4.0 / 29; };
    return {116 * f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z))};
}
double deltaE76(const QColor& p, const QColor& q) {
    const Lab a = toLab(p), b = toLab(q);
    return std::hypot(a.l - b.l, a.a - b.a, a.b - b.b);
}
// CIEDE2000 (Sharma, Wu & Dalal 2005).
double deltaE00(const Lab& x, const Lab& y) {
    constexpr double pi = std::numbers::pi;
    auto rad = [](double d) { return d * pi / 180; };
    const double c1 = std::hypot(x.a, x.b), c2 = std::hypot(y.a, y.b), cm = (c1 + c2) / 2;
    const double g = 0.5 * (1 - std::sqrt(std::pow(cm, 7) / (std::pow(cm, 7) + std::pow(25.0, 7))));
    const double a1 = (1 + g) * x.a, a2 = (1 + g) * y.a;
    const double c1p = std::hypot(a1, x.b), c2p = std::hypot(a2, y.b);
    auto hue = [&](double b, double a) {
        const double h = std::atan2(b, a) * 180 / pi;
        return h < 0 ? h + 360 : h;
    };
    const double h1 = hue(x.b, a1), h2 = hue(y.b, a2);
    double dh = 0;
    if (c1p * c2p != 0) {
        dh = h2 - h1;
        if (dh > 180) dh -= 360;
        if (dh < -180) dh += 360;
    }
    const double dL = y.l - x.l, dC = c2p - c1p;
    const double dH = 2 * std::sqrt(c1p * c2p) * std::sin(rad(dh / 2));
    const double lm = (x.l + y.l) / 2, cmp = (c1p + c2p) / 2;
    double hm = h1 + h2;
    if (c1p * c2p != 0) {
        if (std::abs(h1 - h2) <= 180)
            hm = (h1 + h2) / 2;
        else
            hm = h1 + h2 < 360 ? (h1 + h2 + 360) / 2 : (h1 + h2 - 360) / 2;
    }
    const double t = 1 - 0.17 * std::cos(rad(hm - 30)) + 0.24 * std::cos(rad(2 * hm)) +
                     0.32 * std::cos(rad(3 * hm + 6)) - 0.20 * std::cos(rad(4 * hm - 63));
    const double dTheta = 30 * std::exp(-std::pow((hm - 275) / 25, 2));
    const double rc = 2 * std::sqrt(std::pow(cmp, 7) / (std::pow(cmp, 7) + std::pow(25.0, 7)));
    const double sl = 1 + 0.015 * std::pow(lm - 50, 2) / std::sqrt(20 + std::pow(lm - 50, 2));
    const double sc = 1 + 0.045 * cmp, sh = 1 + 0.015 * cmp * t;
    const double rt = -std::sin(rad(2 * dTheta)) * rc;
    return std::sqrt(std::pow(dL / sl, 2) + std::pow(dC / sc, 2) + std::pow(dH / sh, 2) +
                     rt * (dC / sc) * (dH / sh));
}

double deltaE00(const QColor& p, const QColor& q) { return deltaE00(toLab(p), toLab(q)); }

}  // namespace

TEST_CASE("Colours: verdicts, conflicts, free land, gained and lost stand apart from every layer",
          "[render][colours]") {
    // The formulas first, on Sharma et al.'s published test pairs (ΔE00 2.0425, 2.8615,
    // 31.9030) and black against white (ΔE76 100).
    CHECK(deltaE76(Qt::black, Qt::white) == Approx(100).margin(0.01));
    CHECK(deltaE00(Lab{50, 2.6772, -79.7751}, Lab{50, 0, -82.7485}) ==
          Approx(2.0425).margin(0.0001));
    CHECK(deltaE00(Lab{50, 3.1571, -77.2803}, Lab{50, 0, -82.7485}) ==
          Approx(2.8615).margin(0.0001));
    CHECK(deltaE00(Lab{50, 2.5, 0}, Lab{56, -27, -3}) == Approx(31.9030).margin(0.0001));
    CHECK(toLab(Qt::white).l == Approx(100).margin(0.01));
    CHECK(std::abs(toLab(Qt::white).a) < 0.01);

    // Every colour a layer of the bundled plan (and every default style) is drawn in.
    std::vector<std::pair<std::string, QColor>> layers;
    auto addStyle = [&](const std::string& name, const render::ResolvedStyle& s) {
        if (s.fill.style() != Qt::NoBrush) layers.emplace_back(name + " fill", s.fill.color());
        if (s.stroke.style() != Qt::NoPen) layers.emplace_back(name + " stroke", s.stroke.color());
        if (s.hatch.style() != Qt::NoBrush) layers.emplace_back(name + " hatch", s.hatch.color());
    };
    const auto plan = core::Plan::load(std::string(ONEMAP_SAMPLE_DIR) + "/g60.toml");
    for (const auto& l : plan.layers) addStyle(l.id, render::resolveStyle(l));
    for (const char* id :
         {"city", "farmland", "redline", "devbound", "park", "rail", "axis", "station", "other"}) {
        core::LayerSpec bare;
        bare.id = id;
        bare.role = std::string(id) == "city" ? "admin" : "";
        addStyle(std::string("default ") + id, render::resolveStyle(bare));
    }
    REQUIRE(layers.size() >= 20);

    const std::vector<std::pair<std::string, QColor>> thematic = {
        {"pass", render::verdictColour(core::Verdict::Pass)},
        {"warn", render::verdictColour(core::Verdict::Warn)},
        {"fail", render::verdictColour(core::Verdict::Fail)},
        {"not checked", render::verdictColour(core::Verdict::Unchecked)},
        {"conflict", render::conflictColour()},
        {"free land", render::freeLandColour()},
        {"gained", render::gainedColour()},
        {"lost", render::lostColour()}};
    CHECK(render::notCheckedColour() == render::verdictColour(core::Verdict::Unchecked));
    for (const auto& [name, colour] : thematic) {
        for (const auto& [layer, lc] : layers) {
            INFO(name << " " << colour.name().toStdString() << " vs " << layer << " "
                      << lc.name().toStdString());
            CHECK(deltaE76(colour, lc) > 20);
            CHECK(deltaE00(colour, lc) > 10);
        }
    }
    for (std::size_t i = 0; i < thematic.size(); ++i)
        for (std::size_t j = i + 1; j < thematic.size(); ++j) {
            INFO(thematic[i].first << " vs " << thematic[j].first);
            CHECK(deltaE76(thematic[i].second, thematic[j].second) > 20);
            CHECK(deltaE00(thematic[i].second, thematic[j].second) > 10);
        }
}

TEST_CASE("Layout text: the footer wraps to the page, nothing leaves it, the legend fits",
          "[render][layout]") {
    // The report's site map (1200 × 560) of the sample as of a day with long version notes.
    const auto map = sampleMap();
    const auto sites =
        core::SiteSet::load(std::string(ONEMAP_SAMPLE_DIR) + "/sites.gpkg", map->plan().crs, {});
    const core::Report report = core::ComplianceEngine(map).run(sites, nullptr);
    const render::MapRenderer renderer(map);
    for (const QSize size :
         {QSize(1200, 560), QSize(1400, 990), QSize(1600, 1131), QSize(700, 500)}) {
        INFO(size.width() << "x" << size.height());
        render::RenderOptions o;
        o.size = size;
        o.report = &report;
        o.overlays = {{report.sites[0].geometry, render::gainedColour(),
                       render::legendPhrase(render::LegendPhrase::Gained)},
                      {report.sites[1].geometry, render::lostColour(),
                       render::legendPhrase(render::LegendPhrase::Lost)}};
        render::RenderRecord r;
        (void)renderer.renderImage(o, &r);
        const QRectF page(0, 0, size.width(), size.height());
        REQUIRE(r.layoutText.size() > 10);
        for (const auto& box : r.layoutText) {
            INFO(box.left() << "," << box.top() << " " << box.width() << "x" << box.height());
            CHECK(within(box, page));
        }
        // The footer lines lie below the map frame and do not overlap each other.
        std::vector<QRectF> footer;
        for (const auto& box : r.layoutText)
            if (box.top() >= r.frame.bottom()) footer.push_back(box);
        CHECK(footer.size() >= 2);
        for (std::size_t i = 0; i < footer.size(); ++i)
            for (std::size_t j = i + 1; j < footer.size(); ++j)
                CHECK_FALSE(overlaps(footer[i], footer[j]));
        checkPlacement(r);
    }
    // The same map as a PDF: the footer's words come out whole, "〔2024〕5号 (synthetic)" and
    // the attribution's last words included.
    const fs::path dir = onemap::test::scratch("render-footer");
    fs::remove_all(dir);
    fs::create_directories(dir);
    const std::string pdf = (dir / "site.pdf").string();
    render::RenderOptions o;
    o.size = QSize(1200, 560);
    o.report = &report;
    renderer.write(pdf, o);
    std::string text = test::capture("pdftotext " + pdf + " -");
    std::erase_if(text, [](char c) { return c == '\n' || c == ' '; });
    std::string expected;
    for (const auto& l : map->plan().layers)
        if (l.inForce && !l.inForce->doc.empty()) expected = l.inForce->doc;
    REQUIRE(!expected.empty());
    std::erase_if(expected, [](char c) { return c == ' '; });
    CHECK(text.find(expected) != std::string::npos);
    std::string attribution = map->plan().attribution;
    std::erase_if(attribution, [](char c) { return c == ' '; });
    CHECK(text.find(attribution.substr(attribution.size() - 30)) != std::string::npos);
}
