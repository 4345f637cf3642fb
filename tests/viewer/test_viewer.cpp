// The viewer driven as a person would, under the offscreen platform: open the sample,
// toggle a layer, zoom, identify a feature, check the sample sites and a drawn site, find land.
#include <QApplication>
#include <QMouseEvent>
#include <QTreeWidget>
#include <catch2/catch.hpp>
#include <cmath>
#include <filesystem>
#include <fstream>

#include "../scratch.hpp"
#include "main_window.hpp"
#include "onemap/core/check/compliance_engine.hpp"
#include "onemap/core/check/coverage_words.hpp"
#include "onemap/core/find/site_finder.hpp"
#include "onemap/core/plan/plan.hpp"
#include "onemap/gis/crs/area_units.hpp"
#include "onemap/gis/layer/layer_reader.hpp"
#include "onemap/gis/layer/layer_writer.hpp"
#include "onemap/render/style.hpp"
#include "viewer_app.hpp"

using namespace onemap;
namespace fs = std::filesystem;

namespace {

const std::string& kPlan = test::kSamplePlan;
const std::string kSites = std::string(ONEMAP_SAMPLE_DIR) + "/sites.gpkg";

QString identifyValue(const QTableWidget* t, const QString& field) {
    for (int r = 0; r < t->rowCount(); ++r)
        if (t->item(r, 0) && t->item(r, 0)->text() == field) return t->item(r, 1)->text();
    return {};
}

}  // namespace

