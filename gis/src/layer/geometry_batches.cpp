#include "layer/geometry_batches.hpp"

#include <cmath>
#include <memory>

#include "base/handles.hpp"
#include "geom/wkb_walk.hpp"
#include "onemap/gis/base/error.hpp"
#include "onemap/gis/geom/simple_polygon.hpp"

namespace onemap::gis::detail {
namespace {

// Every vertex must be a number: GEOS would "repair" a NaN away into a smaller polygon.
class FiniteCheck : public OGRDefaultConstGeometryVisitor {
  public:
    using OGRDefaultConstGeometryVisitor::visit;
    void visit(const OGRPoint* p) override {
        // Not IsEmpty(): GDAL calls a point with a NaN coordinate empty.
        if (!std::isfinite(p->getX()) || !std::isfinite(p->getY())) finite = false;
    }
    bool finite = true;
};

}  // namespace

std::vector<unsigned char> toWkb(OGRGeometry* g) {
    if (!g || g->IsEmpty()) return {};
    FiniteCheck finite;
    g->accept(&finite);
    if (!finite.finite) throw InputError("a vertex is not a number (NaN or infinite)");
    OgrGeometryPtr owner;
    if (g->hasCurveGeometry()) {
        owner.reset(g->getLinearGeometry(kArcStepDegrees));
        g = owner.get();
    }
    g->flattenTo2D();
    std::vector<unsigned char> wkb(static_cast<std::size_t>(g->WkbSize()));
    g->exportToWkb(wkbNDR, wkb.data(), wkbVariantIso);
    return wkb;
}

void GeometryBatches::add(Feature feature, std::vector<unsigned char> wkb) {
    if (batches_.empty() || batches_.back().features.size() == kBatch) {
        if (!batches_.empty()) launch(batches_.back());
        batches_.emplace_back();
    }
    batches_.back().features.push_back(std::move(feature));
    batches_.back().wkb.push_back(std::move(wkb));
}

void GeometryBatches::finish(std::vector<Feature>& out) {
    if (!batches_.empty()) launch(batches_.back());
    wait();
    for (auto& b : batches_) {
        if (b.failure) std::rethrow_exception(b.failure);
        if (!b.error.empty()) throw InputError(b.error);
        for (auto& f : b.features) out.push_back(std::move(f));
    }
    batches_.clear();
}

void GeometryBatches::launch(Batch& b) {
    running_ = true;
    tasks_.run([&b, this] { makeGeometries(b); });
}

// On a task: each geometry made, or kept as WKB when valid (checkValidity_).
void GeometryBatches::makeGeometries(Batch& b) const {
    std::vector<std::size_t> valid;  // kept as WKB
    std::vector<Envelope> boxes;
    for (std::size_t i = 0; i < b.features.size(); ++i) {
        if (b.wkb[i].empty()) continue;
        try {
            Envelope box;
            if (checkValidity_ &&
                provablyValidSimplePolygon(b.wkb[i].data(), b.wkb[i].size(), box)) {
                valid.push_back(i);  // GEOS would agree; no geometry built to ask it
                boxes.push_back(box);
                continue;
            }
            Geometry g = Geometry::fromWkb(b.wkb[i].data(), b.wkb[i].size());
            WkbSummary summary;
            if (checkValidity_ && !g.isEmpty() && g.isValid() &&
                WkbWalk(b.wkb[i].data(), b.wkb[i].size()).summary(summary) && summary.vertices) {
                valid.push_back(i);
                boxes.push_back(g.envelope());
            } else {
                b.features[i].geometry = std::move(g);
            }
        } catch (const std::exception& e) {
            b.error = where_ + " feature " + std::to_string(b.features[i].fid) + ": " + e.what();
            break;
        }
    }
    // Nothing may leave a task (the destructor's wait would end the program): a
    // failure here (no memory) is kept and thrown by finish().
    try {
        if (b.error.empty() && !valid.empty()) keepAsWkb(b, valid, boxes);
    } catch (...) {
        b.failure = std::current_exception();
    }
    b.wkb = {};
}

// One buffer for the batch's valid geometries, which share it.
void GeometryBatches::keepAsWkb(Batch& b, const std::vector<std::size_t>& valid,
                                const std::vector<Envelope>& boxes) {
    std::size_t bytes = 0;
    for (std::size_t i : valid) bytes += b.wkb[i].size();
    auto arena = std::make_shared<std::vector<unsigned char>>();
    arena->reserve(bytes);
    for (std::size_t i : valid) arena->insert(arena->end(), b.wkb[i].begin(), b.wkb[i].end());
    std::vector<Geometry::WkbRef> refs(valid.size());
    std::size_t at = 0;
    for (std::size_t k = 0; k < valid.size(); ++k) {
        refs[k] = {arena->data() + at, b.wkb[valid[k]].size(), boxes[k]};
        at += refs[k].size;
    }
    auto geometries = Geometry::deferred(arena, refs, /*checkedValid=*/true);
    for (std::size_t k = 0; k < valid.size(); ++k)
        b.features[valid[k]].geometry = std::move(geometries[k]);
}

}  // namespace onemap::gis::detail
