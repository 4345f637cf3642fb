#include "onemap/gis/raster/colour_ramps.hpp"

namespace onemap::gis {
namespace {

struct NamedRamp {
    std::string_view name;
    RampStops stops;
};

// ColorBrewer (colorbrewer2.org), sequential, 5 classes.
constexpr std::array<NamedRamp, 2> kRamps{{
    {"heat",  // YlOrRd
     {{{0xff, 0xff, 0xb2},
       {0xfe, 0xcc, 0x5c},
       {0xfd, 0x8d, 0x3c},
       {0xf0, 0x3b, 0x20},
       {0xbd, 0x00, 0x26}}}},
    {"blues",  // Blues
     {{{0xef, 0xf3, 0xff},
       {0xbd, 0xd7, 0xe7},
       {0x6b, 0xae, 0xd6},
       {0x31, 0x82, 0xbd},
       {0x08, 0x51, 0x9c}}}},
}};

}  // namespace

std::optional<RampStops> rampStops(std::string_view name) {
    for (const auto& ramp : kRamps)
        if (ramp.name == name) return ramp.stops;
    return std::nullopt;
}

std::string rampNames() {
    std::string names;
    for (std::size_t i = 0; i < kRamps.size(); ++i)
        names += std::string(i == 0                   ? ""
                             : i + 1 == kRamps.size() ? " or "
                                                      : ", ") +
                 std::string(kRamps[i].name);
    return names;
}

}  // namespace onemap::gis
