// KernelDensity (core/heat) against an independent brute force, the kernels' integrals, the
// spatial Silverman rule worked by hand, refusals before allocation, and determinism.
#include <tbb/global_control.h>

#include <catch2/catch.hpp>
#include <cmath>
#include <cstring>
#include <numbers>
#include <random>

#include "onemap/core/heat/kernel_density.hpp"
#include "onemap/core/heat/search_radius.hpp"
#include "onemap/gis/base/error.hpp"
#include "onemap/gis/raster/density_kernel.hpp"

namespace {

using onemap::core::DensityOptions;
using onemap::core::KernelDensity;
using onemap::core::WeightedPoint;
using onemap::gis::Kernel;

const Kernel kAll[] = {Kernel::Quartic, Kernel::Triangular, Kernel::Uniform, Kernel::Triweight,
                       Kernel::Epanechnikov};

// The kernels written out from their formulas in d (not through core's shape function).
double bruteKernel(Kernel k, double d, double r) {
    const double u = d / r, a = std::numbers::pi * r * r;
    switch (k) {
        case Kernel::Quartic:
            return 3 / a * std::pow(1 - u * u, 2);
        case Kernel::Triangular:
            return 3 / a * (1 - u);
        case Kernel::Uniform:
            return 1 / a;
        case Kernel::Triweight:
            return 4 / a * std::pow(1 - u * u, 3);
        case Kernel::Epanechnikov:
            return 2 / a * (1 - u * u);
    }
    return 0;
}

// Every cell × every point: the density at the cell's centre, per km² (metres).
std::vector<double> bruteForce(const std::vector<WeightedPoint>& points, Kernel k, double r,
                               double x0, double y0, double cell, std::size_t columns,
                               std::size_t rows) {
    std::vector<double> out(columns * rows, 0.0);
    for (std::size_t row = 0; row < rows; ++row)
        for (std::size_t col = 0; col < columns; ++col) {
            const double cx = x0 + (static_cast<double>(col) + 0.5) * cell;
            const double cy = y0 - (static_cast<double>(row) + 0.5) * cell;
            double sum = 0;
            for (const auto& p : points) {
                const double dx = cx - p.x, dy = cy - p.y;
                if (dx * dx + dy * dy < r * r)
                    sum += p.weight * bruteKernel(k, std::sqrt(dx * dx + dy * dy), r) * 1e6;
            }
            out[row * columns + col] = sum;
        }
    return out;
}

std::vector<WeightedPoint> awkwardPoints(double x0, double y0, double cell, double r, double width,
                                         double height) {
    std::mt19937_64 rng(37);
    std::uniform_real_distribution<double> ux(x0 - r, x0 + width + r), uy(y0 - height - r, y0 + r),
        w(0, 5);
    std::vector<WeightedPoint> points;
    for (int i = 0; i < 300; ++i) points.push_back({ux(rng), uy(rng), w(rng)});
    for (int i = 0; i < 20; ++i) {  // on cell edges and cell centres
        const double kx = std::floor(i * 1.7), ky = std::floor(i * 1.3);
        points.push_back({x0 + kx * cell, y0 - ky * cell, 1.5});
        points.push_back({x0 + (kx + 0.5) * cell, y0 - (ky + 0.5) * cell, 2});
    }
    points.push_back({x0 - r * 0.5, y0 + r * 0.5, 3});  // outside the extent, within r
    points.push_back({x0 - r * 3, y0, 3});              // outside, out of reach
    points.push_back({x0 + 50, y0 - 50, 0});            // zero weight
    points.push_back(points[7]);                        // duplicates
    points.push_back(points[7]);
    return points;
}

}  // namespace

TEST_CASE("Heat: density equals a brute force to 1e-9 relative, every kernel", "[heat]") {
    const double x0 = 500000, y0 = 3400000, cell = 10, width = 400, height = 300;
    for (const double r : {35.0, 30.0}) {
        const auto points = awkwardPoints(x0, y0, cell, r, width, height);
        for (const auto k : kAll) {
            DensityOptions o;
            o.kernel = k;
            o.radius = r;
            o.cellSize = cell;
            o.extent = onemap::gis::Envelope{x0, y0 - height, x0 + width, y0};
            const KernelDensity density(points, o);
            REQUIRE(density.grid().columns == 40);
            REQUIRE(density.grid().rows == 30);
            const auto fast = density.compute();
            const auto slow = bruteForce(points, k, r, x0, y0, cell, 40, 30);
            std::size_t nonZero = 0;
            for (std::size_t i = 0; i < fast.size(); ++i) {
                INFO(onemap::gis::kernelName(k) << " r " << r << " cell " << i);
                REQUIRE(std::abs(fast[i] - slow[i]) <= 1e-9 * std::abs(slow[i]));
                nonZero += slow[i] != 0;
            }
            CHECK(nonZero > 1000);
        }
    }
}

TEST_CASE("Heat: each kernel integrates to 1 over its disc", "[heat]") {
    for (const auto k : kAll) {
        INFO(onemap::gis::kernelName(k));
        // Radially, ∫₀^r K(d)·2πd dd, midpoint rule on 10⁶ steps.
        const double r = 250;
        const int n = 1'000'000;
        double radial = 0;
        for (int i = 0; i < n; ++i) {
            const double d = (i + 0.5) * r / n;
            radial += onemap::gis::kernelDensityAt(k, d * d, r) * 2 * std::numbers::pi * d * r / n;
        }
        CHECK(std::abs(radial - 1) < 1e-6);
        // On a fine 2-D grid (cell r/1000, through KernelDensity): the smooth kernels to 1e-6,
        // those with a step or kink (uniform's edge, triangular's peak) to 1e-4.
        DensityOptions o;
        o.kernel = k;
        o.radius = r;
        o.cellSize = r / 1000;
        o.perArea = 1;
        o.extent = onemap::gis::Envelope{-r, -r, r, r};
        const auto values = KernelDensity({{0.1234, -0.0567, 1}}, o).compute();
        double sum = 0;
        for (const double v : values) sum += v * o.cellSize.value() * o.cellSize.value();
        const bool smooth = k == Kernel::Quartic || k == Kernel::Triweight;
        CHECK(std::abs(sum - 1) < (smooth ? 1e-6 : 1e-4));
    }
}

