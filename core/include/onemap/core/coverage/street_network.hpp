#pragma once
// StreetNetwork: the graph of a street layer for walking distances (onemap coverage
// --distance network). Nodes are the exact coordinates of the lines' vertices (vertices equal
// to the bit are one node, as pgRouting's topology with tolerance 0 joins them); each pair of
// consecutive vertices of a line is an undirected edge of its Euclidean length. Built once on
// one thread; const queries (nearest node, distances) from any number of threads.
#include <cstddef>
#include <cstdint>
#include <limits>
#include <memory>
#include <tuple>
#include <vector>

#include "onemap/gis/geom/geometry.hpp"

namespace onemap::gis {
class SpatialIndex;
}

namespace onemap::core {

class StreetNetwork {
  public:
    /// One place where a walk starts: a node and the distance already walked to reach it.
    struct Source {
        std::size_t node = 0;
        double distance = 0;
    };
    /// The node nearest a place and the straight connector's length to it.
    struct Snap {
        std::size_t node = 0;
        double distance = std::numeric_limits<double>::infinity();
    };

    /// The graph of the lines (each path of each geometry; points and polygons are refused by
    /// the caller). Zero-length segments (a vertex repeated) add no edge.
    explicit StreetNetwork(const std::vector<gis::Geometry>& lines);
    /// A graph given as nodes and edges (a, b, length): for tests.
    StreetNetwork(std::vector<gis::Point> nodes,
                  const std::vector<std::tuple<std::size_t, std::size_t, double>>& edges);
    ~StreetNetwork();
    StreetNetwork(StreetNetwork&&) noexcept;
    StreetNetwork& operator=(StreetNetwork&&) noexcept;

    [[nodiscard]] std::size_t nodeCount() const { return nodes_.size(); }
    [[nodiscard]] std::size_t edgeCount() const { return targets_.size() / 2; }
    [[nodiscard]] const gis::Point& node(std::size_t i) const { return nodes_[i]; }

    /// The node nearest (x, y) (the first in node order among equally near ones); a Snap with
    /// an infinite distance for an empty network.
    [[nodiscard]] Snap nearestNode(double x, double y) const;

    /// Multi-source Dijkstra: for every node the shortest walk from any source (its distance
    /// plus the edges' lengths), +∞ beyond `cutoff` (a node at exactly cutoff is reached) or
    /// where no walk leads.
    [[nodiscard]] std::vector<double> distances(const std::vector<Source>& sources,
                                                double cutoff) const;

    static constexpr double kUnreached = std::numeric_limits<double>::infinity();

  private:
    void buildAdjacency(const std::vector<std::tuple<std::size_t, std::size_t, double>>& edges);
    std::vector<gis::Point> nodes_;
    std::vector<std::uint32_t> starts_;  ///< CSR over nodes
    std::vector<std::uint32_t> targets_;
    std::vector<double> lengths_;
    std::unique_ptr<gis::SpatialIndex> index_;  ///< the nodes, for nearestNode
};

}  // namespace onemap::core