TEST_CASE("Viewer: open, toggle, zoom, identify, check, draw", "[viewer]") {
    test::viewerApp();
    viewer::MainWindow w;
    w.setInteractive(false);
    w.resize(1400, 900);
    w.show();
    w.openPlan(QString::fromStdString(kPlan));
    REQUIRE(w.waitUntilIdle(60000));
    REQUIRE(w.lastError().isEmpty());
    REQUIRE(w.canvas()->map() != nullptr);
    // One entry per layer of the plan, the register and the quota transfers among them.
    CHECK(static_cast<std::size_t>(w.layerPanel()->tree()->topLevelItemCount()) ==
          core::Plan::load(kPlan).layers.size());
    CHECK(w.layerPanel()->tree()->topLevelItem(0)->text(0).startsWith(
        QStringLiteral("高铁站")));  // top first

    // Toggle: farmland off → not drawn.
    auto order = w.layerPanel()->drawOrder();
    CHECK(std::find(order.begin(), order.end(), "farmland") != order.end());
    w.layerPanel()->setLayerVisible("farmland", false);
    order = *w.canvas()->options().layers;
    CHECK(std::find(order.begin(), order.end(), "farmland") == order.end());
    w.layerPanel()->setLayerVisible("farmland", true);

    // Zoom around the centre: the extent halves, the scale denominator halves.
    const auto before = w.canvas()->extent();
    const double scaleBefore = w.canvas()->scaleDenominator();
    w.canvas()->zoomBy(2, QRectF(w.canvas()->rect()).center());
    CHECK(w.canvas()->extent().width() == Approx(before.width() / 2).epsilon(1e-9));
    CHECK(w.canvas()->scaleDenominator() == Approx(scaleBefore / 2).epsilon(1e-3));

    // Identify: a point inside Hangzhou's boundary, away from everything else but farmland.
    const auto* city = w.canvas()->map()->layer("city");
    std::size_t hangzhou = 0;
    for (std::size_t i = 0; i < city->size(); ++i)
        if (city->label(i) == "杭州市") hangzhou = i;
    w.layerPanel()->setLayerVisible("farmland", false);
    w.layerPanel()->setLayerVisible("redline", false);
    w.layerPanel()->setLayerVisible("devbound", false);
    w.layerPanel()->setLayerVisible("park", false);
    const auto p = city->geometry(hangzhou).pointOnSurface();
    w.identifyAt(p.x, p.y, 1.0);
    CHECK(identifyValue(w.identifyTable(), "name") == QStringLiteral("杭州市"));
    CHECK(identifyValue(w.identifyTable(), "adcode") == "330100");
    // Approved projects (the sample's register) are drawn and identifiable.
    const auto* approved = w.canvas()->map()->layer("approved");
    REQUIRE(approved);
    REQUIRE(approved->size() == 6);
    const auto a = approved->geometry(0).pointOnSurface();
    w.identifyAt(a.x, a.y, 1.0);
    CHECK(identifyValue(w.identifyTable(), "project_id") == QStringLiteral("A-001"));
    CHECK(identifyValue(w.identifyTable(), "approved") == QStringLiteral("2022-03-15"));
    for (const char* id : {"farmland", "redline", "devbound", "park"})
        w.layerPanel()->setLayerVisible(id, true);

    // Check the sample sites: same verdicts as the engine computes directly.
    w.checkSitesFile(QString::fromStdString(kSites));
    REQUIRE(w.waitUntilIdle(60000));
    REQUIRE(w.lastError().isEmpty());
    const auto plan = core::Plan::load(kPlan);
    const auto direct =
        core::ComplianceEngine(core::OneMap::load(plan)).run(core::SiteSet::load(kSites, plan.crs));
    REQUIRE(w.checkPanel()->siteList()->count() == static_cast<int>(direct.sites.size()));
    for (std::size_t i = 0; i < direct.sites.size(); ++i) {
        const QString row = w.checkPanel()->siteList()->item(static_cast<int>(i))->text();
        CHECK(row.contains(QString::fromStdString(
            "[" + core::siteVerdictWording(direct.sites[i]).in(direct.lang) + "]")));
    }
    // Selecting a failing site zooms to it and lists its rules.
    int failing = -1;
    for (std::size_t i = 0; i < direct.sites.size() && failing < 0; ++i)
        if (direct.sites[i].verdict() == core::Verdict::Fail) failing = static_cast<int>(i);
    REQUIRE(failing >= 0);
    w.checkPanel()->selectSite(failing);
    QApplication::processEvents();
    const auto siteBox = direct.sites[static_cast<std::size_t>(failing)].geometry.envelope();
    CHECK(w.canvas()->extent().contains(siteBox));
    CHECK(w.canvas()->extent().width() < 20000);
    CHECK(w.checkPanel()->ruleTable()->rowCount() ==
          static_cast<int>(direct.sites[0].rules.size()) + 2);

    fs::create_directories("artifacts");
    REQUIRE(w.grab().save("artifacts/viewer-check.png"));
    w.canvas()->zoomBy(1.0 / 64, QRectF(w.canvas()->rect()).center());
    REQUIRE(w.grab().save("artifacts/viewer-overview.png"));

    // A site drawn on the map: the spatial rules only, measured like any other site.
    const auto c = siteBox.center();
    const auto drawn = gis::Geometry::polygon({{{c.x - 100, c.y - 100},
                                                {c.x + 100, c.y - 100},
                                                {c.x + 100, c.y + 100},
                                                {c.x - 100, c.y + 100}}});
    w.checkDrawnSite(drawn);
    REQUIRE(w.waitUntilIdle(60000));
    REQUIRE(w.report() != nullptr);
    REQUIRE(w.report()->sites.size() == 1);
    CHECK(w.report()->sites[0].areaM2 ==
          Approx(40000).epsilon(0.01));  // 200 m square, scale factor < 1 %
    for (const auto& r : w.report()->sites[0].rules) CHECK(r.kind != "attribute");

    // Exports through the same code as the CLI.
    const fs::path out = onemap::test::scratch("viewer-export");
    fs::remove_all(out);
    fs::create_directories(out);
    w.exportView(QString::fromStdString((out / "view.png").string()));
    w.exportResults(QString::fromStdString((out / "r.json").string()));
    w.exportConflicts(QString::fromStdString((out / "c.gpkg").string()));
    CHECK(w.lastError().isEmpty());
    CHECK(fs::exists(out / "view.png"));
    CHECK(fs::exists(out / "r.json"));
    CHECK(fs::exists(out / "c.gpkg"));

    // An export onto the sites just checked is refused, as in the CLI; the file is untouched.
    fs::copy_file(kSites, out / "sites.gpkg");
    w.checkSitesFile(QString::fromStdString((out / "sites.gpkg").string()));
    REQUIRE(w.waitUntilIdle(60000));
    REQUIRE(w.report() != nullptr);
    const auto size = fs::file_size(out / "sites.gpkg");
    const auto written = fs::last_write_time(out / "sites.gpkg");
    w.exportConflicts(QString::fromStdString((out / "sites.gpkg").string()));
    CHECK(w.lastError().contains("never writes over an input"));
    CHECK(fs::file_size(out / "sites.gpkg") == size);
    CHECK(fs::last_write_time(out / "sites.gpkg") == written);

    // Errors: the CLI's message, no crash.
    w.checkSitesFile("/no/such/sites.gpkg");
    REQUIRE(w.waitUntilIdle(60000));
    CHECK(w.lastError().contains("/no/such/sites.gpkg"));
}

