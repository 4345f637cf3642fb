#include "map_canvas.hpp"

#include <QMouseEvent>
#include <QPainter>
#include <QWheelEvent>
#include <cmath>

#include "onemap/core/check/number_format.hpp"

namespace onemap::viewer {

MapCanvas::MapCanvas(QWidget* parent) : QWidget(parent) {
    setMouseTracking(true);
    setMinimumSize(400, 300);
    setCursor(Qt::OpenHandCursor);
}

void MapCanvas::setMap(std::shared_ptr<const core::OneMap> map) {
    map_ = std::move(map);
    renderer_ = std::make_unique<render::MapRenderer>(map_);
    measure_ = std::make_unique<gis::EllipsoidalMeasure>(map_->plan().crs);
    options_ = {};
    options_.bare = true;
    extent_ = renderer_->fullExtent();
    refresh();
}

render::ViewTransform MapCanvas::view() const {
    return render::ViewTransform(extent_, QRectF(rect()));
}
gis::Envelope MapCanvas::extent() const { return view().extent(); }

void MapCanvas::setExtent(const gis::Envelope& e) {
    extent_ = e;
    refresh();
}

void MapCanvas::zoomToFull() {
    if (renderer_) setExtent(renderer_->fullExtent());
}

void MapCanvas::zoomBy(double factor, QPointF around) {
    const auto v = view();
    const gis::Point anchor = v.toMap(around);  // the point under the cursor stays put
    const auto e = v.extent();
    extent_ = {anchor.x - (anchor.x - e.minx) / factor, anchor.y - (anchor.y - e.miny) / factor,
               anchor.x + (e.maxx - anchor.x) / factor, anchor.y + (e.maxy - anchor.y) / factor};
    refresh();
}

void MapCanvas::setMode(Mode m) {
    mode_ = m;
    sketch_.clear();
    setCursor(m == Mode::Identify ? Qt::OpenHandCursor : Qt::CrossCursor);
    update();
}

double MapCanvas::scaleDenominator() const {
    if (!measure_) return 0;
    const auto v = view();
    const QPointF c = QRectF(rect()).center();
    const double metres =
        measure_->distance(v.toMap(c - QPointF(50, 0)), v.toMap(c + QPointF(50, 0))) / 100.0;
    return metres * logicalDpiX() / 0.0254;
}

void MapCanvas::refresh() {
    renderFrame();
    update();
    emit extentChanged();
}

void MapCanvas::renderFrame() {
    if (!renderer_ || width() < 2 || height() < 2) return;
    options_.size = size();
    options_.extent = extent_;
    renderer_->renderInto(frame_, options_);
}

void MapCanvas::paintEvent(QPaintEvent*) {
    QPainter p(this);
    p.fillRect(rect(), Qt::white);
    if (frame_.isNull()) return;
    p.drawImage(dragOffset_, frame_);
    p.setRenderHint(QPainter::Antialiasing);
    const auto v = view();
    if (!highlight_.isEmpty() && !dragging_) {
        p.setPen(QPen(QColor(0, 200, 255), 3));
        for (const auto& path : highlight_.paths()) {
            QPolygonF poly;
            for (const auto& pt : path) poly << v.toPixel(pt.x, pt.y);
            if (poly.size() == 1)
                p.drawEllipse(poly.front(), 6, 6);
            else
                p.drawPolyline(poly);
        }
    }
    if (!sketch_.empty()) {
        QPolygonF poly;
        for (const auto& pt : sketch_) poly << v.toPixel(pt.x, pt.y);
        p.setPen(QPen(mode_ == Mode::DrawSite ? QColor(220, 30, 30) : QColor(30, 30, 220), 2,
                      Qt::DashLine));
        p.setBrush(QColor(255, 255, 255, 60));
        if (mode_ == Mode::DrawSite && poly.size() > 2)
            p.drawPolygon(poly);
        else
            p.drawPolyline(poly);
        for (const auto& q : poly) p.drawEllipse(q, 3, 3);
    }
}

void MapCanvas::resizeEvent(QResizeEvent*) { refresh(); }

void MapCanvas::mousePressEvent(QMouseEvent* e) {
    if (e->button() != Qt::LeftButton) return;
    dragging_ = true;
    moved_ = false;
    dragStart_ = e->position();
    if (mode_ == Mode::Identify) setCursor(Qt::ClosedHandCursor);
}

void MapCanvas::mouseMoveEvent(QMouseEvent* e) {
    if (map_) {
        const auto p = view().toMap(e->position());
        const auto ll = measure_->toLonLat(p);
        emit cursorMoved(p.x, p.y, ll.x, ll.y);
    }
    if (dragging_) {
        dragOffset_ = e->position() - dragStart_;
        moved_ = moved_ || std::hypot(dragOffset_.x(), dragOffset_.y()) > 3;
        if (moved_) update();
    }
}

void MapCanvas::mouseReleaseEvent(QMouseEvent* e) {
    if (!dragging_ || !map_) return;
    dragging_ = false;
    if (mode_ == Mode::Identify) setCursor(Qt::OpenHandCursor);
    const auto v = view();
    if (moved_) {  // pan: shift the extent by the drag, then draw once
        const double dx = dragOffset_.x() * v.unitsPerPixel(),
                     dy = dragOffset_.y() * v.unitsPerPixel();
        const auto ex = v.extent();
        extent_ = {ex.minx - dx, ex.miny + dy, ex.maxx - dx, ex.maxy + dy};
        dragOffset_ = {};
        refresh();
        return;
    }
    dragOffset_ = {};
    const auto p = v.toMap(e->position());
    if (mode_ == Mode::Identify) {
        emit identifyRequested(p.x, p.y, 4 * v.unitsPerPixel());
    } else {
        sketch_.push_back(p);
        if (mode_ == Mode::Measure) updateMeasure();
        update();
    }
}

void MapCanvas::mouseDoubleClickEvent(QMouseEvent*) {
    if (mode_ == Mode::DrawSite && sketch_.size() >= 3) {
        const auto polygon = gis::Geometry::polygon({sketch_});
        sketch_.clear();
        update();
        emit sitePolygonFinished(polygon);
    } else if (mode_ == Mode::Measure) {
        sketch_.clear();
        update();
    }
}

void MapCanvas::wheelEvent(QWheelEvent* e) {
    const double steps = e->angleDelta().y() / 120.0;
    if (steps != 0) zoomBy(std::pow(1.25, steps), e->position());
}

void MapCanvas::updateMeasure() {
    if (sketch_.size() < 2) return;
    const double length = measure_->length(gis::Geometry::lineString(sketch_));
    QString text = QString("距离 %1 m").arg(QString::fromStdString(core::formatNumber(length, 1)));
    if (sketch_.size() >= 3) {
        const double area = measure_->area(gis::Geometry::polygon({sketch_}));
        text += QString("  面积 %1").arg(QString::fromStdString(core::describeArea(area)));
    }
    emit measured(text);
}

}  // namespace onemap::viewer
