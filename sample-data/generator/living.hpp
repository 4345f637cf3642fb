#pragma once
// The sample's people and what serves them (synthetic): public service facilities, a 500 m
// population grid summing to each unit's 2020 census figure, and a noded walking street
// network around each city seat. Built from the world's cities, boundaries and water.
#include <cstdint>

#include "onemap/gis/layer/vector_layer.hpp"
#include "world.hpp"

namespace onemap::sample {

struct Living {
    gis::VectorLayer services, population, roads;
};

/// The residents of a unit at the 7th national census (2020), by the unit's name in `city`.
std::int64_t censusPopulation(const std::string& unit);

/// Population first (cells), then facilities placed where people are, then streets. The
/// same world and seed give the same layers.
Living makeLiving(const World& world, Rng& rng);

}  // namespace onemap::sample
