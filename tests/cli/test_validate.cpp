// onemap validate: tables checked as tables, every version or one day's, and the plan's
// [[consistency]] (三线冲突检测) with its conflicts measured and written.
#include <cmath>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>

#include "../test_support.hpp"
#include "onemap/gis/layer/layer_reader.hpp"
#include "onemap/gis/layer/layer_writer.hpp"

using namespace onemap;
using test::layerOf;
using test::rect;
using test::runCli;
namespace fs = std::filesystem;

namespace {

// The area scale of CGCS2000 3° Gauss–Krüger (k0 = 1) at `x` metres from the central
// meridian, latitude `latDeg`: k = 1 + x²/(2ρN) + x⁴/(24ρ²N²), areas shrink by k² on the
// ellipsoid. Worked from the projection's series, not from onemap's measure.
double gkAreaScale(double x, double latDeg) {
    const double a = 6378137.0, f = 1 / 298.257222101, e2 = f * (2 - f);
    const double s = std::sin(latDeg * M_PI / 180), w = 1 - e2 * s * s;
    const double n = a / std::sqrt(w), rho = a * (1 - e2) / (w * std::sqrt(w));
    const double q = x * x / (rho * n);
    const double k = 1 + q / 2 + q * q / 24;
    return k * k;
}

// A small plan in a scratch folder: farmland, devbound, approved, a point layer and a table.
struct PlantedPlan {
    fs::path dir;
    std::string plan;
};

const char* kConsistency = R"(
[[consistency]]
id = "farmland-devbound"
title = "永久基本农田不得位于城镇开发边界内"
a = "farmland"
b = "devbound"
relation = "disjoint"

[[consistency]]
id = "approved-in-devbound"
title = "已批项目位于城镇开发边界内"
a = "approved"
b = "devbound"
relation = "within"
)";

// 100 km east of the central meridian (easting 600,000), about 30.7°N: the ellipsoid's area
// differs from the plane's by ~2.5e-4 there, so a planar answer would fail.
constexpr double kX = 600000, kY = 3400000;

PlantedPlan planted(const std::string& name, const std::string& consistency = kConsistency) {
    PlantedPlan p{test::scratch(name), ""};
    // Farmland F-1 (200 × 100) overlaps devbound D-1 (300 × 250) by 100 × 50 = 5,000 m²;
    // F-2 lies clear of it. Approved A-1 (100 × 100) sticks 40 m out of D-1: 4,000 m² outside.
    gis::writeLayer(
        (p.dir / "farmland.gpkg").string(),
        layerOf("farmland",
                {rect(kX, kY, kX + 200, kY + 100), rect(kX + 1000, kY, kX + 1100, kY + 100)},
                {"F-1", "F-2"}));
    gis::writeLayer((p.dir / "devbound.gpkg").string(),
                    layerOf("devbound", {rect(kX + 100, kY + 50, kX + 400, kY + 300)}, {"D-1"}));
    gis::writeLayer((p.dir / "approved.gpkg").string(),
                    layerOf("approved", {rect(kX + 340, kY + 200, kX + 440, kY + 300)}, {"A-1"}));
    gis::writeLayer((p.dir / "station.gpkg").string(),
                    layerOf("station", {gis::Geometry::point(kX, kY)}, {"S-1"}));
    gis::VectorLayer table;  // records without geometry, as the quota transfers
    table.name = "transfers";
    table.geometryType = "None";
    table.fields = {{"doc", gis::FieldType::String}, {"date", gis::FieldType::String}};
    for (int i = 1; i <= 2; ++i) {
        gis::Feature f;
        f.fid = i;
        f.values = {std::string("调剂〔2023〕") + std::to_string(i) + "号",
                    std::string(i == 1 ? "2023-06-30" : "2025-02-01")};
        table.features.push_back(std::move(f));
    }
    gis::writeLayer((p.dir / "transfers.gpkg").string(), table);
    p.plan = (p.dir / "plan.toml").string();
    std::ofstream(p.plan) << "name = \"planted\"\ncrs = \"EPSG:4549\"\n"
                          << "[[layers]]\nid = \"farmland\"\ntitle = \"永久基本农田\"\n"
                             "source = \"farmland.gpkg\"\nid_field = \"id\"\n"
                          << "[[layers]]\nid = \"devbound\"\ntitle = \"城镇开发边界\"\n"
                             "source = \"devbound.gpkg\"\nid_field = \"id\"\n"
                          << "[[layers]]\nid = \"approved\"\ntitle = \"已批项目\"\n"
                             "source = \"approved.gpkg\"\nid_field = \"id\"\n"
                          << "[[layers]]\nid = \"station\"\ntitle = \"高铁站\"\n"
                             "source = \"station.gpkg\"\nid_field = \"id\"\n"
                          << "[[layers]]\nid = \"transfers\"\ntitle = \"指标调剂\"\n"
                             "source = \"transfers.gpkg\"\nid_field = \"doc\"\n"
                             "date_field = \"date\"\n"
                          << consistency;
    return p;
}

}  // namespace

