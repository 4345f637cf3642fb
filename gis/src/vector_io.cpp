#include "onemap/gis/vector_io.hpp"

#include <gdal_priv.h>
#include <geos_c.h>
#include <ogrsf_frmts.h>
#include <proj.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>

#include "handles.hpp"
#include "onemap/gis/atomic_file.hpp"
#include "onemap/gis/error.hpp"

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

GdalDatasetPtr openVector(const std::string& source,
                          const std::vector<std::string>& openOptions = {}) {
    detail::initGdal();
    std::vector<const char*> opts;
    for (const auto& o : openOptions) opts.push_back(o.c_str());
    opts.push_back(nullptr);
    GDALDataset* ds = GDALDataset::Open(source.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY, nullptr,
                                        opts.data(), nullptr);
    if (!ds) {
        const bool looksLikeFile = source.rfind("PG:", 0) != 0;
        if (looksLikeFile && !fs::exists(source)) throw InputError(source + ": no such file");
        throw InputError(source + ": cannot open as vector data: " + gdalError("unknown format"));
    }
    return GdalDatasetPtr(ds);
}

Crs crsOf(const OGRSpatialReference* srs) {
    if (!srs) return {};
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

Geometry toGeometry(OGRGeometry* g) {
    if (!g || g->IsEmpty()) return {};
    OGRGeometry* linear = nullptr;
    detail::OgrGeometryPtr owner;
    if (g->hasCurveGeometry()) {
        linear = g->getLinearGeometry();
        owner.reset(linear);
        g = linear;
    }
    g->flattenTo2D();
    std::vector<unsigned char> wkb(static_cast<std::size_t>(g->WkbSize()));
    g->exportToWkb(wkbNDR, wkb.data(), wkbVariantIso);
    return Geometry::fromWkb(wkb.data(), wkb.size());
}

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
        {"geometrycollection", wkbGeometryCollection}};
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

std::vector<std::string> listLayers(const std::string& source) {
    auto ds = openVector(source);
    std::vector<std::string> out;
    for (auto* layer : ds->GetLayers()) out.emplace_back(layer->GetName());
    return out;
}

VectorLayer readLayer(const std::string& source, const ReadOptions& options) {
    std::vector<std::string> openOptions;
    EncodingGuess guess;
    if (options.rawText) {
        openOptions.push_back("ENCODING=");
    } else if (!options.encoding.empty()) {
        openOptions.push_back("ENCODING=" + options.encoding);
    } else if (lower(fs::path(source).extension().string()) == ".shp" &&
               !fs::exists(fs::path(source).replace_extension(".cpg")) &&
               !fs::exists(fs::path(source).replace_extension(".CPG"))) {
        // No .cpg: GDAL would assume Latin-1 and garble Chinese. Look at the data instead.
        guess = detectShapefileEncoding(source);
        if (!guess.encoding.empty()) openOptions.push_back("ENCODING=" + guess.encoding);
    }
    auto ds = openVector(source, openOptions);
    OGRLayer* layer = nullptr;
    if (!options.table.empty()) {
        layer = ds->GetLayerByName(options.table.c_str());
        if (!layer) throw InputError(source + ": has no layer '" + options.table + "'");
    } else {
        if (ds->GetLayerCount() == 0) throw InputError(source + ": holds no vector layer");
        layer = ds->GetLayer(0);
    }
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
    OGRFeatureDefn* defn = layer->GetLayerDefn();
    for (int i = 0; i < defn->GetFieldCount(); ++i) {
        const OGRFieldDefn* fd = defn->GetFieldDefn(i);
        out.fields.push_back(
            {fd->GetNameRef(), fieldType(fd->GetType()), fd->GetWidth(), fd->GetPrecision()});
    }
    const auto total = layer->GetFeatureCount(FALSE);
    if (total > 0) out.features.reserve(static_cast<std::size_t>(total));
    layer->ResetReading();
    while (OgrFeaturePtr f{layer->GetNextFeature()}) {
        Feature feat;
        feat.fid = f->GetFID();
        feat.values.reserve(out.fields.size());
        for (int i = 0; i < defn->GetFieldCount(); ++i) {
            if (!f->IsFieldSetAndNotNull(i)) {
                feat.values.emplace_back();
                continue;
            }
            switch (out.fields[static_cast<std::size_t>(i)].type) {
                case FieldType::Integer:
                    feat.values.emplace_back(static_cast<std::int64_t>(f->GetFieldAsInteger64(i)));
                    break;
                case FieldType::Real:
                    feat.values.emplace_back(f->GetFieldAsDouble(i));
                    break;
                default:
                    feat.values.emplace_back(std::string(f->GetFieldAsString(i)));
            }
        }
        try {
            feat.geometry = toGeometry(f->GetGeometryRef());
        } catch (const InputError& e) {
            throw InputError(source + ": layer '" + out.name + "' feature " +
                             std::to_string(feat.fid) + ": " + e.what());
        }
        out.features.push_back(std::move(feat));
    }
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
            OGRGeometryFactory::createFromWkb(wkb.data(), srsPtr, &g, wkb.size());
            if (g && OGR_GT_IsSubClassOf(gtype, wkbGeometryCollection) &&
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

    // Write beside the target, then move into place: a failure leaves nothing behind.
    const fs::path target(path);
    const std::string tmpDir = temporarySibling(path);
    fs::create_directories(tmpDir);
    const fs::path tmpFile = fs::path(tmpDir) / target.filename();
    try {
        if (options.append && fs::exists(target)) fs::copy_file(target, tmpFile);
        GdalDatasetPtr ds;
        if (options.append && fs::exists(tmpFile)) {
            ds.reset(GDALDataset::Open(tmpFile.c_str(), GDAL_OF_VECTOR | GDAL_OF_UPDATE));
        } else {
            ds.reset(driver->Create(tmpFile.c_str(), 0, 0, 0, GDT_Unknown, nullptr));
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
            for (const auto& entry : fs::directory_iterator(tmpDir))
                if (lower(entry.path().extension().string()) == ".cpg")
                    std::ofstream(entry.path(), std::ios::trunc) << "936";
        }
        for (const auto& entry : fs::directory_iterator(tmpDir)) {
            fs::rename(entry.path(), target.parent_path() / entry.path().filename());
        }
        fs::remove_all(tmpDir);
        return result;
    } catch (...) {
        std::error_code ec;
        fs::remove_all(tmpDir, ec);
        throw;
    }
}

std::string gdalVersion() { return GDALVersionInfo("RELEASE_NAME"); }
std::string geosVersion() { return GEOSversion(); }
std::string projVersion() { return proj_info().version; }

}  // namespace onemap::gis
