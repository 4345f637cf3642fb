#pragma once
// An independent reader for the tiles our encoder writes: GDAL's MVT driver on one tile in
// /vsimem/ (open options X, Y, Z; CLIP=NO so the buffer is kept). Geometries come back in
// EPSG:3857, measured and checked with OGR (GEOS inside), never with our own code.
#include <cpl_vsi.h>
#include <gdal_priv.h>
#include <ogrsf_frmts.h>

#include <atomic>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace onemap::test {

struct DecodedFeature {
    std::int64_t id = -1;
    std::string type;  ///< OGR geometry type name ("POLYGON", "MULTIPOLYGON", "LINESTRING", ...)
    double area = 0;
    double length = 0;
    bool valid = false;
    std::string wkt;
    std::map<std::string, std::string> attributes;  ///< as OGR gives them as text
    std::map<std::string, OGRFieldType> fieldTypes;
    std::shared_ptr<OGRGeometry> geometry;
};

struct DecodedLayer {
    std::string name;
    std::vector<DecodedFeature> features;
    [[nodiscard]] const DecodedFeature* find(std::int64_t id) const {
        for (const auto& f : features)
            if (f.id == id) return &f;
        return nullptr;
    }
};

/// Every layer of the tile z/x/y as GDAL reads it.
inline std::vector<DecodedLayer> decodeTile(const std::string& bytes, int z, int x, int y) {
    GDALAllRegister();
    static std::atomic<int> serial{0};
    const std::string path = "/vsimem/onemap_tile_" + std::to_string(serial++) + ".pbf";
    VSILFILE* f = VSIFileFromMemBuffer(path.c_str(),
                                       reinterpret_cast<GByte*>(const_cast<char*>(bytes.data())),
                                       static_cast<vsi_l_offset>(bytes.size()), FALSE);
    VSIFCloseL(f);
    const std::string xs = "X=" + std::to_string(x), ys = "Y=" + std::to_string(y),
                      zs = "Z=" + std::to_string(z);
    const char* options[] = {xs.c_str(), ys.c_str(), zs.c_str(), "CLIP=NO", nullptr};
    std::vector<DecodedLayer> out;
    std::unique_ptr<GDALDataset> ds(
        GDALDataset::Open(("MVT:" + path).c_str(), GDAL_OF_VECTOR, nullptr, options, nullptr));
    if (ds) {
        for (OGRLayer* layer : ds->GetLayers()) {
            DecodedLayer dl{layer->GetName(), {}};
            for (auto& feature : *layer) {
                DecodedFeature df;
                const int idField = feature->GetFieldIndex("mvt_id");
                df.id = idField >= 0 ? feature->GetFieldAsInteger64(idField) : feature->GetFID();
                for (int i = 0; i < feature->GetFieldCount(); ++i) {
                    const OGRFieldDefn* defn = feature->GetFieldDefnRef(i);
                    if (!feature->IsFieldSetAndNotNull(i) ||
                        std::string(defn->GetNameRef()) == "mvt_id")
                        continue;
                    df.attributes[defn->GetNameRef()] = feature->GetFieldAsString(i);
                    df.fieldTypes[defn->GetNameRef()] = defn->GetType();
                }
                if (const OGRGeometry* g = feature->GetGeometryRef()) {
                    df.geometry.reset(g->clone());
                    df.type = g->getGeometryName();
                    df.valid = g->IsValid();
                    char* wkt = nullptr;
                    g->exportToWkt(&wkt);
                    df.wkt = wkt ? wkt : "";
                    CPLFree(wkt);
                    const auto flat = wkbFlatten(g->getGeometryType());
                    if (flat == wkbPolygon) df.area = g->toPolygon()->get_Area();
                    if (flat == wkbMultiPolygon) df.area = g->toMultiPolygon()->get_Area();
                    if (flat == wkbLineString) df.length = g->toLineString()->get_Length();
                    if (flat == wkbMultiLineString)
                        df.length = g->toMultiLineString()->get_Length();
                }
                dl.features.push_back(std::move(df));
            }
            out.push_back(std::move(dl));
        }
    }
    ds.reset();
    VSIUnlink(path.c_str());
    return out;
}

}  // namespace onemap::test