TEST_CASE("validate: a planted three-line conflict is found with its ellipsoidal area",
          "[cli][validate]") {
    const auto p = planted("validate-planted");
    const fs::path out = p.dir / "conflicts.gpkg";
    const auto r = runCli({"validate", p.plan, "--conflicts", out.string()});
    INFO(r.out << r.err);
    CHECK(r.code == 1);  // a conflict above tolerance, like check's "fails"
    // The oracle: the hand-worked planar areas at the conflicts' centres, on the ellipsoid.
    const double overlap = 5000 / gkAreaScale(kX + 150 - 500000, 30.72);
    const double outside = 4000 / gkAreaScale(kX + 420 - 500000, 30.72);
    CHECK(overlap == Approx(5000 * (1 - 2.46e-4)).epsilon(1e-5));  // the scale is real
    CHECK(r.out.find("farmland-devbound") != std::string::npos);
    CHECK(r.out.find("all layers ok") != std::string::npos);  // the table is not flagged
    CHECK(r.out.find("2 处冲突 conflict(s)") != std::string::npos);

    // Read back with GDAL: one feature per conflict, ids and areas.
    const auto layer = gis::readLayer(out.string());
    REQUIRE(layer.features.size() == 2);
    const auto value = [&](std::size_t i, const char* f) { return layer.value(i, f); };
    CHECK(gis::toString(value(0, "check")) == "farmland-devbound");
    CHECK(gis::toString(value(0, "a_id")) == "F-1");
    CHECK(gis::toString(value(0, "b_id")) == "D-1");
    CHECK(*gis::toNumber(value(0, "area_m2")) == Approx(overlap).margin(0.02));
    CHECK(*gis::toNumber(value(0, "area_mu")) == Approx(overlap / (10000.0 / 15)).margin(1e-4));
    CHECK(*gis::toNumber(value(0, "area_ha")) == Approx(overlap / 10000).margin(1e-6));
    CHECK(layer.features[0].geometry.area() == Approx(5000).margin(1e-6));  // planar shape
    CHECK(gis::toString(value(1, "check")) == "approved-in-devbound");
    CHECK(gis::toString(value(1, "a_id")) == "A-1");
    CHECK(gis::toString(value(1, "b_id")) == "D-1");  // the boundary it reaches
    CHECK(*gis::toNumber(value(1, "area_m2")) == Approx(outside).margin(0.02));
    CHECK(layer.features[1].geometry.area() == Approx(4000).margin(1e-6));

    // JSON says the same.
    const auto j = runCli({"validate", p.plan, "--format", "json"});
    CHECK(j.code == 1);
    const auto doc = nlohmann::json::parse(j.out);
    CHECK(doc["summary"]["conflicts"] == 2);
    const auto& c = doc["consistency"]["checks"][0]["conflicts"][0];
    CHECK(c["a_id"] == "F-1");
    CHECK(c["b_id"] == "D-1");
    CHECK(c["area_m2"].get<double>() == Approx(overlap).margin(0.02));

    // Under the tolerance, no conflict: exit 0.
    std::string tolerant = kConsistency;
    tolerant.replace(tolerant.find("relation = \"disjoint\""), 21,
                     "relation = \"disjoint\"\ntolerance_m2 = 5000");
    tolerant.replace(tolerant.find("relation = \"within\""), 19,
                     "relation = \"within\"\ntolerance_m2 = 4000");
    const auto ok = runCli({"validate", planted("validate-tolerant", tolerant).plan});
    INFO(ok.out);
    CHECK(ok.code == 0);
    CHECK(ok.out.find("无冲突 no conflict") != std::string::npos);
}

TEST_CASE("validate: --conflicts never overwrites an input and writes nothing on bad input",
          "[cli][validate]") {
    const auto p = planted("validate-outputs");
    const auto onInput =
        runCli({"validate", p.plan, "--conflicts", (p.dir / "farmland.gpkg").string()});
    CHECK(onInput.code == 2);
    CHECK(gis::readLayer((p.dir / "farmland.gpkg").string()).features.size() == 2);
    const auto bad = runCli(
        {"validate", p.plan, "--as-of", "2024-02-30", "--conflicts", (p.dir / "c.gpkg").string()});
    CHECK(bad.code == 2);
    CHECK(!fs::exists(p.dir / "c.gpkg"));
}

