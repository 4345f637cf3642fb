#include "onemap/core/check/site_set.hpp"

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

#include <cmath>
#include <exception>
#include <filesystem>
#include <map>
#include <set>

#include "onemap/core/check/number_format.hpp"
#include "onemap/gis/base/ascii.hpp"
#include "onemap/gis/base/atomic_file.hpp"
#include "onemap/gis/base/error.hpp"
#include "onemap/gis/crs/crs_diagnosis.hpp"
#include "onemap/gis/crs/geodesic.hpp"
#include "onemap/gis/crs/web_map_datum.hpp"
#include "onemap/gis/crs/web_offset.hpp"
#include "onemap/gis/formats/site_format_registry.hpp"
#include "onemap/gis/layer/layer_reader.hpp"
#include "onemap/gis/layer/source_files.hpp"

namespace onemap::core {
namespace {

// Below this a site is a sliver or a point drawn as a polygon: measured, but doubtful.
constexpr double kTinySiteM2 = 1.0;
// A site this far from every layer is not in the plan's area: wrong CRS, swapped axes.
constexpr double kNearPlanM = 50000.0;

// How to fix coordinates that do not fit: the usual mistakes, named.
const char* const kCrsHint =
    "check the CRS (--sites-crs), the axis order (x = longitude/easting) and, for "
    "Gauss-Kruger eastings with a zone prefix, the zoned CRS (e.g. EPSG:4528 for zone 40)";

std::string joined(const std::vector<std::string>& items) {
    std::string s;
    for (const auto& i : items) s += (s.empty() ? "" : ", ") + i;
    return s;
}

// Sites as planners receive them (国土 TXT, KML, CAD drawings, point tables: the site formats,
// which say what they read) or any OGR layer. Notes about the whole source go to `notes`; notes
// about one feature stay with the layer. `format`: the site format that read it, or nullptr.
gis::VectorLayer readSites(const std::string& source, const SiteOptions& options,
                           std::vector<std::string>& notes, const gis::SiteFormat*& format) {
    if (auto claimed =
            gis::SiteFormatRegistry::instance().read(source, {options.table, options.sitesCrs})) {
        format = claimed->format;
        auto& [layer, fileNotes] = claimed->sites;
        notes.insert(notes.end(), fileNotes.begin(), fileNotes.end());
        return std::move(layer);
    }
    format = nullptr;
    gis::ReadOptions read = gis::ReadOptions::forTable(options.table);
    if (options.table.empty()) {
        // Taking the first of several layers would check whatever the file lists first.
        const auto refuseSeveral = [&source](const std::vector<std::string>& names) {
            if (names.size() > 1)
                throw InputError(source + ": holds layers " + joined(names) +
                                 "; choose one with --layer");
        };
        // A shapefile is opened for reading with the encoding found by looking at it first:
        // listed before that, as ever. Any other source is opened the same way for both
        // (no open options, nothing looked at before), so the read lists it as it opens it.
        if (gis::lowerExtension(source) == ".shp")
            refuseSeveral(gis::listLayers(source));
        else
            read.onLayers = refuseSeveral;
    }
    // How the text was read (a .cpg that lied, GBK guessed) is about the file; a field of one
    // feature decoded as GBK stays with that site.
    gis::VectorLayer layer = gis::readLayer(source, read);
    std::vector<std::string> mine;
    for (auto& note : layer.notes)
        (note.find("of feature ") != std::string::npos ? mine : notes).push_back(note);
    layer.notes = std::move(mine);
    return layer;
}

// What every site of one file is read with.
struct SiteReading {
    const gis::VectorLayer& attributes;
    const std::string& src;
    const gis::Crs& planCrs;
    const SiteOptions& options;
    std::optional<gis::WebMapDatum> datum;
    std::string idField, nameField;
};

// One site of the sites file: checked, brought into the plan CRS, repaired, measured.
Site makeSite(const SiteReading& in, std::size_t i, const gis::CoordinateTransform& toPlan,
              const gis::EllipsoidalMeasure& measure) {
    const auto& [attributes, src, planCrs, options, datum, idField, nameField] = in;
    const bool hasName = !nameField.empty();
    const gis::Feature& f = attributes.features[i];
    Site site;
    site.index = i;
    site.id = idField.empty() ? std::to_string(f.fid) : gis::toString(attributes.value(i, idField));
    if (site.id.empty()) site.id = "fid " + std::to_string(f.fid);
    if (hasName) site.name = gis::toString(attributes.value(i, nameField));
    const std::string who =
        src + ": site '" + site.id + "' (feature " + std::to_string(f.fid) + ")";
    if (f.geometry.isEmpty()) throw InputError(who + ": has no geometry");
    if (f.geometry.kind() != gis::GeometryKind::Polygon)
        throw InputError(who + ": is a " + f.geometry.typeName() + "; sites must be polygons");
    if (datum) {
        const auto c = f.geometry.envelope().center();
        if (!gis::isInChina(c.x, c.y))
            site.warnings.push_back("--from " + options.from +
                                    ": the site lies outside China, where web maps add no "
                                    "offset; nothing was removed");
    }
    gis::Geometry g = datum ? gis::removeWebMapOffset(f.geometry, *datum) : f.geometry;
    try {
        g = toPlan.apply(g);
    } catch (const InputError& e) {
        throw InputError(who + ": cannot be brought into " + planCrs.label() + " (" + e.what() +
                         "); " + kCrsHint);
    }
    if (!g.isValid()) {
        site.warnings.push_back("site geometry invalid (" + g.invalidReason() +
                                "); repaired with make-valid");
        try {
            g = g.makeValid();
        } catch (const InputError& e) {
            throw InputError(who + ": " + e.what());
        }
        if (g.isEmpty()) throw InputError(who + ": geometry collapses to nothing when repaired");
    }
    const double area = measure.area(g);
    if (area < kTinySiteM2)
        site.warnings.push_back("site area " + formatNumber(area, 3) +
                                " m² is below 1 m²; is it a point or a sliver?");
    // Reader notes about this feature (text decoded as GBK) travel with the site.
    const std::string mine = "of feature " + std::to_string(f.fid) + " ";
    for (const auto& note : attributes.notes)
        if (note.find(mine) != std::string::npos) site.warnings.push_back(note);
    site.geometry = std::move(g);
    return site;
}

}  // namespace

SiteSet SiteSet::load(const std::string& source, const gis::Crs& planCrs,
                      const SiteOptions& options) {
    std::vector<std::string> notes;
    const gis::SiteFormat* format = nullptr;
    gis::VectorLayer layer = readSites(source, options, notes, format);
    const gis::SiteFormatTraits traits = format ? format->traits() : gis::SiteFormatTraits{};
    SiteOptions rest = options;
    if (traits.appliesSitesCrs) rest.sitesCrs.clear();  // the reader applied it
    if (layer.features.empty())
        throw InputError(source + ": layer '" + layer.name +
                         "' holds no sites; there is nothing to check");
    // A KML from a Chinese map app may hold GCJ-02 although KML means WGS84: say so.
    if (traits.mayHoldWebMapOffset && options.from.empty()) {
        const auto origin = format->webMapOrigin(source);
        const auto c = layer.extent().center();
        if (!origin.from.empty() && gis::isInChina(c.x, c.y))
            notes.push_back(origin.evidence + "; if the sites were drawn on a Chinese web map, " +
                            "check with --from " + origin.from +
                            " (left as is, they sit several hundred metres off)");
    }
    SiteSet s = fromGeometries(std::move(layer), planCrs, rest, source);
    s.source = source;
    s.notes = std::move(notes);
    std::error_code ec;
    if (std::filesystem::is_regular_file(source, ec))
        for (const auto& file : gis::contentFilesOf(source)) s.inputs[file] = gis::sha256File(file);
    return s;
}

SiteSet SiteSet::fromGeometries(gis::VectorLayer attributes, const gis::Crs& planCrs,
                                const SiteOptions& options) {
    const std::string name = attributes.name;
    return fromGeometries(std::move(attributes), planCrs, options, name);
}

SiteSet SiteSet::fromGeometries(gis::VectorLayer attributes, const gis::Crs& planCrs,
                                const SiteOptions& options, const std::string& sourceName) {
    SiteSet s;
    s.source = sourceName;
    const std::string& src = s.source;
    if (!options.sitesCrs.empty()) {
        const gis::Crs given = gis::Crs::fromUserInput(options.sitesCrs);
        // The file's own CRS wins over a guess; two different claims are a mistake to fix.
        if (attributes.crs.isKnown() && !attributes.crs.isEquivalentTo(given))
            throw InputError(src + ": declares " + attributes.crs.label() + "; --sites-crs " +
                             options.sitesCrs + " disagrees (remove --sites-crs, or fix the file)");
        attributes.crs = given;
    } else if (!attributes.crs.isKnown()) {
        // CAD drawings and point tables never carry one; the numbers may still tell.
        const std::string hint = gis::suggestCrs(attributes.extent());
        throw InputError(src + ": the sites have no CRS; say which with --sites-crs EPSG:XXXX" +
                         " (the plan works in " + planCrs.label() + ")" +
                         (hint.empty() ? "" : "; " + hint));
    }
    const auto datum = gis::parseWebMapDatum(options.from);
    if (!options.from.empty() && !datum)
        throw InputError("--from must be gcj02 or bd09, not '" + options.from + "'");
    if (!options.from.empty() && !attributes.crs.isGeographic())
        throw InputError(src + ": --from " + options.from +
                         " needs lon/lat coordinates, but the sites are in " +
                         attributes.crs.label());
    // Coordinates that do not fit their CRS give areas of ~0 and verdicts that mean nothing.
    // (A doubt short of certain is left to requireNear: far from the plan is certain.)
    const auto doubt = gis::assessCoordinates(attributes.extent(), attributes.crs);
    if (doubt.certain) throw InputError(src + ": " + doubt.message + "; " + kCrsHint);

    std::string idField = options.idField;
    if (!idField.empty() && !attributes.fieldIndex(idField))
        throw InputError(src + ": --id-field '" + idField + "' is not a field of the sites");
    if (idField.empty() && attributes.fieldIndex("id")) idField = "id";
    // KML calls it "Name".
    const std::string nameField = attributes.fieldIndex("name")   ? "name"
                                  : attributes.fieldIndex("Name") ? "Name"
                                                                  : "";

    // Sites are checked, brought into the plan CRS and measured in parallel (10k sites: a
    // tenth of a check). Each thread has its own transform and measure (PROJ objects are per
    // thread); the error reported is the first site's in file order, as a serial loop's.
    // No transform at all is the file's error, said once, before any site.
    (void)gis::CoordinateTransform::forThisThread(attributes.crs, planCrs);
    const SiteReading reading{attributes, src, planCrs, options, datum, idField, nameField};
    const std::size_t n = attributes.features.size();
    std::vector<Site> made(n);
    std::vector<std::exception_ptr> failed(n);
    tbb::parallel_for(tbb::blocked_range<std::size_t>(0, n, 64), [&](const auto& r) {
        const auto& toPlan = gis::CoordinateTransform::forThisThread(attributes.crs, planCrs);
        const auto& measure = gis::EllipsoidalMeasure::forThisThread(planCrs);
        for (std::size_t i = r.begin(); i != r.end(); ++i) {
            try {
                made[i] = makeSite(reading, i, toPlan, measure);
            } catch (...) {
                failed[i] = std::current_exception();
            }
        }
    });
    for (const auto& e : failed)
        if (e) std::rethrow_exception(e);
    s.sites = std::move(made);

    // The same id on several sites: reports could not tell them apart.
    std::map<std::string, std::vector<std::size_t>> byId;
    for (std::size_t i = 0; i < s.sites.size(); ++i) byId[s.sites[i].id].push_back(i);
    for (const auto& [id, members] : byId) {
        if (members.size() < 2) continue;
        std::vector<std::string> fids;
        for (const auto m : members)
            fids.push_back(std::to_string(attributes.features[s.sites[m].index].fid));
        for (const auto m : members)
            s.sites[m].warnings.push_back("site id '" + id + "' is used by " +
                                          std::to_string(members.size()) + " features (fids " +
                                          joined(fids) + ")");
    }
    s.attributes = std::move(attributes);
    return s;
}

void SiteSet::requireNear(const gis::Envelope& mapExtent) const {
    if (mapExtent.isEmpty() || sites.empty()) return;
    gis::Envelope grown = mapExtent;
    grown.minx -= kNearPlanM;
    grown.miny -= kNearPlanM;
    grown.maxx += kNearPlanM;
    grown.maxy += kNearPlanM;
    for (const auto& site : sites)
        if (site.geometry.envelope().intersects(grown)) return;
    throw InputError(source + ": no site lies within " +
                     std::to_string(static_cast<int>(kNearPlanM / 1000)) +
                     " km of the plan's layers; " + kCrsHint);
}

void SiteSet::supply(SuppliedAttributes figures) {
    for (const auto& [field, from] : figures.fields())
        if (attributes.fieldIndex(field))
            throw InputError((from == "--attr" ? "--attr " + field : from + ": field " + field) +
                             ": " + source +
                             " has this field already; its figures are not "
                             "overridden (leave " +
                             field + " out)");
    std::set<std::string> ids;
    for (const auto& site : sites) ids.insert(site.id);
    for (const auto& [id, line] : figures.tableIds())
        if (!ids.count(id))
            throw InputError(figures.tablePath() + ":" + std::to_string(line) + ": site '" + id +
                             "' is not in " + source);
    supplied = std::move(figures);
}

gis::Value SiteSet::value(const Site& site, const std::string& field) const {
    if (attributes.fieldIndex(field)) return attributes.value(site.index, field);
    return supplied.value(site.id, field);
}

bool SiteSet::hasField(const std::string& field) const {
    return attributes.fieldIndex(field).has_value() || supplied.has(field);
}

}  // namespace onemap::core
