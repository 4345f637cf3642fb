#pragma once
// `onemap validate`, one layer (or one version of it): what is wrong with its data, feature by
// feature — invalid and empty geometries, features overlapping within the layer (with the
// area they would count twice), a missing or doubtful CRS, the text encoding chosen, and the
// fields the plan names (present, of a usable type, dates that parse). A table without
// geometry (a source whose geometry type is None, such as the quota transfers) is checked as
// a table: its fields and dates, never its CRS or geometry. Functions of their arguments,
// results owned by the caller: any thread.
#include <string>
#include <vector>

#include "onemap/core/plan/plan.hpp"
#include "onemap/gis/layer/vector_layer.hpp"

namespace onemap::core {

struct LayerValidation {
    std::string layerId;
    std::string title;
    std::string versionFrom;  ///< the version's first day, "" for an unversioned layer
    std::string versionDoc;   ///< the version's approving document, "" if none
    bool table = false;       ///< records without geometry by design: no CRS or geometry checks
    std::string crs;          ///< as declared ("none" for a table or a layer without one)
    std::string encoding;     ///< as read
    std::size_t features = 0;
    std::vector<std::string>
        invalid;                     ///< "fid 12 (JBNT000012): Self-intersection at 500010 3400010"
    std::vector<std::string> empty;  ///< "fid 3"
    std::vector<std::string> overlaps;  ///< "fid 1 (A) ∩ fid 2 (B): 12.00 m²"
    double doubleCountedM2 = 0;  ///< Σ areas − area of their union, over overlapping groups
    std::string crsProblem;      ///< "" when the CRS is there and fits the coordinates
    /// Fields the plan names (id_field, label, date_field) missing or of the wrong type, and
    /// records whose date does not parse: "date_field 'date': fid 2: '2023-13-01' is not a date".
    std::vector<std::string> fieldProblems;
    std::vector<std::string> notes;  ///< reader notes (encoding guesses), records not in force

    [[nodiscard]] bool ok() const {
        return invalid.empty() && empty.empty() && overlaps.empty() && crsProblem.empty() &&
               fieldProblems.empty();
    }
};

/// Checks a layer as read from its source (before any repair). `planCrs` measures areas.
LayerValidation validateLayer(const LayerSpec& spec, const gis::VectorLayer& layer,
                              const gis::Crs& planCrs);

}  // namespace onemap::core
