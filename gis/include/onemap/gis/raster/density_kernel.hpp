#pragma once
// The kernels of a kernel density (ArcGIS's Kernel Density, QGIS's heat map): their names and
// their 2-D shapes, each normalised to integrate to 1 over the disc of its radius. Pure
// functions of their arguments; any thread.
#include <cmath>
#include <optional>
#include <string>
#include <string_view>

namespace onemap::gis {

enum class Kernel { Quartic, Triangular, Uniform, Triweight, Epanechnikov };

/// "quartic", "triangular", "uniform", "triweight", "epanechnikov".
[[nodiscard]] std::string_view kernelName(Kernel kernel);
/// The kernel named so (exactly as kernelName writes it), nullopt for anything else.
[[nodiscard]] std::optional<Kernel> parseKernel(std::string_view name);
/// "quartic, triangular, uniform, triweight or epanechnikov" (for messages and --help).
[[nodiscard]] std::string kernelNames();

/// The constant c of K(d) = c/(π r²)·k(d/r): 3 (quartic), 3 (triangular), 1 (uniform),
/// 4 (triweight), 2 (epanechnikov); see kernel.cpp for the integrals.
[[nodiscard]] double kernelConstant(Kernel kernel);

/// k in terms of t = (d/r)², for 0 ≤ t < 1: (1−t)², 1−√t, 1, (1−t)³, 1−t.
[[nodiscard]] inline double kernelShape(Kernel kernel, double t) {
    switch (kernel) {
        case Kernel::Quartic:
            return (1 - t) * (1 - t);
        case Kernel::Triangular:
            return 1 - std::sqrt(t);
        case Kernel::Uniform:
            return 1;
        case Kernel::Triweight:
            return (1 - t) * (1 - t) * (1 - t);
        case Kernel::Epanechnikov:
            return 1 - t;
    }
    return 0;
}

/// The density K(d) of one point of weight 1 at distance d (d² < r²), per square CRS unit;
/// 0 at d ≥ r. ∫∫ K = 1 over the plane.
[[nodiscard]] double kernelDensityAt(Kernel kernel, double distanceSquared, double radius);

}  // namespace onemap::gis