TEST_CASE("validate: bad [[consistency]] entries are exit 2 naming the plan line",
          "[cli][validate]") {
    const auto entry = [](const std::string& body) {
        return "\n[[consistency]]\nid = \"x\"\ntitle = \"t\"\n" + body;
    };
    struct Case {
        std::string body, expect;
    };
    // The entry opens on line 30 of the planted plan (28 lines of layers, then a blank).
    for (const Case& c : std::vector<Case>{
             {"a = \"farmland\"\nb = \"redline\"\nrelation = \"disjoint\"\n",
              ":34: consistency 'x': 'b' names layer 'redline', which the plan does not have"},
             {"a = \"farmland\"\nb = \"devbound\"\nrelation = \"touches\"\n",
              ":35: consistency 'x': unknown relation 'touches' (known: disjoint, within)"},
             {"a = \"farmland\"\nb = \"devbound\"\nrelation = \"disjoint\"\ntolerance_m2 = -1\n",
              ":36: consistency 'x': 'tolerance_m2' must be ≥ 0"},
             {"a = \"farmland\"\nb = \"farmland\"\nrelation = \"disjoint\"\n",
              ":34: consistency 'x': 'a' and 'b' are both layer 'farmland'"},
             {"a = \"station\"\nb = \"devbound\"\nrelation = \"disjoint\"\n",
              ":30: consistency 'x': layer 'station' holds points"},
             {"a = \"transfers\"\nb = \"devbound\"\nrelation = \"within\"\n",
              ":30: consistency 'x': layer 'transfers' is a table without geometry"},
             {"a = \"farmland\"\nb = \"devbound\"\nrelation = \"disjoint\"\nwhere = 1\n",
              ":36: consistency 'x': unknown key 'where'"}}) {
        const auto p = planted("validate-bad", entry(c.body));
        const fs::path out = p.dir / "c.gpkg";
        const auto r = runCli({"validate", p.plan, "--conflicts", out.string()});
        INFO(c.body << r.err);
        CHECK(r.code == 2);
        CHECK(r.err.find(p.plan + c.expect) != std::string::npos);
        CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
        CHECK(!fs::exists(out));
    }
}

TEST_CASE("validate: a table without geometry is checked as a table", "[cli][validate]") {
    const auto p = planted("validate-table", "");
    const auto r = runCli({"validate", p.plan});
    INFO(r.out << r.err);
    CHECK(r.code == 0);
    CHECK(r.out.find("layer transfers (指标调剂): 2 records, 表 table (no geometry), text "
                     "UTF-8  — ok") != std::string::npos);
    CHECK(r.out.find("no CRS") == std::string::npos);
    CHECK(r.out.find("empty geometries") == std::string::npos);

    // A date that is no date, and a field the plan names that the table lacks, are problems.
    gis::VectorLayer bad = gis::readLayer((p.dir / "transfers.gpkg").string());
    bad.features[1].values[1] = std::string("2025-02-30");
    gis::writeLayer((p.dir / "transfers.gpkg").string(), bad);
    std::string text;
    {
        std::ifstream in(p.plan);
        text.assign(std::istreambuf_iterator<char>(in), {});
    }
    text.replace(text.find("id_field = \"doc\""), 16, "id_field = \"doc\"\nlabel = \"name\"");
    std::ofstream(p.plan) << text;
    const auto b = runCli({"validate", p.plan});
    INFO(b.out);
    CHECK(b.code == 1);
    CHECK(b.out.find("date_field 'date': fid 2: '2025-02-30' is not a date") != std::string::npos);
    CHECK(b.out.find("label 'name' is not a field of the layer") != std::string::npos);
    CHECK(b.out.find("1 layer(s) with problems") != std::string::npos);
}

