#pragma once
// The map canvas: pan by dragging, zoom with the wheel around the cursor, identify by
// clicking, draw a site polygon or measure. Draws through the shared MapRenderer and keeps
// the last frame, so panning only moves a picture until the mouse is released.
#include <QImage>
#include <QWidget>
#include <memory>

#include "onemap/gis/crs/geodesic.hpp"
#include "onemap/render/map_renderer.hpp"

namespace onemap::viewer {

class MapCanvas : public QWidget {
    Q_OBJECT
  public:
    enum class Mode { Identify, DrawSite, Measure };

    explicit MapCanvas(QWidget* parent = nullptr);
    void setMap(std::shared_ptr<const core::OneMap> map);
    [[nodiscard]] const core::OneMap* map() const { return map_.get(); }

    /// What to draw: layer ids bottom→top, opacities, the check results.
    render::RenderOptions& options() { return options_; }
    void refresh();  ///< re-render after options changed

    void setExtent(const gis::Envelope& e);
    [[nodiscard]] gis::Envelope extent() const;  ///< as shown (widened to the widget)
    void zoomToFull();
    void zoomBy(double factor, QPointF aroundPixel);
    void setMode(Mode m);
    [[nodiscard]] Mode mode() const { return mode_; }
    /// Map scale 1:N at the centre, from ground metres per pixel and the screen's DPI.
    [[nodiscard]] double scaleDenominator() const;
    [[nodiscard]] render::ViewTransform view() const;
    [[nodiscard]] const gis::Geometry& highlight() const { return highlight_; }
    void setHighlight(const gis::Geometry& g) {
        highlight_ = g;
        update();
    }

  signals:
    void cursorMoved(double x, double y, double lon, double lat);
    void identifyRequested(double x, double y, double tolerance);
    void sitePolygonFinished(const gis::Geometry& polygon);
    void measured(const QString& text);
    void extentChanged();

  protected:
    void paintEvent(QPaintEvent*) override;
    void resizeEvent(QResizeEvent*) override;
    void mousePressEvent(QMouseEvent*) override;
    void mouseMoveEvent(QMouseEvent*) override;
    void mouseReleaseEvent(QMouseEvent*) override;
    void mouseDoubleClickEvent(QMouseEvent*) override;
    void wheelEvent(QWheelEvent*) override;

  private:
    void renderFrame();
    void updateMeasure();

    std::shared_ptr<const core::OneMap> map_;
    std::unique_ptr<render::MapRenderer> renderer_;
    std::unique_ptr<gis::EllipsoidalMeasure> measure_;
    render::RenderOptions options_;
    gis::Envelope extent_;
    QImage frame_;
    QPointF dragStart_, dragOffset_;
    bool dragging_ = false, moved_ = false;
    Mode mode_ = Mode::Identify;
    std::vector<gis::Point> sketch_;  ///< vertices of the polygon being drawn or measured
    gis::Geometry highlight_;
};

}  // namespace onemap::viewer
