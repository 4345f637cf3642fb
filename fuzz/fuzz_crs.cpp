// CRS text as users give it (--sites-crs, plan `crs`, .prj files).
#include "fuzz_contract.hpp"
#include "onemap/gis/crs/crs.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    return onemap::fuzz::refuseOnlyWithInputError(data, size, [](const std::string& text) {
        const auto crs = onemap::gis::Crs::fromUserInput(text);
        (void)crs.label();
        (void)crs.isMetric();
        (void)crs.areaOfUse();
    });
}
