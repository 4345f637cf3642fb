// Data in and out: exports read back with nothing lost, Chinese encodings and field names,
// ESRI .prj recognition, coordinate diagnosis, web-map offsets and validate.
#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <limits>
#include <sstream>

#include "../test_support.hpp"
#include "onemap/cli/run.hpp"
#include "onemap/core/check/compliance_engine.hpp"
#include "onemap/core/check/one_map.hpp"
#include "onemap/gis/crs/crs_diagnosis.hpp"
#include "onemap/gis/crs/web_offset.hpp"
#include "onemap/gis/layer/layer_reader.hpp"
#include "onemap/gis/layer/layer_writer.hpp"
#include "onemap/gis/layer/shapefile.hpp"

using namespace onemap;
namespace fs = std::filesystem;

namespace {

using test::runCli;
auto onemapRun = runCli;

fs::path scratch(const std::string& name) { return test::scratch("io-" + name); }

const std::string kLongCn = "永久基本农田面积";  // 8 characters, 24 bytes in UTF-8, 16 in GBK

// A layer with what loses data in careless exports.
gis::VectorLayer tricky() {
    gis::VectorLayer l;
    l.name = "tricky";
    l.crs = gis::Crs::fromEpsg(4549);
    l.geometryType = "MultiPolygon";
    l.fields = {{"名称", gis::FieldType::String},
                {kLongCn, gis::FieldType::Real},
                {"investment_total_yuan", gis::FieldType::Integer},
                {"investment_total_mu", gis::FieldType::Real},
                {"ratio", gis::FieldType::Real}};
    gis::Feature a;
    a.fid = 1;
    // 1/3 needs all 17 significant digits; 3.5e-7 sits past a 15-decimal field.
    a.values = {std::string("松江区G60人工智能产业园"), 1234.5678901234, std::int64_t{12345678901},
                0.1, 1.0 / 3.0};
    a.geometry = gis::Geometry::fromWkt(
        "MULTIPOLYGON(((500000 3400000,500100 3400000,500100 3400100,500000 3400100,500000 "
        "3400000),"
        "(500010 3400010,500020 3400010,500020 3400020,500010 3400020,500010 3400010)),"
        "((500200 3400000,500300 3400000,500300 3400100,500200 3400000)))");
    gis::Feature b;
    b.fid = 2;
    b.values = {gis::Value{}, gis::Value{}, gis::Value{}, gis::Value{}, -3.5e-7};
    b.geometry = gis::Geometry::fromWkt(
        "MULTIPOLYGON(((501000 3400000,501100 3400000,501100 3400100,501000 3400000)))");
    l.features = {a, b};
    return l;
}

fs::path trickyPlan(const fs::path& dir, const gis::VectorLayer& layer) {
    gis::writeLayer((dir / "src.gpkg").string(), layer);
    std::ofstream(dir / "plan.toml")
        << "name = \"t\"\ncrs = \"EPSG:4549\"\n[[layers]]\nid = \"tricky\"\ntitle = \"测试\"\n"
           "source = \"src.gpkg\"\n";
    return dir / "plan.toml";
}

std::map<std::string, std::string> fieldMapping(const fs::path& csv) {
    std::map<std::string, std::string> m;
    std::ifstream in(csv);
    std::string line;
    std::getline(in, line);
    while (std::getline(in, line)) {
        const auto comma = line.find("\",\"");
        m[line.substr(1, comma - 1)] = line.substr(comma + 3, line.size() - comma - 4);
    }
    return m;
}

void checkSame(const gis::VectorLayer& in, gis::VectorLayer out,
               const std::map<std::string, std::string>& names) {
    REQUIRE(out.features.size() == in.features.size());
    if (gis::isNull(out.features[0].values[0])) std::swap(out.features[0], out.features[1]);
    CHECK(out.crs.epsg() == 4549);
    for (std::size_t f = 0; f < in.fields.size(); ++f) {
        const auto it = names.find(in.fields[f].name);
        const std::string name = it == names.end() ? in.fields[f].name : it->second;
        INFO(in.fields[f].name << " → " << name);
        const auto idx = out.fieldIndex(name);
        REQUIRE(idx);
        for (std::size_t i = 0; i < in.features.size(); ++i) {
            const auto& want = in.features[i].values[f];
            const auto& got = out.features[i].values[*idx];
            if (gis::isNull(want))
                CHECK(gis::isNull(got));
            else if (std::holds_alternative<std::string>(want))
                CHECK(gis::toString(got) == gis::toString(want));
            else
                CHECK(*gis::toNumber(got) == *gis::toNumber(want));
        }
    }
    for (std::size_t i = 0; i < in.features.size(); ++i) {
        CHECK(out.features[i].geometry.area() ==
              Approx(in.features[i].geometry.area()).epsilon(1e-12));
        CHECK(out.features[i].geometry.numParts() == in.features[i].geometry.numParts());
    }
}

}  // namespace

