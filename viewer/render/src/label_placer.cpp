#include "onemap/render/label_placer.hpp"

#include <QFontMetricsF>
#include <algorithm>
#include <cmath>

namespace onemap::render {
namespace {

constexpr double kCell = 64;     // grid cell (px) for the collision tests
constexpr double kHalo = 2;      // a label's margin around its text, for the halo
constexpr double kGap = 1;       // between a symbol and its label
constexpr int kLeaderRings = 2;  // rings of candidates farther out, reached by a leader line

// Does the segment cross the inside of `r`? (Liang–Barsky; touching an edge does not count.)
bool crosses(const QLineF& s, const QRectF& box) {
    const QRectF r = box.adjusted(0.5, 0.5, -0.5, -0.5);
    if (r.isEmpty()) return false;
    double t0 = 0, t1 = 1;
    const double dx = s.dx(), dy = s.dy();
    const double p[] = {-dx, dx, -dy, dy};
    const double q[] = {s.x1() - r.left(), r.right() - s.x1(), s.y1() - r.top(),
                        r.bottom() - s.y1()};
    for (int i = 0; i < 4; ++i) {
        if (p[i] == 0) {
            if (q[i] < 0) return false;
            continue;
        }
        const double t = q[i] / p[i];
        if (p[i] < 0)
            t0 = std::max(t0, t);
        else
            t1 = std::min(t1, t);
        if (t0 > t1) return false;
    }
    return true;
}

// The point of `r` nearest to `p`.
QPointF nearestOn(const QRectF& r, const QPointF& p) {
    return {std::clamp(p.x(), r.left(), r.right()), std::clamp(p.y(), r.top(), r.bottom())};
}

// Where the ray from the centre of `r` towards `to` leaves `r`.
QPointF exitPoint(const QRectF& r, const QPointF& to) {
    const QPointF c = r.center();
    const double dx = to.x() - c.x(), dy = to.y() - c.y();
    double t = 1;
    if (dx != 0) t = std::min(t, std::abs(r.width() / 2 / dx));
    if (dy != 0) t = std::min(t, std::abs(r.height() / 2 / dy));
    return {c.x() + dx * t, c.y() + dy * t};
}

// The eight boxes of size `s` around `sym`, in order of preference: above, right, left,
// below, then the corners.
std::vector<QRectF> around(const QRectF& sym, const QSizeF& s) {
    const double w = s.width(), h = s.height();
    const double cx = sym.center().x(), cy = sym.center().y();
    const std::pair<double, double> tl[] = {
        {cx - w / 2, sym.top() - h}, {sym.right(), cy - h / 2},     {sym.left() - w, cy - h / 2},
        {cx - w / 2, sym.bottom()},  {sym.right(), sym.top() - h},  {sym.left() - w, sym.top() - h},
        {sym.right(), sym.bottom()}, {sym.left() - w, sym.bottom()}};
    std::vector<QRectF> out;
    for (const auto& [x, y] : tl) out.emplace_back(std::round(x), std::round(y), w, h);
    return out;
}

}  // namespace

QPointF PlacedLabel::origin() const {
    return {box.left() + kHalo, box.top() + kHalo + QFontMetricsF(font).ascent()};
}

LabelPlacer::LabelPlacer(const QRectF& frame) : frame_(frame) {
    columns_ = std::max(1, static_cast<int>(std::ceil(frame.width() / kCell)));
    rows_ = std::max(1, static_cast<int>(std::ceil(frame.height() / kCell)));
    cells_.resize(static_cast<std::size_t>(columns_) * static_cast<std::size_t>(rows_));
}

QSizeF LabelPlacer::labelSize(const QString& text, const QFont& font) {
    const QFontMetricsF fm(font);
    return {std::ceil(fm.horizontalAdvance(text)) + 2 * kHalo, std::ceil(fm.height()) + 2 * kHalo};
}

template <class F>
void LabelPlacer::forCells(const QRectF& r, F&& f) const {
    auto column = [&](double x) {
        return std::clamp(static_cast<int>(std::floor((x - frame_.left()) / kCell)), 0,
                          columns_ - 1);
    };
    auto row = [&](double y) {
        return std::clamp(static_cast<int>(std::floor((y - frame_.top()) / kCell)), 0, rows_ - 1);
    };
    for (int j = row(r.top()); j <= row(r.bottom()); ++j)
        for (int i = column(r.left()); i <= column(r.right()); ++i)
            f(static_cast<std::size_t>(j) * static_cast<std::size_t>(columns_) +
              static_cast<std::size_t>(i));
}

void LabelPlacer::occupy(const QRectF& r, bool symbol) {
    boxes_.push_back({r, symbol});
    forCells(r, [&](std::size_t c) { cells_[c].push_back(boxes_.size() - 1); });
}

void LabelPlacer::addObstacle(const QRectF& box) {
    if (box.intersects(frame_)) occupy(box, true);
}

bool LabelPlacer::free(const QRectF& r) const {
    if (r.left() < frame_.left() || r.top() < frame_.top() || r.right() > frame_.right() ||
        r.bottom() > frame_.bottom())
        return false;  // never cut by the frame
    bool clear = true;
    forCells(r, [&](std::size_t c) {
        for (const auto b : cells_[c]) clear = clear && !boxes_[b].rect.intersects(r);
    });
    if (!clear) return false;
    return std::none_of(leaders_.begin(), leaders_.end(),
                        [&](const QLineF& l) { return crosses(l, r); });
}

bool LabelPlacer::lineFree(const QLineF& line, const QRectF& own) const {
    const QRectF span = QRectF(line.p1(), line.p2()).normalized().adjusted(-1, -1, 1, 1);
    bool clear = true;
    forCells(span, [&](std::size_t c) {
        for (const auto b : cells_[c]) {
            const Box& box = boxes_[b];
            // A leader starts on its own symbol (and on symbols overlapping it).
            if (box.symbol && box.rect.intersects(own)) continue;
            clear = clear && !crosses(line, box.rect);
        }
    });
    return clear;
}

std::vector<PlacedLabel> LabelPlacer::place(std::vector<LabelRequest> requests) {
    std::stable_sort(requests.begin(), requests.end(),
                     [](const auto& a, const auto& b) { return a.priority < b.priority; });
    std::vector<PlacedLabel> placed;
    for (auto& rq : requests) {
        if (rq.text.isEmpty()) continue;
        const QSizeF size = labelSize(rq.text, rq.font);
        std::optional<QRectF> chosen;
        std::optional<QLineF> leader;
        if (rq.symbol) {
            const QRectF sym = rq.symbol->adjusted(-kGap, -kGap, kGap, kGap);
            for (const auto& box : around(sym, size))
                if (!chosen && free(box)) chosen = box;
            // Ring k lies k label sizes out: its boxes just clear those of the ring inside.
            for (int k = 1; k <= kLeaderRings && !chosen; ++k) {
                const double dx = k * size.width(), dy = k * size.height();
                for (const auto& box : around(sym.adjusted(-dx, -dy, dx, dy), size)) {
                    if (!free(box)) continue;
                    const QPointF end = nearestOn(box, sym.center());
                    const QLineF line(exitPoint(*rq.symbol, end), end);
                    if (!lineFree(line, *rq.symbol)) continue;
                    chosen = box;
                    leader = line;
                    break;
                }
            }
        } else {
            for (const auto* inside : {&rq.inside, &rq.insideLoosely}) {
                if (chosen || (inside == &rq.insideLoosely && !*inside)) break;
                for (const auto& at : rq.interior) {
                    const QRectF box(std::round(at.x() - size.width() / 2),
                                     std::round(at.y() - size.height() / 2), size.width(),
                                     size.height());
                    if (!free(box) || (*inside && !(*inside)(box))) continue;
                    chosen = box;
                    break;
                }
            }
        }
        if (!chosen) continue;  // fits nowhere: omitted
        occupy(*chosen, false);
        if (leader) leaders_.push_back(*leader);
        placed.push_back({rq.text, rq.layer, *chosen, rq.font, rq.colour, leader});
    }
    return placed;
}

}  // namespace onemap::render
