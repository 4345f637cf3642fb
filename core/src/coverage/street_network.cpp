// The street graph (nodes at exact vertex coordinates), its nearest node and multi-source
// Dijkstra with a cutoff.
#include "onemap/core/coverage/street_network.hpp"

#include <bit>
#include <cmath>
#include <cstring>
#include <queue>
#include <unordered_map>

#include "onemap/gis/base/error.hpp"
#include "onemap/gis/index/spatial_index.hpp"

namespace onemap::core {
namespace {

// A vertex's exact coordinates as a key: equal to the bit (−0 and +0 made one).
struct CoordinateKey {
    std::uint64_t x, y;
    bool operator==(const CoordinateKey&) const = default;
};
struct CoordinateHash {
    std::size_t operator()(const CoordinateKey& k) const {
        return std::hash<std::uint64_t>()(k.x * 0x9E3779B97F4A7C15ULL ^ k.y);
    }
};
CoordinateKey keyOf(double x, double y) {
    return {std::bit_cast<std::uint64_t>(x + 0.0), std::bit_cast<std::uint64_t>(y + 0.0)};
}

}  // namespace

StreetNetwork::StreetNetwork(const std::vector<gis::Geometry>& lines) {
    std::unordered_map<CoordinateKey, std::size_t, CoordinateHash> ids;
    std::vector<std::tuple<std::size_t, std::size_t, double>> edges;
    const auto nodeAt = [&](const gis::Point& p) {
        const auto [it, added] = ids.emplace(keyOf(p.x, p.y), nodes_.size());
        if (added) nodes_.push_back(p);
        return it->second;
    };
    for (const auto& line : lines) {
        if (line.isEmpty()) continue;
        for (const auto& path : line.paths()) {
            for (std::size_t i = 0; i + 1 < path.size(); ++i) {
                const std::size_t a = nodeAt(path[i]), b = nodeAt(path[i + 1]);
                if (a == b) continue;
                edges.emplace_back(
                    a, b, std::hypot(path[i + 1].x - path[i].x, path[i + 1].y - path[i].y));
            }
            if (path.size() == 1) nodeAt(path.front());
        }
    }
    buildAdjacency(edges);
}

StreetNetwork::StreetNetwork(std::vector<gis::Point> nodes,
                             const std::vector<std::tuple<std::size_t, std::size_t, double>>& edges)
    : nodes_(std::move(nodes)) {
    buildAdjacency(edges);
}

StreetNetwork::~StreetNetwork() = default;
StreetNetwork::StreetNetwork(StreetNetwork&&) noexcept = default;
StreetNetwork& StreetNetwork::operator=(StreetNetwork&&) noexcept = default;

void StreetNetwork::buildAdjacency(
    const std::vector<std::tuple<std::size_t, std::size_t, double>>& edges) {
    if (nodes_.size() >= UINT32_MAX || edges.size() >= UINT32_MAX / 2)
        throw InputError("coverage: the street network is too large (over 2³² nodes or edges)");
    starts_.assign(nodes_.size() + 1, 0);
    for (const auto& [a, b, length] : edges) {
        if (a >= nodes_.size() || b >= nodes_.size() || !(length >= 0) || !std::isfinite(length))
            throw Error("StreetNetwork: an edge names no node or has no finite length");
        ++starts_[a + 1];
        ++starts_[b + 1];
    }
    for (std::size_t i = 0; i + 1 < starts_.size(); ++i) starts_[i + 1] += starts_[i];
    targets_.resize(edges.size() * 2);
    lengths_.resize(edges.size() * 2);
    std::vector<std::uint32_t> fill(starts_.begin(), starts_.end() - 1);
    for (const auto& [a, b, length] : edges) {
        targets_[fill[a]] = static_cast<std::uint32_t>(b);
        lengths_[fill[a]++] = length;
        targets_[fill[b]] = static_cast<std::uint32_t>(a);
        lengths_[fill[b]++] = length;
    }
    std::vector<gis::Envelope> boxes;
    boxes.reserve(nodes_.size());
    for (const auto& p : nodes_) boxes.push_back({p.x, p.y, p.x, p.y});
    index_ = std::make_unique<gis::SpatialIndex>(boxes);
}

StreetNetwork::Snap StreetNetwork::nearestNode(double x, double y) const {
    Snap snap;
    if (nodes_.empty()) return snap;
    std::size_t best = 0;
    double distance = kUnreached;
    index_->nearest(
        {x, y, x, y}, [&](std::size_t i) { return std::hypot(nodes_[i].x - x, nodes_[i].y - y); },
        best, distance);
    return {best, distance};
}

std::vector<double> StreetNetwork::distances(const std::vector<Source>& sources,
                                             double cutoff) const {
    std::vector<double> dist(nodes_.size(), kUnreached);
    using Entry = std::pair<double, std::uint32_t>;
    std::priority_queue<Entry, std::vector<Entry>, std::greater<>> queue;
    for (const auto& s : sources) {
        if (s.node >= nodes_.size() || !(s.distance <= cutoff) || !(s.distance < dist[s.node]))
            continue;
        dist[s.node] = s.distance;
        queue.emplace(s.distance, static_cast<std::uint32_t>(s.node));
    }
    while (!queue.empty()) {
        const auto [d, u] = queue.top();
        queue.pop();
        if (d > dist[u]) continue;  // a stale entry
        for (std::uint32_t k = starts_[u]; k < starts_[u + 1]; ++k) {
            const double next = d + lengths_[k];
            const std::uint32_t v = targets_[k];
            if (next <= cutoff && next < dist[v]) {
                dist[v] = next;
                queue.emplace(next, v);
            }
        }
    }
    return dist;
}

}  // namespace onemap::core