TEST_CASE("validate: every version without --as-of, one day's with it", "[cli][validate]") {
    const auto dir = test::scratch("validate-versions");
    // 2021's farmland holds a bowtie (fid 2); 2024's is clean. A problem of one version shows
    // only on the days that version is in force.
    gis::writeLayer((dir / "f2021.gpkg").string(),
                    layerOf("farmland",
                            {rect(kX, kY, kX + 100, kY + 100),
                             gis::Geometry::fromWkt("POLYGON((600300 3400000,600310 3400010,600310 "
                                                    "3400000,600300 3400010,600300 3400000))")},
                            {"F-1", "BOW"}));
    gis::writeLayer((dir / "f2024.gpkg").string(),
                    layerOf("farmland", {rect(kX, kY, kX + 100, kY + 100)}, {"F-1"}));
    const std::string plan = (dir / "plan.toml").string();
    std::ofstream(plan) << "name = \"v\"\ncrs = \"EPSG:4549\"\n[[layers]]\nid = \"farmland\"\n"
                           "title = \"永久基本农田\"\nid_field = \"id\"\n"
                           "[[layers.versions]]\nfrom = 2021-03-01\nsource = \"f2021.gpkg\"\n"
                           "doc = \"〔2021〕2号\"\n"
                           "[[layers.versions]]\nfrom = 2024-06-30\nsource = \"f2024.gpkg\"\n"
                           "doc = \"〔2024〕6号\"\n";
    const auto all = runCli({"validate", plan});
    INFO(all.out << all.err);
    CHECK(all.code == 1);
    CHECK(all.out.find("layer farmland (永久基本农田) version from 2021-03-01 (〔2021〕2号): 2 "
                       "features") != std::string::npos);
    CHECK(all.out.find("layer farmland (永久基本农田) version from 2024-06-30 (〔2024〕6号): 1 "
                       "features") != std::string::npos);
    CHECK(all.out.find("fid 2 (BOW): Self-intersection") != std::string::npos);

    const auto in2022 = runCli({"validate", plan, "--as-of", "2022-06-01"});
    CHECK(in2022.code == 1);
    CHECK(in2022.out.find("fid 2 (BOW)") != std::string::npos);
    CHECK(in2022.out.find("2024-06-30") == std::string::npos);

    const auto in2025 = runCli({"validate", plan, "--as-of", "2025-01-01"});
    INFO(in2025.out);
    CHECK(in2025.code == 0);
    CHECK(in2025.out.find("BOW") == std::string::npos);
    CHECK(in2025.out.find("version from 2024-06-30") != std::string::npos);

    const auto before = runCli({"validate", plan, "--as-of", "2020-01-01"});
    CHECK(before.code == 0);
    CHECK(before.out.find("is not in force on 2020-01-01") != std::string::npos);
}

namespace {

// GDAL's SQLite dialect (SpatiaLite/GEOS) on the sample: an oracle outside onemap.
std::string gdalSql(const std::string& file, const std::string& sql) {
    return test::capture("ogrinfo -q -dialect SQLite -sql \"" + sql + "\" '" +
                         std::string(ONEMAP_SAMPLE_DIR) + "/" + file + "' 2>/dev/null");
}

}  // namespace

TEST_CASE("validate on the bundled sample: every layer sound, no three-line conflict, exit 0",
          "[cli][validate][sample]") {
    // The generator keeps farmland 100 m off the development boundary, the red line and
    // water, and the boundary 200 m off the red line; its duplicated parcels come only with
    // --dirty. So validate finds nothing — and GDAL agrees that no two parcels of either
    // farmland version overlap.
    const auto r =
        runCli({"validate", std::string(ONEMAP_SAMPLE_DIR) + "/g60.toml", "--format", "json"});
    INFO(r.err);
    CHECK(r.code == 0);
    const auto doc = nlohmann::json::parse(r.out);
    for (const auto& l : doc["layers"]) {
        INFO(l["id"]);
        CHECK(l["ok"] == true);
        if (l["id"] == "quota_transfers") CHECK(l["table"] == true);
    }
    for (const char* table : {"farmland", "farmland_2021"}) {
        INFO(table);
        const std::string t = table;
        // Pairs through the GeoPackage's own R-tree, measured by SpatiaLite (the old sample
        // with its 20 duplicates gives 20 here).
        const auto out =
            gdalSql("g60.gpkg", "select count(*) as n from " + t + " a, " + t +
                                    " b where b.fid in (select id from rtree_" + t +
                                    "_geom r where r.maxx >= ST_MinX(a.geom) and r.minx <= "
                                    "ST_MaxX(a.geom) and r.maxy >= ST_MinY(a.geom) and r.miny <= "
                                    "ST_MaxY(a.geom)) and a.fid < b.fid and "
                                    "ST_Area(ST_Intersection(a.geom, b.geom)) > 0.01");
        CHECK(out.find("n (Integer) = 0") != std::string::npos);
    }
    CHECK(doc["summary"]["layers_with_problems"] == 0);

    // Consistency on today's plan: four entries, no conflict — and GDAL finds no overlap.
    REQUIRE(doc["consistency"]["checks"].size() == 4);
    for (const auto& c : doc["consistency"]["checks"]) CHECK(c["conflicts"].empty());
    CHECK(doc["summary"]["conflicts"] == 0);
    for (const char* pair : {"farmland f, devbound d where ST_Intersects(f.geom, d.geom)",
                             "redline r, devbound d where ST_Intersects(r.geom, d.geom)"})
        CHECK(gdalSql("g60.gpkg", std::string("select count(*) as n from ") + pair)
                  .find("n (Integer) = 0") != std::string::npos);
}
