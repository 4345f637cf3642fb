#include "onemap/gis/layer/layer_reader.hpp"

#include <gdal_priv.h>
#include <ogrsf_frmts.h>
#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <filesystem>
#include <map>
#include <unordered_set>

#include "base/handles.hpp"
#include "layer/geometry_batches.hpp"
#include "layer/geopackage/rtree_proof.hpp"
#include "layer/ogr_types.hpp"
#include "layer/postgis/postgis_source.hpp"
#include "layer/shapefile/shapefile_dbf.hpp"
#include "layer/sql_identifier.hpp"
#include "onemap/gis/base/ascii.hpp"
#include "onemap/gis/base/error.hpp"
#include "onemap/gis/base/expansion_limits.hpp"
#include "onemap/gis/layer/shapefile.hpp"
#include "onemap/gis/text/text_encoding.hpp"

namespace onemap::gis {
namespace fs = std::filesystem;
namespace {

using detail::GdalDatasetPtr;
using detail::gdalError;
using detail::GdalErrorCapture;
using detail::OgrFeaturePtr;

// Refuses what is not a file GDAL should read (a FIFO would block, /dev/zero never ends, a
// symlink loop never resolves) before anything opens or hashes it. Folders pass here: GDAL
// datasets can be folders (of shapefiles); openVector asks them to hold layers.
bool isFolderSource(const std::string& source) {
    if (source.rfind("PG:", 0) == 0 || source.rfind("/vsi", 0) == 0) return false;
    struct stat st {};
    if (::stat(source.c_str(), &st) != 0) {
        if (errno == ELOOP) throw InputError(source + ": not a regular file (a symlink loop)");
        return false;  // missing: said after GDAL fails to open it
    }
    if (S_ISREG(st.st_mode)) return false;
    if (S_ISDIR(st.st_mode)) return true;
    throw InputError(source + ": not a regular file");
}

GdalDatasetPtr openVector(const std::string& source,
                          const std::vector<std::string>& openOptions = {}) {
    detail::initGdal();
    const bool folder = isFolderSource(source);
    // A KMZ, XLSX or ODS is expanded by GDAL as it opens: its expansion is bounded first.
    limits::checkBeforeOpening(source);
    std::vector<const char*> opts;
    for (const auto& o : openOptions) opts.push_back(o.c_str());
    opts.push_back(nullptr);
    const std::string target = withConnectTimeout(source);
    GDALDataset* ds = GDALDataset::Open(target.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY, nullptr,
                                        opts.data(), nullptr);
    if (!ds) {
        const bool looksLikeFile = source.rfind("PG:", 0) != 0;
        if (folder)
            throw InputError(source + ": not a regular file (a folder holding no vector data)");
        if (looksLikeFile && !fs::exists(source)) throw InputError(source + ": no such file");
        throw InputError(source + ": cannot open as vector data: " + gdalError("unknown format"));
    }
    if (folder && ds->GetLayerCount() == 0) {
        GDALClose(ds);
        throw InputError(source + ": not a regular file (a folder holding no vector layer)");
    }
    return GdalDatasetPtr(ds);
}

std::string readerEncoding(OGRLayer* layer, const std::string& driver) {
    if (driver != "ESRI Shapefile") return "UTF-8";
    const char* src = layer->GetMetadataItem("SOURCE_ENCODING", "SHAPEFILE");
    return src && *src ? src : "ISO-8859-1";
}

// How GDAL is to open the source: the text encoding asked for, or for a shapefile the one
// its data shows (a .cpg may be missing, or lie), with the reason.
struct OpenChoice {
    std::vector<std::string> options;
    EncodingGuess guess;
};

OpenChoice openChoice(const std::string& source, const ReadOptions& options) {
    OpenChoice c;
    if (options.rawText) {
        c.options.push_back("ENCODING=");
        return c;
    }
    if (!options.encoding.empty()) {
        c.options.push_back("ENCODING=" + options.encoding);
        return c;
    }
    const bool shp = lowerExtension(source) == ".shp" && fs::is_regular_file(source);
    if (shp && !fs::exists(fs::path(source).replace_extension(".cpg")) &&
        !fs::exists(fs::path(source).replace_extension(".CPG"))) {
        // No .cpg: GDAL would assume Latin-1 and garble Chinese. Look at the data instead.
        c.guess = detectShapefileEncoding(source);
        if (!c.guess.encoding.empty()) c.options.push_back("ENCODING=" + c.guess.encoding);
    } else if (shp) {
        // A .cpg saying GBK over UTF-8 text would be believed by GDAL, garbling every name.
        c.guess = utf8DespiteDeclaredEncoding(source);
        if (!c.guess.encoding.empty()) c.options.push_back("ENCODING=" + c.guess.encoding);
    }
    return c;
}

// The source as it is being read: its dataset, the layer read, what names it in errors.
struct Source {
    const std::string& path;
    GDALDataset& ds;
    OGRLayer& layer;
    std::string driver;
    bool folder = false;
    std::string where;  ///< "source: layer 'x'"
};

OGRLayer& chosenLayer(GDALDataset& ds, const std::string& source, const std::string& table) {
    if (!table.empty()) {
        OGRLayer* layer = ds.GetLayerByName(table.c_str());
        if (!layer) throw InputError(source + ": has no layer '" + table + "'");
        return *layer;
    }
    if (ds.GetLayerCount() == 0) throw InputError(source + ": holds no vector layer");
    return *ds.GetLayer(0);
}

// Name, CRS, geometry type, text encoding (and the note on a guessed one), fields.
VectorLayer describe(OGRLayer& layer, const std::string& driver, const ReadOptions& options,
                     const EncodingGuess& guess) {
    VectorLayer out;
    out.name = layer.GetName();
    out.crs = detail::crsOf(layer.GetSpatialRef());
    out.geometryType = detail::geometryTypeName(layer.GetGeomType());
    out.encoding = options.encoding.empty() ? readerEncoding(&layer, driver) : options.encoding;
    if (!guess.encoding.empty()) {
        out.encoding = guess.encoding;
        out.notes.push_back("encoding " + guess.encoding + ": " + guess.reason);
    }
    OGRFeatureDefn* defn = layer.GetLayerDefn();
    for (int i = 0; i < defn->GetFieldCount(); ++i) {
        const OGRFieldDefn* fd = defn->GetFieldDefn(i);
        out.fields.push_back({fd->GetNameRef(), detail::fieldType(fd->GetType()), fd->GetWidth(),
                              fd->GetPrecision()});
    }
    return out;
}

// Whether only the features near ReadOptions::near are read. Reading near boxes needs an
// index behind the spatial filter (GeoPackage R-tree, PostGIS GiST, .qix, FlatGeobuf's),
// features with fids, and boxes in the layer's own CRS; anything else is read whole, which is
// never wrong: out.readWholeBecause says why. A near read sets out.fullExtent.
bool readsNear(const Source& src, const ReadOptions& options, VectorLayer& out,
               GdalErrorCapture& errors) {
    OGRLayer& layer = src.layer;
    const bool postgis = src.driver == "PostgreSQL";
    bool near = !options.near.empty();
    const auto readWhole = [&](const std::string& because) {
        if (near) out.readWholeBecause = because;
        near = false;
        out.fullExtent.reset();
    };
    if (near && !(options.nearCrs.isKnown() && out.crs.isKnown() &&
                  out.crs.isEquivalentTo(options.nearCrs)))
        readWhole("its CRS is not the one the sites' boxes are in");
    else if (near &&
             !((src.driver == "GPKG" && layer.TestCapability(OLCFastSpatialFilter)) || postgis))
        readWhole("it is neither a GeoPackage with a spatial index nor a PostGIS table");
    // One index query per box costs about as much as reading kFeaturesPerNearBox features:
    // with many boxes against a small layer, a whole read is faster. What the file declares
    // (maybe stale) decides only that; a near read goes by the rows a proof counted.
    const auto fewFeatures = [&](std::int64_t rows) {
        return static_cast<double>(rows) <=
               static_cast<double>(options.near.size()) * kFeaturesPerNearBox;
    };
    if (near && !postgis && options.filter.empty()) {  // with a filter: what it selects
        GdalErrorCapture quiet;  // a count it cannot give is no failure of the read
        const auto declaredRows = layer.GetFeatureCount(FALSE);
        if (declaredRows >= 0 && fewFeatures(declaredRows))
            readWhole("it has too few features (" + std::to_string(declaredRows) + ") for " +
                      std::to_string(options.near.size()) + " sites to be worth reading near them");
    }
    if (near) {
        std::int64_t rows = -1;
        if (!postgis) {
            const auto proof = detail::proveRtree(src.folder ? std::string() : src.path, out.name,
                                                  layer.GetFIDColumn(), layer.GetGeometryColumn(),
                                                  options.keepProofsIn);
            rows = proof.rows;
            if (!proof.proven()) readWhole("its R-tree is not proven to match it: " + proof.doubt);
        } else if (const auto pg = detail::rowsBehindPostgisFilter(src.ds, layer)) {
            rows = pg->rows;
            out.fullExtent = pg->extent;
        } else {
            readWhole("a row has no usable box (NULL or empty geometry, a NaN vertex)");
        }
        if (near && fewFeatures(rows))
            readWhole("it has too few features (" + std::to_string(rows) + ") for " +
                      std::to_string(options.near.size()) + " sites to be worth reading near them");
    }
    if (near && !out.fullExtent) {
        OGREnvelope whole;
        if (layer.GetExtent(&whole, TRUE) == OGRERR_NONE) {
            out.fullExtent = Envelope{whole.MinX, whole.MinY, whole.MaxX, whole.MaxY};
        } else {
            readWhole("it has no extent");
        }
        errors.clear();  // a layer without features has no extent: then it is read whole
    }
    return near;
}

// Fields whose text was not UTF-8 and was decoded as GBK: field → (first fid, values).
using Recoded = std::map<std::string, std::pair<std::int64_t, std::size_t>>;

// A feature's values as ours. Reports are UTF-8 (JSON refuses anything else): text that is
// not is decoded as GBK, the usual culprit (a lying .cpg, GBK stored in a GeoPackage).
std::vector<Value> valuesOf(OGRFeature& f, std::int64_t fid, const std::vector<Field>& fields,
                            const ReadOptions& options, const std::string& where,
                            Recoded& recoded) {
    std::vector<Value> values;
    values.reserve(fields.size());
    for (int i = 0; i < static_cast<int>(fields.size()); ++i) {
        if (!f.IsFieldSetAndNotNull(i)) {
            values.emplace_back();
            continue;
        }
        const auto& field = fields[static_cast<std::size_t>(i)];
        switch (field.type) {
            case FieldType::Integer:
                values.emplace_back(static_cast<std::int64_t>(f.GetFieldAsInteger64(i)));
                break;
            case FieldType::Real:
                values.emplace_back(f.GetFieldAsDouble(i));
                break;
            default: {
                std::string text = f.GetFieldAsString(i);
                if (!options.rawText && !isValidUtf8(text)) {
                    auto decoded = gbkToUtf8(text);
                    if (!decoded)
                        throw InputError(where + " feature " + std::to_string(fid) + " field '" +
                                         field.name + "': text is neither UTF-8 nor GBK");
                    auto& r = recoded[field.name];
                    if (r.second++ == 0) r.first = fid;
                    text = std::move(*decoded);
                }
                values.emplace_back(std::move(text));
            }
        }
    }
    return values;
}

// Every feature through `take`: near the boxes (one R-tree query per box; a feature meeting
// several boxes is taken once), or the whole layer. Stops at the first GDAL error.
template <class Take>
void readFeatures(const Source& src, bool near, const ReadOptions& options, VectorLayer& out,
                  const GdalErrorCapture& errors, Take&& take) {
    OGRLayer& layer = src.layer;
    if (!near) {
        layer.ResetReading();
        while (OgrFeaturePtr f{layer.GetNextFeature()}) take(*f);
        return;
    }
    std::unordered_set<GIntBig> seen;
    for (const Envelope& box : options.near) {
        layer.SetSpatialFilterRect(box.minx, box.miny, box.maxx, box.maxy);
        layer.ResetReading();
        while (OgrFeaturePtr f{layer.GetNextFeature()})
            if (seen.insert(f->GetFID()).second) take(*f);
        if (!errors.failure().empty()) break;
    }
    layer.SetSpatialFilter(nullptr);
    if (out.features.empty() && !options.filter.empty() && errors.failure().empty()) {
        // Nothing near: does the filter select anything anywhere? If not, this was a
        // whole read (and the plan deserves its "selects no feature" warning).
        layer.ResetReading();
        if (!OgrFeaturePtr{layer.GetNextFeature()}) out.fullExtent.reset();
    }
}

// Fewer (or more) features than the layer declares: the file is damaged. GeoPackages cache
// their count (gpkg_ogr_contents); a writer that skipped GDAL's triggers leaves it stale, so
// a fresh COUNT(*) that matches what was read is trusted instead.
void checkDeclaredCount(const Source& src, std::int64_t declared, const VectorLayer& out,
                        const GdalErrorCapture& errors) {
    const auto read = static_cast<std::int64_t>(out.features.size());
    if (declared >= 0 && read != declared && (src.driver == "GPKG" || src.driver == "SQLite")) {
        const std::string sql = "SELECT COUNT(*) FROM " + detail::sqlIdentifier(out.name);
        if (OGRLayer* count = src.ds.ExecuteSQL(sql.c_str(), nullptr, nullptr)) {
            if (OgrFeaturePtr row{count->GetNextFeature()})
                if (row->GetFieldAsInteger64(0) == static_cast<GIntBig>(out.features.size()))
                    declared = -1;
            src.ds.ReleaseResultSet(count);
        }
        if (!errors.failure().empty())
            throw InputError(src.where + ": cannot count features: " + errors.failure());
    }
    if (declared >= 0 && read != declared)
        throw InputError(src.where + ": read " + std::to_string(out.features.size()) +
                         " features but the file declares " + std::to_string(declared) +
                         "; the file is damaged");
}

void noteRecoded(const Recoded& recoded, VectorLayer& out) {
    for (const auto& [name, r] : recoded)
        out.notes.push_back("field '" + name + "' of feature " + std::to_string(r.first) +
                            " was not UTF-8; decoded as GBK" +
                            (r.second > 1 ? " (" + std::to_string(r.second) + " values)" : ""));
}

}  // namespace

void checkAttributeFilter(const std::string& filter) {
    bool quoted = false;
    for (std::size_t i = 0; i < filter.size(); ++i) {
        const char c = filter[i];
        if (c == '\'') quoted = !quoted;
        if (quoted) continue;
        const bool comment = (c == '-' && i + 1 < filter.size() && filter[i + 1] == '-') ||
                             (c == '/' && i + 1 < filter.size() && filter[i + 1] == '*');
        if (c == ';' || comment)
            throw InputError("filter must be one attribute expression (no ';' or SQL comments): '" +
                             filter + "'");
    }
}

std::vector<std::string> listLayers(const std::string& source) {
    auto ds = openVector(source);
    std::vector<std::string> out;
    for (auto* layer : ds->GetLayers()) out.emplace_back(layer->GetName());
    return out;
}

VectorLayer readLayer(const std::string& source, const ReadOptions& options) {
    if (!options.filter.empty()) {
        try {
            checkAttributeFilter(options.filter);
        } catch (const InputError& e) {
            throw InputError(source + ": " + e.what());
        }
    }
    const OpenChoice open = openChoice(source, options);
    const bool folder = isFolderSource(source);
    // Every GDAL error from here on means the data was not read whole.
    GdalErrorCapture errors;
    auto ds = openVector(source, open.options);
    if (options.onLayers) {
        std::vector<std::string> names;
        for (auto* l : ds->GetLayers()) names.emplace_back(l->GetName());
        options.onLayers(names);
    }
    OGRLayer& layer = chosenLayer(*ds, source, options.table);
    errors.clear();  // what opening grumbled about is not about this layer's features
    if (!options.filter.empty() &&
        layer.SetAttributeFilter(options.filter.c_str()) != OGRERR_NONE) {
        throw InputError(source + ": layer '" + layer.GetName() + "': bad filter '" +
                         options.filter + "': " + gdalError("syntax error"));
    }

    const std::string driver = ds->GetDriver() ? ds->GetDriver()->GetDescription() : "";
    VectorLayer out = describe(layer, driver, options, open.guess);
    const Source src{source, *ds, layer, driver, folder, source + ": layer '" + out.name + "'"};
    if (driver == "ESRI Shapefile") detail::checkShapefileCounts(source, out.name, folder);
    const bool near = readsNear(src, options, out, errors);
    // What the driver says the layer holds, to compare with what the loop reads. Shapefiles
    // count deleted records too; their .shx/.dbf headers were compared above instead.
    // Reading near boxes reads part of the layer by design: no count to compare.
    const bool countable = options.filter.empty() && driver != "ESRI Shapefile" && !near;
    const auto declared = countable ? layer.GetFeatureCount(TRUE) : -1;
    if (!errors.failure().empty())
        throw InputError(src.where + ": cannot count features: " + errors.failure());
    if (declared > 0) out.features.reserve(static_cast<std::size_t>(declared));

    Recoded recoded;
    std::int64_t lastFid = -1;
    detail::GeometryBatches batches(src.where, options.checkValidityIn.isKnown() &&
                                                   out.crs.isKnown() &&
                                                   out.crs.isEquivalentTo(options.checkValidityIn));
    readFeatures(src, near, options, out, errors, [&](OGRFeature& f) {
        Feature feat;
        feat.fid = f.GetFID();
        feat.values = valuesOf(f, feat.fid, out.fields, options, src.where, recoded);
        try {
            batches.add(std::move(feat), detail::toWkb(f.GetGeometryRef()));
        } catch (const InputError& e) {
            throw InputError(src.where + " feature " + std::to_string(feat.fid) + ": " + e.what());
        }
        lastFid = feat.fid;
    });
    batches.finish(out.features);
    // Sorted by fid: the same order as a whole read, whatever the boxes' order.
    if (near)
        std::sort(out.features.begin(), out.features.end(),
                  [](const Feature& a, const Feature& b) { return a.fid < b.fid; });
    if (!errors.failure().empty())
        throw InputError(src.where + ": read error " +
                         (lastFid < 0 ? std::string("before the first feature")
                                      : "after feature " + std::to_string(lastFid)) +
                         ": " + errors.failure());
    checkDeclaredCount(src, declared, out, errors);
    noteRecoded(recoded, out);
    return out;
}

}  // namespace onemap::gis
