#pragma once
// Web Mercator (EPSG:3857) XYZ tile addresses: z/x/y checked once, and the square each covers.
// Plain values; any thread.
#include <cstdint>
#include <string>

#include "onemap/gis/geom/envelope.hpp"

namespace onemap::gis {

/// Half the side of the Web Mercator square, in metres (pi * 6378137).
inline constexpr double kWebMercatorHalfSide = 20037508.342789244;
/// The deepest zoom a tile address may name.
inline constexpr int kMaxTileZoom = 24;

/// A tile of the XYZ scheme (x to the east, y to the south, tile 0/0/0 the whole world).
struct TileAddress {
    int z = 0;
    std::uint32_t x = 0;
    std::uint32_t y = 0;

    /// The address, checked: z in 0..24, x and y in 0..2^z-1. Anything else (negative, too
    /// deep, beyond the edge) throws InputError naming the address.
    static TileAddress checked(std::int64_t z, std::int64_t x, std::int64_t y);

    /// The square it covers in EPSG:3857 metres.
    [[nodiscard]] Envelope bounds() const;
    /// "z/x/y".
    [[nodiscard]] std::string text() const;
};

}  // namespace onemap::gis
