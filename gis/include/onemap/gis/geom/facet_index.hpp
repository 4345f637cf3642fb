#pragma once
// FacetIndex: the segments (facets) of one long line or big polygon, copied out once and
// grouped into a tree of boxes over runs of consecutive segments, so that PlanarDistance finds
// the nearest segment by branch and bound instead of visiting every one (as GEOS's
// IndexedFacetDistance does), with the same doubles as the brute-force loop. Built once by
// whoever owns the geometry (a layer, per piece), immutable after: const use from any thread.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

#include "onemap/gis/geom/envelope.hpp"
#include "onemap/gis/geom/geometry.hpp"
#include "onemap/gis/geom/planar_distance.hpp"

namespace onemap::gis {

class FacetIndex {
  public:
    /// From this many vertices on an index pays for itself against the brute-force loop.
    static constexpr std::size_t kWorthFrom = 32;
    [[nodiscard]] static bool worthIt(const Geometry& g) { return g.numVertices() >= kWorthFrom; }

    explicit FacetIndex(const Geometry& g);
    ~FacetIndex();
    FacetIndex(FacetIndex&&) noexcept;
    FacetIndex& operator=(FacetIndex&&) noexcept;

    [[nodiscard]] std::size_t facetCount() const { return facets_.size(); }

    // What PlanarDistance walks (read-only):
    struct Facet {
        Point p0, p1;            ///< p1 == p0 for a lone point
        Envelope box;            ///< of p0 and p1
        std::size_t vertex = 0;  ///< index of p0 in the shape's points (the brute force's order)
        std::uint32_t run = 0;   ///< which run of the shape
        bool lonePoint = false;  ///< a single-point run, not a segment of a path
    };
    struct Node {
        Envelope box;
        std::size_t first = 0;  ///< first child node, or first facet for leaves
        std::size_t count = 0;
        bool leaf = false;
    };
    [[nodiscard]] const PlanarDistance::Shape& shape() const { return *shape_; }
    [[nodiscard]] const std::vector<Facet>& facets() const { return facets_; }
    [[nodiscard]] const std::vector<Node>& nodes() const { return nodes_; }  ///< root last
    /// Largest |coordinate|, and whether every coordinate is 0 or within [1e-100, 1e100]:
    /// only then are the rounding errors of the segment formulas bounded by the search's slack.
    [[nodiscard]] double scale() const { return scale_; }
    [[nodiscard]] bool tame() const { return tame_; }

  private:
    std::unique_ptr<PlanarDistance::Shape> shape_;
    std::vector<Facet> facets_;
    std::vector<Node> nodes_;
    double scale_ = 0;
    bool tame_ = false;
};

}  // namespace onemap::gis
