#pragma once
// A polygon cut into convex pieces, to measure how much of other polygons lies inside it
// without building any geometry: each ring of the other polygon is clipped against each
// convex piece (Sutherland–Hodgman) into a reused buffer, and only the clipped ring's
// area moments are kept. Clipped rings may carry zero-width bridges; they add no area.
// Coordinates are taken relative to an origin near the polygon, so clipping loses no
// precision at Gauss–Krüger magnitudes (x ≈ 5e5, y ≈ 3.4e6 m).
// A ConvexPartition owns copies of its pieces (no GEOS object); once made, its queries are
// safe from any number of threads.
#include <optional>
#include <vector>

#include "onemap/gis/geom/area_moments.hpp"
#include "onemap/gis/geom/geometry.hpp"

namespace onemap::gis {

class ConvexPartition {
  public:
    /// The polygon itself when it is one convex ring, else its constrained Delaunay
    /// triangles. nullopt when g has no area or its pieces do not add up to it (1e-9).
    static std::optional<ConvexPartition> of(const Geometry& g);

    /// Where the moments are taken: the centre of the polygon's envelope.
    [[nodiscard]] Point origin() const { return origin_; }
    [[nodiscard]] const Envelope& envelope() const { return box_; }
    [[nodiscard]] std::size_t pieceCount() const { return pieces_.size(); }
    /// Moments, about origin(), of the part of other's polygons inside this polygon. Holes
    /// count negative. Safe from many threads at once (buffers are per thread).
    [[nodiscard]] AreaMoments momentsInside(const Geometry& other) const;
    /// True when a separating line proves that this polygon (one convex piece) and other
    /// (one convex ring without holes) share no interior: an edge of either has the whole
    /// of the other on its outer side or on it. False means "not proved", not "overlap".
    /// Exact for polygons sharing an edge: a shared vertex lies on the line at exactly 0.
    [[nodiscard]] bool provablyApart(const Geometry& other) const;
    /// The planar area of g's polygons (exteriors less holes) from their rings, without
    /// building g if it is deferred; agrees with Geometry::area to rounding.
    [[nodiscard]] static double ringArea(const Geometry& g);

  private:
    struct Piece {
        std::size_t first = 0;  ///< into vertices_, counter-clockwise, relative to origin_
        std::size_t count = 0;
        Envelope box;  ///< relative to origin_
    };
    Point origin_;
    Envelope box_;  ///< of the polygon, in CRS coordinates
    std::vector<Point> vertices_;
    std::vector<Piece> pieces_;

    void addPiece(const std::vector<Point>& ccw);
    [[nodiscard]] AreaMoments ringInside(const std::vector<Point>& ring,
                                         const Envelope& ringBox) const;
};

}  // namespace onemap::gis
