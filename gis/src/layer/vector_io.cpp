#include "onemap/gis/layer/vector_io.hpp"

#include <gdal_priv.h>
#include <geos_c.h>
#include <ogrsf_frmts.h>
#include <proj.h>
#include <sys/stat.h>
#include <tbb/task_group.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <deque>
#include <exception>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <unordered_set>

#include "base/handles.hpp"
#include "geom/wkb_walk.hpp"
#include "layer/rtree_proof.hpp"
#include "onemap/gis/base/atomic_file.hpp"
#include "onemap/gis/base/error.hpp"
#include "onemap/gis/base/expansion_limits.hpp"
#include "onemap/gis/base/text_encoding.hpp"
#include "onemap/gis/geom/simple_polygon.hpp"
#include "onemap/gis/layer/output_files.hpp"

namespace onemap::gis {
namespace fs = std::filesystem;
namespace {

using detail::GdalDatasetPtr;
using detail::gdalError;
using detail::OgrFeaturePtr;

std::string lower(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
    return s;
}

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

Crs crsOf(const OGRSpatialReference* srs) {
    if (!srs) return {};
    // A GeoPackage without a CRS says srs_id 0/-1: "Undefined geographic/Cartesian SRS".
    const char* name = srs->GetName();
    if (name && std::string(name).rfind("Undefined ", 0) == 0) return {};
    const char* auth = srs->GetAuthorityName(nullptr);
    const char* code = srs->GetAuthorityCode(nullptr);
    if (auth && code && std::string(auth) == "EPSG") {
        try {
            return Crs::fromUserInput(std::string("EPSG:") + code);
        } catch (const InputError&) {
        }
    }
    char* wkt = nullptr;
    const char* options[] = {"FORMAT=WKT2_2019", nullptr};
    srs->exportToWkt(&wkt, options);
    std::string text = wkt ? wkt : "";
    CPLFree(wkt);
    return text.empty() ? Crs{} : Crs::fromUserInput(text);
}

FieldType fieldType(OGRFieldType t) {
    switch (t) {
        case OFTInteger:
        case OFTInteger64:
            return FieldType::Integer;
        case OFTReal:
            return FieldType::Real;
        case OFTDate:
        case OFTDateTime:
        case OFTTime:
            return FieldType::Date;
        default:
            return FieldType::String;
    }
}

// Every vertex must be a number: GEOS would "repair" a NaN away into a smaller polygon.
class FiniteCheck : public OGRDefaultConstGeometryVisitor {
  public:
    using OGRDefaultConstGeometryVisitor::visit;
    void visit(const OGRPoint* p) override {
        // Not IsEmpty(): GDAL calls a point with a NaN coordinate empty.
        if (!std::isfinite(p->getX()) || !std::isfinite(p->getY())) finite = false;
    }
    bool finite = true;
};

// Arcs stroked every 0.5°: a regular n-gon loses (2π²/3)/n² of its circle's area, so
// n = 720 keeps the loss near 0.0013 % (GDAL's default 4° loses 0.08 %).
constexpr double kArcStepDegrees = 0.5;

// ISO WKB of a feature's geometry, 2D and linear; empty for no geometry.
std::vector<unsigned char> toWkb(OGRGeometry* g) {
    if (!g || g->IsEmpty()) return {};
    FiniteCheck finite;
    g->accept(&finite);
    if (!finite.finite) throw InputError("a vertex is not a number (NaN or infinite)");
    detail::OgrGeometryPtr owner;
    if (g->hasCurveGeometry()) {
        owner.reset(g->getLinearGeometry(kArcStepDegrees));
        g = owner.get();
    }
    g->flattenTo2D();
    std::vector<unsigned char> wkb(static_cast<std::size_t>(g->WkbSize()));
    g->exportToWkb(wkbNDR, wkb.data(), wkbVariantIso);
    return wkb;
}

// Features read on this thread while their geometries are made (GEOS, from WKB) on others,
// a batch at a time: reading is serial (OGR), making geometries need not be.
class GeometryBatches {
  public:
    /// checkValidity: valid geometries are kept as WKB (ReadOptions::checkValidityIn).
    GeometryBatches(std::string where, bool checkValidity)
        : where_(std::move(where)), checkValidity_(checkValidity) {}
    ~GeometryBatches() { wait(); }  // an exception while reading: let the tasks end first
    GeometryBatches(const GeometryBatches&) = delete;
    GeometryBatches& operator=(const GeometryBatches&) = delete;