TEST_CASE("Heat: the grid sums to the total weight when every disc is inside", "[heat]") {
    std::mt19937_64 rng(5);
    std::uniform_real_distribution<double> u(1000, 9000), w(0, 10);
    std::vector<WeightedPoint> points;
    double total = 0;
    for (int i = 0; i < 200; ++i) {
        points.push_back({u(rng), u(rng), w(rng)});
        total += points.back().weight;
    }
    for (const auto k : {Kernel::Quartic, Kernel::Epanechnikov, Kernel::Triweight}) {
        DensityOptions o;
        o.kernel = k;
        o.radius = 500;
        o.cellSize = 10;
        o.extent = onemap::gis::Envelope{0, 0, 10000, 10000};
        const auto values = KernelDensity(points, o).compute();
        double sum = 0;
        for (const double v : values) sum += v * 100 / 1e6;  // per km² × cell km²
        CHECK(std::abs(sum - total) < 1e-6 * total);
    }
    // With the default extent (the points' box grown by r) nothing falls outside either.
    DensityOptions o;
    o.radius = 500;
    o.cellSize = 10;
    const KernelDensity density(points, o);
    double sum = 0;
    for (const double v : density.compute()) sum += v * 100 / 1e6;
    CHECK(std::abs(sum - total) < 1e-6 * total);
}

TEST_CASE("Heat: the spatial Silverman rule, worked by hand", "[heat]") {
    // Four points at distance 1 from their mean: SD = 1, Dm = 1, min(1, √(1/ln 2)) = 1.
    std::vector<WeightedPoint> four{{1, 0, 1}, {-1, 0, 1}, {0, 1, 1}, {0, -1, 1}};
    CHECK(onemap::core::silvermanRadius(four) == Approx(0.9 * std::pow(4.0, -0.2)));
    // Two more far out: SD = √(204/6), Dm = 1 (the third of six distances 1,1,1,1,10,10).
    auto six = four;
    six.push_back({10, 0, 1});
    six.push_back({-10, 0, 1});
    CHECK(onemap::core::silvermanRadius(six) ==
          Approx(0.9 * std::sqrt(1 / std::log(2.0)) * std::pow(6.0, -0.2)));
    // A weight of 2 counts as the point twice.
    auto doubled = six;
    doubled.push_back(six[4]);
    auto weighted = six;
    weighted[4].weight = 2;
    CHECK(onemap::core::silvermanRadius(weighted) ==
          Approx(onemap::core::silvermanRadius(doubled)));
    // Nothing to spread: no default radius.
    CHECK(onemap::core::silvermanRadius({{5, 5, 1}, {5, 5, 2}}) == 0);
    DensityOptions o;
    CHECK_THROWS_AS(KernelDensity({{5, 5, 1}}, o), onemap::InputError);
}

TEST_CASE("Heat: bad inputs are refused before the grid is allocated", "[heat]") {
    const std::vector<WeightedPoint> points{{0, 0, 1}, {1000, 1000, 1}};
    const auto refused = [&](DensityOptions o, std::vector<WeightedPoint> p, const char* says) {
        INFO(says);
        try {
            (void)KernelDensity(std::move(p), o);
            FAIL("accepted");
        } catch (const onemap::InputError& e) {
            CHECK_THAT(e.what(), Catch::Contains(says));
        }
    };
    DensityOptions o;
    o.radius = 0;
    refused(o, points, "radius");
    o.radius = std::nan("");
    refused(o, points, "radius");
    o.radius = -5;
    refused(o, points, "radius");
    o.radius = 100;
    o.cellSize = 1e-3;  // 1.2 × 10¹² cells
    refused(o, points, "GB");
    o.cellSize = 10;
    o.crs = onemap::gis::Crs::fromEpsg(4326);
    refused(o, points, "degrees");
    o.crs = onemap::gis::Crs::fromEpsg(4549);
    refused(o, {{0, 0, -1}}, "point 0");
    refused(o, {{0, 0, 1}, {0, 0, std::nan("")}}, "point 1");
    o.extent = onemap::gis::Envelope{10, 0, 0, 10};
    refused(o, points, "extent");
}

TEST_CASE("Heat: the same values whatever the number of threads", "[heat]") {
    std::mt19937_64 rng(11);
    std::uniform_real_distribution<double> u(0, 20000);
    std::vector<WeightedPoint> points;
    for (int i = 0; i < 5000; ++i) points.push_back({u(rng), u(rng), 1.0 + (i % 7)});
    DensityOptions o;
    o.radius = 700;
    o.cellSize = 25;
    const KernelDensity density(points, o);
    std::vector<double> one, two;
    {
        tbb::global_control limit(tbb::global_control::max_allowed_parallelism, 1);
        one = density.compute();
    }
    {
        tbb::global_control limit(tbb::global_control::max_allowed_parallelism, 2);
        two = density.compute();
    }
    REQUIRE(one.size() == two.size());
    CHECK(std::memcmp(one.data(), two.data(), one.size() * sizeof(double)) == 0);
}
