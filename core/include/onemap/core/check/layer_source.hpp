#pragma once
// A plan's layer read from its source as it stands (no repair, the layer's `crs` applied), and
// the records of a dated layer in force on the plan's day. What the one map, `export` and
// `validate` read layers with. Functions of their arguments, results owned by the caller: any
// thread.
#include <optional>
#include <string>
#include <vector>

#include "onemap/core/plan/plan.hpp"
#include "onemap/gis/layer/vector_layer.hpp"

namespace onemap::core {

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

/// The fields the plan reads of the layer (id_field, label) must be in it: InputError otherwise.
void requireFields(const Plan& plan, const LayerSpec& spec, const gis::VectorLayer& data);

/// The layer as every command works on it: readRaw, its fields required, the records in force
/// on the plan's day (keepInForce), a CRS required (a table without geometry takes the plan's),
/// coordinates that cannot be in that CRS refused, then reprojected into the plan's CRS. Each
/// warning ("layer 'x': …") is appended to `warnings`; `sourceCrs` gets the source's CRS label.
gis::VectorLayer readInPlanCrs(const Plan& plan, const LayerSpec& spec,
                               const std::vector<gis::Envelope>& near,
                               const std::string& keepProofsIn, std::vector<std::string>& warnings,
                               std::string& sourceCrs);

/// The day a record of a date field carries, as YYYY-MM-DD: ISO text as it is, GDAL's Date
/// ("2023/01/01") and DateTime ("2023/01/01 08:00:00") turned into it; nullopt for anything
/// that is not a real date.
[[nodiscard]] std::optional<std::string> recordDate(const gis::Value& value);

}  // namespace onemap::core