TEST_CASE("DBF field names: 10 bytes, whole characters, unique", "[io][shapefile]") {
    // Hand-worked: 3 Chinese characters make 9 UTF-8 bytes, 5 make 10 GBK bytes.
    auto utf8 = gis::shortenFieldNames(
        {kLongCn, "investment_total_yuan", "investment_total_mu", "id"}, "UTF-8");
    CHECK(utf8[0].shortName == "永久基");
    CHECK(utf8[1].shortName == "investment");
    CHECK(utf8[2].shortName == "investme_2");
    CHECK(utf8[3].shortName == "id");
    auto gbk = gis::shortenFieldNames({kLongCn}, "GBK");
    CHECK(gbk[0].shortName == "永久基本农");
    CHECK(gis::encodedLength("永久基本农", "GBK") == 10);
}

TEST_CASE("Export round trips: every format and both shapefile encodings", "[io][export]") {
    const auto dir = scratch("roundtrip");
    const auto layer = tricky();
    const auto plan = trickyPlan(dir, layer).string();
    struct Case {
        std::string file, encoding;
    };
    for (const Case& c : {Case{"out.gpkg", ""}, Case{"out.geojson", ""}, Case{"out.fgb", ""},
                          Case{"utf8.shp", "UTF-8"}, Case{"gbk.shp", "GBK"}}) {
        INFO(c.file);
        std::vector<std::string> args{"export", plan, "--layer",
                                      "tricky", "-o", (dir / c.file).string()};
        if (!c.encoding.empty()) args.insert(args.end(), {"--encoding", c.encoding});
        const auto r = onemapRun(args);
        REQUIRE(r.code == 0);
        std::map<std::string, std::string> names;
        if (fs::path(c.file).extension() == ".shp") {
            const auto csv = (dir / c.file).replace_extension(".fields.csv");
            REQUIRE(fs::exists(csv));
            CHECK(r.err.find("shortened") != std::string::npos);
            names = fieldMapping(csv);
            CHECK(names.at("investment_total_yuan") != names.at("investment_total_mu"));
            std::ifstream cpg((dir / c.file).replace_extension(".cpg"));
            std::string cp;
            std::getline(cpg, cp);
            CHECK(cp == (c.encoding == "GBK" ? "936" : "UTF-8"));
            std::ifstream prj((dir / c.file).replace_extension(".prj"));
            std::string esri;
            std::getline(prj, esri);
            CHECK(esri.find("CGCS2000_3_Degree_GK_CM_120E") != std::string::npos);
            // Widths from the data, worked by hand: "1234.5678901234" = 4 + 1 + 10 decimals;
            // "0.3333333333333333" (shortest exact) and "-0.00000035" → 2 + 1 + 16.
            const auto back = gis::readLayer((dir / c.file).string());
            const auto& big = back.fields.at(*back.fieldIndex(names.at(kLongCn)));
            CHECK(big.width == 15);
            CHECK(big.precision == 10);
            const auto& ratio = back.fields.at(*back.fieldIndex("ratio"));
            CHECK(ratio.width == 19);
            CHECK(ratio.precision == 16);
        }
        checkSame(layer, gis::readLayer((dir / c.file).string()), names);
    }
}

TEST_CASE("GBK shapefiles without .cpg are read as GBK", "[io][encoding]") {
    const auto dir = scratch("gbk");
    const auto layer = tricky();
    gis::WriteOptions o;
    o.encoding = "GBK";
    const auto result = gis::writeLayer((dir / "g.shp").string(), layer, o);
    fs::remove(dir / "g.cpg");
    auto back = gis::readLayer((dir / "g.shp").string());
    CHECK(back.encoding == "CP936");
    CHECK(gis::toString(back.features[0].values[0]) == "松江区G60人工智能产业园");
    // Without the language-driver byte either: told from the bytes themselves.
    {
        std::fstream dbf(dir / "g.dbf", std::ios::in | std::ios::out | std::ios::binary);
        dbf.seekp(29);
        dbf.put(0);
    }
    back = gis::readLayer((dir / "g.shp").string());
    CHECK(back.encoding == "CP936");
    REQUIRE_FALSE(back.notes.empty());
    CHECK(back.notes[0].find("not valid UTF-8") != std::string::npos);
    CHECK(gis::toString(back.features[0].values[0]) == "松江区G60人工智能产业园");
    // And a UTF-8 one without .cpg stays UTF-8.
    gis::writeLayer((dir / "u.shp").string(), layer);
    fs::remove(dir / "u.cpg");
    {
        std::fstream dbf(dir / "u.dbf", std::ios::in | std::ios::out | std::ios::binary);
        dbf.seekp(29);
        dbf.put(0);
    }
    back = gis::readLayer((dir / "u.shp").string());
    CHECK(back.encoding == "UTF-8");
    CHECK(gis::toString(back.features[0].values[0]) == "松江区G60人工智能产业园");
}