namespace {

void click(QWidget* w, QPointF at, QEvent::Type type = QEvent::MouseButtonPress) {
    QMouseEvent press(type, at, w->mapToGlobal(at), Qt::LeftButton, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(w, &press);
    if (type == QEvent::MouseButtonPress) {
        QMouseEvent release(QEvent::MouseButtonRelease, at, w->mapToGlobal(at), Qt::LeftButton,
                            Qt::NoButton, Qt::NoModifier);
        QApplication::sendEvent(w, &release);
    }
}

}  // namespace

TEST_CASE("Viewer: mouse pan, measure and draw a site", "[viewer]") {
    test::viewerApp();
    viewer::MainWindow w;
    w.setInteractive(false);
    w.resize(1200, 800);
    w.show();
    w.openPlan(QString::fromStdString(kPlan));
    REQUIRE(w.waitUntilIdle(60000));
    auto* canvas = w.canvas();
    // Zoom to a 2 km view on the central meridian so distances are easy to hand-check.
    canvas->setExtent({499000, 3400000, 501000, 3401000});
    const auto view = canvas->view();

    // Pan: drag 100 px right moves the map 100 px worth of metres west.
    const auto before = canvas->extent();
    const QPointF c = QRectF(canvas->rect()).center();
    {
        QMouseEvent press(QEvent::MouseButtonPress, c, canvas->mapToGlobal(c), Qt::LeftButton,
                          Qt::LeftButton, Qt::NoModifier);
        QApplication::sendEvent(canvas, &press);
        QMouseEvent move(QEvent::MouseMove, c + QPointF(100, 0),
                         canvas->mapToGlobal(c + QPointF(100, 0)), Qt::LeftButton, Qt::LeftButton,
                         Qt::NoModifier);
        QApplication::sendEvent(canvas, &move);
        QMouseEvent release(QEvent::MouseButtonRelease, c + QPointF(100, 0),
                            canvas->mapToGlobal(c + QPointF(100, 0)), Qt::LeftButton, Qt::NoButton,
                            Qt::NoModifier);
        QApplication::sendEvent(canvas, &release);
    }
    CHECK(canvas->extent().minx == Approx(before.minx - 100 * view.unitsPerPixel()).margin(1e-6));
    canvas->setExtent(before);

    // Measure: three clicks make a right triangle; its legs are hand-computable from the view.
    QString measured;
    QObject::connect(canvas, &viewer::MapCanvas::measured, [&](const QString& t) { measured = t; });
    canvas->setMode(viewer::MapCanvas::Mode::Measure);
    const auto v = canvas->view();
    const QPointF p0 = v.toPixel(500000, 3400200), p1 = v.toPixel(500300, 3400200),
                  p2 = v.toPixel(500300, 3400600);
    click(canvas, p0);
    click(canvas, p1);
    click(canvas, p2);
    // Legs 300 m and 400 m on the central meridian (scale factor 1): length 700 m, area 60,000 m² =
    // 90 亩.
    INFO(measured.toStdString());
    CHECK(measured.contains(QStringLiteral("距离 700.0 m")));
    CHECK(measured.contains(QStringLiteral("90.00 亩")));

    // Draw a site: four clicks and a double-click run the spatial rules on it.
    canvas->setMode(viewer::MapCanvas::Mode::DrawSite);
    for (const auto& [x, y] : std::vector<std::pair<double, double>>{
             {500000, 3400200}, {500200, 3400200}, {500200, 3400400}, {500000, 3400400}})
        click(canvas, v.toPixel(x, y));
    click(canvas, v.toPixel(500000, 3400400), QEvent::MouseButtonDblClick);
    REQUIRE(w.waitUntilIdle(60000));
    REQUIRE(w.report() != nullptr);
    REQUIRE(w.report()->sites.size() == 1);
    CHECK(w.report()->sites[0].areaM2 == Approx(40000).epsilon(1e-3));
}

TEST_CASE("Viewer: the date control switches every layer to its version that day", "[viewer]") {
    test::viewerApp();
    const fs::path dir = onemap::test::scratch("viewer-as-of");
    auto square = [](double x0, double side) {
        gis::VectorLayer l;
        l.name = "devbound";
        l.crs = gis::Crs::fromEpsg(4549);
        l.geometryType = "Polygon";
        gis::Feature f;
        f.fid = 1;
        f.geometry = gis::Geometry::polygon({{{x0, 3400000},
                                              {x0 + side, 3400000},
                                              {x0 + side, 3400000 + side},
                                              {x0, 3400000 + side},
                                              {x0, 3400000}}});
        l.features.push_back(std::move(f));
        return l;
    };
    gis::writeLayer((dir / "old.gpkg").string(), square(500000, 1000));
    gis::writeLayer((dir / "new.gpkg").string(), square(503000, 2000));
    gis::writeLayer((dir / "red.gpkg").string(), square(501000, 500));
    std::ofstream(dir / "plan.toml") << R"(name = "版本"
crs = "EPSG:4549"
[[layers]]
id = "devbound"
title = "城镇开发边界"
table = "devbound"
[[layers.versions]]
from = "2021-03-01"
source = "old.gpkg"
[[layers.versions]]
from = "2024-06-30"
source = "new.gpkg"
doc = "示例〔2024〕3号"
[[layers]]
id = "redline"
title = "生态保护红线"
table = "devbound"
[[layers.versions]]
from = "2023-01-01"
source = "red.gpkg"
)";
    viewer::MainWindow w;
    w.setInteractive(false);
    w.resize(1000, 700);
    w.show();
    w.setAsOf(QStringLiteral("2022-01-01"));
    w.openPlan(QString::fromStdString((dir / "plan.toml").string()));
    REQUIRE(w.waitUntilIdle(60000));
    REQUIRE(w.lastError().isEmpty());
    const auto* dev = w.canvas()->map()->layer("devbound");
    REQUIRE(dev);
    CHECK(dev->spec().inForce->from == "2021-03-01");
    CHECK(dev->extent().minx == Approx(500000));
    CHECK(w.canvas()->map()->layer("redline") == nullptr);  // not yet in force
    CHECK(w.layerPanel()->tree()->topLevelItemCount() == 1);
    CHECK(w.windowTitle().contains(QStringLiteral("2022-01-01")));
    const auto view = w.canvas()->extent();

