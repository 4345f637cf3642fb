#include "onemap/gis/crs/web_offset.hpp"

#include <cmath>

namespace onemap::gis {
namespace {

// The published GCJ-02 forward formula (Krasovsky ellipsoid parameters).
constexpr double kPi = 3.14159265358979323846;
constexpr double kA = 6378245.0;
constexpr double kEe = 0.00669342162296594323;
constexpr double kBdPi = kPi * 3000.0 / 180.0;

double transformLat(double x, double y) {
    double r =
        -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * std::sqrt(std::abs(x));
    r += (20.0 * std::sin(6.0 * x * kPi) + 20.0 * std::sin(2.0 * x * kPi)) * 2.0 / 3.0;
    r += (20.0 * std::sin(y * kPi) + 40.0 * std::sin(y / 3.0 * kPi)) * 2.0 / 3.0;
    r += (160.0 * std::sin(y / 12.0 * kPi) + 320 * std::sin(y * kPi / 30.0)) * 2.0 / 3.0;
    return r;
}

double transformLon(double x, double y) {
    double r = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * std::sqrt(std::abs(x));
    r += (20.0 * std::sin(6.0 * x * kPi) + 20.0 * std::sin(2.0 * x * kPi)) * 2.0 / 3.0;
    r += (20.0 * std::sin(x * kPi) + 40.0 * std::sin(x / 3.0 * kPi)) * 2.0 / 3.0;
    r += (150.0 * std::sin(x / 12.0 * kPi) + 300.0 * std::sin(x / 30.0 * kPi)) * 2.0 / 3.0;
    return r;
}

}  // namespace

bool isInChina(double lon, double lat) {
    return lon >= 72.004 && lon <= 137.8347 && lat >= 0.8293 && lat <= 55.8271;
}

Point wgs84ToGcj02(Point p) {
    if (!isInChina(p.x, p.y)) return p;
    double dLat = transformLat(p.x - 105.0, p.y - 35.0);
    double dLon = transformLon(p.x - 105.0, p.y - 35.0);
    const double radLat = p.y / 180.0 * kPi;
    double magic = std::sin(radLat);
    magic = 1 - kEe * magic * magic;
    const double sqrtMagic = std::sqrt(magic);
    dLat = (dLat * 180.0) / ((kA * (1 - kEe)) / (magic * sqrtMagic) * kPi);
    dLon = (dLon * 180.0) / (kA / sqrtMagic * std::cos(radLat) * kPi);
    return {p.x + dLon, p.y + dLat};
}

Point gcj02ToWgs84(Point g) {
    if (!isInChina(g.x, g.y)) return g;
    // Fixed-point iteration: the offset varies slowly, so w ← w + (g − F(w)) converges
    // to sub-millimetre in a handful of steps.
    Point w = g;
    for (int i = 0; i < 30; ++i) {
        const Point f = wgs84ToGcj02(w);
        const double dx = g.x - f.x;
        const double dy = g.y - f.y;
        w.x += dx;
        w.y += dy;
        if (std::abs(dx) < 1e-11 && std::abs(dy) < 1e-11) break;
    }
    return w;
}

Point gcj02ToBd09(Point p) {
    const double z = std::sqrt(p.x * p.x + p.y * p.y) + 0.00002 * std::sin(p.y * kBdPi);
    const double theta = std::atan2(p.y, p.x) + 0.000003 * std::cos(p.x * kBdPi);
    return {z * std::cos(theta) + 0.0065, z * std::sin(theta) + 0.006};
}

Point bd09ToGcj02(Point p) {
    const double x = p.x - 0.0065;
    const double y = p.y - 0.006;
    const double z = std::sqrt(x * x + y * y) - 0.00002 * std::sin(y * kBdPi);
    const double theta = std::atan2(y, x) - 0.000003 * std::cos(x * kBdPi);
    Point g{z * std::cos(theta), z * std::sin(theta)};
    // The closed-form inverse above is approximate; refine against the forward formula.
    for (int i = 0; i < 10; ++i) {
        const Point f = gcj02ToBd09(g);
        g.x += p.x - f.x;
        g.y += p.y - f.y;
    }
    return g;
}

Point bd09ToWgs84(Point p) { return gcj02ToWgs84(bd09ToGcj02(p)); }
Point wgs84ToBd09(Point p) { return gcj02ToBd09(wgs84ToGcj02(p)); }

}  // namespace onemap::gis
