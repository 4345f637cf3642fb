#pragma once
// The layer tree: the plan's layers top first (as in QGIS), with visibility checkboxes,
// legend symbols, drag-and-drop order and an opacity slider for the selected layer.
#include <QSlider>
#include <QTreeWidget>
#include <QWidget>
#include <map>
#include <string>
#include <vector>

#include "onemap/core/check/one_map.hpp"

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

  signals:
    void changed();
    void zoomToLayerRequested(const std::string& id);

  private:
    QTreeWidget* tree_;
    QSlider* opacitySlider_;
    std::map<std::string, double> opacity_;
};

}  // namespace onemap::viewer