    w.setAsOf(QStringLiteral("2024-07-01"));
    REQUIRE(w.waitUntilIdle(60000));
    dev = w.canvas()->map()->layer("devbound");
    CHECK(dev->spec().inForce->doc == "示例〔2024〕3号");
    CHECK(dev->extent().minx == Approx(503000));
    CHECK(w.canvas()->map()->layer("redline") != nullptr);
    CHECK(w.layerPanel()->tree()->topLevelItemCount() == 2);
    CHECK(w.canvas()->extent().minx == Approx(view.minx));  // the same view, another day

    // Diff mode: the old square (1,000 m side) lost, the new one (2,000 m) gained, drawn red
    // and green over the map as it stands on the later day.
    w.setAsOf(QStringLiteral("2022-01-01"));
    REQUIRE(w.waitUntilIdle(60000));
    w.showDiff(QStringLiteral("devbound"), QStringLiteral("2022-01-01"),
               QStringLiteral("2024-07-01"));
    REQUIRE(w.waitUntilIdle(60000));  // the diff, then the map on 2024-07-01
    REQUIRE(w.waitUntilIdle(60000));
    REQUIRE(w.lastError().isEmpty());
    REQUIRE(w.diff().has_value());
    CHECK(w.diff()->lostM2 == Approx(1e6).epsilon(1e-4));
    CHECK(w.diff()->gainedM2 == Approx(4e6).epsilon(1e-4));
    CHECK(w.canvas()->map()->plan().asOf == "2024-07-01");
    CHECK(w.canvas()->options().overlays.size() == 2);
    {
        const QImage shot = w.canvas()->grab().toImage();
        const auto at = [&](double x, double y) {
            const QPointF p = w.canvas()->view().toPixel(x, y);
            return shot.pixelColor(p.toPoint());
        };
        const QColor lost = at(500500, 3400500), gained = at(504000, 3401000);
        INFO("lost " << lost.name().toStdString() << ", gained " << gained.name().toStdString());
        // Each is nearer its own colour than the other's (lost is plum, not the red line's red).
        const auto dist = [](const QColor& a, const QColor& b) {
            return std::hypot(a.red() - b.red(), a.green() - b.green(), a.blue() - b.blue());
        };
        CHECK(dist(lost, render::lostColour()) < dist(lost, render::gainedColour()));
        CHECK(dist(gained, render::gainedColour()) < dist(gained, render::lostColour()));
        CHECK(lost.red() < 160);  // not red
        CHECK(gained.blue() > 120);
    }
    w.showDiff({}, {}, {});
    CHECK_FALSE(w.diff().has_value());
    CHECK(w.canvas()->options().overlays.empty());