TEST_CASE("ArcGIS .prj files for CGCS2000 Gauss-Kruger are recognised", "[io][crs]") {
    const auto dir = scratch("prj");
    gis::writeLayer((dir / "a.shp").string(), tricky());
    // The text ArcGIS writes for these CRSs.
    std::ofstream(dir / "a.prj", std::ios::trunc)
        << "PROJCS[\"CGCS2000_3_Degree_GK_CM_120E\",GEOGCS[\"GCS_China_Geodetic_Coordinate_System_"
           "2000\","
           "DATUM[\"D_China_2000\",SPHEROID[\"CGCS2000\",6378137.0,298.257222101]],PRIMEM["
           "\"Greenwich\",0.0],"
           "UNIT[\"Degree\",0.0174532925199433]],PROJECTION[\"Gauss_Kruger\"],PARAMETER[\"False_"
           "Easting\",500000.0],"
           "PARAMETER[\"False_Northing\",0.0],PARAMETER[\"Central_Meridian\",120.0],PARAMETER["
           "\"Scale_Factor\",1.0],"
           "PARAMETER[\"Latitude_Of_Origin\",0.0],UNIT[\"Meter\",1.0]]";
    CHECK(gis::readLayer((dir / "a.shp").string()).crs.epsg() == 4549);
    std::ofstream(dir / "a.prj", std::ios::trunc)
        << "PROJCS[\"CGCS2000_3_Degree_GK_Zone_40\",GEOGCS[\"GCS_China_Geodetic_Coordinate_System_"
           "2000\","
           "DATUM[\"D_China_2000\",SPHEROID[\"CGCS2000\",6378137.0,298.257222101]],PRIMEM["
           "\"Greenwich\",0.0],"
           "UNIT[\"Degree\",0.0174532925199433]],PROJECTION[\"Gauss_Kruger\"],PARAMETER[\"False_"
           "Easting\",40500000.0],"
           "PARAMETER[\"False_Northing\",0.0],PARAMETER[\"Central_Meridian\",120.0],PARAMETER["
           "\"Scale_Factor\",1.0],"
           "PARAMETER[\"Latitude_Of_Origin\",0.0],UNIT[\"Meter\",1.0]]";
    CHECK(gis::readLayer((dir / "a.shp").string()).crs.epsg() == 4528);
}

TEST_CASE("Coordinates that do not fit their CRS are diagnosed with the likely one", "[io][crs]") {
    const auto cm120 = gis::Crs::fromEpsg(4549);
    CHECK(gis::diagnoseCoordinates({120.1, 30.2, 120.3, 30.4}, cm120).find("EPSG:4490") !=
          std::string::npos);
    CHECK(
        gis::diagnoseCoordinates({40500000, 3400000, 40510000, 3410000}, cm120).find("EPSG:4528") !=
        std::string::npos);
    CHECK(gis::diagnoseCoordinates({500000, 3400000, 510000, 3410000}, gis::Crs::fromEpsg(4528))
              .find("EPSG:4549") != std::string::npos);
    CHECK(gis::diagnoseCoordinates({500000, 3400000, 510000, 3410000}, cm120).empty());
    CHECK(gis::diagnoseCoordinates({500000, 3400000, 510000, 3410000}, gis::Crs::fromEpsg(4326))
              .find("not longitude") != std::string::npos);
}

