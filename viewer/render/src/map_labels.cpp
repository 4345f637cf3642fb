#include "map_labels.hpp"

#include <memory>

#include "onemap/render/cjk_font.hpp"
#include "onemap/render/style.hpp"

namespace onemap::render {
namespace {

constexpr double kMinNamedPx = 30;  // features smaller than this are not named

// Positions to centre a polygon's label on, best first: a point on its visible surface, then
// steps away from it (up, down, sideways, diagonally) for when that one is taken.
std::vector<QPointF> interiorCandidates(const QPointF& at, const QSizeF& size) {
    std::vector<QPointF> out{at};
    const double h = size.height(), w = size.width() * 0.6;
    for (int k = 1; k <= 3; ++k) {
        out.emplace_back(at.x(), at.y() - k * h);
        out.emplace_back(at.x(), at.y() + k * h);
    }
    for (const double dx : {w, -w})
        for (const double dy : {0.0, -h, h, -2 * h, 2 * h})
            out.emplace_back(at.x() + dx, at.y() + dy);
    return out;
}

}  // namespace

void addLayerLabels(FrameLabels& out, const ViewTransform& view, const core::MapLayer& layer) {
    const bool labelled = !layer.spec().label.empty();
    const bool admin = layer.spec().role == "admin";
    const ResolvedStyle style = resolveStyle(layer.spec());
    const double symbolHalf = style.pointSize / 2 + std::max(1.0, style.stroke.widthF());
    const QFont font = cjkFont(admin ? 16 : 12, admin);
    const QColor colour = admin ? QColor(60, 60, 60) : QColor(20, 50, 100);
    const gis::Envelope v = view.extent();
    auto ids = layer.index().query(v);
    std::sort(ids.begin(), ids.end());
    for (const auto i : ids) {
        const auto& g = layer.geometry(i);
        if (g.kind() == gis::GeometryKind::Point) {
            for (const auto& path : g.paths()) {
                const QPointF at = view.toPixel(path[0].x, path[0].y);
                const QRectF symbol(at.x() - symbolHalf, at.y() - symbolHalf, 2 * symbolHalf,
                                    2 * symbolHalf);
                out.obstacles.push_back(symbol);
                if (!labelled || !view.target().contains(at)) continue;
                LabelRequest rq;
                rq.text = QString::fromStdString(layer.label(i));
                rq.font = font;
                rq.colour = colour;
                rq.priority = admin ? kAdminLabel : kPointLabel;
                rq.layer = layer.spec().id;
                rq.symbol = symbol;
                out.requests.push_back(std::move(rq));
            }
            continue;
        }
        if (!labelled) continue;
        const auto e = g.envelope();
        if (std::max(e.width(), e.height()) / view.unitsPerPixel() < kMinNamedPx) continue;
        LabelRequest rq;
        rq.text = QString::fromStdString(layer.label(i));
        if (rq.text.isEmpty()) continue;
        rq.font = font;
        rq.colour = colour;
        rq.priority = admin ? kAdminLabel : kOtherLabel;
        rq.layer = layer.spec().id;
        // The part in view: a city half off screen is named where it is seen.
        const bool within =
            e.minx >= v.minx && e.maxx <= v.maxx && e.miny >= v.miny && e.maxy <= v.maxy;
        auto shown = std::make_shared<const gis::Geometry>(within ? g : g.clipToRect(v));
        if (shown->isEmpty()) continue;
        if (shown->kind() == gis::GeometryKind::Line) {  // a named line: beside its middle
            const gis::Point a = shown->pointOnSurface();
            const QPointF at = view.toPixel(a.x, a.y);
            rq.symbol = QRectF(at.x() - 2, at.y() - 2, 4, 4);
            out.requests.push_back(std::move(rq));
            continue;
        }
        const gis::Point a = shown->pointOnSurface();
        rq.interior =
            interiorCandidates(view.toPixel(a.x, a.y), LabelPlacer::labelSize(rq.text, rq.font));
        // The whole label inside the polygon: its centre and its text's corners.
        rq.inside = [shown, view](const QRectF& box) {
            const QRectF text = box.adjusted(2, 2, -2, -2);
            for (const QPointF& c : {text.center(), text.topLeft(), text.topRight(),
                                     text.bottomLeft(), text.bottomRight()}) {
                const gis::Point m = view.toMap(c);
                if (!shown->contains(gis::Geometry::point(m.x, m.y))) return false;
            }
            return true;
        };
        rq.insideLoosely = [shown, view](const QRectF& box) {
            const gis::Point m = view.toMap(box.center());
            return shown->contains(gis::Geometry::point(m.x, m.y));
        };
        out.requests.push_back(std::move(rq));
    }
}

}  // namespace onemap::render