    void add(Feature feature, std::vector<unsigned char> wkb) {
        if (batches_.empty() || batches_.back().features.size() == kBatch) {
            if (!batches_.empty()) launch(batches_.back());
            batches_.emplace_back();
        }
        batches_.back().features.push_back(std::move(feature));
        batches_.back().wkb.push_back(std::move(wkb));
    }
    /// Waits for every geometry and appends the features in reading order; throws the
    /// first feature's error.
    void finish(std::vector<Feature>& out) {
        if (!batches_.empty()) launch(batches_.back());
        wait();
        for (auto& b : batches_) {
            if (b.failure) std::rethrow_exception(b.failure);
            if (!b.error.empty()) throw InputError(b.error);
            for (auto& f : b.features) out.push_back(std::move(f));
        }
        batches_.clear();
    }

  private:
    static constexpr std::size_t kBatch = 4096;
    struct Batch {
        std::vector<Feature> features;
        std::vector<std::vector<unsigned char>> wkb;
        std::string error;           ///< of the first feature that failed
        std::exception_ptr failure;  ///< not the data's: keeping the WKB failed
    };
    std::string where_;
    bool checkValidity_;
    std::deque<Batch> batches_;  // a deque: batches stay put while others are added
    tbb::task_group tasks_;
    bool running_ = false;