TEST_CASE("Exports refuse what a shapefile cannot hold, and write nothing", "[io][export]") {
    const auto dir = scratch("refuse");
    auto layer = tricky();
    layer.features[0].values[0] = std::string(300, 'x');
    const auto plan = trickyPlan(dir, layer).string();
    auto r =
        onemapRun({"export", plan, "--layer", "tricky", "-o", (dir / "out" / "x.shp").string()});
    fs::create_directories(dir / "out");
    r = onemapRun({"export", plan, "--layer", "tricky", "-o", (dir / "out" / "x.shp").string()});
    CHECK(r.code == 2);
    CHECK(r.err.find("feature 1") != std::string::npos);
    CHECK(r.err.find("名称") != std::string::npos);
    CHECK(fs::is_empty(dir / "out"));
    layer.features[0].values[0] = std::string("emoji 😀 不在GBK里");
    const auto plan2 = trickyPlan(dir, layer).string();
    r = onemapRun({"export", plan2, "--layer", "tricky", "-o", (dir / "out" / "y.shp").string(),
                   "--encoding", "GBK"});
    CHECK(r.code == 2);
    CHECK(r.err.find("GBK") != std::string::npos);
    CHECK(fs::is_empty(dir / "out"));
    CHECK(onemapRun({"export", plan2, "-o", (dir / "out" / "z.gpkg").string()}).code ==
          2);  // no --layer/--all
    layer.features[0].values[0] = std::string("ok");
    layer.features[1].values[4] =
        std::numeric_limits<double>::infinity();  // SQLite keeps ∞, not NaN
    const auto plan3 = trickyPlan(dir, layer).string();
    r = onemapRun({"export", plan3, "--layer", "tricky", "-o", (dir / "out" / "n.shp").string()});
    CHECK(r.code == 2);
    CHECK(r.err.find("feature 2 field 'ratio'") != std::string::npos);
    CHECK(fs::is_empty(dir / "out"));
    // --all: the second layer fails, so the first is not left behind either.
    gis::writeLayer((dir / "ok.gpkg").string(), tricky());
    std::ofstream(dir / "two.toml")
        << "name = \"t\"\ncrs = \"EPSG:4549\"\n"
           "[[layers]]\nid = \"a\"\ntitle = \"a\"\nsource = \"ok.gpkg\"\n"
           "[[layers]]\nid = \"b\"\ntitle = \"b\"\nsource = \"src.gpkg\"\n";
    const auto two = (dir / "two.toml").string();
    r = onemapRun({"export", two, "--all", "-o", (dir / "out").string(), "--encoding", "GBK"});
    CHECK(r.code == 2);
    CHECK(fs::is_empty(dir / "out"));
    layer.features[1].values[4] = 2.5;
    trickyPlan(dir, layer);
    r = onemapRun({"export", two, "--all", "-o", (dir / "out").string(), "--encoding", "GBK"});
    CHECK(r.code == 0);
    CHECK(r.err.find("read back: identical") != std::string::npos);
    CHECK(fs::exists(dir / "out" / "a.shp"));
    CHECK(fs::exists(dir / "out" / "b.fields.csv"));
}

TEST_CASE("export --all of the bundled sample: one shapefile per layer, counts kept",
          "[io][export]") {
    const auto dir = scratch("all");
    const auto r =
        onemapRun({"export", "--all", "-o", (dir / "shp").string(), "--encoding", "GBK"});
    REQUIRE(r.code == 0);
    const auto plan = core::Plan::load(core::defaultPlanPath());
    for (const auto& spec : plan.layers) {
        INFO(spec.id);
        const auto original = gis::readLayer(spec.source, gis::ReadOptions::forTable(spec.table));
        // A table (quota transfers) has no geometry: a shapefile's .dbf alone.
        const bool table = original.geometryType == "None";
        const auto copy =
            gis::readLayer((dir / "shp" / (spec.id + (table ? ".dbf" : ".shp"))).string());
        if (table) CHECK_FALSE(fs::exists(dir / "shp" / (spec.id + ".shp")));
        CHECK(copy.features.size() == original.features.size());
        if (!table) CHECK(copy.crs.epsg() == 4549);
    }
    const auto farmland = gis::readLayer((dir / "shp" / "farmland.shp").string());
    CHECK(gis::toString(farmland.value(0, "地类")).size() ==
          6);  // two Chinese characters, read back from GBK
}

