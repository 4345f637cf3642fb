#include "onemap/gis/index/spatial_index.hpp"

#include <tbb/parallel_for.h>
#include <tbb/parallel_sort.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <queue>

namespace onemap::gis {
namespace {

double boxDistance(const Envelope& a, const Envelope& b) {
    const double dx = std::max({0.0, a.minx - b.maxx, b.minx - a.maxx});
    const double dy = std::max({0.0, a.miny - b.maxy, b.miny - a.maxy});
    return std::hypot(dx, dy);
}

// Sort-tile-recursive ordering of boxes: slices by x, then by y inside each slice. Sorted as
// (centre, index) pairs: contiguous keys sort fast, in parallel for a million boxes, and the
// index breaks ties so the order is one and the same however the sort is split.
std::vector<std::size_t> strOrder(const std::vector<Envelope>& boxes, std::size_t capacity) {
    using Keyed = std::pair<double, std::size_t>;
    // An empty box's centre is inf − inf = NaN, which no sort may see: such boxes go last.
    const auto centre = [](double lo, double hi) {
        const double c = lo + hi;
        return std::isnan(c) ? std::numeric_limits<double>::infinity() : c;
    };
    std::vector<Keyed> keyed(boxes.size());
    for (std::size_t i = 0; i < boxes.size(); ++i)
        keyed[i] = {centre(boxes[i].minx, boxes[i].maxx), i};
    tbb::parallel_sort(keyed.begin(), keyed.end());
    const auto leaves =
        static_cast<std::size_t>(std::ceil(double(boxes.size()) / double(capacity)));
    const auto slices = static_cast<std::size_t>(std::ceil(std::sqrt(double(leaves))));
    const std::size_t perSlice = slices * capacity;
    tbb::parallel_for(std::size_t{0}, (keyed.size() + perSlice - 1) / perSlice, [&](std::size_t s) {
        const auto begin = keyed.begin() + static_cast<std::ptrdiff_t>(s * perSlice);
        const auto end =
            keyed.begin() + static_cast<std::ptrdiff_t>(std::min(keyed.size(), (s + 1) * perSlice));
        for (auto it = begin; it != end; ++it)
            it->first = centre(boxes[it->second].miny, boxes[it->second].maxy);
        std::sort(begin, end);
    });
    std::vector<std::size_t> order(keyed.size());
    for (std::size_t i = 0; i < keyed.size(); ++i) order[i] = keyed[i].second;
    return order;
}

}  // namespace

SpatialIndex::SpatialIndex(const std::vector<Envelope>& items, std::size_t capacity)
    : count_(items.size()) {
    if (items.empty()) return;
    capacity = std::max<std::size_t>(capacity, 2);
    entries_ = strOrder(items, capacity);
    entryBoxes_.reserve(items.size());
    for (auto i : entries_) entryBoxes_.push_back(items[i]);

    // Leaves over runs of entries, then parents over runs of nodes, up to one root.
    std::vector<std::size_t> level;
    for (std::size_t i = 0; i < entries_.size(); i += capacity) {
        Node n;
        n.leaf = true;
        n.first = i;
        n.count = std::min(capacity, entries_.size() - i);
        for (std::size_t k = 0; k < n.count; ++k) n.box.expand(entryBoxes_[i + k]);
        level.push_back(nodes_.size());
        nodes_.push_back(n);
    }
    while (level.size() > 1) {
        std::vector<Envelope> boxes;
        for (auto id : level) boxes.push_back(nodes_[id].box);
        const auto order = strOrder(boxes, capacity);
        // Parents need contiguous children: copy the level's nodes in STR order.
        const std::size_t base = nodes_.size();
        for (auto o : order) nodes_.push_back(nodes_[level[o]]);
        std::vector<std::size_t> next;
        for (std::size_t i = 0; i < order.size(); i += capacity) {
            Node n;
            n.first = base + i;
            n.count = std::min(capacity, order.size() - i);
            for (std::size_t k = 0; k < n.count; ++k) n.box.expand(nodes_[base + i + k].box);
            next.push_back(nodes_.size());
            nodes_.push_back(n);
        }
        level.swap(next);
    }
}

void SpatialIndex::query(const Envelope& e, const std::function<void(std::size_t)>& visit) const {
    queryBoxes(e, [&visit](std::size_t id, const Envelope&) { visit(id); });
}

void SpatialIndex::queryBoxes(
    const Envelope& e, const std::function<void(std::size_t, const Envelope&)>& visit) const {
    if (!nodes_.empty() && nodes_.back().box.intersects(e)) forEachMeeting(e, visit);
}

bool SpatialIndex::anyMeeting(const Envelope& e) const {
    if (nodes_.empty() || e.isEmpty() || !nodes_.back().box.intersects(e)) return false;
    return anyBelow(nodes_.size() - 1, e);
}

// Recursive, like walk(): no stack to allocate per query (a million of them when a near read
// selects from a cached layer), and an STR tree is a few levels deep.
bool SpatialIndex::anyBelow(std::size_t node, const Envelope& e) const {
    const Node& n = nodes_[node];
    for (std::size_t k = n.first; k < n.first + n.count; ++k) {
        if (n.leaf) {
            if (entryBoxes_[k].intersects(e)) return true;
        } else if (nodes_[k].box.intersects(e) && anyBelow(k, e)) {
            return true;
        }
    }
    return false;
}

void SpatialIndex::queryBoxesAtScale(
    const Envelope& e, double minSide,
    const std::function<void(std::size_t, const Envelope&)>& visit,
    const std::function<void(const Envelope&)>& visitCluster) const {
    if (nodes_.empty() || e.isEmpty()) return;
    std::vector<std::size_t> stack{nodes_.size() - 1};
    while (!stack.empty()) {
        const Node& n = nodes_[stack.back()];
        stack.pop_back();
        if (!n.box.intersects(e)) continue;
        if (n.box.width() < minSide && n.box.height() < minSide) {
            visitCluster(n.box);
        } else if (n.leaf) {
            for (std::size_t k = n.first; k < n.first + n.count; ++k)
                if (entryBoxes_[k].intersects(e)) visit(entries_[k], entryBoxes_[k]);
        } else {
            for (std::size_t k = n.first; k < n.first + n.count; ++k) stack.push_back(k);
        }
    }
}

std::vector<std::size_t> SpatialIndex::query(const Envelope& e) const {
    std::vector<std::size_t> out;
    if (!nodes_.empty() && nodes_.back().box.intersects(e))
        forEachMeeting(e, [&](std::size_t i, const Envelope&) { out.push_back(i); });
    return out;
}

bool SpatialIndex::nearest(const Envelope& from, const std::function<double(std::size_t)>& distance,
                           std::size_t& bestItem, double& bestDistance) const {
    if (nodes_.empty()) return false;
    // Best-first search: nodes and entries ordered by their box distance (a lower bound).
    struct Cand {
        double d;
        std::size_t id;
        bool entry;
        bool operator>(const Cand& o) const { return d > o.d; }
    };
    std::priority_queue<Cand, std::vector<Cand>, std::greater<>> queue;
    queue.push({boxDistance(from, nodes_.back().box), nodes_.size() - 1, false});
    bestDistance = std::numeric_limits<double>::infinity();
    bool found = false;
    while (!queue.empty()) {
        const Cand c = queue.top();
        queue.pop();
        if (c.d > bestDistance) break;
        if (c.entry) {
            const double d = distance(entries_[c.id]);
            if (d < bestDistance || (d == bestDistance && entries_[c.id] < bestItem)) {
                bestDistance = d;
                bestItem = entries_[c.id];
                found = true;
            }
            continue;
        }
        const Node& n = nodes_[c.id];
        for (std::size_t k = n.first; k < n.first + n.count; ++k) {
            if (n.leaf)
                queue.push({boxDistance(from, entryBoxes_[k]), k, true});
            else
                queue.push({boxDistance(from, nodes_[k].box), k, false});
        }
    }
    return found;
}

}  // namespace onemap::gis
