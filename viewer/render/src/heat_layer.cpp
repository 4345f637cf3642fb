#include "onemap/render/heat_layer.hpp"

#include <QFontMetricsF>
#include <QLinearGradient>
#include <algorithm>
#include <cmath>
#include <cstdint>

#include "layer_painter.hpp"
#include "onemap/render/cjk_font.hpp"

namespace onemap::render {
namespace {

bool missing(const HeatLayer& heat, double v) { return !std::isfinite(v) || v == heat.noData; }

QRectF textBoxAt(const QFont& font, const QPointF& baseline, const QString& text) {
    const QFontMetricsF fm(font);
    return QRectF(baseline.x(), baseline.y() - fm.ascent(), fm.horizontalAdvance(text),
                  fm.height());
}

}  // namespace

double heatMaximum(const HeatLayer& heat) {
    double maximum = 0;
    for (const double v : heat.values)
        if (!missing(heat, v) && v > maximum) maximum = v;
    return maximum;
}

QColor heatColour(const HeatLayer& heat, double value, double maximum) {
    if (missing(heat, value) || !(value > 0) || !(maximum > 0)) return QColor(0, 0, 0, 0);
    return heat.ramp.at(value / maximum);
}

QImage heatImage(const HeatLayer& heat) {
    const int columns = static_cast<int>(heat.grid.columns);
    const int rows = static_cast<int>(heat.grid.rows);
    QImage image(columns, rows, QImage::Format_ARGB32);
    const double maximum = heatMaximum(heat);
    for (int row = 0; row < rows; ++row) {
        auto* line = reinterpret_cast<QRgb*>(image.scanLine(row));
        const double* values =
            heat.values.data() + static_cast<std::size_t>(row) * heat.grid.columns;
        for (int column = 0; column < columns; ++column)
            line[column] = heatColour(heat, values[column], maximum).rgba();
    }
    return image;
}

QString heatValueLabel(double value) {
    if (std::abs(value) >= 100) return QString::number(std::llround(value));
    return QString::number(value, 'g', 3);
}

std::vector<QString> heatLegendLines(const HeatLayer& heat) {
    return {QStringLiteral("每平方公里 per km²"),
            QStringLiteral("核 kernel: ") +
                QString::fromStdString(std::string(gis::kernelName(heat.kernel))) +
                QStringLiteral(", 半径 radius ") + heatValueLabel(heat.radius) + " m",
            QStringLiteral("格网 cell ") + heatValueLabel(heat.grid.cellSize) + " m"};
}

namespace {

void drawCells(QPainter& p, const ViewTransform& view, const HeatLayer& heat) {
    if (heat.grid.cells() == 0 || heat.values.size() != heat.grid.cells()) return;
    const auto& g = heat.grid;
    const QRectF target(view.toPixel(g.originX, g.originY),
                        view.toPixel(g.originX + double(g.columns) * g.cellSize,
                                     g.originY - double(g.rows) * g.cellSize));
    if (g.cellSize >= view.unitsPerPixel()) {  // cells at least a pixel: each drawn whole
        p.drawImage(target, heatImage(heat));
        return;
    }
    // Cells smaller than pixels: each pixel the average of the cells whose centres fall in it
    // (missing ones left out), coloured on the grid's maximum — a 4,500² grid is not scaled
    // as an image.
    const QRect pixels = target.toAlignedRect().intersected(view.target().toAlignedRect());
    if (pixels.isEmpty()) return;
    const auto width = static_cast<std::size_t>(pixels.width());
    const auto height = static_cast<std::size_t>(pixels.height());
    std::vector<long> columnPixel(g.columns);
    for (std::size_t c = 0; c < g.columns; ++c)
        columnPixel[c] = static_cast<long>(std::floor(view.toPixel(g.centreX(c), g.originY).x())) -
                         pixels.left();
    std::vector<double> sum(width * height, 0.0);
    std::vector<std::uint32_t> count(width * height, 0);
    for (std::size_t r = 0; r < g.rows; ++r) {
        const long y =
            static_cast<long>(std::floor(view.toPixel(g.originX, g.centreY(r)).y())) - pixels.top();
        if (y < 0 || y >= static_cast<long>(height)) continue;
        const double* values = heat.values.data() + r * g.columns;
        const std::size_t line = static_cast<std::size_t>(y) * width;
        for (std::size_t c = 0; c < g.columns; ++c) {
            const long x = columnPixel[c];
            if (x < 0 || x >= static_cast<long>(width) || missing(heat, values[c])) continue;
            sum[line + static_cast<std::size_t>(x)] += values[c];
            ++count[line + static_cast<std::size_t>(x)];
        }
    }
    const double maximum = heatMaximum(heat);
    QImage image(pixels.size(), QImage::Format_ARGB32);
    for (std::size_t y = 0; y < height; ++y) {
        auto* out = reinterpret_cast<QRgb*>(image.scanLine(static_cast<int>(y)));
        for (std::size_t x = 0; x < width; ++x) {
            const std::size_t i = y * width + x;
            out[x] = count[i] ? heatColour(heat, sum[i] / count[i], maximum).rgba() : 0;
        }
    }
    p.drawImage(pixels.topLeft(), image);
}

}  // namespace

void drawHeatLayer(QPainter& p, const ViewTransform& view, const HeatLayer& heat) {
    p.save();
    p.setOpacity(p.opacity() * std::clamp(heat.opacity, 0.0, 1.0));
    drawCells(p, view, heat);
    p.restore();
}

double drawHeatLegend(QPainter& p, const QRectF& box, double top, const HeatLayer& heat,
                      std::vector<QRectF>& text) {
    p.save();
    double y = top;
    const double left = box.left() + 12;
    const double width = box.width() - 24;
    QFont font = cjkFont(13, true);
    const QString heading = QString::fromStdString(heat.title.empty() ? "热力 Heat" : heat.title);
    for (int px = 12; px >= 9 && QFontMetricsF(font).horizontalAdvance(heading) > width; --px)
        font = cjkFont(px, true);
    p.setPen(Qt::black);
    p.setFont(font);
    const QPointF headingAt(left, y + 14);
    drawText(p, headingAt, heading);
    text.push_back(textBoxAt(font, headingAt, heading));
    y += 22;
    // The ramp bar, its stops evenly along it.
    const QRectF bar(left, y, width, 14);
    QLinearGradient gradient(bar.topLeft(), bar.topRight());
    const auto& stops = heat.ramp.stops();
    for (std::size_t i = 0; i < stops.size(); ++i)
        gradient.setColorAt(double(i) / double(stops.size() - 1), stops[i]);
    p.setPen(QPen(QColor(120, 120, 120), 1));
    p.setBrush(gradient);
    p.drawRect(bar);
    y += 14 + 14;
    font = cjkFont(12);
    p.setFont(font);
    p.setPen(Qt::black);
    const QString low = QStringLiteral("0");
    const QString high = heatValueLabel(heatMaximum(heat));
    drawText(p, QPointF(left, y), low);
    text.push_back(textBoxAt(font, QPointF(left, y), low));
    const QPointF highAt(bar.right() - QFontMetricsF(font).horizontalAdvance(high), y);
    drawText(p, highAt, high);
    text.push_back(textBoxAt(font, highAt, high));
    y += 6;
    for (const auto& line : heatLegendLines(heat)) {
        QFont lineFont = cjkFont(12);
        for (int px = 11; px >= 9 && QFontMetricsF(lineFont).horizontalAdvance(line) > width; --px)
            lineFont = cjkFont(px);
        p.setFont(lineFont);
        y += 17;
        drawText(p, QPointF(left, y), line);
        text.push_back(textBoxAt(lineFont, QPointF(left, y), line));
    }
    p.restore();
    return y + 12 - top;
}

std::optional<double> heatValueAt(const HeatLayer& heat, double x, double y) {
    const auto& g = heat.grid;
    if (heat.values.size() != g.cells() || !(g.cellSize > 0)) return std::nullopt;
    const double column = std::floor((x - g.originX) / g.cellSize);
    const double row = std::floor((g.originY - y) / g.cellSize);
    if (!(column >= 0 && row >= 0 && column < double(g.columns) && row < double(g.rows)))
        return std::nullopt;
    const double value =
        heat.values[static_cast<std::size_t>(row) * g.columns + static_cast<std::size_t>(column)];
    if (missing(heat, value)) return std::nullopt;
    return value;
}

HeatLayer heatLayerOf(const core::PlanHeatmap& heatmap) {
    HeatLayer heat;
    heat.grid = heatmap.density().grid();
    heat.values = heatmap.compute();
    heat.ramp = ColourRamp::named(heatmap.spec().ramp).value_or(heat.ramp);
    heat.title = heatmap.spec().title;
    heat.kernel = heatmap.density().kernel();
    heat.radius = heatmap.density().radius();
    heat.opacity = heatmap.spec().opacity;
    return heat;
}

}  // namespace onemap::render
