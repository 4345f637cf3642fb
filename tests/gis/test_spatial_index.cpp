#include <catch2/catch.hpp>
#include <random>

#include "onemap/gis/index/spatial_index.hpp"

using namespace onemap::gis;

TEST_CASE("Spatial index queries agree with brute force", "[gis][index]") {
    std::mt19937 rng(42);
    std::uniform_real_distribution<double> u(0, 1000), s(0, 20);
    std::vector<Envelope> boxes;
    for (int i = 0; i < 5000; ++i) {
        Envelope e;
        const double x = u(rng), y = u(rng);
        e.expand(x, y);
        e.expand(x + s(rng), y + s(rng));
        boxes.push_back(e);
    }
    const SpatialIndex index(boxes, 8);
    for (int q = 0; q < 200; ++q) {
        Envelope probe;
        const double x = u(rng), y = u(rng);
        probe.expand(x, y);
        probe.expand(x + 50, y + 30);
        auto got = index.query(probe);
        std::sort(got.begin(), got.end());
        std::vector<std::size_t> want;
        for (std::size_t i = 0; i < boxes.size(); ++i)
            if (boxes[i].intersects(probe)) want.push_back(i);
        REQUIRE(got == want);

        // Nearest by centre distance, compared with a linear scan.
        const Point p = probe.center();
        auto dist = [&](std::size_t i) {
            const auto c = boxes[i].center();
            return std::hypot(c.x - p.x, c.y - p.y);
        };
        Envelope at;
        at.expand(p.x, p.y);
        std::size_t best = 0;
        double d = 0;
        // The callback distance must not be below the box distance: centre distance is not.
        REQUIRE(index.nearest(at, dist, best, d));
        double bruteBest = 1e300;
        for (std::size_t i = 0; i < boxes.size(); ++i) bruteBest = std::min(bruteBest, dist(i));
        REQUIRE(d == Approx(bruteBest));
    }
}

TEST_CASE("An empty index finds nothing", "[gis][index]") {
    const SpatialIndex index;
    Envelope e;
    e.expand(0, 0);
    CHECK(index.query(e).empty());
    std::size_t best = 0;
    double d = 0;
    CHECK_FALSE(index.nearest(
        e, [](std::size_t) { return 0.0; }, best, d));
}
