#include "onemap/gis/geom/facet_index.hpp"

#include <algorithm>
#include <cmath>

#include "geom/planar_shape.hpp"

namespace onemap::gis {
namespace {

// Consecutive segments of a path lie close together: runs of them make tight boxes without
// any sorting, and so do runs of those boxes.
constexpr std::size_t kFanOut = 8;

bool tameValue(double v) {
    const double a = std::fabs(v);
    return a == 0 || (a >= 1e-100 && a <= 1e100);
}

}  // namespace

FacetIndex::FacetIndex(const Geometry& g) : shape_(std::make_unique<PlanarDistance::Shape>()) {
    shape_->of(g);
    shape_->buffer = {};
    const auto& s = *shape_;
    tame_ = true;
    for (const Point& p : s.points) {
        scale_ = std::max({scale_, std::fabs(p.x), std::fabs(p.y)});
        tame_ = tame_ && tameValue(p.x) && tameValue(p.y);
    }
    // Leaves: up to kFanOut consecutive segments of one run, in the brute force's order.
    for (std::size_t r = 0; r < s.runs.size(); ++r) {
        const auto& run = s.runs[r];
        const std::size_t segments = run.count > 1 ? run.count - 1 : 1;
        for (std::size_t k = 0; k < segments; k += kFanOut) {
            Node leaf;
            leaf.leaf = true;
            leaf.first = facets_.size();
            for (std::size_t i = run.first + k; i < run.first + std::min(segments, k + kFanOut);
                 ++i) {
                Facet f;
                f.p0 = s.points[i];
                f.p1 = s.points[run.count > 1 ? i + 1 : i];
                f.box.expand(f.p0.x, f.p0.y);
                f.box.expand(f.p1.x, f.p1.y);
                f.vertex = i;
                f.run = static_cast<std::uint32_t>(r);
                f.lonePoint = run.count == 1;
                leaf.box.expand(f.box);
                facets_.push_back(f);
            }
            leaf.count = facets_.size() - leaf.first;
            nodes_.push_back(leaf);
        }
    }
    // Upper levels: runs of kFanOut nodes, until one root.
    std::size_t levelFirst = 0, levelCount = nodes_.size();
    while (levelCount > 1) {
        const std::size_t next = nodes_.size();
        for (std::size_t k = 0; k < levelCount; k += kFanOut) {
            Node parent;
            parent.first = levelFirst + k;
            parent.count = std::min(kFanOut, levelCount - k);
            for (std::size_t c = parent.first; c < parent.first + parent.count; ++c)
                parent.box.expand(nodes_[c].box);
            nodes_.push_back(parent);
        }
        levelFirst = next;
        levelCount = nodes_.size() - next;
    }
}

FacetIndex::~FacetIndex() = default;
FacetIndex::FacetIndex(FacetIndex&&) noexcept = default;
FacetIndex& FacetIndex::operator=(FacetIndex&&) noexcept = default;

}  // namespace onemap::gis
