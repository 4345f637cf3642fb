#include "layer_painter.hpp"

#include <QPaintEngine>
#include <QPainterPath>
#include <cmath>
#include <mutex>
#include <unordered_map>

#include "onemap/render/cjk_font.hpp"

namespace onemap::render {
namespace {

// Qt strokes a pen wider than 1 px by building its outline join by join: on a detailed
// boundary that cost 75 ms of a 1600×1000 frame, against 5 ms for its 1 px line. On screen
// (raster) outlines under 2 px are drawn 1 px wide; PDFs keep the style's width.
QPen screenPen(const QPainter& p, const QPen& pen) {
    if (pen.widthF() <= 1.0 || pen.widthF() >= 2.0 || !p.paintEngine() ||
        p.paintEngine()->type() != QPaintEngine::Raster)
        return pen;
    QPen thin = pen;
    thin.setWidthF(1.0);
    return thin;
}

void addRing(QPainterPath& path, const ViewTransform& view, const std::vector<gis::Point>& ring,
             bool close) {
    QPointF last;
    for (std::size_t i = 0; i < ring.size(); ++i) {
        const QPointF q = view.toPixel(ring[i].x, ring[i].y);
        if (i == 0) {
            path.moveTo(q);
        } else if (i + 1 == ring.size() ||
                   std::abs(q.x() - last.x()) + std::abs(q.y() - last.y()) > 0.6) {
            path.lineTo(q);  // vertices closer than a pixel add nothing but time
        } else {
            continue;
        }
        last = q;
    }
    if (close) path.closeSubpath();
}

void drawLine(QPainter& p, const QPainterPath& path, const ResolvedStyle& s) {
    p.setBrush(Qt::NoBrush);
    if (s.bold) {
        QPen casing(QColor(255, 255, 255, 200), s.stroke.widthF() + 3);
        casing.setCapStyle(Qt::RoundCap);
        p.setPen(casing);
        p.drawPath(path);
    }
    p.setPen(screenPen(p, s.stroke));
    p.drawPath(path);
    if (s.railway) {  // the classic railway symbol: white dashes inside a black line
        QPen inner(Qt::white, std::max(1.0, s.stroke.widthF() - 1.2));
        inner.setDashPattern({4, 4});
        p.setPen(inner);
        p.drawPath(path);
    }
}

}  // namespace

void drawGeometry(QPainter& p, const ViewTransform& view, const gis::Geometry& g,
                  const ResolvedStyle& s) {
    const auto e = g.envelope();
    const double px = std::max(e.width(), e.height()) / view.unitsPerPixel();
    const auto kind = g.kind();
    if (kind == gis::GeometryKind::Point) {
        for (const auto& path : g.paths()) {
            const QPointF c = view.toPixel(path[0].x, path[0].y);
            p.setPen(s.stroke);
            p.setBrush(s.fill);
            p.drawEllipse(c, s.pointSize / 2, s.pointSize / 2);
        }
        return;
    }
    if (px < 1.5) {  // sub-pixel: one dot in the fill (or stroke) colour
        const QColor c = s.fill.style() != Qt::NoBrush ? s.fill.color() : s.stroke.color();
        p.setPen(QPen(QColor(c.red(), c.green(), c.blue()), 1.5));
        const auto centre = view.toPixel((e.minx + e.maxx) / 2, (e.miny + e.maxy) / 2);
        p.drawPoint(centre);
        return;
    }
    QPainterPath path;
    if (kind == gis::GeometryKind::Line) {
        for (const auto& line : g.paths()) addRing(path, view, line, false);
        drawLine(p, path, s);
        return;
    }
    path.setFillRule(Qt::OddEvenFill);
    for (const auto& polygon : g.polygons())
        for (const auto& ring : polygon) addRing(path, view, ring, true);
    p.setPen(Qt::NoPen);
    if (s.fill.style() != Qt::NoBrush) p.fillPath(path, s.fill);
    if (s.hatch.style() != Qt::NoBrush) p.fillPath(path, s.hatch);
    p.setBrush(Qt::NoBrush);
    p.setPen(screenPen(p, s.stroke));
    p.drawPath(path);
}

namespace {

// A feature much bigger than the view (a city, the red line, a rail line) is cut to the view
// first: handing QPainter thousands of vertices to show a few costs most of a close-up frame,
// and a dashed or cased line is stroked along its whole length however little is seen (a
// 300 km railway of two vertices cost 50–130 ms in a 1 km view). The cut runs a margin
// outside the view, so the cut's own edges are never seen.
gis::Geometry cutToView(const gis::Geometry& g, const gis::Envelope& box,
                        const ViewTransform& view) {
    const gis::Envelope v = view.extent();
    if (box.width() < 2 * v.width() && box.height() < 2 * v.height()) return g;
    if (g.kind() == gis::GeometryKind::Polygon && g.numVertices() < 64)
        return g;  // a few edges: QPainter clips the fill itself, cheaply
    const double margin = 0.05 * std::max(v.width(), v.height()) + 20 * view.unitsPerPixel();
    return g.clipToRect({v.minx - margin, v.miny - margin, v.maxx + margin, v.maxy + margin});
}

}  // namespace

void drawLayer(QPainter& p, const ViewTransform& view, const core::MapLayer& layer,
               const ResolvedStyle& style) {
    p.save();
    p.setOpacity(style.opacity);
    // Sub-pixel features (a million parcels at full extent) become one opaque pixel each in a
    // layer-sized mask, sized from the index's boxes alone: no geometry is touched, nothing
    // is sorted, and the mask is composed once. Bigger features are drawn in file order.
    const QRectF target = view.target();
    const int w = static_cast<int>(target.width()) + 1, h = static_cast<int>(target.height()) + 1;
    const std::string& type = layer.data().geometryType;
    const bool noPoints =
        type.find("Point") == std::string::npos &&
        (type.find("Polygon") != std::string::npos || type.find("LineString") != std::string::npos);
    const QColor c = style.fill.style() != Qt::NoBrush ? style.fill.color() : style.stroke.color();
    const QRgb dot = qRgb(c.red(), c.green(), c.blue());
    // Kept per thread: a fresh frame-sized image costs more in page faults than the dots.
    thread_local QImage dots;
    QRgb* pixels = nullptr;
    std::vector<std::pair<std::size_t, gis::Envelope>> whole;  // features drawn as geometry
    const double minSide = 1.5 * view.unitsPerPixel();
    auto paintDot = [&](const gis::Envelope& box) {
        const QPointF at = view.toPixel((box.minx + box.maxx) / 2, (box.miny + box.maxy) / 2);
        const int x = static_cast<int>(at.x() - target.left()),
                  y = static_cast<int>(at.y() - target.top());
        if (x < 0 || y < 0 || x >= w || y >= h) return;
        if (!pixels) {
            if (dots.size() != QSize(w, h))
                dots = QImage(w, h, QImage::Format_ARGB32_Premultiplied);
            dots.fill(Qt::transparent);
            pixels = reinterpret_cast<QRgb*>(dots.bits());  // rows are w pixels: 32-bit aligned
        }
        pixels[static_cast<std::size_t>(y) * static_cast<std::size_t>(w) +
               static_cast<std::size_t>(x)] = dot;
    };
    auto visit = [&](std::size_t i, const gis::Envelope& box) {
        if (std::max(box.width(), box.height()) >= minSide ||
            (!noPoints && layer.geometry(i).kind() == gis::GeometryKind::Point))
            whole.emplace_back(i, box);
        else
            paintDot(box);
    };
    // Index nodes smaller than a pixel are one dot each; only for layers without points,
    // which keep their symbols at every scale.
    if (noPoints)
        layer.index().queryBoxesAtScale(view.extent(), view.unitsPerPixel(), visit, paintDot);
    else
        layer.index().queryBoxes(view.extent(), visit);
    std::sort(whole.begin(), whole.end(),
              [](const auto& a, const auto& b) { return a.first < b.first; });  // file order
    for (const auto& [i, box] : whole)
        drawGeometry(p, view, cutToView(layer.geometry(i), box, view), style);
    if (pixels) p.drawImage(target.topLeft(), dots);
    p.restore();
}

void drawText(QPainter& p, const QPointF& baseline, const QString& text) {
    if (p.paintEngine() && p.paintEngine()->type() == QPaintEngine::Raster) {
        QPainterPath path;
        path.addText(baseline, p.font(), text);
        p.save();
        p.setRenderHint(QPainter::Antialiasing);
        p.fillPath(path, p.pen().color());
        p.restore();
    } else {
        p.drawText(baseline, text);
    }
}

void drawText(QPainter& p, const QRectF& box, const QString& text, bool centred) {
    const QFontMetricsF fm(p.font());
    const double x = centred ? box.center().x() - fm.horizontalAdvance(text) / 2 : box.left();
    const double y = box.center().y() + (fm.ascent() - fm.descent()) / 2;
    drawText(p, QPointF(x, y), text);
}

namespace {

// The halo and glyphs of one label, drawn with its origin at `at`.
void paintHalo(QPainter& p, const QPointF& origin, const QString& text, const QFont& font,
               const QColor& colour) {
    QPainterPath path;
    path.addText(origin, font, text);
    p.save();
    p.setRenderHint(QPainter::Antialiasing);
    p.strokePath(path,
                 QPen(QColor(255, 255, 255, 230), 3.0, Qt::SolidLine, Qt::RoundCap, Qt::RoundJoin));
    // The glyphs themselves as text, so that PDFs carry real, searchable Chinese.
    p.setFont(font);
    p.setPen(colour);
    drawText(p, origin, text);
    p.restore();
}

// Labels on screen come from a cache of their images: stroking the halo around CJK glyph
// outlines costs ~0.7 ms a label (18 station names took 13 ms of a frame). Labels land on
// whole pixels, so a label looks the same in every frame. Shared by every renderer; emptied
// when it reaches kCachedLabels.
constexpr std::size_t kCachedLabels = 4096;
constexpr int kHaloMargin = 4;

QImage labelImage(const QString& text, const QFont& font, const QColor& colour) {
    static std::mutex mutex;
    static std::unordered_map<QString, QImage> cache;
    const QString key =
        text + QChar(0x1f) + font.key() + QChar(0x1f) + colour.name(QColor::HexArgb);
    {
        const std::lock_guard lock(mutex);
        if (const auto it = cache.find(key); it != cache.end()) return it->second;
    }
    const QFontMetricsF fm(font);
    QImage image(static_cast<int>(std::ceil(fm.horizontalAdvance(text))) + 2 * kHaloMargin,
                 static_cast<int>(std::ceil(fm.height())) + 2 * kHaloMargin,
                 QImage::Format_ARGB32_Premultiplied);
    image.fill(Qt::transparent);
    QPainter p(&image);
    paintHalo(p, QPointF(kHaloMargin, kHaloMargin + fm.ascent()), text, font, colour);
    p.end();
    const std::lock_guard lock(mutex);
    if (cache.size() >= kCachedLabels) cache.clear();
    cache.emplace(key, image);
    return image;
}

}  // namespace

void drawLabel(QPainter& p, const PlacedLabel& label) {
    if (label.leader) {
        p.save();
        p.setRenderHint(QPainter::Antialiasing);
        p.setPen(QPen(QColor(90, 90, 90), 0.8));
        p.drawLine(*label.leader);
        p.restore();
    }
    const QPointF origin = label.origin();
    if (p.paintEngine() && p.paintEngine()->type() == QPaintEngine::Raster) {
        // The box is on whole pixels; the image's origin sits kHaloMargin inside it.
        const QPointF corner = label.box.topLeft() + QPointF(2 - kHaloMargin, 2 - kHaloMargin);
        p.drawImage(corner, labelImage(label.text, label.font, label.colour));
    } else {
        paintHalo(p, origin, label.text, label.font, label.colour);
    }
}

}  // namespace onemap::render
