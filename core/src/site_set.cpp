#include "onemap/core/site_set.hpp"

#include "onemap/gis/error.hpp"
#include "onemap/gis/geodesic.hpp"
#include "onemap/gis/vector_io.hpp"
#include "onemap/gis/web_map_datum.hpp"

namespace onemap::core {

SiteSet SiteSet::load(const std::string& source, const gis::Crs& planCrs,
                      const SiteOptions& options) {
    gis::VectorLayer layer = gis::readLayer(source, {options.table, "", ""});
    SiteSet s = fromGeometries(std::move(layer), planCrs, options);
    s.source = source;
    return s;
}

SiteSet SiteSet::fromGeometries(gis::VectorLayer attributes, const gis::Crs& planCrs,
                                const SiteOptions& options) {
    SiteSet s;
    s.source = attributes.name;
    const std::string& src = s.source;
    if (!options.sitesCrs.empty()) {
        attributes.crs = gis::Crs::fromUserInput(options.sitesCrs);
    } else if (!attributes.crs.isKnown()) {
        throw InputError(src + ": the sites have no CRS; say which with --sites-crs EPSG:XXXX");
    }
    const auto datum = gis::parseWebMapDatum(options.from);
    if (!options.from.empty() && !datum)
        throw InputError("--from must be gcj02 or bd09, not '" + options.from + "'");
    if (!options.from.empty() && !attributes.crs.isGeographic())
        throw InputError(src + ": --from " + options.from +
                         " needs lon/lat coordinates, but the sites are in " +
                         attributes.crs.label());

    std::string idField = options.idField;
    if (!idField.empty() && !attributes.fieldIndex(idField))
        throw InputError(src + ": --id-field '" + idField + "' is not a field of the sites");
    if (idField.empty() && attributes.fieldIndex("id")) idField = "id";
    const bool hasName = attributes.fieldIndex("name").has_value();

    const gis::CoordinateTransform toPlan(attributes.crs, planCrs);
    for (std::size_t i = 0; i < attributes.features.size(); ++i) {
        const gis::Feature& f = attributes.features[i];
        Site site;
        site.index = i;
        site.id =
            idField.empty() ? std::to_string(f.fid) : gis::toString(attributes.value(i, idField));
        if (site.id.empty()) site.id = "fid " + std::to_string(f.fid);
        if (hasName) site.name = gis::toString(attributes.value(i, "name"));
        const std::string who =
            src + ": site '" + site.id + "' (feature " + std::to_string(f.fid) + ")";
        if (f.geometry.isEmpty()) throw InputError(who + ": has no geometry");
        if (f.geometry.kind() != gis::GeometryKind::Polygon)
            throw InputError(who + ": is a " + f.geometry.typeName() + "; sites must be polygons");
        gis::Geometry g = datum ? gis::removeWebMapOffset(f.geometry, *datum) : f.geometry;
        try {
            g = toPlan.apply(g);
        } catch (const InputError& e) {
            throw InputError(who + ": " + e.what());
        }
        if (!g.isValid()) {
            site.warnings.push_back("site geometry invalid (" + g.invalidReason() +
                                    "); repaired with make-valid");
            g = g.makeValid();
            if (g.isEmpty())
                throw InputError(who + ": geometry collapses to nothing when repaired");
        }
        site.geometry = std::move(g);
        s.sites.push_back(std::move(site));
    }
    s.attributes = std::move(attributes);
    return s;
}

gis::Value SiteSet::value(const Site& site, const std::string& field) const {
    return attributes.value(site.index, field);
}

bool SiteSet::hasField(const std::string& field) const {
    return attributes.fieldIndex(field).has_value();
}

}  // namespace onemap::core
