// TileAddress: checking z/x/y and the square a tile covers.
#include "onemap/gis/tiles/tile_address.hpp"

#include "onemap/gis/base/error.hpp"

namespace onemap::gis {

TileAddress TileAddress::checked(std::int64_t z, std::int64_t x, std::int64_t y) {
    const std::string name =
        "tile " + std::to_string(z) + "/" + std::to_string(x) + "/" + std::to_string(y);
    if (z < 0 || z > kMaxTileZoom)
        throw InputError(name + ": zoom must be 0.." + std::to_string(kMaxTileZoom));
    const std::int64_t n = std::int64_t{1} << z;
    if (x < 0 || x >= n || y < 0 || y >= n)
        throw InputError(name + ": x and y must be 0.." + std::to_string(n - 1) + " at zoom " +
                         std::to_string(z));
    return {static_cast<int>(z), static_cast<std::uint32_t>(x), static_cast<std::uint32_t>(y)};
}

Envelope TileAddress::bounds() const {
    const double side = 2 * kWebMercatorHalfSide / static_cast<double>(std::int64_t{1} << z);
    Envelope e;
    e.minx = -kWebMercatorHalfSide + side * x;
    e.maxx = -kWebMercatorHalfSide + side * (x + 1);
    e.maxy = kWebMercatorHalfSide - side * y;
    e.miny = kWebMercatorHalfSide - side * (y + 1);
    return e;
}

std::string TileAddress::text() const {
    return std::to_string(z) + "/" + std::to_string(x) + "/" + std::to_string(y);
}

}  // namespace onemap::gis