TEST_CASE("check --from gcj02: sites drawn on AMap give the same verdicts", "[io][webmap]") {
    const auto dir = scratch("gcj");
    const auto plan = core::Plan::load(core::defaultPlanPath());
    const auto sitesPath = (fs::path(plan.path).parent_path() / "sites.gpkg").string();
    // The sample sites in lon/lat, then shifted as AMap shows them (GCJ-02).
    auto sites = gis::readLayer(sitesPath);
    const gis::CoordinateTransform toLonLat(sites.crs, gis::Crs::fromEpsg(4326));
    for (auto& f : sites.features)
        f.geometry = toLonLat.apply(f.geometry).mapCoordinates([](double& x, double& y) {
            const auto g = gis::wgs84ToGcj02({x, y});
            x = g.x;
            y = g.y;
        });
    sites.crs = gis::Crs::fromEpsg(4326);
    gis::writeLayer((dir / "gcj.gpkg").string(), sites);
    const auto plain = onemapRun({"check", plan.path, sitesPath, "--format", "csv"});
    const auto fixed = onemapRun(
        {"check", plan.path, (dir / "gcj.gpkg").string(), "--from", "gcj02", "--format", "csv"});
    const auto shifted =
        onemapRun({"check", plan.path, (dir / "gcj.gpkg").string(), "--format", "csv"});
    auto verdicts = [](const std::string& csv) {
        std::vector<std::string> v;
        std::istringstream in(csv);
        std::string line;
        while (std::getline(in, line))
            v.push_back(line.substr(0, line.find(',', line.find(',') + 1) + 6));
        return v;
    };
    CHECK(verdicts(fixed.out) == verdicts(plain.out));
    CHECK(verdicts(shifted.out) !=
          verdicts(plain.out));  // without --from the offset changes answers
}

TEST_CASE("validate: a bowtie and duplicated parcels, counted and measured", "[io][validate]") {
    const auto dir = scratch("validate");
    gis::VectorLayer l;
    l.name = "parcels";
    l.crs = gis::Crs::fromEpsg(4549);
    l.geometryType = "Polygon";
    l.fields = {{"id", gis::FieldType::String}};
    auto add = [&](const char* id, const char* wkt) {
        gis::Feature f;
        f.fid = static_cast<std::int64_t>(l.features.size() + 1);
        f.values = {std::string(id)};
        f.geometry = gis::Geometry::fromWkt(wkt);
        l.features.push_back(f);
    };
    // On the central meridian: planar = ellipsoidal to 1e-8. Overlap 50 × 100 = 5,000 m².
    add("A",
        "POLYGON((500000 3400000,500100 3400000,500100 3400100,500000 3400100,500000 3400000))");
    add("B",
        "POLYGON((500050 3400000,500150 3400000,500150 3400100,500050 3400100,500050 3400000))");
    add("bow",
        "POLYGON((500300 3400000,500310 3400010,500310 3400000,500300 3400010,500300 3400000))");
    gis::writeLayer((dir / "p.gpkg").string(), l);
    std::ofstream(dir / "plan.toml")
        << "name = \"v\"\ncrs = \"EPSG:4549\"\n[[layers]]\nid = \"p\"\ntitle = \"地块\"\n"
           "source = \"p.gpkg\"\nid_field = \"id\"\n";
    const auto r = onemapRun(
        {"validate", (dir / "plan.toml").string(), "--fix", (dir / "fixed.gpkg").string()});
    INFO(r.out);
    CHECK(r.code == 1);
    CHECK(r.out.find("invalid geometries: 1") != std::string::npos);
    CHECK(r.out.find("fid 3 (bow): Self-intersection") != std::string::npos);
    CHECK(r.out.find("overlapping features: 1 pairs, double-counted 5,000.00 m²") !=
          std::string::npos);
    const auto fixed = gis::readLayer((dir / "fixed.gpkg").string());
    CHECK(fixed.features.size() == 3);
    for (const auto& f : fixed.features) CHECK(f.geometry.isValid());
    CHECK(fixed.features[2].geometry.area() == Approx(50));  // the bowtie's two 25 m² triangles
}

