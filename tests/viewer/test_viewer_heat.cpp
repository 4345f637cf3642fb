// The viewer's heat map: one of the sample's [[heatmaps]] chosen in the layer panel, drawn
// under the layers with its legend, its value on identify, computed again for another day.
#include <QApplication>
#include <algorithm>
#include <catch2/catch.hpp>

#include "main_window.hpp"
#include "onemap/core/heat/plan_heatmap.hpp"
#include "onemap/core/plan/plan.hpp"
#include "viewer_app.hpp"

using namespace onemap;

namespace {

const std::string& kPlan = test::kSamplePlan;

}  // namespace

TEST_CASE("Viewer: a heat map chosen, drawn with its legend, identified, kept across days",
          "[viewer][heat]") {
    test::viewerApp();
    viewer::MainWindow w;
    w.setInteractive(false);
    w.resize(1200, 800);
    w.show();
    w.openPlan(QString::fromStdString(kPlan));
    REQUIRE(w.waitUntilIdle(60000));
    REQUIRE(w.lastError().isEmpty());
    auto* panel = w.layerPanel();
    const auto* box = panel->heatmapBox();
    REQUIRE(box->count() == 4);  // none, then the plan's three
    CHECK(box->itemText(1) == QStringLiteral("医疗设施核密度"));
    CHECK(w.heat() == nullptr);
    CHECK_FALSE(panel->heatLegend()->isVisibleTo(panel));

    panel->setCurrentHeatmap("clinics");
    REQUIRE(w.waitUntilIdle(60000));
    REQUIRE(w.lastError().isEmpty());
    REQUIRE(w.heat() != nullptr);
    CHECK(w.canvas()->options().heat == w.heat());
    CHECK(w.canvas()->options().polygonOutlines);
    CHECK(panel->heatLegend()->isVisibleTo(panel));
    CHECK(w.heat()->opacity == 0.85);  // the entry's default opacity, on the slider too
    CHECK(panel->heatOpacity() == 0.85);
    const core::Plan plan = w.canvas()->map()->plan();  // a copy: the map goes with the day
    CHECK(w.heat()->values == core::PlanHeatmap(plan, *plan.heatmap("clinics")).compute());

    // Identify at the hottest cell's centre: its value first, per km².
    const auto& heat = *w.heat();
    const auto hottest = static_cast<std::size_t>(
        std::max_element(heat.values.begin(), heat.values.end()) - heat.values.begin());
    const auto& g = heat.grid;
    w.identifyAt(g.originX + (double(hottest % g.columns) + 0.5) * g.cellSize,
                 g.originY - (double(hottest / g.columns) + 0.5) * g.cellSize, 1.0);
    REQUIRE(w.identifyTable()->rowCount() >= 1);
    CHECK(w.identifyTable()->item(0, 0)->text() == QStringLiteral("医疗设施核密度"));
    CHECK(w.identifyTable()->item(0, 1)->text() ==
          QString::number(heat.values[hottest], 'g', 6) + QStringLiteral(" /km²"));

    // Another day: the clinics open then, the same heat map still chosen. While it loads,
    // another heat map is refused and the box goes back to the one drawn.
    w.setAsOf(QStringLiteral("2021-01-01"));
    panel->setCurrentHeatmap("schools");
    CHECK(w.lastError().contains(QStringLiteral("busy")));
    CHECK(panel->currentHeatmap() == "clinics");
    w.clearLastError();
    REQUIRE(w.waitUntilIdle(60000));
    REQUIRE(w.lastError().isEmpty());
    REQUIRE(w.heat() != nullptr);
    CHECK(panel->currentHeatmap() == "clinics");
    const auto then = core::Plan::load(kPlan).inForceOn("2021-01-01");
    const core::PlanHeatmap earlier(then, *then.heatmap("clinics"));
    CHECK(w.heat()->values == earlier.compute());
    CHECK(earlier.points() < core::PlanHeatmap(plan, *plan.heatmap("clinics")).points());

    // A day before any clinic opened: the map loads without the heat map, and says why.
    w.setAsOf(QStringLiteral("1989-06-01"));
    REQUIRE(w.waitUntilIdle(60000));
    CHECK(w.canvas()->map()->plan().asOf == "1989-06-01");
    CHECK(w.heat() == nullptr);
    CHECK(panel->currentHeatmap().empty());
    CHECK(w.lastError().contains(QStringLiteral("heat map not drawn")));
    CHECK(w.lastError().contains(QStringLiteral("in force on 1989-06-01")));
    w.clearLastError();

    // The population heat map at the opacity its entry declares; then none.
    w.setAsOf(QStringLiteral(""));
    REQUIRE(w.waitUntilIdle(60000));
    panel->setCurrentHeatmap("population");
    REQUIRE(w.waitUntilIdle(60000));
    REQUIRE(w.heat() != nullptr);
    CHECK(w.heat()->opacity == 0.7);
    CHECK(panel->heatOpacity() == 0.7);
    panel->setCurrentHeatmap("");
    CHECK(w.heat() == nullptr);
    CHECK(w.canvas()->options().heat == nullptr);
    CHECK_FALSE(w.canvas()->options().polygonOutlines);
    CHECK_FALSE(panel->heatLegend()->isVisibleTo(panel));
}
