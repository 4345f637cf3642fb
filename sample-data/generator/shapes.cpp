#include "shapes.hpp"

#include <cmath>

#include "onemap/gis/crs/crs.hpp"

namespace onemap::sample {

gis::Point toPlan(gis::Point lonLat) {
    static const gis::CoordinateTransform t(gis::Crs::fromEpsg(4490), gis::Crs::fromEpsg(4549));
    return t.apply(lonLat);
}

gis::Geometry roundToCm(const gis::Geometry& g) {
    return g.mapCoordinates([](double& x, double& y) {
        x = std::round(x * 100) / 100;
        y = std::round(y * 100) / 100;
    });
}

gis::Geometry blob(gis::Point c, double radius, Rng& rng, int n) {
    const double p1 = rng.uniform(0, 2 * M_PI), p2 = rng.uniform(0, 2 * M_PI),
                 p3 = rng.uniform(0, 2 * M_PI);
    const double a1 = rng.uniform(0.1, 0.25), a2 = rng.uniform(0.05, 0.15),
                 a3 = rng.uniform(0.02, 0.08);
    std::vector<gis::Point> ring;
    for (int i = 0; i < n; ++i) {
        const double t = 2 * M_PI * i / n;
        const double r = radius * (1 + a1 * std::sin(t + p1) + a2 * std::sin(2 * t + p2) +
                                   a3 * std::sin(5 * t + p3));
        ring.push_back({c.x + r * std::cos(t), c.y + r * std::sin(t)});
    }
    return roundToCm(gis::Geometry::polygon({ring}));
}

gis::Geometry parcel(gis::Point c, double w, double h, double angle, Rng& rng) {
    const double ca = std::cos(angle), sa = std::sin(angle);
    std::vector<gis::Point> local = {
        {-w / 2, -h / 2}, {w / 2, -h / 2}, {w / 2, h / 2}, {-w / 2, h / 2}};
    for (auto& p : local) {  // corners only move inwards: neighbouring parcels never overlap
        p.x *= rng.uniform(0.84, 1.0);
        p.y *= rng.uniform(0.84, 1.0);
    }
    if (rng.uniform() < 0.3) {  // a cut corner: a pentagon, as fields along a road are
        const gis::Point a = local[2], b = local[3];
        local[2] = {a.x - 0.2 * w, a.y};
        local.insert(local.begin() + 2, gis::Point{a.x, a.y - 0.25 * h});
        (void)b;
    }
    std::vector<gis::Point> ring;
    for (const auto& p : local)
        ring.push_back({c.x + p.x * ca - p.y * sa, c.y + p.x * sa + p.y * ca});
    return roundToCm(gis::Geometry::polygon({ring}));
}

gis::Geometry rectangle(gis::Point c, double w, double h, double angle) {
    const double ca = std::cos(angle), sa = std::sin(angle);
    std::vector<gis::Point> ring;
    for (const auto& p : std::vector<gis::Point>{
             {-w / 2, -h / 2}, {w / 2, -h / 2}, {w / 2, h / 2}, {-w / 2, h / 2}})
        ring.push_back({c.x + p.x * ca - p.y * sa, c.y + p.x * sa + p.y * ca});
    return roundToCm(gis::Geometry::polygon({ring}));
}

gis::Geometry bowtie(const gis::Geometry& quad) {
    auto rings = quad.polygons().front();
    auto& r = rings.front();
    std::swap(r[1], r[2]);  // crossing edges: the classic self-intersection
    r.back() = r.front();
    return gis::Geometry::polygon(rings);
}

}  // namespace onemap::sample
