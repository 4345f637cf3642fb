#pragma once
// `onemap validate`: what is wrong with a layer's data, feature by feature — invalid and
// empty geometries, features overlapping within the layer (with the area they would count
// twice), a missing or doubtful CRS, the text encoding chosen. Functions of their arguments,
// results owned by the caller: any thread.
#include <string>
#include <vector>

#include "onemap/core/plan/plan.hpp"
#include "onemap/gis/layer/vector_layer.hpp"

namespace onemap::core {

struct LayerValidation {
    std::string layerId;
    std::string title;
    std::string crs;       ///< as declared
    std::string encoding;  ///< as read
    std::size_t features = 0;
    std::vector<std::string>
        invalid;                     ///< "fid 12 (JBNT000012): Self-intersection at 500010 3400010"
    std::vector<std::string> empty;  ///< "fid 3"
    std::vector<std::string> overlaps;  ///< "fid 1 (A) ∩ fid 2 (B): 12.00 m²"
    double doubleCountedM2 = 0;      ///< Σ areas − area of their union, over overlapping groups
    std::string crsProblem;          ///< "" when the CRS is there and fits the coordinates
    std::vector<std::string> notes;  ///< reader notes (encoding guesses)

    [[nodiscard]] bool ok() const {
        return invalid.empty() && empty.empty() && overlaps.empty() && crsProblem.empty();
    }
};

/// Checks a layer as read from its source (before any repair). `planCrs` measures areas.
LayerValidation validateLayer(const LayerSpec& spec, const gis::VectorLayer& layer,
                              const gis::Crs& planCrs);
/// Reads the layer of a plan as it is in its source (no repair, no reprojection), with the
/// layer's `crs` applied: assumed when the source has none, web-map offsets (GCJ-02, BD-09)
/// removed. With `near` (plan CRS), only the features whose boxes meet them, where the
/// source allows it (gis::ReadOptions::near). `checkValidity`: for callers that check every
/// geometry anyway (loading, validating), the check runs as the layer is read and valid
/// geometries stay as WKB (gis::ReadOptions::checkValidityIn). `keepProofsIn`: where proofs
/// that a GeoPackage's R-tree matches its table are kept (gis::ReadOptions::keepProofsIn).
gis::VectorLayer readRaw(const Plan& plan, const LayerSpec& spec,
                         const std::vector<gis::Envelope>& near = {}, bool checkValidity = false,
                         const std::string& keepProofsIn = {});

/// A layer with a date field (the register's "approved") holds, on the plan's day, the
/// records dated then or before: keeps those in `data` (a warning says how many are not yet in
/// force). Every record must carry a real date (YYYY-MM-DD, or GDAL's "2023/01/01"): one that
/// cannot be dated would silently vanish from, or stay in, every check, so it is an
/// InputError naming its fid. Every command that reads a layer applies it (one_map, export).
void keepInForce(const Plan& plan, const LayerSpec& spec, gis::VectorLayer& data,
                 std::vector<std::string>& warnings);

}  // namespace onemap::core
