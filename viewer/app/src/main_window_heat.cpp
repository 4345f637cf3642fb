// The heat map of the viewer: one of the plan's [[heatmaps]] computed in the background (as
// `onemap heat --heatmap` and `onemap render --heatmap` compute it), drawn under the layers
// with polygons as outlines, its legend in the layer panel and its value in identify.
#include "main_window.hpp"
#include "onemap/core/heat/plan_heatmap.hpp"
#include "onemap/gis/base/error.hpp"

namespace onemap::viewer {

std::shared_ptr<render::HeatLayer> MainWindow::computeHeat(const core::Plan& plan,
                                                           const std::string& id) {
    const core::HeatmapSpec& spec = core::planHeatmap(plan, id, "heat map");  // or says why not
    return std::make_shared<render::HeatLayer>(render::heatLayerOf(core::PlanHeatmap(plan, spec)));
}

void MainWindow::showHeatmap(const QString& id) {
    if (!map_) return;
    if (watcher_.isRunning()) {  // the box goes back to the heat map drawn
        layers_->setCurrentHeatmap(heatmapId_, false);
        return showError(QStringLiteral("busy: wait for the current task to finish"));
    }
    if (id.isEmpty()) {
        heat_.reset();
        heatmapId_.clear();
        return applyHeat();
    }
    auto result = std::make_shared<std::shared_ptr<render::HeatLayer>>();
    auto failure = std::make_shared<QString>();
    run(
        QStringLiteral("heat map"),
        [result, failure, map = map_, id = id.toStdString()] {
            try {
                *result = computeHeat(map->plan(), id);
            } catch (const InputError& e) {
                *failure = QString::fromUtf8(e.what());
            }
        },
        [this, result, failure, id = id.toStdString()] {
            if (!failure->isEmpty()) {  // nothing drawn: the box back to what is
                layers_->setCurrentHeatmap(heatmapId_, false);
                return showError(*failure);
            }
            heat_ = std::move(*result);
            heatmapId_ = id;
            layers_->setHeatOpacity(heat_->opacity);  // as the plan declares it
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
