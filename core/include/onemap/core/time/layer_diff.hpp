#pragma once
// What changed in a layer between the versions in force on two days (`onemap diff`): the
// land gained and lost, ellipsoidal, in total and per admin unit, with the changed shapes.
// diffLayer reads the layer's sources itself and returns a value; any thread may call it.
#include <string>
#include <vector>

#include "onemap/core/check/feedback.hpp"
#include "onemap/core/plan/plan.hpp"
#include "onemap/gis/geom/geometry.hpp"
#include "onemap/gis/layer/vector_layer.hpp"

namespace onemap::core {

struct AdminChange {
    std::string name;
    double gainedM2 = 0;
    double lostM2 = 0;
};

struct LayerDiff {
    std::string layer;  ///< layer id
    std::string title;
    std::string from, to;  ///< the two days (YYYY-MM-DD)
    std::string fromVersion,
        toVersion;  ///< the versions' dates in force ("" = absent / unversioned)
    std::string fromDoc, toDoc;
    /// An unversioned layer with a date_field (the register): its records dated on or
    /// before each day are diffed ("" for a versioned layer).
    std::string dateField;
    double gainedM2 = 0;               ///< in force on `to`, not on `from`
    double lostM2 = 0;                 ///< in force on `from`, not on `to`
    std::vector<AdminChange> byAdmin;  ///< largest change (gained + lost) first
    gis::Geometry gained, lost;        ///< plan CRS
    /// The changes cut by admin unit: fields change (gained/lost), admin, area_m2, area_mu.
    gis::VectorLayer changes;
};

/// Diffs layer `layerId` of `plan` between days `from` and `to` (YYYY-MM-DD, from < to). Only
/// features that differ are unioned: a feature the same in both versions (same geometry and
/// attributes) cancels out, and the rest is measured against the other version's features
/// whose boxes meet it — exact, and cheap when a revision touches a few parcels. A layer
/// absent on a day counts as empty that day. Throws InputError for an unknown layer, bad or
/// unordered days, a layer that is not polygons, a layer with neither versions nor a
/// date_field (it is the same on every day).
LayerDiff diffLayer(const Plan& plan, const std::string& layerId, const std::string& from,
                    const std::string& to, Feedback* feedback = nullptr);

/// The diff as the JSON of `onemap diff --format json` (two-space indented, one newline at the
/// end): what the CLI prints and the server answers.
[[nodiscard]] std::string diffJson(const LayerDiff& d);

}  // namespace onemap::core