    w.setAsOf(QStringLiteral("2024-02-30"));
    CHECK(w.lastError().contains(QStringLiteral("not a date")));
}

TEST_CASE("Viewer: find land, candidates on the map and in the panels, export", "[viewer]") {
    test::viewerApp();
    viewer::MainWindow w;
    w.setInteractive(false);
    w.resize(1400, 900);
    w.show();
    w.openPlan(QString::fromStdString(kPlan));
    REQUIRE(w.waitUntilIdle(60000));
    REQUIRE(w.lastError().isEmpty());
    // The form's choices come from the plan: the parks' industries and the admin layer.
    CHECK(w.findPanel()->industryBox()->findText(QStringLiteral("ic")) >= 0);
    CHECK(w.findPanel()->cityList()->count() ==
          static_cast<int>(w.canvas()->map()->adminLayer()->size()));

    core::ProjectBrief brief;
    brief.areaM2 = 150 * gis::kSquareMetresPerMu;
    brief.industry = "集成电路";
    brief.count = 3;
    brief.attributes = {{"plot_ratio", 1.5}, {"investment_intensity", 450.0}};
    // The park first: the sample's 集成电路 parks (all in 苏州市) lie 15–18 km from a station.
    brief.weights = {{"park", 4.0}};
    w.findLand(brief);
    REQUIRE(w.waitUntilIdle(600000));
    REQUIRE(w.lastError().isEmpty());
    const auto* found = w.findResult();
    REQUIRE(found != nullptr);
    REQUIRE(found->candidates.size() == 3);
    // The same result as the library computes directly on the same map and brief.
    const auto direct = core::SiteFinder(core::OneMap::load(core::Plan::load(kPlan)), brief).find();
    REQUIRE(direct.candidates.size() == 3);
    for (std::size_t i = 0; i < 3; ++i) {
        const auto& c = found->candidates[i];
        CHECK(c.id == direct.candidates[i].id);
        CHECK(c.areaM2 == Approx(direct.candidates[i].areaM2).epsilon(1e-9));
        CHECK(c.admin == "苏州市");
    }
    CHECK(w.findPanel()->candidateTable()->rowCount() == 3);
    CHECK(w.findPanel()->candidateTable()->item(0, 0)->text() == QStringLiteral("C-001"));
    CHECK(w.checkPanel()->siteList()->count() == 3);

    // Free land and the candidates are overlays on the canvas.
    REQUIRE(w.canvas()->options().overlays.size() == 2);
    CHECK(w.canvas()->options().overlays[0].legend.contains(QStringLiteral("可用地")));

    // Selecting a candidate zooms to it, shows its check and its score terms.
    w.findPanel()->selectCandidate(1);
    QApplication::processEvents();
    const auto& second = found->candidates[1];
    CHECK(w.checkPanel()->siteList()->currentRow() == 1);
    CHECK(w.checkPanel()->ruleTable()->rowCount() ==
          static_cast<int>(second.check.rules.size()) + 2);
    CHECK(w.findPanel()->termTable()->rowCount() == static_cast<int>(second.terms.size()));
    CHECK(w.canvas()->extent().contains(second.check.geometry.envelope()));
    {
        const QImage shot = w.canvas()->grab().toImage();
        const auto p = second.check.geometry.pointOnSurface();
        const QColor c = shot.pixelColor(w.canvas()->view().toPixel(p.x, p.y).toPoint());
        INFO("candidate pixel " << c.name().toStdString());
        CHECK(c.blue() > 150);
        CHECK(c.blue() > c.red() + 60);
        CHECK(c.blue() > c.green() + 60);
    }
    fs::create_directories("artifacts");
    CHECK(w.grab().save("artifacts/viewer-find.png"));

    // Export: the plots as a layer `check` can read again.
    const fs::path out = onemap::test::scratch("viewer-find");
    w.exportCandidates(QString::fromStdString((out / "candidates.gpkg").string()));
    REQUIRE(w.lastError().isEmpty());
    const auto plots = gis::readLayer((out / "candidates.gpkg").string());
    CHECK(plots.features.size() == 3);
    // The form shows the brief that ran and gives it back.
    const auto shown = w.findPanel()->brief();
    CHECK(shown.areaM2 == Approx(brief.areaM2).epsilon(1e-9));
    CHECK(shown.industry == brief.industry);
    CHECK(shown.count == 3);
    CHECK(shown.attributes == brief.attributes);
    CHECK(shown.cities.empty());
    CHECK(shown.weights == brief.weights);

    // A brief file fills the form; a find with it that cannot fit says why.
    const std::string briefPath = (out / "brief.toml").string();
    std::ofstream(briefPath) << "name = \"晶圆\"\narea_m2 = 5e8\nindustry = \"ic\"\ncount = 2\n"
                                "cities = [\"苏州市\"]\n[attributes]\nplot_ratio = 2.0\n"
                                "[weights]\nstation = 2\n";
    w.loadBrief(QString::fromStdString(briefPath));
    REQUIRE(w.lastError().isEmpty());
    const auto loaded = w.findPanel()->brief();
    CHECK(loaded.areaM2 == Approx(5e8).epsilon(1e-9));
    CHECK(loaded.industry == "ic");
    CHECK(loaded.cities == std::vector<std::string>{"苏州市"});
    CHECK(loaded.path == briefPath);
    CHECK(loaded.attributes.count("investment_intensity") == 0);
    CHECK(loaded.weights == std::map<std::string, double>{{"station", 2.0}});
    w.findLand(loaded);
    REQUIRE(w.waitUntilIdle(600000));
    REQUIRE(w.lastError().isEmpty());
    REQUIRE(w.findResult() != nullptr);
    CHECK(w.findResult()->candidates.empty());
    CHECK_FALSE(w.findResult()->binding.empty());
    CHECK(w.findPanel()->candidateTable()->rowCount() == 0);
    CHECK(w.findPanel()->summary().contains(QString::fromStdString(w.findResult()->binding)));
    CHECK(w.canvas()->options().overlays.size() == 1);  // the free land alone
    // The brief it ran with is an input too.
    w.exportCandidates(QString::fromStdString(briefPath));
    CHECK(w.lastError().contains("never writes over an input"));

    // A fault in a brief is the CLI's one line, file:line.
    std::ofstream(out / "bad.toml") << "area_mu = -1\n";
    w.loadBrief(QString::fromStdString((out / "bad.toml").string()));
    CHECK(w.lastError().contains("bad.toml:1"));
    // Never over the plan either.
    w.exportCandidates(QString::fromStdString(kPlan));
    CHECK(w.lastError().contains("never writes over an input"));
}
