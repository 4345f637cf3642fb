#pragma once
// SpatialIndex: a packed STR R-tree over boxes the caller gives (it keeps copies; items are
// their indexes). Built once on one thread; const queries from any number of threads.
#include <cstddef>
#include <functional>
#include <memory>
#include <vector>

#include "onemap/gis/geom/envelope.hpp"
#include "onemap/gis/geom/geometry.hpp"

namespace onemap::gis {

/// A static R-tree (sort-tile-recursive packing) over item envelopes. Built once in
/// the constructor; queries are const and safe from many threads at once.
class SpatialIndex {
  public:
    SpatialIndex() = default;
    explicit SpatialIndex(const std::vector<Envelope>& items, std::size_t nodeCapacity = 16);

    [[nodiscard]] std::size_t size() const { return count_; }
    /// Indices of items whose envelope intersects e (unordered).
    [[nodiscard]] std::vector<std::size_t> query(const Envelope& e) const;
    void query(const Envelope& e, const std::function<void(std::size_t)>& visit) const;
    /// The same, handing over each item's envelope too (no geometry needed to size it).
    void queryBoxes(const Envelope& e,
                    const std::function<void(std::size_t, const Envelope&)>& visit) const;
    /// The same, inlined for hot loops: visit(id, box) with no call through std::function
    /// and no allocation (the walk recurses; an STR tree is a few levels deep).
    template <class Visit>
    void forEachMeeting(const Envelope& e, Visit&& visit) const {
        if (!nodes_.empty() && !e.isEmpty()) walk(nodes_.size() - 1, e, visit);
    }
    /// Whether any item's envelope intersects e (stops at the first).
    [[nodiscard]] bool anyMeeting(const Envelope& e) const;
    /// The same for drawing at a scale: a subtree whose box is under `minSide` both ways is
    /// handed over whole, as its box (`visitCluster`), instead of item by item — at full
    /// extent a million sub-pixel parcels are a few tens of thousands of dots.
    void queryBoxesAtScale(const Envelope& e, double minSide,
                           const std::function<void(std::size_t, const Envelope&)>& visit,
                           const std::function<void(const Envelope&)>& visitCluster) const;
    /// The item nearest to `from` by `distance(item)` (exact distance callback), searching
    /// by envelope distance first; returns false if the index is empty.
    bool nearest(const Envelope& from, const std::function<double(std::size_t)>& distance,
                 std::size_t& bestItem, double& bestDistance) const;

  private:
    struct Node {
        Envelope box;
        std::size_t first = 0;  ///< first child node, or first entry for leaves
        std::size_t count = 0;
        bool leaf = false;
    };
    std::vector<Node> nodes_;           ///< root is the last node
    std::vector<std::size_t> entries_;  ///< item ids in leaf order
    std::vector<Envelope> entryBoxes_;  ///< boxes in leaf order
    std::size_t count_ = 0;

    [[nodiscard]] bool anyBelow(std::size_t node, const Envelope& e) const;
    template <class Visit>
    void walk(std::size_t node, const Envelope& e, Visit& visit) const {
        const Node& n = nodes_[node];
        if (n.leaf) {
            for (std::size_t k = n.first; k < n.first + n.count; ++k)
                if (entryBoxes_[k].intersects(e)) visit(entries_[k], entryBoxes_[k]);
            return;
        }
        for (std::size_t k = n.first; k < n.first + n.count; ++k)
            if (nodes_[k].box.intersects(e)) walk(k, e, visit);
    }
};

}  // namespace onemap::gis
