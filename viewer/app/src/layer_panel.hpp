#pragma once
// The layer tree: the plan's layers top first (as in QGIS), with visibility checkboxes,
// legend symbols, drag-and-drop order and an opacity slider for the selected layer; under it
// the plan's heat maps ([[heatmaps]]): one chosen at a time, its opacity and its legend.
#include <QComboBox>
#include <QLabel>
#include <QSlider>
#include <QTreeWidget>
#include <QWidget>
#include <map>
#include <string>
#include <vector>

#include "onemap/core/check/one_map.hpp"
#include "onemap/render/heat_layer.hpp"

namespace onemap::viewer {

class LayerPanel : public QWidget {
    Q_OBJECT
  public:
    explicit LayerPanel(QWidget* parent = nullptr);
    void setMap(const core::OneMap& map);
    /// Visible layer ids, bottom → top (the renderer's order).
    [[nodiscard]] std::vector<std::string> drawOrder() const;
    [[nodiscard]] std::map<std::string, double> opacities() const { return opacity_; }
    void setLayerVisible(const std::string& id, bool visible);
    [[nodiscard]] QTreeWidget* tree() const { return tree_; }
    [[nodiscard]] std::string currentLayer() const;

    /// The heat map chosen ("" = none). setMap keeps it when the new map's plan has it.
    [[nodiscard]] std::string currentHeatmap() const;
    /// Chooses one of the plan's heat maps ("" = none): as the user would (heatmapChosen), or
    /// quietly when the window puts the box back to what it draws.
    void setCurrentHeatmap(const std::string& id, bool notify = true);
    [[nodiscard]] double heatOpacity() const { return heatOpacity_->value() / 100.0; }
    /// The opacity slider set (quietly) to a heat map's declared opacity.
    void setHeatOpacity(double opacity);
    [[nodiscard]] QComboBox* heatmapBox() const { return heatmaps_; }
    /// The legend of the heat map drawn (ramp, 0 to its maximum per km², kernel, radius,
    /// cell); hidden for none.
    void setHeatLegend(const render::HeatLayer* heat);
    [[nodiscard]] QLabel* heatLegend() const { return heatLegend_; }

  signals:
    void changed();
    void zoomToLayerRequested(const std::string& id);
    void heatmapChosen(const std::string& id);
    void heatOpacityChanged(double opacity);

  private:
    QTreeWidget* tree_;
    QSlider* opacitySlider_;
    QComboBox* heatmaps_;
    QSlider* heatOpacity_;
    QLabel* heatLegend_;
    std::map<std::string, double> opacity_;
};

}  // namespace onemap::viewer
