// WKT (sites typed in, test cases) into GEOS, then what the engine does with a geometry.
#include "fuzz_contract.hpp"
#include "onemap/gis/geom/geometry.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    return onemap::fuzz::refuseOnlyWithInputError(data, size, [](const std::string& text) {
        const auto g = onemap::gis::Geometry::fromWkt(text);
        if (g.isEmpty()) return;
        (void)g.area();
        (void)g.envelope();
        const auto fixed = g.isValid() ? g : g.makeValid();
        (void)fixed.area();
        (void)onemap::gis::Geometry::fromWkt(fixed.wkt());
    });
}
