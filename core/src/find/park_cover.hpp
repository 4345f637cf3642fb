#pragma once
// Which park a plot lies in, for `find`: wholly inside one park, wholly outside every park, or
// across a park's edge (find never proposes such a plot). Reads the shared OneMap only; a
// plain value owned by the search; any thread may call its const members.
#include <cstddef>
#include <optional>
#include <string>

#include "onemap/gis/geom/geometry.hpp"

namespace onemap::core {

class MapLayer;

class ParkCover {
  public:
    enum class Fit { Inside, Outside, Across };
    struct Result {
        Fit fit = Fit::Outside;
        std::string park;      ///< the park feature holding it (Inside only)
        bool matches = false;  ///< Inside a park of the project's industry (any, with any_park)
    };

    ParkCover() = default;
    /// `layer`: the parks (null: there are none); `field`/`value`: the industry a park must
    /// have to match; no value: every park matches (any_park).
    ParkCover(const MapLayer* layer, std::optional<std::size_t> field,
              std::optional<std::string> value)
        : layer_(layer), field_(field), value_(std::move(value)) {}

    [[nodiscard]] Result of(const gis::Geometry& plot) const;
    [[nodiscard]] const MapLayer* layer() const { return layer_; }

  private:
    const MapLayer* layer_ = nullptr;
    std::optional<std::size_t> field_;
    std::optional<std::string> value_;
};

}  // namespace onemap::core