TEST_CASE("Plan layers with crs = \"GCJ-02\" or \"BD-09\" load where WGS84 puts them",
          "[io][webmap]") {
    const auto dir = scratch("webmap-layer");
    // A 1 km square in Songjiang, in WGS84 lon/lat; then as AMap and Baidu draw it, by the
    // forward formulas (checked against published points in test_gis).
    gis::VectorLayer wgs;
    wgs.name = "zone";
    wgs.crs = gis::Crs::fromEpsg(4326);
    wgs.geometryType = "Polygon";
    gis::Feature f;
    f.fid = 1;
    f.geometry = gis::Geometry::fromWkt(
        "POLYGON((121.20 31.00,121.21 31.00,121.21 31.01,121.20 31.01,121.20 31.00))");
    wgs.features = {f};
    auto shifted = [&](gis::Point (*forward)(gis::Point)) {
        auto l = wgs;
        l.features[0].geometry =
            l.features[0].geometry.mapCoordinates([forward](double& x, double& y) {
                const auto p = forward({x, y});
                x = p.x;
                y = p.y;
            });
        return l;
    };
    gis::writeLayer((dir / "wgs.gpkg").string(), wgs);
    gis::writeLayer((dir / "gcj.gpkg").string(), shifted(gis::wgs84ToGcj02));
    gis::writeLayer((dir / "bd.gpkg").string(), shifted(gis::wgs84ToBd09));
    std::ofstream(dir / "plan.toml")
        << "name = \"w\"\ncrs = \"EPSG:4549\"\n"
           "[[layers]]\nid = \"wgs\"\ntitle = \"WGS84\"\nsource = \"wgs.gpkg\"\n"
           "[[layers]]\nid = \"gcj\"\ntitle = \"AMap\"\nsource = \"gcj.gpkg\"\ncrs = \"GCJ-02\"\n"
           "[[layers]]\nid = \"bd\"\ntitle = \"Baidu\"\nsource = \"bd.gpkg\"\ncrs = \"BD-09\"\n"
           "[[layers]]\nid = \"raw\"\ntitle = \"AMap as is\"\nsource = \"gcj.gpkg\"\n";
    const auto map = core::OneMap::load(core::Plan::load((dir / "plan.toml").string()));
    auto worst = [&](const std::string& id) {
        const auto want = map->layer("wgs")->data().features[0].geometry.paths().at(0);
        const auto got = map->layer(id)->data().features[0].geometry.paths().at(0);
        REQUIRE(got.size() == want.size());
        double d = 0;
        for (std::size_t i = 0; i < want.size(); ++i)
            d = std::max(d, std::hypot(got[i].x - want[i].x, got[i].y - want[i].y));
        return d;
    };
    CHECK(worst("gcj") < 0.001);  // metres, in EPSG:4549
    CHECK(worst("bd") < 0.001);
    CHECK(worst("raw") > 100);  // what the offset does when nobody removes it
    const auto& w = map->warnings();
    CHECK(std::count_if(w.begin(), w.end(), [](const std::string& s) {
              return s.find("GCJ-02 offset removed") != std::string::npos;
          }) == 1);
    // Exports see the same coordinates; --from on top of the plan's crs would remove it twice.
    const auto plan = (dir / "plan.toml").string();
    REQUIRE(onemapRun({"export", plan, "--layer", "gcj", "-o", (dir / "gcj-out.geojson").string()})
                .code == 0);
    const auto out = gis::readLayer((dir / "gcj-out.geojson").string());
    const auto a = out.features.at(0).geometry.paths().at(0),
               b = wgs.features[0].geometry.paths().at(0);
    for (std::size_t i = 0; i < b.size(); ++i)
        CHECK(std::hypot(a[i].x - b[i].x, a[i].y - b[i].y) < 1e-8);  // degrees: < 1 mm
    CHECK(onemapRun({"export", plan, "--layer", "gcj", "--from", "gcj02", "-o",
                     (dir / "twice.geojson").string()})
              .code == 2);
    // A projected source cannot be a web-map layer.
    std::ofstream(dir / "bad.toml")
        << "name = \"b\"\ncrs = \"EPSG:4549\"\n"
           "[[layers]]\nid = \"p\"\ntitle = \"p\"\nsource = \"src.gpkg\"\ncrs = \"GCJ-02\"\n";
    gis::writeLayer((dir / "src.gpkg").string(), tricky());
    CHECK_THROWS_WITH(core::OneMap::load(core::Plan::load((dir / "bad.toml").string())),
                      Catch::Contains("needs lon/lat coordinates"));
}

TEST_CASE("A value a format changes on the way is named, and nothing is written", "[io][export]") {
    // GDAL 3.6's GeoJSON writer turns text that looks like JSON into JSON (the register's
    // `check` field): the read-back finds it and names the field and both spellings. Dates
    // kept as text come back Date-typed from GeoJSON: the same day, accepted.
    const auto dir = scratch("changed");
    const auto out = dir / "r.geojson";
    auto r = onemapRun({"export", "--layer", "approved", "-o", out.string()});
    CHECK(r.code == 2);
    CHECK(r.err.find("field 'check'") != std::string::npos);
    CHECK(r.err.find("{ \"synthetic\": true }") != std::string::npos);
    CHECK_FALSE(fs::exists(out));
    CHECK(fs::is_empty(dir));
}
