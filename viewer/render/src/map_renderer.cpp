#include "onemap/render/map_renderer.hpp"

#include <QBuffer>
#include <QPageSize>
#include <QPainterPath>
#include <QPdfWriter>
#include <cmath>
#include <filesystem>

#include "layer_painter.hpp"
#include "onemap/core/check/coverage_words.hpp"
#include "onemap/gis/base/atomic_file.hpp"
#include "onemap/gis/base/error.hpp"
#include "onemap/gis/crs/geodesic.hpp"
#include "onemap/render/cjk_font.hpp"
#include "onemap/render/style.hpp"

namespace onemap::render {
namespace {

constexpr double kLegendWidth = 250;
constexpr double kTitleHeight = 56;
constexpr double kFooterHeight = 40;
constexpr double kMargin = 16;

// A round length (1, 2 or 5 × 10^k) not longer than `max`.
double niceLength(double max) {
    const double p = std::pow(10.0, std::floor(std::log10(max)));
    for (double m : {5.0, 2.0, 1.0})
        if (m * p <= max) return m * p;
    return p;
}

}  // namespace

void drawLegendSymbol(QPainter& p, const QRectF& r, const core::MapLayer& layer) {
    const ResolvedStyle s = resolveStyle(layer.spec());
    const auto& type = layer.data().geometryType;
    const double w = r.width(), h = r.height();
    p.save();
    p.setRenderHint(QPainter::Antialiasing);
    p.setOpacity(s.opacity);
    const ViewTransform v(gis::Envelope{0, 0, w, h}, r);
    gis::Geometry g;
    if (type.find("Point") != std::string::npos)
        g = gis::Geometry::point(w / 2, h / 2);
    else if (type.find("Line") != std::string::npos)
        g = gis::Geometry::lineString({{2, h / 2}, {w - 2, h / 2}});
    else
        g = gis::Geometry::polygon({{{1, 1}, {w - 1, 1}, {w - 1, h - 1}, {1, h - 1}}});
    drawGeometry(p, v, g, s);
    p.restore();
}

MapRenderer::MapRenderer(std::shared_ptr<const core::OneMap> map) : map_(std::move(map)) {
    ensureGuiApplication();
}

gis::Envelope MapRenderer::fullExtent() const { return map_->extent(); }

std::vector<const core::MapLayer*> MapRenderer::layersToDraw(const RenderOptions& o) const {
    std::vector<const core::MapLayer*> out;
    if (o.layers) {
        for (const auto& id : *o.layers) {
            const auto* l = map_->layer(id);
            if (!l) throw InputError("--layers: the plan has no layer '" + id + "'");
            out.push_back(l);
        }
        return out;
    }
    for (const auto& l : map_->layers())
        if (l->spec().visible) out.push_back(l.get());
    return out;
}

QRectF MapRenderer::mapFrame(const QRectF& t, const RenderOptions& o) const {
    if (o.bare) return t;
    return QRectF(t.left() + kMargin, t.top() + kTitleHeight,
                  t.width() - kLegendWidth - 3 * kMargin,
                  t.height() - kTitleHeight - kFooterHeight);
}

void MapRenderer::drawMap(QPainter& p, const ViewTransform& view, const RenderOptions& o) const {
    p.save();
    p.setClipRect(view.target());
    p.setRenderHint(QPainter::Antialiasing);
    const auto layers = layersToDraw(o);
    for (const auto* l : layers) {
        ResolvedStyle style = resolveStyle(l->spec());
        if (const auto it = o.opacity.find(l->spec().id); it != o.opacity.end())
            style.opacity *= it->second;
        drawLayer(p, view, *l, style);
    }
    for (const auto& overlay : o.overlays) {
        ResolvedStyle s;
        const QColor& c = overlay.colour;
        s.fill = QBrush(QColor(c.red(), c.green(), c.blue(), 170));
        s.stroke = QPen(c.darker(140), 1.2);
        drawGeometry(p, view, overlay.geometry, s);
    }
    drawSites(p, view, o);
    // Labels last, top layer first, so stations and parks win over city names.
    std::vector<QRectF> placed;
    for (auto it = layers.rbegin(); it != layers.rend(); ++it) {
        const double size = (*it)->spec().role == "admin" ? 16 : 12;
        drawLabels(p, view, **it, size, placed);
    }
    p.restore();
}

void MapRenderer::drawSites(QPainter& p, const ViewTransform& view, const RenderOptions& o) const {
    if (!o.report) return;
    for (const auto& site : o.report->sites) {
        const QColor c = verdictColour(site.verdict());
        for (const auto& r : site.rules) {  // conflict areas first, under the outline
            if (r.conflict.isEmpty() || r.passed) continue;
            ResolvedStyle conflict;
            const QColor cc = verdictColour(r.verdict());
            conflict.fill = QBrush(QColor(cc.red(), cc.green(), cc.blue(), 150));
            conflict.hatch = QBrush(cc.darker(150), Qt::DiagCrossPattern);
            drawGeometry(p, view, r.conflict, conflict);
        }
        const bool highlight = std::find(o.highlightSites.begin(), o.highlightSites.end(),
                                         site.id) != o.highlightSites.end();
        ResolvedStyle outline;
        outline.fill = QBrush(QColor(c.red(), c.green(), c.blue(), 60));
        outline.stroke = QPen(c, highlight ? 3.5 : 2.0);
        const auto e = site.geometry.envelope();
        if (std::max(e.width(), e.height()) / view.unitsPerPixel() < 8) {
            // Too small to see at this scale: a marker in the verdict colour.
            const QPointF at = view.toPixel(e.center().x, e.center().y);
            p.setPen(QPen(Qt::white, 1.5));
            p.setBrush(c);
            p.drawEllipse(at, 5.5, 5.5);
        } else {
            drawGeometry(p, view, site.geometry, outline);
        }
        if (highlight || o.highlightSites.empty()) {
            const QPointF at = view.toPixel(e.center().x, e.maxy);
            haloText(p, at - QPointF(0, 10), QString::fromStdString(site.id), cjkFont(11, true),
                     c.darker(130));
        }
    }
}

void MapRenderer::drawLegend(QPainter& p, const QRectF& box, const RenderOptions& o) const {
    p.save();
    p.setRenderHint(QPainter::Antialiasing);
    p.setPen(QPen(QColor(150, 150, 150), 1));
    p.setBrush(QColor(255, 255, 255));
    p.drawRect(box);
    double y = box.top() + 12;
    p.setPen(Qt::black);
    p.setFont(cjkFont(16, true));
    drawText(p, QPointF(box.left() + 12, y + 16), QStringLiteral("图例 Legend"));
    y += 34;
    p.setFont(cjkFont(13));
    auto entry = [&](const std::function<void(const QRectF&)>& symbol, const QString& text) {
        const QRectF sym(box.left() + 12, y, 34, 18);
        symbol(sym);
        p.setPen(Qt::black);
        drawText(p, QPointF(sym.right() + 10, y + 14), text);
        y += 26;
    };
    const auto layers = layersToDraw(o);
    for (auto it = layers.rbegin(); it != layers.rend(); ++it) {
        const auto* l = *it;
        entry([&](const QRectF& r) { drawLegendSymbol(p, r, *l); },
              QString::fromStdString(l->spec().title));
    }
    for (const auto& overlay : o.overlays) {
        const QColor c = overlay.colour;
        entry(
            [&](const QRectF& r) {
                p.setPen(QPen(c.darker(140), 1.2));
                p.setBrush(QColor(c.red(), c.green(), c.blue(), 170));
                p.drawRect(r.adjusted(4, 1, -4, -1));
            },
            overlay.legend);
    }
    if (o.report) {
        y += 6;
        for (auto [v, name] : {std::pair{core::Verdict::Pass, "合规 pass"},
                               std::pair{core::Verdict::Warn, "警示 warn"},
                               std::pair{core::Verdict::Fail, "不合规 fail"}}) {
            const QColor c = verdictColour(v);
            entry(
                [&](const QRectF& r) {
                    p.setPen(QPen(c, 2));
                    p.setBrush(QColor(c.red(), c.green(), c.blue(), 60));
                    p.drawRect(r.adjusted(4, 1, -4, -1));
                },
                QString::fromUtf8(name));
        }
        const QColor c = verdictColour(core::Verdict::Fail);
        entry(
            [&](const QRectF& r) {
                p.fillRect(r.adjusted(4, 1, -4, -1), QColor(c.red(), c.green(), c.blue(), 150));
                p.fillRect(r.adjusted(4, 1, -4, -1), QBrush(c.darker(150), Qt::DiagCrossPattern));
            },
            QStringLiteral("冲突区域 conflict"));
    }
    p.restore();
}

void MapRenderer::drawScaleBar(QPainter& p, const ViewTransform& view) const {
    // True on the ground at the map's centre: the ellipsoidal length of 100 px there.
    const gis::EllipsoidalMeasure measure(map_->plan().crs);
    const QPointF c = view.target().center();
    const auto a = view.toMap(c - QPointF(50, 0)), b = view.toMap(c + QPointF(50, 0));
    const double metresPerPixel = measure.distance(a, b) / 100.0;
    const double length = niceLength(view.target().width() * 0.22 * metresPerPixel);
    const double px = length / metresPerPixel;
    const QRectF box(view.target().left() + 12, view.target().bottom() - 52, px + 60, 40);
    p.save();
    p.setRenderHint(QPainter::Antialiasing);
    p.setPen(Qt::NoPen);
    p.setBrush(QColor(255, 255, 255, 220));
    p.drawRect(box);
    const double x0 = box.left() + 10, y0 = box.top() + 24;
    for (int i = 0; i < 4; ++i) {
        p.setPen(QPen(Qt::black, 1));
        p.setBrush(i % 2 ? Qt::white : Qt::black);
        p.drawRect(QRectF(x0 + i * px / 4, y0, px / 4, 6));
    }
    p.setFont(cjkFont(12));
    p.setPen(Qt::black);
    const QString label =
        length >= 1000 ? QString::number(length / 1000) + " km" : QString::number(length) + " m";
    drawText(p, QPointF(x0 - 3, y0 - 5), "0");
    drawText(p, QPointF(x0 + px - 10, y0 - 5), label);
    p.restore();
}

void MapRenderer::drawNorthArrow(QPainter& p, const QRectF& frame) const {
    const QPointF top(frame.right() - 34, frame.top() + 14);
    QPainterPath left, right;
    left.moveTo(top);
    left.lineTo(top + QPointF(-11, 34));
    left.lineTo(top + QPointF(0, 26));
    left.closeSubpath();
    right.moveTo(top);
    right.lineTo(top + QPointF(11, 34));
    right.lineTo(top + QPointF(0, 26));
    right.closeSubpath();
    p.save();
    p.setRenderHint(QPainter::Antialiasing);
    p.setPen(QPen(Qt::black, 1));
    p.fillPath(left, Qt::black);
    p.fillPath(right, Qt::white);
    p.drawPath(left);
    p.drawPath(right);
    p.setFont(cjkFont(13, true));
    drawText(p, QRectF(top.x() - 15, top.y() + 34, 30, 18), QStringLiteral("北 N"), true);
    p.restore();
}

void MapRenderer::render(QPainter& p, const QRectF& target, const RenderOptions& o) const {
    (void)layersToDraw(o);  // bad layer ids fail here, before anything is drawn
    p.save();
    p.fillRect(target, Qt::white);
    const gis::Envelope extent = o.extent ? *o.extent : fullExtent();
    const QRectF frame = mapFrame(target, o);
    const ViewTransform view(extent, frame);
    if (o.bare) {
        drawMap(p, view, o);
        p.restore();
        return;
    }
    p.fillRect(frame, QColor(236, 242, 246));  // outside the cities: a quiet "sea" tone
    drawMap(p, view, o);
    p.setPen(QPen(QColor(90, 90, 90), 1.2));
    p.setBrush(Qt::NoBrush);
    p.drawRect(frame);
    drawScaleBar(p, view);
    drawNorthArrow(p, frame);
    // Title.
    p.setPen(Qt::black);
    p.setFont(cjkFont(24, true));
    const std::string title = o.title.empty() ? map_->plan().name : o.title;
    drawText(p,
             QRectF(target.left() + kMargin, target.top() + 8, target.width() - 2 * kMargin,
                    kTitleHeight - 12),
             QString::fromStdString(title));
    drawLegend(p, QRectF(frame.right() + kMargin, frame.top(), kLegendWidth, frame.height()), o);
    // Footer: CRS note and attribution.
    p.setPen(QColor(70, 70, 70));
    p.setFont(cjkFont(11));
    const auto& plan = map_->plan();
    QString crs = QStringLiteral("坐标系 CRS: ") +
                  QString::fromStdString(plan.crs.label() + " " + plan.crs.name());
    if (plan.hasVersions()) {  // which day's map this is, and the versions drawn
        std::string versions;
        for (const auto& l : plan.layers)
            if (l.inForce)
                versions += "  " + l.id + " " + l.inForce->from +
                            (l.inForce->doc.empty() ? "" : " " + l.inForce->doc);
        for (const auto& l : plan.layersNotInForce)
            versions += "  " + l.id + " " + core::CoverageCaptions::notInForce;
        crs += QString::fromStdString("   " + core::asOfLine(plan.asOf) + versions);
    }
    drawText(p,
             QRectF(frame.left(), frame.bottom() + 4, frame.width() + kLegendWidth + kMargin, 16),
             crs);
    drawText(p,
             QRectF(frame.left(), frame.bottom() + 20, frame.width() + kLegendWidth + kMargin, 16),
             QString::fromStdString(plan.attribution));
    p.restore();
}

QImage MapRenderer::renderImage(const RenderOptions& o) const {
    QImage image;
    renderInto(image, o);
    return image;
}

void MapRenderer::renderInto(QImage& image, const RenderOptions& o) const {
    if (o.size.width() < 16 || o.size.height() < 16 || o.size.width() > 20000 ||
        o.size.height() > 20000)
        throw InputError("--size must be between 16 and 20000 pixels each way");
    if (image.size() != o.size || image.format() != QImage::Format_ARGB32_Premultiplied)
        image = QImage(o.size, QImage::Format_ARGB32_Premultiplied);  // render() paints it white
    QPainter p(&image);
    render(p, QRectF(QPointF(0, 0), QSizeF(o.size)), o);
    p.end();
}

void MapRenderer::write(const std::string& path, const RenderOptions& o) const {
    const std::string ext = std::filesystem::path(path).extension().string();
    if (ext != ".png" && ext != ".pdf")
        throw InputError(path + ": the output must end in .png or .pdf");
    const std::string tmp = gis::temporarySibling(path) + ext;
    try {
        if (ext == ".png") {
            if (!renderImage(o).save(QString::fromStdString(tmp), "PNG"))
                throw InputError(path + ": cannot write (does the folder exist?)");
        } else {
            QPdfWriter pdf(QString::fromStdString(tmp));
            pdf.setResolution(96);
            pdf.setPageSize(
                QPageSize(QSizeF(o.size.width() * 0.75, o.size.height() * 0.75), QPageSize::Point));
            pdf.setPageMargins(QMarginsF(0, 0, 0, 0));
            pdf.setCreator("onemap");
            pdf.setTitle(QString::fromStdString(o.title.empty() ? map_->plan().name : o.title));
            QPainter p;
            if (!p.begin(&pdf)) throw InputError(path + ": cannot write (does the folder exist?)");
            render(p, QRectF(0, 0, o.size.width(), o.size.height()), o);
            p.end();
        }
        // `path` is a staged output (gis::OutputFiles), which follows symbolic links.
        std::error_code moved;
        std::filesystem::rename(tmp, path, moved);
        if (moved) throw InputError(path + ": cannot write: " + moved.message());
    } catch (...) {
        std::error_code ec;
        std::filesystem::remove(tmp, ec);
        throw;
    }
}

}  // namespace onemap::render
