// The heat map of the viewer: one of the plan's [[heatmaps]] computed in the background (as
// `onemap heat --heatmap` and `onemap render --heatmap` compute it), drawn under the layers
// with polygons as outlines, its legend in the layer panel and its value in identify.
#include "main_window.hpp"
#include "onemap/core/heat/plan_heatmap.hpp"

namespace onemap::viewer {

std::shared_ptr<render::HeatLayer> MainWindow::computeHeat(const core::Plan& plan,
                                                           const std::string& id) {
    const core::HeatmapSpec* spec = plan.heatmap(id);
    if (!spec) return nullptr;  // not in this plan, or its layer not in force that day
    return std::make_shared<render::HeatLayer>(render::heatLayerOf(core::PlanHeatmap(plan, *spec)));
}

void MainWindow::showHeatmap(const QString& id) {
    if (!map_) return;
    if (id.isEmpty()) {
        heat_.reset();
        return applyHeat();
    }
    auto result = std::make_shared<std::shared_ptr<render::HeatLayer>>();
    const double opacity = layers_->heatOpacity();
    run(
        QStringLiteral("heat map"),
        [result, map = map_, id = id.toStdString()] { *result = computeHeat(map->plan(), id); },
        [this, result, opacity] {
            heat_ = std::move(*result);
            if (heat_) heat_->opacity = opacity;
            applyHeat();
        });
}

void MainWindow::applyHeat() {
    canvas_->options().heat = heat_.get();
    canvas_->options().polygonOutlines = heat_ != nullptr;
    layers_->setHeatLegend(heat_.get());
    canvas_->refresh();
}

void MainWindow::setHeatOpacity(double opacity) {
    if (!heat_) return;
    heat_->opacity = opacity;
    canvas_->refresh();
}

}  // namespace onemap::viewer
