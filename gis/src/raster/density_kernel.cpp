// The kernels' constants. Each kernel K(d) = c/(π r²)·k(d/r) on the disc d < r must integrate
// to 1 over the plane: ∫₀^r k(d/r)·2πd dd = π r²·∫₀¹ k(u)·2u du, so c = 1 / ∫₀¹ 2u·k(u) du.
//   uniform       k = 1:            ∫₀¹ 2u du            = 1      → c = 1
//   triangular    k = 1 − u:        ∫₀¹ 2u(1 − u) du     = 1/3    → c = 3
//   epanechnikov  k = 1 − u²:       ∫₀¹ 2u(1 − u²) du    = 1/2    → c = 2
//   quartic       k = (1 − u²)²:    ∫₀¹ 2u(1 − u²)² du   = 1/3    → c = 3
//   triweight     k = (1 − u²)³:    ∫₀¹ 2u(1 − u²)³ du   = 1/4    → c = 4
// (with s = u², ∫₀¹ 2u(1 − u²)ⁿ du = ∫₀¹ (1 − s)ⁿ ds = 1/(n + 1)). Quartic is ArcGIS's
// Kernel Density kernel (Silverman 1986, eq. 4.5); tests/heat checks each integral numerically.
#include "onemap/gis/raster/density_kernel.hpp"

#include <array>
#include <numbers>

namespace onemap::gis {
namespace {

struct KernelEntry {
    Kernel kernel;
    std::string_view name;
    double constant;
};

constexpr std::array<KernelEntry, 5> kKernels{{
    {Kernel::Quartic, "quartic", 3},
    {Kernel::Triangular, "triangular", 3},
    {Kernel::Uniform, "uniform", 1},
    {Kernel::Triweight, "triweight", 4},
    {Kernel::Epanechnikov, "epanechnikov", 2},
}};

const KernelEntry& entry(Kernel kernel) {
    for (const auto& e : kKernels)
        if (e.kernel == kernel) return e;
    return kKernels[0];
}

}  // namespace

std::string_view kernelName(Kernel kernel) { return entry(kernel).name; }

std::optional<Kernel> parseKernel(std::string_view name) {
    for (const auto& e : kKernels)
        if (e.name == name) return e.kernel;
    return std::nullopt;
}

std::string kernelNames() {
    std::string out;
    for (std::size_t i = 0; i < kKernels.size(); ++i) {
        if (i > 0) out += i + 1 == kKernels.size() ? " or " : ", ";
        out += kKernels[i].name;
    }
    return out;
}

double kernelConstant(Kernel kernel) { return entry(kernel).constant; }

double kernelDensityAt(Kernel kernel, double distanceSquared, double radius) {
    const double r2 = radius * radius;
    if (!(distanceSquared < r2)) return 0;
    return kernelConstant(kernel) / (std::numbers::pi * r2) *
           kernelShape(kernel, distanceSquared / r2);
}

}  // namespace onemap::gis
