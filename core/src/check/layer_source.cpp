#include "onemap/core/check/layer_source.hpp"

#include "onemap/gis/base/error.hpp"
#include "onemap/gis/crs/crs_diagnosis.hpp"
#include "onemap/gis/crs/web_map_datum.hpp"
#include "onemap/gis/layer/layer_reader.hpp"

namespace onemap::core {
namespace {

// "plan.toml:12: layer 'approved'": where a message about a layer points.
std::string layerAt(const Plan& plan, const LayerSpec& spec) {
    return plan.path + ":" + std::to_string(spec.line) + ": layer '" + spec.id + "'";
}

}  // namespace

std::optional<std::string> recordDate(const gis::Value& value) {
    std::string day = gis::toString(value);
    // A Date-typed field reads as GDAL writes it, "2023/01/01" (DateTime adds the time).
    if (day.size() >= 10 && day[4] == '/' && day[7] == '/' &&
        (day.size() == 10 || day[10] == ' ')) {
        day = day.substr(0, 10);
        day[4] = day[7] = '-';
    }
    if (!isIsoDate(day)) return std::nullopt;
    return day;
}

gis::VectorLayer readRaw(const Plan& plan, const LayerSpec& spec,
                         const std::vector<gis::Envelope>& near, bool checkValidity,
                         const std::string& keepProofsIn) {
    try {
        gis::ReadOptions options;
        options.table = spec.table;
        options.filter = spec.filter;
        options.encoding = spec.encoding;
        // Boxes are in the plan CRS: a layer stored in another CRS, or one whose CRS the
        // plan supplies, is read whole.
        if (spec.crs.empty()) {
            options.near = near;
            options.nearCrs = plan.crs;
            options.keepProofsIn = keepProofsIn;
            if (checkValidity) options.checkValidityIn = plan.crs;  // no reprojection after
        }
        auto layer = gis::readLayer(spec.source, options);
        if (!near.empty() && !spec.crs.empty())
            layer.readWholeBecause = "the plan sets its crs (crs = \"" + spec.crs + "\")";
        if (const auto datum = gis::parseWebMapDatum(spec.crs)) {
            // Drawn on a Chinese web map: lon/lat with its offset, which comes off here.
            if (layer.crs.isKnown() && !layer.crs.isGeographic())
                throw InputError("crs = \"" + spec.crs +
                                 "\" needs lon/lat coordinates, but the source is in " +
                                 layer.crs.label());
            if (!layer.crs.isKnown()) layer.crs = gis::Crs::fromEpsg(4326);
            for (auto& f : layer.features) f.geometry = gis::removeWebMapOffset(f.geometry, *datum);
            layer.notes.push_back(gis::webMapDatumName(*datum) +
                                  " offset removed (plan crs), now " + layer.crs.label());
        } else if (!layer.crs.isKnown() && !spec.crs.empty()) {
            layer.crs = gis::Crs::fromUserInput(spec.crs);
        }
        return layer;
    } catch (const InputError& e) {
        throw InputError(plan.path + ":" + std::to_string(spec.line) + ": layer '" + spec.id +
                         "': " + e.what());
    }
}

void keepInForce(const Plan& plan, const LayerSpec& spec, gis::VectorLayer& data,
                 std::vector<std::string>& warnings) {
    const auto field = data.fieldIndex(spec.dateField);
    if (!field)
        throw InputError(layerAt(plan, spec) + ": date_field '" + spec.dateField + "' is not in " +
                         spec.source);
    std::vector<gis::Feature> inForce;
    for (auto& f : data.features) {
        const auto day = recordDate(f.values[*field]);
        if (!day)
            throw InputError(layerAt(plan, spec) + " feature fid " + std::to_string(f.fid) + ": " +
                             spec.dateField + " = '" + gis::toString(f.values[*field]) +
                             "' is not a date (YYYY-MM-DD)");
        if (*day <= plan.asOf) inForce.push_back(std::move(f));
    }
    if (inForce.size() < data.features.size())
        warnings.push_back("layer '" + spec.id +
                           "': " + std::to_string(data.features.size() - inForce.size()) + " of " +
                           std::to_string(data.features.size()) + " records dated after " +
                           plan.asOf + ", not yet in force");
    data.features = std::move(inForce);
}

void requireFields(const Plan& plan, const LayerSpec& spec, const gis::VectorLayer& data) {
    for (const auto& field : {spec.idField, spec.label})
        if (!field.empty() && !data.fieldIndex(field))
            throw InputError(layerAt(plan, spec) + ": field '" + field + "' is not in " +
                             spec.source);
}

gis::VectorLayer readInPlanCrs(const Plan& plan, const LayerSpec& spec,
                               const std::vector<gis::Envelope>& near,
                               const std::string& keepProofsIn, std::vector<std::string>& warnings,
                               std::string& sourceCrs) {
    gis::VectorLayer data = readRaw(plan, spec, near, /*checkValidity=*/true, keepProofsIn);
    requireFields(plan, spec, data);
    if (!spec.dateField.empty()) keepInForce(plan, spec, data, warnings);
    if (data.geometryType == "None") data.crs = plan.crs;  // a table has no coordinates
    if (!data.crs.isKnown())
        throw InputError(layerAt(plan, spec) + ": " + spec.source +
                         " has no CRS; add crs = \"EPSG:...\" to the layer");
    sourceCrs = data.crs.label();
    for (const auto& note : data.notes) warnings.push_back("layer '" + spec.id + "': " + note);
    // Coordinates that do not fit the CRS would be measured and overlaid wrongly everywhere.
    const auto doubt =
        gis::assessCoordinates(data.fullExtent ? *data.fullExtent : data.extent(), data.crs);
    if (doubt.certain)
        throw InputError(layerAt(plan, spec) + ": " + spec.source + ": " + doubt.message +
                         "; set crs = \"EPSG:...\" on the layer or fix the data");
    if (!doubt.message.empty()) warnings.push_back("layer '" + spec.id + "': " + doubt.message);
    if (data.features.empty() && !data.fullExtent)  // near sites only: empty there, not whole
        warnings.push_back("layer '" + spec.id + "': " +
                           (spec.filter.empty()
                                ? std::string("holds no feature")
                                : "filter '" + spec.filter + "' selects no feature") +
                           "; rules on this layer find nothing");
    if (!data.crs.isEquivalentTo(plan.crs)) {
        const gis::CoordinateTransform toPlan(data.crs, plan.crs);
        try {
            for (auto& f : data.features) f.geometry = toPlan.apply(f.geometry);
        } catch (const InputError& e) {
            throw InputError(layerAt(plan, spec) + ": cannot reproject from " + data.crs.label() +
                             ": " + e.what());
        }
        warnings.push_back("layer '" + spec.id + "': reprojected from " + data.crs.label() +
                           " to " + plan.crs.label());
        data.crs = plan.crs;
    }
    return data;
}

}  // namespace onemap::core
