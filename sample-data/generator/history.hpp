#pragma once
// The sample one map over time (synthetic): the 2021 development boundary and farmland that
// the 2024 revision replaced, a register of approved projects, construction-land quotas per
// city and the quota moved between cities.
#include "onemap/gis/layer/vector_layer.hpp"
#include "world.hpp"

namespace onemap::sample {

struct History {
    gis::VectorLayer devbound2021, farmland2021, approved, transfers;
};

/// Builds the history against the current layers and the sites, and adds each city's quota
/// (`land_quota_mu`) to `world.city`. With `story` (the bundled sample's 30 sites) the 2021
/// boundary keeps the land around P-017 and approved projects keep clear of every site;
/// benchmark data (thousands of sites, other ids) get the layers without the story.
History makeHistory(World& world, const gis::VectorLayer& sites, Rng& rng, bool story);

}  // namespace onemap::sample