    void launch(Batch& b) {
        running_ = true;
        tasks_.run([&b, this] {
            std::vector<std::size_t> valid;  // kept as WKB
            std::vector<Envelope> boxes;
            for (std::size_t i = 0; i < b.features.size(); ++i) {
                if (b.wkb[i].empty()) continue;
                try {
                    Envelope box;
                    if (checkValidity_ &&
                        provablyValidSimplePolygon(b.wkb[i].data(), b.wkb[i].size(), box)) {
                        valid.push_back(i);  // GEOS would agree; no geometry built to ask it
                        boxes.push_back(box);
                        continue;
                    }
                    Geometry g = Geometry::fromWkb(b.wkb[i].data(), b.wkb[i].size());
                    detail::WkbSummary summary;
                    if (checkValidity_ && !g.isEmpty() && g.isValid() &&
                        detail::WkbWalk(b.wkb[i].data(), b.wkb[i].size()).summary(summary) &&
                        summary.vertices) {
                        valid.push_back(i);
                        boxes.push_back(g.envelope());
                    } else {
                        b.features[i].geometry = std::move(g);
                    }
                } catch (const std::exception& e) {
                    b.error =
                        where_ + " feature " + std::to_string(b.features[i].fid) + ": " + e.what();
                    break;
                }
            }
            // Nothing may leave a task (the destructor's wait would end the program): a
            // failure here (no memory) is kept and thrown by finish().
            try {
                if (b.error.empty() && !valid.empty()) keepAsWkb(b, valid, boxes);
            } catch (...) {
                b.failure = std::current_exception();
            }
            b.wkb = {};
        });
    }
    // One buffer for the batch's valid geometries, which share it.
    static void keepAsWkb(Batch& b, const std::vector<std::size_t>& valid,
                          const std::vector<Envelope>& boxes) {
        std::size_t bytes = 0;
        for (std::size_t i : valid) bytes += b.wkb[i].size();
        auto arena = std::make_shared<std::vector<unsigned char>>();
        arena->reserve(bytes);
        for (std::size_t i : valid) arena->insert(arena->end(), b.wkb[i].begin(), b.wkb[i].end());
        std::vector<Geometry::WkbRef> refs(valid.size());
        std::size_t at = 0;
        for (std::size_t k = 0; k < valid.size(); ++k) {
            refs[k] = {arena->data() + at, b.wkb[valid[k]].size(), boxes[k]};
            at += refs[k].size;
        }
        auto geometries = Geometry::deferred(arena, refs, /*checkedValid=*/true);
        for (std::size_t k = 0; k < valid.size(); ++k)
            b.features[valid[k]].geometry = std::move(geometries[k]);
    }
    void wait() {
        if (running_) tasks_.wait();
        running_ = false;
    }
};

// OGC names ("MultiPolygon"), which ogrType() below reads back.
std::string geometryTypeName(OGRwkbGeometryType t) {
    switch (wkbFlatten(t)) {
        case wkbPoint:
            return "Point";
        case wkbMultiPoint:
            return "MultiPoint";
        case wkbLineString:
            return "LineString";
        case wkbMultiLineString:
            return "MultiLineString";
        case wkbPolygon:
            return "Polygon";
        case wkbMultiPolygon:
            return "MultiPolygon";
        case wkbGeometryCollection:
            return "GeometryCollection";
        case wkbNone:
            return "None";  // a table: records without geometry
        default:
            return "Unknown";
    }
}

OGRwkbGeometryType ogrType(const std::string& name) {
    static const std::map<std::string, OGRwkbGeometryType> types = {
        {"point", wkbPoint},
        {"multipoint", wkbMultiPoint},
        {"linestring", wkbLineString},
        {"multilinestring", wkbMultiLineString},
        {"polygon", wkbPolygon},
        {"multipolygon", wkbMultiPolygon},
        {"geometrycollection", wkbGeometryCollection},
        {"none", wkbNone}};
    const auto it = types.find(lower(name));
    return it == types.end() ? wkbUnknown : it->second;
}

OGRFieldType ogrFieldType(FieldType t) {
    switch (t) {
        case FieldType::Integer:
            return OFTInteger64;
        case FieldType::Real:
            return OFTReal;
        case FieldType::Date:
            return OFTString;  // written as ISO text: every format keeps it
        default:
            return OFTString;
    }
}

std::string readerEncoding(OGRLayer* layer, const std::string& driver) {
    if (driver != "ESRI Shapefile") return "UTF-8";
    const char* src = layer->GetMetadataItem("SOURCE_ENCODING", "SHAPEFILE");
    return src && *src ? src : "ISO-8859-1";
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

namespace {

// Record counts from the headers: .shx is 100 bytes + 8 per record; the .dbf says its own
// count at offset 4 (little-endian uint32). -1 when the file is missing or too short.
std::int64_t shxRecords(const fs::path& shx) {
    std::error_code ec;
    const auto size = fs::file_size(shx, ec);
    if (ec || size < 100) return -1;
    return static_cast<std::int64_t>((size - 100) / 8);
}

std::int64_t dbfRecords(const fs::path& dbf) {
    std::ifstream in(dbf, std::ios::binary);
    unsigned char h[8] = {};
    if (!in.read(reinterpret_cast<char*>(h), sizeof h)) return -1;
    return static_cast<std::int64_t>(h[4]) | static_cast<std::int64_t>(h[5]) << 8 |
           static_cast<std::int64_t>(h[6]) << 16 | static_cast<std::int64_t>(h[7]) << 24;
}

fs::path sibling(const fs::path& base, const char* lowerExt, const char* upperExt) {
    fs::path p = base;
    p.replace_extension(lowerExt);
    if (fs::exists(p)) return p;
    p.replace_extension(upperExt);
    return p;
}

// A shapefile whose .dbf holds fewer (or more) records than the .shp: GDAL pairs them by
// index and would silently read attributes of the wrong length.
void checkShapefileCounts(const std::string& source, const std::string& layerName, bool folder) {
    const fs::path base = folder ? fs::path(source) / (layerName + ".shp") : fs::path(source);
    const auto shapes = shxRecords(sibling(base, ".shx", ".SHX"));
    const auto records = dbfRecords(sibling(base, ".dbf", ".DBF"));
    if (shapes >= 0 && records >= 0 && shapes != records)
        throw InputError(source + ": layer '" + layerName + "': the .shp holds " +
                         std::to_string(shapes) + " shapes but the .dbf " +
                         std::to_string(records) + " records; the shapefile is damaged");
}

}  // namespace

// A table name as an SQL identifier: in double quotes, inner quotes doubled.
std::string sqlIdentifier(const std::string& name) {
    std::string q = "\"";
    for (const char c : name) q += c == '"' ? std::string("\"\"") : std::string(1, c);
    return q + "\"";
}

// A PostGIS table filtered by OGR gets `geom && ST_MakeEnvelope(...)` in its SQL: exact for
// boxes, whatever the state of the GiST index. What it cannot meet is a row without a usable
// box (NULL or empty geometry, a NaN vertex): trust it only when there is none. One scan also
// gives the layer's extent (0.6 s for 1M parcels; a second scan for it cost 0.4 s more).
// Returns the number of rows and the extent, or nothing: then read whole, which reports such
// rows feature by feature.
struct PostgisRows {
    std::int64_t rows = 0;
    Envelope extent;
};
std::optional<PostgisRows> rowsBehindPostgisFilter(GDALDataset& ds, OGRLayer& layer) {
    const std::string name = layer.GetName();  // "table", or "schema.table" outside public
    const auto dot = name.find('.');
    const std::string table = dot == std::string::npos ? sqlIdentifier(name)
                                                       : sqlIdentifier(name.substr(0, dot)) + "." +
                                                             sqlIdentifier(name.substr(dot + 1));
    const std::string g = sqlIdentifier(layer.GetGeometryColumn());
    if (g == "\"\"") return std::nullopt;
    // Columns are named: two unnamed COUNT(*) would both be "count", and OGR keeps one.
    const std::string query =
        "SELECT COUNT(*) AS n_rows, COUNT(*) FILTER (WHERE " + g + " IS NULL OR ST_IsEmpty(" + g +
        ") OR NOT (ST_XMin(" + g + ") <= ST_XMax(" + g + ") AND ST_YMin(" + g + ") <= ST_YMax(" +
        g + "))) AS n_unboxed, ST_XMin(ST_Extent(" + g + ")) AS minx, ST_YMin(ST_Extent(" + g +
        ")) AS miny, ST_XMax(ST_Extent(" + g + ")) AS maxx, ST_YMax(ST_Extent(" + g +
        ")) AS maxy FROM " + table;
    detail::GdalErrorCapture errors;
    std::optional<PostgisRows> out;
    if (OGRLayer* result = ds.ExecuteSQL(query.c_str(), nullptr, nullptr)) {
        if (OgrFeaturePtr row{result->GetNextFeature()}) {
            if (row->GetFieldAsInteger64("n_unboxed") == 0 &&
                row->IsFieldSetAndNotNull(row->GetFieldIndex("minx")))
                out = PostgisRows{
                    row->GetFieldAsInteger64("n_rows"),
                    Envelope{row->GetFieldAsDouble("minx"), row->GetFieldAsDouble("miny"),
                             row->GetFieldAsDouble("maxx"), row->GetFieldAsDouble("maxy")}};
        }
        ds.ReleaseResultSet(result);
    }
    // A query that fails (a geography column, no rights on a function) only costs speed.
    if (!errors.failure().empty()) return std::nullopt;
    return out;
}

std::string withConnectTimeout(const std::string& source) {
    if (source.rfind("PG:", 0) != 0 || source.find("connect_timeout") != std::string::npos)
        return source;
    return source + " connect_timeout=" + std::to_string(kConnectTimeoutSeconds);
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
    std::vector<std::string> openOptions;
    EncodingGuess guess;
    if (options.rawText) {
        openOptions.push_back("ENCODING=");
    } else if (!options.encoding.empty()) {
        openOptions.push_back("ENCODING=" + options.encoding);
    } else if (lower(fs::path(source).extension().string()) == ".shp" &&
               fs::is_regular_file(source) &&
               !fs::exists(fs::path(source).replace_extension(".cpg")) &&
               !fs::exists(fs::path(source).replace_extension(".CPG"))) {
        // No .cpg: GDAL would assume Latin-1 and garble Chinese. Look at the data instead.
        guess = detectShapefileEncoding(source);
        if (!guess.encoding.empty()) openOptions.push_back("ENCODING=" + guess.encoding);
    } else if (lower(fs::path(source).extension().string()) == ".shp" &&
               fs::is_regular_file(source)) {
        // A .cpg saying GBK over UTF-8 text would be believed by GDAL, garbling every name.
        guess = utf8DespiteDeclaredEncoding(source);
        if (!guess.encoding.empty()) openOptions.push_back("ENCODING=" + guess.encoding);
    }
    const bool folder = isFolderSource(source);
    // Every GDAL error from here on means the data was not read whole.
    detail::GdalErrorCapture errors;
    auto ds = openVector(source, openOptions);
    OGRLayer* layer = nullptr;
    if (!options.table.empty()) {
        layer = ds->GetLayerByName(options.table.c_str());
        if (!layer) throw InputError(source + ": has no layer '" + options.table + "'");
    } else {
        if (ds->GetLayerCount() == 0) throw InputError(source + ": holds no vector layer");
        layer = ds->GetLayer(0);
    }
    errors.clear();  // what opening grumbled about is not about this layer's features
    if (!options.filter.empty() &&
        layer->SetAttributeFilter(options.filter.c_str()) != OGRERR_NONE) {
        throw InputError(source + ": layer '" + layer->GetName() + "': bad filter '" +
                         options.filter + "': " + gdalError("syntax error"));
    }

    VectorLayer out;
    out.name = layer->GetName();
    out.crs = crsOf(layer->GetSpatialRef());
    out.geometryType = geometryTypeName(layer->GetGeomType());
    const std::string driver = ds->GetDriver() ? ds->GetDriver()->GetDescription() : "";
    out.encoding = options.encoding.empty() ? readerEncoding(layer, driver) : options.encoding;
    if (!guess.encoding.empty()) {
        out.encoding = guess.encoding;
        out.notes.push_back("encoding " + guess.encoding + ": " + guess.reason);
    }
    const std::string where = source + ": layer '" + out.name + "'";
    if (driver == "ESRI Shapefile") checkShapefileCounts(source, out.name, folder);
    OGRFeatureDefn* defn = layer->GetLayerDefn();
    for (int i = 0; i < defn->GetFieldCount(); ++i) {
        const OGRFieldDefn* fd = defn->GetFieldDefn(i);
        out.fields.push_back(
            {fd->GetNameRef(), fieldType(fd->GetType()), fd->GetWidth(), fd->GetPrecision()});
    }
    // Reading near boxes needs an index behind the spatial filter (GeoPackage R-tree, PostGIS
    // GiST, .qix, FlatGeobuf's), features with fids, and boxes in the layer's own CRS;
    // anything else is read whole, which is never wrong.
    const bool postgis = driver == "PostgreSQL";
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
             !((driver == "GPKG" && layer->TestCapability(OLCFastSpatialFilter)) || postgis))
        readWhole("it is neither a GeoPackage with a spatial index nor a PostGIS table");
    // One index query per box costs about as much as reading kFeaturesPerNearBox features:
    // with many boxes against a small layer, a whole read is faster. What the file declares
    // (maybe stale) decides only that; a near read goes by the rows a proof counted.
    const auto fewFeatures = [&](std::int64_t rows) {
        return static_cast<double>(rows) <=
               static_cast<double>(options.near.size()) * kFeaturesPerNearBox;
    };
    if (near && !postgis && options.filter.empty()) {  // with a filter: what it selects
        detail::GdalErrorCapture quiet;  // a count it cannot give is no failure of the read
        const auto declaredRows = layer->GetFeatureCount(FALSE);
        if (declaredRows >= 0 && fewFeatures(declaredRows))
            readWhole("it has too few features (" + std::to_string(declaredRows) + ") for " +
                      std::to_string(options.near.size()) + " sites to be worth reading near them");
    }
    if (near) {
        std::int64_t rows = -1;
        if (!postgis) {
            const auto proof =
                detail::proveRtree(folder ? std::string() : source, out.name, layer->GetFIDColumn(),
                                   layer->GetGeometryColumn(), options.keepProofsIn);
            rows = proof.rows;
            if (!proof.proven()) readWhole("its R-tree is not proven to match it: " + proof.doubt);
        } else if (const auto pg = rowsBehindPostgisFilter(*ds, *layer)) {
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
        if (layer->GetExtent(&whole, TRUE) == OGRERR_NONE) {
            out.fullExtent = Envelope{whole.MinX, whole.MinY, whole.MaxX, whole.MaxY};
        } else {
            readWhole("it has no extent");
        }
        errors.clear();  // a layer without features has no extent: then it is read whole
    }
    // What the driver says the layer holds, to compare with what the loop reads. Shapefiles
    // count deleted records too; their .shx/.dbf headers were compared above instead.
    // Reading near boxes reads part of the layer by design: no count to compare.
    const bool countable = options.filter.empty() && driver != "ESRI Shapefile" && !near;
    auto declared = countable ? layer->GetFeatureCount(TRUE) : -1;
    if (!errors.failure().empty())
        throw InputError(where + ": cannot count features: " + errors.failure());
    if (declared > 0) out.features.reserve(static_cast<std::size_t>(declared));
    std::map<std::string, std::pair<std::int64_t, std::size_t>> recoded;  // field → first fid, n
    std::int64_t lastFid = -1;
    GeometryBatches batches(where, options.checkValidityIn.isKnown() && out.crs.isKnown() &&
                                       out.crs.isEquivalentTo(options.checkValidityIn));
    const auto take = [&](OGRFeature& f) {
        Feature feat;
        feat.fid = f.GetFID();
        feat.values.reserve(out.fields.size());
        for (int i = 0; i < defn->GetFieldCount(); ++i) {
            if (!f.IsFieldSetAndNotNull(i)) {
                feat.values.emplace_back();
                continue;
            }
            const auto& field = out.fields[static_cast<std::size_t>(i)];
            switch (field.type) {
                case FieldType::Integer:
                    feat.values.emplace_back(static_cast<std::int64_t>(f.GetFieldAsInteger64(i)));
                    break;
                case FieldType::Real:
                    feat.values.emplace_back(f.GetFieldAsDouble(i));
                    break;
                default: {
                    std::string text = f.GetFieldAsString(i);
                    if (!options.rawText && !isValidUtf8(text)) {
                        // Reports are UTF-8 (JSON refuses anything else): GBK is the
                        // usual culprit (a lying .cpg, GBK stored in a GeoPackage).
                        auto decoded = gbkToUtf8(text);
                        if (!decoded)
                            throw InputError(where + " feature " + std::to_string(feat.fid) +
                                             " field '" + field.name +
                                             "': text is neither UTF-8 nor GBK");
                        auto& r = recoded[field.name];
                        if (r.second++ == 0) r.first = feat.fid;
                        text = std::move(*decoded);
                    }
                    feat.values.emplace_back(std::move(text));
                }
            }
        }
        try {
            batches.add(std::move(feat), toWkb(f.GetGeometryRef()));
        } catch (const InputError& e) {
            throw InputError(where + " feature " + std::to_string(feat.fid) + ": " + e.what());
        }
        lastFid = feat.fid;
    };
    if (near) {
        // One R-tree query per box; a feature meeting several boxes is read once. Sorted
        // by fid afterwards: the same order as a whole read, whatever the boxes' order.
        std::unordered_set<GIntBig> seen;
        for (const Envelope& box : options.near) {
            layer->SetSpatialFilterRect(box.minx, box.miny, box.maxx, box.maxy);
            layer->ResetReading();
            while (OgrFeaturePtr f{layer->GetNextFeature()})
                if (seen.insert(f->GetFID()).second) take(*f);
            if (!errors.failure().empty()) break;
        }
        layer->SetSpatialFilter(nullptr);
        if (out.features.empty() && !options.filter.empty() && errors.failure().empty()) {
            // Nothing near: does the filter select anything anywhere? If not, this was a
            // whole read (and the plan deserves its "selects no feature" warning).
            layer->ResetReading();
            if (!OgrFeaturePtr{layer->GetNextFeature()}) out.fullExtent.reset();
        }
    } else {
        layer->ResetReading();
        while (OgrFeaturePtr f{layer->GetNextFeature()}) take(*f);
    }
    batches.finish(out.features);
    if (near)
        std::sort(out.features.begin(), out.features.end(),
                  [](const Feature& a, const Feature& b) { return a.fid < b.fid; });
    if (!errors.failure().empty())
        throw InputError(where + ": read error " +
                         (lastFid < 0 ? std::string("before the first feature")
                                      : "after feature " + std::to_string(lastFid)) +
                         ": " + errors.failure());
    if (declared >= 0 && static_cast<std::int64_t>(out.features.size()) != declared &&
        (driver == "GPKG" || driver == "SQLite")) {
        // GeoPackages cache their count (gpkg_ogr_contents); a writer that skipped GDAL's
        // triggers leaves it stale. Trust a fresh COUNT(*) that matches what was read.
        if (OGRLayer* count = ds->ExecuteSQL(
                ("SELECT COUNT(*) FROM " + sqlIdentifier(out.name)).c_str(), nullptr, nullptr)) {
            if (OgrFeaturePtr row{count->GetNextFeature()})
                if (row->GetFieldAsInteger64(0) == static_cast<GIntBig>(out.features.size()))
                    declared = -1;
            ds->ReleaseResultSet(count);
        }
        if (!errors.failure().empty())
            throw InputError(where + ": cannot count features: " + errors.failure());
    }
    if (declared >= 0 && static_cast<std::int64_t>(out.features.size()) != declared)
        throw InputError(where + ": read " + std::to_string(out.features.size()) +
                         " features but the file declares " + std::to_string(declared) +
                         "; the file is damaged");
    for (const auto& [name, r] : recoded)
        out.notes.push_back("field '" + name + "' of feature " + std::to_string(r.first) +
                            " was not UTF-8; decoded as GBK" +
                            (r.second > 1 ? " (" + std::to_string(r.second) + " values)" : ""));
    return out;
}

std::string driverForPath(const std::string& path) {
    const std::string ext = lower(fs::path(path).extension().string());
    if (ext == ".gpkg") return "GPKG";
    if (ext == ".shp") return "ESRI Shapefile";
    if (ext == ".geojson" || ext == ".json") return "GeoJSON";
    if (ext == ".fgb") return "FlatGeobuf";
    if (ext == ".csv") return "CSV";
    if (ext == ".sqlite") return "SQLite";
    throw InputError(
        path + ": cannot tell the format from the extension (use .gpkg, .shp, .geojson or .fgb)");
}

namespace {

// A real as the DBF will hold it: the shortest fixed-point text that reads back to the same
// double (what full precision means); "" for NaN and infinities, which a DBF cannot hold.
std::string exactFixed(double v) {
    if (!std::isfinite(v)) return "";
    char buf[400];
    const auto r = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::fixed);
    return r.ec == std::errc{} ? std::string(buf, r.ptr) : "";
}

// Shapefile fields sized from the data; names shortened to 10 bytes. Values a DBF cannot
// hold are refused here, naming the feature and the field, before anything is written.
std::vector<Field> shapefileFields(const VectorLayer& layer, const std::string& encoding,
                                   const std::string& path, WriteResult& result) {
    constexpr std::size_t kMaxWidth =
        254;  // one byte in the DBF header, 255 reserved by some readers
    std::vector<std::string> names;
    for (const auto& f : layer.fields) names.push_back(f.name);
    const auto mapping = shortenFieldNames(names, encoding);
    std::vector<Field> fields = layer.fields;
    for (std::size_t i = 0; i < fields.size(); ++i) {
        if (mapping[i].shortName != mapping[i].original) result.renamedFields.push_back(mapping[i]);
        fields[i].name = mapping[i].shortName;
        const auto refuse = [&](const Feature& feat, const std::string& why) {
            return InputError(path + ": feature " + std::to_string(feat.fid) + " field '" +
                              mapping[i].original + "': " + why);
        };
        const bool text = fields[i].type == FieldType::String || fields[i].type == FieldType::Date;
        std::size_t width = 1, integerDigits = 1, decimals = 1;
        for (const auto& feat : layer.features) {
            const Value& v = feat.values[i];
            if (isNull(v)) continue;
            if (const auto* s = std::get_if<std::string>(&v)) {
                if (!representable(*s, encoding))
                    throw refuse(
                        feat, "text cannot be written in " + encoding + " (use --encoding UTF-8)");
                const std::size_t bytes = encodedLength(*s, encoding);
                if (bytes > kMaxWidth)
                    throw refuse(feat, "text of " + std::to_string(bytes) +
                                           " bytes does not fit a shapefile (254 at most)");
                width = std::max(width, bytes);
            } else if (const auto* n = std::get_if<std::int64_t>(&v);
                       n && !text && fields[i].type != FieldType::Real) {
                width = std::max(width, std::to_string(*n).size());
            } else if (!text) {
                const double d = n ? static_cast<double>(*n) : toNumber(v).value_or(0.0);
                const std::string fixed = exactFixed(d);
                if (fixed.empty()) throw refuse(feat, "a shapefile cannot hold " + toString(v));
                const auto dot = fixed.find('.');
                integerDigits =
                    std::max(integerDigits, dot == std::string::npos ? fixed.size() : dot);
                if (dot != std::string::npos) decimals = std::max(decimals, fixed.size() - dot - 1);
                if (integerDigits + 1 + decimals > kMaxWidth)
                    throw refuse(
                        feat, toString(v) +
                                  " needs more than 254 digits at full precision in a shapefile");
            }
        }
        if (text) {
            fields[i].width = static_cast<int>(width);
        } else if (fields[i].type == FieldType::Integer) {
            fields[i].width = static_cast<int>(std::clamp<std::size_t>(width + 1, 10, 20));
        } else {
            // Every real written in full: the widest integer part and the longest exact
            // decimals in the data (at least one, so the field reads back as a real).
            fields[i].width = static_cast<int>(integerDigits + 1 + decimals);
            fields[i].precision = static_cast<int>(decimals);
        }
    }
    return fields;
}

void writeOne(GDALDataset& ds, const VectorLayer& layer, const std::string& path,
              const std::vector<std::string>& layerOptions, const std::vector<Field>& fields) {
    OGRSpatialReference srs;
    OGRSpatialReference* srsPtr = nullptr;
    if (layer.crs.isKnown()) {
        const auto code = layer.crs.epsg();
        const bool ok = code ? srs.importFromEPSG(*code) == OGRERR_NONE
                             : srs.importFromWkt(layer.crs.wkt().c_str()) == OGRERR_NONE;
        if (ok) {
            srs.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
            srsPtr = &srs;
        }
    }
    std::vector<const char*> lco;
    for (const auto& o : layerOptions) lco.push_back(o.c_str());
    lco.push_back(nullptr);
    const OGRwkbGeometryType gtype = ogrType(layer.geometryType);
    OGRLayer* out =
        ds.CreateLayer(layer.name.c_str(), srsPtr, gtype, const_cast<char**>(lco.data()));
    if (!out)
        throw InputError(path + ": cannot create layer '" + layer.name +
                         "': " + gdalError("driver refused"));
    for (const auto& f : fields) {
        OGRFieldDefn fd(f.name.c_str(), ogrFieldType(f.type));
        if (f.width > 0) fd.SetWidth(f.width);
        if (f.type == FieldType::Real && f.precision > 0) fd.SetPrecision(f.precision);
        if (out->CreateField(&fd) != OGRERR_NONE)
            throw InputError(path + ": layer '" + layer.name + "': cannot create field '" + f.name +
                             "': " + gdalError("driver refused"));
    }
    const bool transaction = out->StartTransaction() == OGRERR_NONE;
    for (const auto& feat : layer.features) {
        OgrFeaturePtr f(OGRFeature::CreateFeature(out->GetLayerDefn()));
        for (std::size_t i = 0; i < layer.fields.size(); ++i) {
            const auto idx = static_cast<int>(i);
            const Value& v = feat.values[i];
            if (isNull(v))
                f->SetFieldNull(idx);
            else if (const auto* n = std::get_if<std::int64_t>(&v))
                f->SetField(idx, static_cast<GIntBig>(*n));
            else if (const auto* d = std::get_if<double>(&v))
                f->SetField(idx, *d);
            else
                f->SetField(idx, std::get<std::string>(v).c_str());
        }
        if (!feat.geometry.isEmpty()) {
            const auto wkb = feat.geometry.wkb();
            OGRGeometry* g = nullptr;
            // A geometry OGR cannot take is an error, never a feature written without one.
            if (OGRGeometryFactory::createFromWkb(wkb.data(), srsPtr, &g, wkb.size()) !=
                    OGRERR_NONE ||
                !g) {
                delete g;
                throw InputError(
                    path + ": layer '" + layer.name + "' feature " + std::to_string(feat.fid) +
                    ": its " + feat.geometry.typeName() +
                    " geometry cannot be converted for writing: " + gdalError("invalid WKB"));
            }
            if (OGR_GT_IsSubClassOf(gtype, wkbGeometryCollection) &&
                !OGR_GT_IsSubClassOf(g->getGeometryType(), wkbGeometryCollection)) {
                g = OGRGeometryFactory::forceTo(g, gtype);
            }
            f->SetGeometryDirectly(g);
        }
        if (feat.fid >= 0 && ds.GetDriver() &&
            std::string(ds.GetDriver()->GetDescription()) == "GPKG")
            f->SetFID(feat.fid);
        if (out->CreateFeature(f.get()) != OGRERR_NONE)
            throw InputError(path + ": layer '" + layer.name + "' feature " +
                             std::to_string(feat.fid) +
                             ": cannot write: " + gdalError("driver refused"));
    }
    if (transaction && out->CommitTransaction() != OGRERR_NONE)
        throw InputError(path + ": layer '" + layer.name +
                         "': cannot commit: " + gdalError("driver refused"));
}

}  // namespace

WriteResult writeLayers(const std::string& path, const std::vector<const VectorLayer*>& layers,
                        const WriteOptions& options) {
    WriteResult result;
    detail::initGdal();
    const std::string driverName = options.format.empty() ? driverForPath(path) : options.format;
    GDALDriver* driver = GetGDALDriverManager()->GetDriverByName(driverName.c_str());
    if (!driver) throw InputError(path + ": GDAL has no driver '" + driverName + "'");
    const bool shapefile = driverName == "ESRI Shapefile";
    if (layers.size() > 1 && driverName != "GPKG" && driverName != "SQLite")
        throw InputError(path + ": " + driverName + " holds one layer per file");

    // Staged beside the file written (through a symbolic link: beside the file it names),
    // then moved into place as a whole file set: a failure leaves nothing behind.
    OutputFiles files({});
    const std::string staged = files.stage(path);
    files.writeAndCommit([&] {
        std::error_code ec;
        if (options.append && fs::exists(path, ec)) {
            fs::copy_file(path, staged, ec);
            if (ec) throw InputError(path + ": cannot copy it to append: " + ec.message());
        }
        GdalDatasetPtr ds;
        if (options.append && fs::exists(staged, ec)) {
            ds.reset(GDALDataset::Open(staged.c_str(), GDAL_OF_VECTOR | GDAL_OF_UPDATE));
        } else {
            ds.reset(driver->Create(staged.c_str(), 0, 0, 0, GDT_Unknown, nullptr));
        }
        if (!ds) throw InputError(path + ": cannot create: " + gdalError("driver refused"));
        std::vector<std::string> lco;
        const std::string encoding =
            options.encoding.empty() ? std::string("UTF-8") : options.encoding;
        if (shapefile)
            lco.push_back(std::string("ENCODING=") + (encoding == "UTF-8" ? "UTF-8" : "CP936"));
        if (driverName == "GPKG") lco.push_back("SPATIAL_INDEX=YES");
        for (const auto* layer : layers) {
            const auto fields =
                shapefile ? shapefileFields(*layer, encoding, path, result) : layer->fields;
            writeOne(*ds, *layer, path, lco, fields);
        }
        ds.reset();  // flush and close before moving
        if (shapefile && encoding != "UTF-8") {
            // ArcGIS reads the code page number; GDAL wrote its own name ("CP936").
            for (const auto& entry : fs::directory_iterator(fs::path(staged).parent_path(), ec))
                if (lower(entry.path().extension().string()) == ".cpg")
                    std::ofstream(entry.path(), std::ios::trunc) << "936";
        }
    });
    return result;
}

std::string gdalVersion() { return GDALVersionInfo("RELEASE_NAME"); }
std::string geosVersion() { return GEOSversion(); }
std::string projVersion() { return proj_info().version; }

}  // namespace onemap::gis
