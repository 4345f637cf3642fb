#include "onemap/render/map_renderer.hpp"

#include <QBuffer>
#include <QPageSize>
#include <QPainterPath>
#include <QPdfWriter>
#include <cmath>
#include <filesystem>

#include "layer_painter.hpp"
#include "map_labels.hpp"
#include "onemap/core/check/coverage_words.hpp"
#include "onemap/core/check/phrases.hpp"
#include "onemap/gis/base/atomic_file.hpp"
#include "onemap/gis/base/error.hpp"
#include "onemap/gis/crs/geodesic.hpp"
#include "onemap/render/cjk_font.hpp"
#include "onemap/render/heat_layer.hpp"
#include "onemap/render/style.hpp"

namespace onemap::render {
namespace {

constexpr double kLegendWidth = 250;
constexpr double kTitleHeight = 56;
constexpr double kFooterHeight = 40;
constexpr double kMargin = 16;
constexpr std::size_t kMaxOverlayObstacles = 64;  // pieces of an overlay labels keep off

// A round length (1, 2 or 5 × 10^k) not longer than `max`.
double niceLength(double max) {
    const double p = std::pow(10.0, std::floor(std::log10(max)));
    for (double m : {5.0, 2.0, 1.0})
        if (m * p <= max) return m * p;
    return p;
}

// Where the north arrow (and its "北 N") sits in a frame.
QRectF northArrowBox(const QRectF& frame) {
    return QRectF(frame.right() - 50, frame.top() + 10, 32, 62);
}

// The box text drawn at a baseline (or in a box, as drawText does) covers.
QRectF textBox(const QFont& font, const QPointF& baseline, const QString& text) {
    const QFontMetricsF fm(font);
    return QRectF(baseline.x(), baseline.y() - fm.ascent(), fm.horizontalAdvance(text),
                  fm.height());
}
QRectF textBox(const QFont& font, const QRectF& box, const QString& text, bool centred = false) {
    const QFontMetricsF fm(font);
    const double x = centred ? box.center().x() - fm.horizontalAdvance(text) / 2 : box.left();
    return textBox(font, QPointF(x, box.center().y() + (fm.ascent() - fm.descent()) / 2), text);
}

// `text` in lines no wider than `width`: broken after spaces, and inside a word (Chinese has
// no spaces) only when the word alone is too wide.
std::vector<QString> wrapText(const QString& text, const QFont& font, double width) {
    const QFontMetricsF fm(font);
    std::vector<QString> lines;
    QString line;
    auto fits = [&](const QString& s) { return fm.horizontalAdvance(s) <= width; };
    int i = 0;
    while (i < text.size()) {
        int j = i;
        while (j < text.size() && text[j] != ' ') ++j;
        while (j < text.size() && text[j] == ' ') ++j;  // a word and the spaces after it
        const QString word = text.mid(i, j - i);
        i = j;
        if (fits(line + word.trimmed())) {
            line += word;
            continue;
        }
        if (!line.trimmed().isEmpty()) lines.push_back(line.trimmed());
        line.clear();
        for (const QChar c : word) {  // a word wider than the page: broken where it must be
            if (!fits(line + c) && !line.isEmpty()) {
                lines.push_back(line.trimmed());
                line.clear();
            }
            line += c;
        }
    }
    if (!line.trimmed().isEmpty()) lines.push_back(line.trimmed());
    return lines;
}

}  // namespace

void drawLegendSymbol(QPainter& p, const QRectF& r, const core::MapLayer& layer, bool outlineOnly) {
    ResolvedStyle s = resolveStyle(layer.spec());
    if (outlineOnly) s.fill = s.hatch = QBrush(Qt::NoBrush);
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
                  t.height() - kTitleHeight - footer(t).height);
}

void MapRenderer::drawMap(QPainter& p, const ViewTransform& view, const RenderOptions& o,
                          RenderRecord* record) const {
    drawMapAvoiding(p, view, o, {}, record);
}

