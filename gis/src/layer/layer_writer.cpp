#include "onemap/gis/layer/layer_writer.hpp"

#include <gdal_priv.h>
#include <ogrsf_frmts.h>

#include <filesystem>
#include <fstream>

#include "base/handles.hpp"
#include "layer/ogr_types.hpp"
#include "layer/shapefile/shapefile_dbf.hpp"
#include "onemap/gis/base/ascii.hpp"
#include "onemap/gis/base/error.hpp"
#include "onemap/gis/layer/output_files.hpp"

namespace onemap::gis {
namespace fs = std::filesystem;
namespace {

using detail::GdalDatasetPtr;
using detail::gdalError;
using detail::OgrFeaturePtr;

// The layer's CRS for OGR in `srs` (lon/lat as x/y); null when it has none OGR takes.
OGRSpatialReference* ogrSrs(const Crs& crs, OGRSpatialReference& srs) {
    if (!crs.isKnown()) return nullptr;
    const auto code = crs.epsg();
    const bool ok = code ? srs.importFromEPSG(*code) == OGRERR_NONE
                         : srs.importFromWkt(crs.wkt().c_str()) == OGRERR_NONE;
    if (!ok) return nullptr;
    srs.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
    return &srs;
}

// The layer in the dataset, with its fields.
OGRLayer& createLayer(GDALDataset& ds, const VectorLayer& layer, const std::string& path,
                      OGRSpatialReference* srs, OGRwkbGeometryType gtype,
                      const std::vector<std::string>& layerOptions,
                      const std::vector<Field>& fields) {
    std::vector<const char*> lco;
    for (const auto& o : layerOptions) lco.push_back(o.c_str());
    lco.push_back(nullptr);
    OGRLayer* out = ds.CreateLayer(layer.name.c_str(), srs, gtype, const_cast<char**>(lco.data()));
    if (!out)
        throw InputError(path + ": cannot create layer '" + layer.name +
                         "': " + gdalError("driver refused"));
    for (const auto& f : fields) {
        OGRFieldDefn fd(f.name.c_str(), detail::ogrFieldType(f.type));
        if (f.width > 0) fd.SetWidth(f.width);
        if (f.type == FieldType::Real && f.precision > 0) fd.SetPrecision(f.precision);
        if (out->CreateField(&fd) != OGRERR_NONE)
            throw InputError(path + ": layer '" + layer.name + "': cannot create field '" + f.name +
                             "': " + gdalError("driver refused"));
    }
    return *out;
}

// The feature's geometry for OGR, made a collection when the layer's type is one. A geometry
// OGR cannot take is an error, never a feature written without one.
OGRGeometry* ogrGeometry(const Feature& feat, const VectorLayer& layer, const std::string& path,
                         OGRSpatialReference* srs, OGRwkbGeometryType gtype) {
    const auto wkb = feat.geometry.wkb();
    OGRGeometry* g = nullptr;
    if (OGRGeometryFactory::createFromWkb(wkb.data(), srs, &g, wkb.size()) != OGRERR_NONE || !g) {
        delete g;
        throw InputError(path + ": layer '" + layer.name + "' feature " + std::to_string(feat.fid) +
                         ": its " + feat.geometry.typeName() +
                         " geometry cannot be converted for writing: " + gdalError("invalid WKB"));
    }
    if (OGR_GT_IsSubClassOf(gtype, wkbGeometryCollection) &&
        !OGR_GT_IsSubClassOf(g->getGeometryType(), wkbGeometryCollection)) {
        g = OGRGeometryFactory::forceTo(g, gtype);
    }
    return g;
}

void setValues(OGRFeature& f, const Feature& feat, std::size_t fieldCount) {
    for (std::size_t i = 0; i < fieldCount; ++i) {
        const auto idx = static_cast<int>(i);
        const Value& v = feat.values[i];
        if (isNull(v))
            f.SetFieldNull(idx);
        else if (const auto* n = std::get_if<std::int64_t>(&v))
            f.SetField(idx, static_cast<GIntBig>(*n));
        else if (const auto* d = std::get_if<double>(&v))
            f.SetField(idx, *d);
        else
            f.SetField(idx, std::get<std::string>(v).c_str());
    }
}

// One layer into the open dataset, its features in one transaction where the driver has them.
void writeOne(GDALDataset& ds, const VectorLayer& layer, const std::string& path,
              const std::vector<std::string>& layerOptions, const std::vector<Field>& fields) {
    OGRSpatialReference srs;
    OGRSpatialReference* srsPtr = ogrSrs(layer.crs, srs);
    const OGRwkbGeometryType gtype = detail::ogrType(layer.geometryType);
    OGRLayer& out = createLayer(ds, layer, path, srsPtr, gtype, layerOptions, fields);
    const bool keepFids = ds.GetDriver() && std::string(ds.GetDriver()->GetDescription()) == "GPKG";
    const bool transaction = out.StartTransaction() == OGRERR_NONE;
    for (const auto& feat : layer.features) {
        OgrFeaturePtr f(OGRFeature::CreateFeature(out.GetLayerDefn()));
        setValues(*f, feat, layer.fields.size());
        if (!feat.geometry.isEmpty())
            f->SetGeometryDirectly(ogrGeometry(feat, layer, path, srsPtr, gtype));
        if (feat.fid >= 0 && keepFids) f->SetFID(feat.fid);
        if (out.CreateFeature(f.get()) != OGRERR_NONE)
            throw InputError(path + ": layer '" + layer.name + "' feature " +
                             std::to_string(feat.fid) +
                             ": cannot write: " + gdalError("driver refused"));
    }
    if (transaction && out.CommitTransaction() != OGRERR_NONE)
        throw InputError(path + ": layer '" + layer.name +
                         "': cannot commit: " + gdalError("driver refused"));
}

// The staged file opened for writing: a copy of the existing file to append to, or new.
GdalDatasetPtr openStaged(GDALDriver& driver, const std::string& path, const std::string& staged,
                          bool append) {
    std::error_code ec;
    if (append && fs::exists(path, ec)) {
        fs::copy_file(path, staged, ec);
        if (ec) throw InputError(path + ": cannot copy it to append: " + ec.message());
    }
    GdalDatasetPtr ds;
    if (append && fs::exists(staged, ec)) {
        ds.reset(GDALDataset::Open(staged.c_str(), GDAL_OF_VECTOR | GDAL_OF_UPDATE));
    } else {
        ds.reset(driver.Create(staged.c_str(), 0, 0, 0, GDT_Unknown, nullptr));
    }
    if (!ds) throw InputError(path + ": cannot create: " + gdalError("driver refused"));
    return ds;
}

}  // namespace

std::string driverForPath(const std::string& path) {
    const std::string ext = lowerExtension(path);
    if (ext == ".gpkg") return "GPKG";
    if (ext == ".shp") return "ESRI Shapefile";
    if (ext == ".geojson" || ext == ".json") return "GeoJSON";
    if (ext == ".fgb") return "FlatGeobuf";
    if (ext == ".csv") return "CSV";
    if (ext == ".sqlite") return "SQLite";
    throw InputError(
        path + ": cannot tell the format from the extension (use .gpkg, .shp, .geojson or .fgb)");
}

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
        GdalDatasetPtr ds = openStaged(*driver, path, staged, options.append);
        std::vector<std::string> lco;
        const std::string encoding =
            options.encoding.empty() ? std::string("UTF-8") : options.encoding;
        if (shapefile)
            lco.push_back(std::string("ENCODING=") + (encoding == "UTF-8" ? "UTF-8" : "CP936"));
        if (driverName == "GPKG") lco.push_back("SPATIAL_INDEX=YES");
        for (const auto* layer : layers) {
            const auto fields =
                shapefile ? detail::shapefileFields(*layer, encoding, path, result) : layer->fields;
            writeOne(*ds, *layer, path, lco, fields);
        }
        ds.reset();  // flush and close before moving
        if (shapefile && encoding != "UTF-8") {
            // ArcGIS reads the code page number; GDAL wrote its own name ("CP936").
            std::error_code ec;
            for (const auto& entry : fs::directory_iterator(fs::path(staged).parent_path(), ec))
                if (lowerExtension(entry.path().string()) == ".cpg")
                    std::ofstream(entry.path(), std::ios::trunc) << "936";
        }
    });
    return result;
}

}  // namespace onemap::gis