void MapRenderer::drawMapAvoiding(QPainter& p, const ViewTransform& view, const RenderOptions& o,
                                  const std::vector<QRectF>& obstacles,
                                  RenderRecord* record) const {
    p.save();
    p.setClipRect(view.target());
    p.setRenderHint(QPainter::Antialiasing);
    const auto layers = layersToDraw(o);
    if (o.heat) drawHeatLayer(p, view, *o.heat);
    for (const auto* l : layers) {
        ResolvedStyle style = resolveStyle(l->spec());
        if (o.polygonOutlines) style.fill = style.hatch = QBrush(Qt::NoBrush);
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
    FrameLabels labels;
    // The pieces of an overlay (a search's candidates, a diff's few changes) are not hidden
    // under names either; big or many pieces (free land) are background.
    const QRectF& t = view.target();
    for (const auto& overlay : o.overlays) {
        if (overlay.geometry.numParts() > kMaxOverlayObstacles) continue;
        for (std::size_t i = 0; i < overlay.geometry.numParts(); ++i) {
            const auto e = overlay.geometry.part(i).envelope();
            const QRectF box =
                QRectF(view.toPixel(e.minx, e.maxy), view.toPixel(e.maxx, e.miny)).intersected(t);
            if (!box.isEmpty() && box.width() * box.height() < 0.25 * t.width() * t.height())
                labels.obstacles.push_back(box);
        }
    }
    drawSites(p, view, o, labels);
    // Labels last. Requests go top layer first, so that within a priority the upper layer wins.
    for (auto it = layers.rbegin(); it != layers.rend(); ++it) addLayerLabels(labels, view, **it);
    LabelPlacer placer(view.target());
    for (const auto& box : labels.obstacles) placer.addObstacle(box);
    for (const auto& box : obstacles) placer.addObstacle(box);
    const auto placed = placer.place(std::move(labels.requests));
    for (const auto& label : placed) drawLabel(p, label);
    if (record) {
        record->frame = view.target();
        record->labels.insert(record->labels.end(), placed.begin(), placed.end());
    }
    p.restore();
}

void MapRenderer::drawSites(QPainter& p, const ViewTransform& view, const RenderOptions& o,
                            FrameLabels& labels) const {
    if (!o.report) return;
    const QFont font = cjkFont(11, true);
    for (const auto& site : o.report->sites) {
        const QColor c = verdictColour(site.verdict());
        for (const auto& r : site.rules) {  // conflict areas first, under the outline
            if (r.conflict.isEmpty() || r.passed) continue;
            ResolvedStyle conflict;
            const QColor cc = conflictColour();
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
        QRectF symbol(view.toPixel(e.minx, e.maxy), view.toPixel(e.maxx, e.miny));
        if (std::max(e.width(), e.height()) / view.unitsPerPixel() < 8) {
            // Too small to see at this scale: a marker in the verdict colour.
            const QPointF at = view.toPixel(e.center().x, e.center().y);
            p.setPen(QPen(Qt::white, 1.5));
            p.setBrush(c);
            p.drawEllipse(at, 5.5, 5.5);
            symbol = QRectF(at.x() - 6.5, at.y() - 6.5, 13, 13);
            labels.obstacles.push_back(symbol);
        } else {
            drawGeometry(p, view, site.geometry, outline);
            symbol = symbol.intersected(view.target());
            labels.obstacles.push_back(symbol);  // no other label covers a site
        }
        if ((highlight || o.highlightSites.empty()) && symbol.intersects(view.target())) {
            LabelRequest rq;
            rq.text = QString::fromStdString(site.id);
            rq.font = font;
            rq.colour = c.darker(130);
            rq.priority = highlight ? kHighlightedSiteLabel : kSiteLabel;
            rq.layer = "sites";
            rq.symbol = symbol;
            labels.requests.push_back(std::move(rq));
        }
    }
}

void MapRenderer::drawLegend(QPainter& p, const QRectF& box, const RenderOptions& o,
                             std::vector<QRectF>& text) const {
    p.save();
    p.setRenderHint(QPainter::Antialiasing);
    p.setPen(QPen(QColor(150, 150, 150), 1));
    p.setBrush(QColor(255, 255, 255));
    p.drawRect(box);
    double y = box.top() + 12;
    p.setPen(Qt::black);
    p.setFont(cjkFont(16, true));
    const QString heading = QStringLiteral("图例 Legend");
    drawText(p, QPointF(box.left() + 12, y + 16), heading);
    text.push_back(textBox(p.font(), QPointF(box.left() + 12, y + 16), heading));
    y += 34;
    if (o.heat) y += drawHeatLegend(p, box, y, *o.heat, text);
    const auto layers = layersToDraw(o);
    // Every entry gets a row; rows close up (down to 15 px) when the frame is short.
    const std::size_t rows =
        layers.size() + o.overlays.size() + (o.report ? legendVerdicts().size() + 1 : 0);
    const double room = box.bottom() - 6 - y - (o.report ? 6 : 0);
    const double step =
        std::clamp(room / static_cast<double>(std::max<std::size_t>(rows, 1)), 15.0, 26.0);
    const double symbolHeight = std::min(18.0, step - 4);
    auto entry = [&](const std::function<void(const QRectF&)>& symbol, const QString& name) {
        const QRectF sym(box.left() + 12, y, 34, symbolHeight);
        symbol(sym);
        p.setPen(Qt::black);
        const double width = box.right() - 8 - (sym.right() + 10);
        QFont font = cjkFont(13);
        for (int px = 12; px >= 9 && QFontMetricsF(font).horizontalAdvance(name) > width; --px)
            font = cjkFont(px);  // a long title: smaller, never cut
        p.setFont(font);
        const QRectF line(sym.right() + 10, y, width, symbolHeight);
        drawText(p, line, name);
        text.push_back(textBox(font, line, name));
        y += step;
    };
    for (auto it = layers.rbegin(); it != layers.rend(); ++it) {
        const auto* l = *it;
        entry([&](const QRectF& r) { drawLegendSymbol(p, r, *l, o.polygonOutlines); },
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
        for (const auto& [v, name] : legendVerdicts()) {
            const QColor c = verdictColour(v);
            entry(
                [&](const QRectF& r) {
                    p.setPen(QPen(c, 2));
                    p.setBrush(QColor(c.red(), c.green(), c.blue(), 60));
                    p.drawRect(r.adjusted(4, 1, -4, -1));
                },
                name);
        }
        const QColor c = conflictColour();
        entry(
            [&](const QRectF& r) {
                p.fillRect(r.adjusted(4, 1, -4, -1), QColor(c.red(), c.green(), c.blue(), 150));
                p.fillRect(r.adjusted(4, 1, -4, -1), QBrush(c.darker(150), Qt::DiagCrossPattern));
            },
            legendPhrase(LegendPhrase::Conflict));
    }
    p.restore();
}

QRectF MapRenderer::scaleBarBox(const ViewTransform& view, double* metresPerPixel,
                                double* length) const {
    // True on the ground at the map's centre: the ellipsoidal length of 100 px there.
    const gis::EllipsoidalMeasure measure(map_->plan().crs);
    const QPointF c = view.target().center();
    const auto a = view.toMap(c - QPointF(50, 0)), b = view.toMap(c + QPointF(50, 0));
    *metresPerPixel = measure.distance(a, b) / 100.0;
    *length = niceLength(view.target().width() * 0.22 * *metresPerPixel);
    const double px = *length / *metresPerPixel;
    return QRectF(view.target().left() + 12, view.target().bottom() - 52, px + 60, 40);
}

void MapRenderer::drawScaleBar(QPainter& p, const ViewTransform& view,
                               std::vector<QRectF>& text) const {
    double metresPerPixel = 1, length = 1;
    const QRectF box = scaleBarBox(view, &metresPerPixel, &length);
    const double px = length / metresPerPixel;
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
    text.push_back(textBox(p.font(), QPointF(x0 - 3, y0 - 5), "0"));
    text.push_back(textBox(p.font(), QPointF(x0 + px - 10, y0 - 5), label));
    p.restore();
}

void MapRenderer::drawNorthArrow(QPainter& p, const QRectF& frame,
                                 std::vector<QRectF>& text) const {
    const QPointF top = northArrowBox(frame).topLeft() + QPointF(16, 0);
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
    const QRectF box(top.x() - 15, top.y() + 34, 30, 18);
    drawText(p, box, QStringLiteral("北 N"), true);
    text.push_back(textBox(p.font(), box, QStringLiteral("北 N"), true));
    p.restore();
}

MapRenderer::Footer MapRenderer::footer(const QRectF& target) const {
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
            versions += "  " + l.id + " " + core::phrase::notInForce.in(plan.language);
        crs +=
            QString::fromStdString("   " + core::asOfLine(plan.asOf).in(plan.language) + versions);
    }
    const QString attribution = QString::fromStdString(plan.attribution);
    const double width = target.width() - 2 * kMargin;
    // Wrapped to the page's width; past four lines, a smaller font (never below 9 px).
    Footer f;
    for (int px = 11; px >= 9; --px) {
        f.font = cjkFont(px);
        f.lines = wrapText(crs, f.font, width);
        for (auto& line : wrapText(attribution, f.font, width)) f.lines.push_back(line);
        if (f.lines.size() <= 4) break;
    }
    f.lineHeight = std::ceil(QFontMetricsF(f.font).height()) + 1;
    f.height = std::max(kFooterHeight, 8 + f.lineHeight * static_cast<double>(f.lines.size()));
    return f;
}

void MapRenderer::render(QPainter& p, const QRectF& target, const RenderOptions& o,
                         RenderRecord* record) const {
    (void)layersToDraw(o);  // bad layer ids fail here, before anything is drawn
    p.save();
    p.fillRect(target, Qt::white);
    const gis::Envelope extent = o.extent ? *o.extent : fullExtent();
    const QRectF frame = mapFrame(target, o);
    const ViewTransform view(extent, frame);
    if (o.bare) {
        drawMap(p, view, o, record);
        p.restore();
        return;
    }
    RenderRecord own;
    RenderRecord& r = record ? *record : own;
    p.fillRect(frame, QColor(236, 242, 246));  // outside the cities: a quiet "sea" tone
    double metresPerPixel = 1, length = 1;
    drawMapAvoiding(p, view, o, {scaleBarBox(view, &metresPerPixel, &length), northArrowBox(frame)},
                    &r);
    p.setPen(QPen(QColor(90, 90, 90), 1.2));
    p.setBrush(Qt::NoBrush);
    p.drawRect(frame);
    drawScaleBar(p, view, r.layoutText);
    drawNorthArrow(p, frame, r.layoutText);
    // Title, shrunk to the page's width when long.
    p.setPen(Qt::black);
    const std::string title = o.title.empty() ? map_->plan().name : o.title;
    const QString titleText = QString::fromStdString(title);
    const QRectF titleBox(target.left() + kMargin, target.top() + 8, target.width() - 2 * kMargin,
                          kTitleHeight - 12);
    QFont titleFont = cjkFont(24, true);
    for (int px = 23;
         px >= 12 && QFontMetricsF(titleFont).horizontalAdvance(titleText) > titleBox.width(); --px)
        titleFont = cjkFont(px, true);
    p.setFont(titleFont);
    drawText(p, titleBox, titleText);
    r.layoutText.push_back(textBox(titleFont, titleBox, titleText));
    drawLegend(p, QRectF(frame.right() + kMargin, frame.top(), kLegendWidth, frame.height()), o,
               r.layoutText);
    // Footer: CRS note, the day and versions drawn, and the attribution, wrapped to the page.
    p.setPen(QColor(70, 70, 70));
    const Footer f = footer(target);
    p.setFont(f.font);
    double y = frame.bottom() + 4;
    for (const auto& line : f.lines) {
        const QRectF box(frame.left(), y, target.width() - 2 * kMargin, f.lineHeight);
        drawText(p, box, line);
        r.layoutText.push_back(textBox(f.font, box, line));
        y += f.lineHeight;
    }
    p.restore();
}

QImage MapRenderer::renderImage(const RenderOptions& o, RenderRecord* record) const {
    QImage image;
    renderInto(image, o, record);
    return image;
}

void MapRenderer::renderInto(QImage& image, const RenderOptions& o, RenderRecord* record) const {
    if (o.size.width() < 16 || o.size.height() < 16 || o.size.width() > 20000 ||
        o.size.height() > 20000)
        throw InputError("--size must be between 16 and 20000 pixels each way");
    if (image.size() != o.size || image.format() != QImage::Format_ARGB32_Premultiplied)
        image = QImage(o.size, QImage::Format_ARGB32_Premultiplied);  // render() paints it white
    QPainter p(&image);
    render(p, QRectF(QPointF(0, 0), QSizeF(o.size)), o, record);
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
