// Never a result computed on part of an input: damaged, non-regular and doubtful inputs,
// each built here at run time, must stop onemap with exit 2 and one line naming the file
// (and feature), or reach the output as a warning. Cases: tests/cases/adversarial-input.toml.
#include <sys/stat.h>
#include <toml++/toml.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <future>
#include <limits>
#include <nlohmann/json.hpp>
#include <thread>

#include "../test_support.hpp"
#include "onemap/core/check/site_set.hpp"
#include "onemap/gis/base/error.hpp"
#include "onemap/gis/crs/crs_diagnosis.hpp"
#include "onemap/gis/layer/layer_reader.hpp"
#include "onemap/gis/layer/layer_writer.hpp"

using namespace onemap;
namespace fs = std::filesystem;

namespace {

using test::runCli;

// Runs the CLI on a worker thread: a read that blocks (a FIFO) fails the test after
// `seconds` instead of hanging ctest; the process then ends, as nothing can unblock it.
test::CliResult runBounded(const std::vector<std::string>& args, int seconds = 5) {
    auto result = std::make_shared<std::promise<test::CliResult>>();
    auto done = result->get_future();
    std::thread([args, result] { result->set_value(runCli(args)); }).detach();
    if (done.wait_for(std::chrono::seconds(seconds)) != std::future_status::ready) {
        FAIL_CHECK("onemap did not finish within " << seconds << " s: " << args[0]);
        std::_Exit(1);
    }
    return done.get();
}

std::string slurp(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

void spit(const fs::path& p, const std::string& bytes) {
    std::ofstream(p, std::ios::binary | std::ios::trunc) << bytes;
}

std::string square(double x, double y, double side) {
    const auto s = [](double v) { return std::to_string(v); };
    return "POLYGON((" + s(x) + " " + s(y) + "," + s(x + side) + " " + s(y) + "," + s(x + side) +
           " " + s(y + side) + "," + s(x) + " " + s(y + side) + "," + s(x) + " " + s(y) + "))";
}

// n square sites 300 m apart in EPSG:4549, with text fields id ("s1"...) and name (long
// enough that a GeoPackage spreads them over many pages).
gis::VectorLayer sitesLayer(std::size_t n) {
    gis::VectorLayer l;
    l.name = "sites";
    l.crs = gis::Crs::fromEpsg(4549);
    l.geometryType = "Polygon";
    l.fields = {{"id", gis::FieldType::String}, {"name", gis::FieldType::String}};
    for (std::size_t i = 0; i < n; ++i) {
        gis::Feature f;
        f.fid = static_cast<std::int64_t>(i + 1);
        f.values = {std::string("s") + std::to_string(i + 1),
                    std::string("项目") + std::to_string(i + 1) + std::string(200, 'x')};
        f.geometry =
            gis::Geometry::fromWkt(square(500000.0 + 300.0 * static_cast<double>(i % 50),
                                          3400000.0 + 300.0 * static_cast<double>(i / 50), 100));
        l.features.push_back(std::move(f));
    }
    return l;
}

// A plan with one polygon layer `zone` (the file given) and one rule reading it; the
// [[layers]] table starts on line 4 (the line errors name).
fs::path writePlan(const fs::path& dir, const std::string& zoneSource,
                   const std::string& filter = "") {
    std::ofstream(dir / "plan.toml")
        << "name = \"t\"\n"                                         // 1
        << "crs = \"EPSG:4549\"\n"                                  // 2
        << "\n"                                                     // 3
        << "[[layers]]\n"                                           // 4
        << "id = \"zone\"\n"                                        // 5
        << "title = \"区\"\n"                                       // 6
        << "source = \"" << zoneSource << "\"\n"                    // 7
        << "table = \"\"\n"                                         // 8
        << (filter.empty() ? "" : "filter = \"" + filter + "\"\n")  // 9
        << "\n[[rules]]\nid = \"no-zone\"\ntitle = \"不得占用\"\nkind = \"must_not_overlap\"\n"
        << "layer = \"zone\"\n";
    return dir / "plan.toml";
}

// The bytes of a little-endian double, to find a coordinate inside a file.
std::string doubleBytes(double v) {
    std::string s(8, '\0');
    std::memcpy(s.data(), &v, 8);
    return s;
}

void run(const std::string& command) { REQUIRE(std::system(command.c_str()) == 0); }

// An UPDATE through the sqlite3 shell. GeoPackage triggers on any UPDATE call ST_IsEmpty,
// which only GDAL's SQLite provides: set them aside for the statement, then put them back.
void sqliteUpdate(const fs::path& gpkg, const std::string& sql) {
    const std::string db = "sqlite3 '" + gpkg.string() + "' ";
    const std::string triggers =
        test::capture(db +
                      "\"SELECT sql || ';' FROM sqlite_master WHERE type = 'trigger' AND name LIKE "
                      "'rtree_%_update3' OR name LIKE 'rtree_%_update4'\"");
    const std::string names = test::capture(
        db +
        "\"SELECT 'DROP TRIGGER \"\"' || name || '\"\";' FROM sqlite_master WHERE type = "
        "'trigger' AND (name LIKE 'rtree_%_update3' OR name LIKE 'rtree_%_update4')\"");
    const auto script = gpkg.parent_path() / "update.sql";
    std::ofstream(script) << "BEGIN;\n" << names << sql << ";\n" << triggers << "COMMIT;\n";
    run(db + "< '" + script.string() + "'");
}

// Builds the damaged input of a recipe in dir; returns the path to hand to onemap.
fs::path build(const std::string& recipe, const fs::path& dir) {
    if (recipe == "gpkg-damaged-pages") {
        const auto p = dir / "damaged.gpkg";
        gis::writeLayer(p.string(), sitesLayer(1500));
        // Features fill the file first (the R-tree comes last): wipe pages 30–40 % in.
        std::string bytes = slurp(p);
        const std::size_t page = 4096, pages = bytes.size() / page;
        REQUIRE(pages > 50);
        for (std::size_t i = pages * 3 / 10; i < pages * 4 / 10; i += 2)
            std::memset(bytes.data() + i * page, 0xff, page);
        spit(p, bytes);
        return p;
    }
    if (recipe == "fgb-corrupt-feature") {
        // Without a spatial index the features follow the header directly: magic (8 bytes),
        // header size (uint32), header, then per feature a uint32 size and a flatbuffer.
        const auto sound = dir / "sound.gpkg";
        gis::writeLayer(sound.string(), sitesLayer(40));
        const auto p = dir / "corrupt.fgb";
        run("ogr2ogr -q -f FlatGeobuf -lco SPATIAL_INDEX=NO '" + p.string() + "' '" +
            sound.string() + "'");
        std::string bytes = slurp(p);
        const auto u32 = [&](std::size_t o) {
            std::uint32_t v = 0;
            std::memcpy(&v, bytes.data() + o, 4);
            return static_cast<std::size_t>(v);
        };
        std::size_t at = 12 + u32(8);
        for (int i = 0; i < 20; ++i) at += 4 + u32(at);  // to the 21st feature
        REQUIRE(at + 8 < bytes.size());
        // Its flatbuffer root offset now points far outside the feature.
        std::memset(bytes.data() + at + 4, 0x7f, 4);
        spit(p, bytes);
        return p;
    }
    if (recipe == "fgb-count-too-high") {
        // The header's features_count (a uint64 40, found once in the header) raised to 43:
        // three features announced are missing.
        const auto sound = dir / "sound.gpkg";
        gis::writeLayer(sound.string(), sitesLayer(40));
        const auto p = dir / "count.fgb";
        run("ogr2ogr -q -f FlatGeobuf -lco SPATIAL_INDEX=NO '" + p.string() + "' '" +
            sound.string() + "'");
        std::string bytes = slurp(p);
        std::uint32_t headerSize = 0;
        std::memcpy(&headerSize, bytes.data() + 8, 4);
        const std::string header = bytes.substr(12, headerSize);
        const std::string forty = std::string("\x28") + std::string(7, '\0');
        const auto at = header.find(forty);
        REQUIRE(at != std::string::npos);
        REQUIRE(header.find(forty, at + 1) == std::string::npos);
        bytes[12 + at] = 43;
        spit(p, bytes);
        return p;
    }
    if (recipe == "shp-dbf-short") {
        const auto p = dir / "short.shp";
        gis::writeLayer(p.string(), sitesLayer(40));
        // Rewrite the .dbf with 3 records fewer: header count and file length both.
        std::string dbf = slurp(dir / "short.dbf");
        const auto u16 = [&](std::size_t o) {
            return static_cast<std::size_t>(static_cast<unsigned char>(dbf[o])) |
                   static_cast<std::size_t>(static_cast<unsigned char>(dbf[o + 1])) << 8;
        };
        const std::size_t header = u16(8), record = u16(10);
        REQUIRE(static_cast<unsigned char>(dbf[4]) == 40);
        dbf[4] = 37;
        dbf.resize(header + 37 * record);
        dbf += '\x1a';
        spit(dir / "short.dbf", dbf);
        return p;
    }
    if (recipe == "fifo") {
        const auto p = dir / "pipe.gpkg";
        REQUIRE(::mkfifo(p.c_str(), 0600) == 0);
        return p;
    }
    if (recipe == "dev-zero") return "/dev/zero";
    if (recipe == "symlink-loop") {
        fs::create_symlink(dir / "loop2.gpkg", dir / "loop.gpkg");
        fs::create_symlink(dir / "loop.gpkg", dir / "loop2.gpkg");
        return dir / "loop.gpkg";
    }
    if (recipe == "empty-folder") {
        fs::create_directories(dir / "folder.gpkg");
        return dir / "folder.gpkg";
    }
    if (recipe == "nan-vertex") {
        const auto p = dir / "nan.gpkg";
        auto layer = sitesLayer(10);
        // Feature 7 gets an extra vertex whose x is neither the min nor the max (so the
        // GeoPackage envelope header does not hold it); then its bytes become a NaN.
        const double x = 501234.125;
        layer.features[6].geometry = gis::Geometry::fromWkt(
            "POLYGON((501200 3400300,501234.125 3400250,501300 3400300,501300 3400400,501200 "
            "3400400,501200 3400300))");
        gis::writeLayer(p.string(), layer);
        std::string bytes = slurp(p);
        const auto at = bytes.find(doubleBytes(x));
        REQUIRE(at != std::string::npos);
        REQUIRE(bytes.find(doubleBytes(x), at + 1) == std::string::npos);
        bytes.replace(at, 8, doubleBytes(std::numeric_limits<double>::quiet_NaN()));
        spit(p, bytes);
        return p;
    }
    if (recipe == "text-not-gbk") {
        const auto p = dir / "notgbk.gpkg";
        gis::writeLayer(p.string(), sitesLayer(10));
        // 0xFF starts no UTF-8 character and no GBK one.
        sqliteUpdate(p, "UPDATE sites SET name = CAST(X'41ff42' AS TEXT) WHERE fid = 7");
        return p;
    }
    if (recipe == "filter-two-statements" || recipe == "filter-comment") {
        gis::writeLayer((dir / "zone.gpkg").string(), sitesLayer(3));
        return dir / "zone.gpkg";
    }
    FAIL("unknown recipe " << recipe);
    return {};
}

// Exit 2, exactly one stderr line holding every expected text, nothing written.
void expectRefused(const test::CliResult& r, const std::vector<std::string>& expect,
                   const fs::path& output) {
    INFO("stderr: " << r.err);
    CHECK(r.code == 2);
    CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
    for (const auto& e : expect) CHECK(r.err.find(e) != std::string::npos);
    if (!output.empty()) CHECK_FALSE(fs::exists(output));
}

}  // namespace

TEST_CASE("Damaged and non-regular inputs stop every command with exit 2", "[io][adversarial]") {
    const auto cases = toml::parse_file(std::string(ONEMAP_TEST_CASES) + "/adversarial-input.toml");
    const auto* list = cases["case"].as_array();
    REQUIRE(list);
    REQUIRE(list->size() >= 10);
    for (const auto& node : *list) {
        const auto& c = *node.as_table();
        const std::string recipe = c["recipe"].value_or(std::string());
        std::vector<std::string> expect;
        for (const auto& e : *c["expect"].as_array()) expect.push_back(*e.value<std::string>());
        const bool asSites = c["sites"].value_or(false);
        SECTION(recipe) {
            const auto dir = test::scratch("adversarial-" + recipe);
            const auto bad = build(recipe, dir);
            std::string filter;
            if (recipe == "filter-two-statements") filter = "id = 's1'; DROP TABLE sites";
            if (recipe == "filter-comment") filter = "id = 's1' -- all the rest";

            // As a layer of a plan.
            const auto plan = writePlan(dir, bad.string(), filter).string();
            const auto good = dir / "good-sites.gpkg";
            gis::writeLayer(good.string(), sitesLayer(3));
            const auto out = dir / "report.json";
            expectRefused(runBounded({"check", plan, good.string(), "-o", out.string()}), expect,
                          out);
            expectRefused(runBounded({"validate", plan}), expect, {});
            expectRefused(runBounded({"info", plan}), expect, {});

            // As the sites file, against a sound plan.
            if (asSites) {
                const auto zoneDir = dir / "sound";
                fs::create_directories(zoneDir);
                gis::writeLayer((zoneDir / "zone.gpkg").string(), sitesLayer(2));
                const auto soundPlan = writePlan(zoneDir, "zone.gpkg").string();
                expectRefused(runBounded({"check", soundPlan, bad.string(), "-o", out.string()}),
                              expect, out);
            }
        }
    }
}

TEST_CASE("A GeoPackage whose cached feature count is stale is not called damaged",
          "[io][adversarial]") {
    // gpkg_ogr_contents caches the count; a writer without GDAL's triggers leaves it wrong
    // while every row is intact: a fresh COUNT(*) decides.
    const auto dir = test::scratch("adversarial-stale-count");
    const auto p = dir / "stale.gpkg";
    gis::writeLayer(p.string(), sitesLayer(12));
    run("sqlite3 '" + p.string() + "' \"UPDATE gpkg_ogr_contents SET feature_count = 99\"");
    CHECK(gis::readLayer(p.string()).features.size() == 12);
}

TEST_CASE("A sound copy of each damaged file is read whole", "[io][adversarial]") {
    // The recipes damage files that read fine before: the refusals above are about the damage.
    const auto dir = test::scratch("adversarial-sound");
    for (const char* name : {"sound.gpkg", "sound.fgb", "sound.shp"}) {
        INFO(name);
        const auto p = (dir / name).string();
        gis::writeLayer(p, sitesLayer(40));
        CHECK(gis::readLayer(p).features.size() == 40);
    }
}

TEST_CASE("GBK text in a GeoPackage or behind a lying .cpg is decoded, with a note",
          "[io][adversarial][encoding]") {
    const auto dir = test::scratch("adversarial-gbk");
    // "中文" in GBK is D6 D0 CE C4 (GB 2312 table); the UTF-8 form is what must come back.
    const auto gpkg = dir / "gbk.gpkg";
    gis::writeLayer(gpkg.string(), sitesLayer(5));
    sqliteUpdate(gpkg, "UPDATE sites SET name = CAST(X'd6d0cec4' AS TEXT) WHERE fid = 3");
    const auto layer = gis::readLayer(gpkg.string());
    CHECK(gis::toString(layer.value(2, "name")) == "中文");
    REQUIRE(layer.notes.size() == 1);
    CHECK(layer.notes[0].find("field 'name' of feature 3 was not UTF-8; decoded as GBK") !=
          std::string::npos);

    // The whole check now gives valid JSON with the decoded name and the note.
    const auto zoneDir = dir / "sound";
    fs::create_directories(zoneDir);
    gis::writeLayer((zoneDir / "zone.gpkg").string(), sitesLayer(1));
    const auto plan = writePlan(zoneDir, "zone.gpkg").string();
    const auto r = runCli({"check", plan, gpkg.string(), "--format", "json"});
    INFO(r.err);
    REQUIRE((r.code == 0 || r.code == 1));
    const auto json = nlohmann::json::parse(r.out);
    bool found = false;
    for (const auto& site : json["sites"])
        if (site["id"] == "s3") {
            CHECK(site["name"] == "中文");
            CHECK(site["warnings"].dump().find("decoded as GBK") != std::string::npos);
            found = true;
        }
    CHECK(found);

    // A shapefile written in GBK whose .cpg claims UTF-8.
    auto cn = sitesLayer(4);
    cn.features[1].values[1] = std::string("松江区");
    const auto shp = dir / "liar.shp";
    gis::writeLayer(shp.string(), cn, {"", "GBK", false});
    spit(dir / "liar.cpg", "UTF-8");
    const auto back = gis::readLayer(shp.string());
    CHECK(gis::toString(back.value(1, "name")) == "松江区");
    CHECK(!back.notes.empty());
}

TEST_CASE("Arcs are stroked finely enough that a circle keeps its area to 0.01 %",
          "[io][adversarial][curve]") {
    const auto dir = test::scratch("adversarial-curve");
    // A full circle of radius 400 m as one CIRCULARSTRING (start = end, the midpoint opposite).
    const double r = 400, cx = 500000, cy = 3400000;
    std::ofstream(dir / "c.csv") << "id,wkt\n1,\"CURVEPOLYGON(CIRCULARSTRING(" << cx - r << " "
                                 << cy << "," << cx + r << " " << cy << "," << cx - r << " " << cy
                                 << "))\"\n";
    run("ogr2ogr -q -f GPKG '" + (dir / "c.gpkg").string() + "' '" + (dir / "c.csv").string() +
        "' -oo GEOM_POSSIBLE_NAMES=wkt -oo KEEP_GEOM_COLUMNS=NO -a_srs EPSG:4549 "
        "-nlt CURVEPOLYGON -nln c");
    const auto layer = gis::readLayer((dir / "c.gpkg").string());
    REQUIRE(layer.features.size() == 1);
    const double exact = M_PI * r * r;
    CHECK(std::abs(layer.features[0].geometry.area() - exact) / exact < 1e-4);
}

TEST_CASE("PostgreSQL sources get a bounded connect time", "[io][adversarial][pg]") {
    CHECK(gis::withConnectTimeout("PG:host=db dbname=g60") ==
          "PG:host=db dbname=g60 connect_timeout=" + std::to_string(gis::kConnectTimeoutSeconds));
    CHECK(gis::withConnectTimeout("PG:host=db connect_timeout=3") ==
          "PG:host=db connect_timeout=3");
    CHECK(gis::withConnectTimeout("sites.gpkg") == "sites.gpkg");
    CHECK(gis::kConnectTimeoutSeconds <= 10);

    // A closed loopback port: refused at once, exit 2 naming the source.
    const auto dir = test::scratch("adversarial-pg");
    const auto plan = writePlan(dir, "PG:host=127.0.0.1 port=1 dbname=none user=none");
    const auto start = std::chrono::steady_clock::now();
    const auto r = runBounded({"info", plan.string()}, 15);
    CHECK(r.code == 2);
    CHECK(r.err.find("layer 'zone'") != std::string::npos);
    CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(12));
}

namespace {

// A sound plan (one zone square at 500000,3400000 in EPSG:4549) in dir/sound.
fs::path soundPlan(const fs::path& dir, bool zoneIsAdmin = false) {
    const auto zoneDir = dir / "sound";
    fs::create_directories(zoneDir);
    gis::writeLayer((zoneDir / "zone.gpkg").string(), sitesLayer(1));
    auto plan = writePlan(zoneDir, "zone.gpkg");
    if (zoneIsAdmin) {
        std::string text = slurp(plan);
        text.replace(text.find("table = \"\"\n"), 11, "role = \"admin\"\nlabel = \"name\"\n");
        spit(plan, text);
    }
    return plan;
}

// Sites from WKT polygons, in `crs` (unknown = none), ids as given.
gis::VectorLayer sitesFrom(const std::vector<std::string>& wkts, const gis::Crs& crs,
                           const std::vector<std::string>& ids = {}) {
    gis::VectorLayer l = sitesLayer(0);
    l.crs = crs;
    for (std::size_t i = 0; i < wkts.size(); ++i) {
        gis::Feature f;
        f.fid = static_cast<std::int64_t>(i + 1);
        f.values = {i < ids.size() ? ids[i] : "s" + std::to_string(i + 1), std::string("n")};
        f.geometry = gis::Geometry::fromWkt(wkts[i]);
        l.features.push_back(std::move(f));
    }
    return l;
}

nlohmann::json checkJson(const fs::path& plan, const fs::path& sites,
                         std::vector<std::string> extra = {}) {
    std::vector<std::string> args{"check", plan.string(), sites.string(), "--format", "json"};
    args.insert(args.end(), extra.begin(), extra.end());
    const auto r = runCli(args);
    INFO(r.err);
    REQUIRE((r.code == 0 || r.code == 1));
    return nlohmann::json::parse(r.out);
}

}  // namespace

TEST_CASE("Sites whose coordinates do not fit their CRS or the plan stop the check",
          "[io][adversarial][crs]") {
    const auto dir = test::scratch("adversarial-crs");
    const auto plan = soundPlan(dir);
    const auto out = dir / "out.json";
    struct Case {
        std::string name;
        gis::VectorLayer sites;
        std::vector<std::string> extra, expect;
    };
    // Songjiang is near lon 121.2, lat 31.0; 500000,3400000 in EPSG:4549 is 120E, ~30.7N.
    const std::string lonLat = square(121.2, 31.0, 0.001);
    const std::string swapped = square(31.0, 121.2, 0.001);
    const std::string metres = square(500000, 3400000, 100);
    const std::vector<Case> cases = {
        {"lat/lon swapped",
         sitesFrom({swapped}, gis::Crs::fromEpsg(4326)),
         {},
         {"are not longitude/latitude", "axis order"}},
        {"metres with --sites-crs EPSG:4326",
         sitesFrom({metres}, gis::Crs{}),
         {"--sites-crs", "EPSG:4326"},
         {"are not longitude/latitude", "--sites-crs"}},
        {"no CRS at all",
         sitesFrom({metres}, gis::Crs{}),
         {},
         {"have no CRS", "--sites-crs", "the plan works in EPSG:"}},
        {"lon/lat labelled EPSG:4549",
         sitesFrom({lonLat}, gis::Crs::fromEpsg(4549)),
         {},
         {"look like longitude/latitude", "EPSG:4549"}},
        {"zone-prefixed eastings labelled EPSG:4549",
         sitesFrom({square(40500000, 3400000, 100)}, gis::Crs::fromEpsg(4549)),
         {},
         {"zone prefix (40)", "EPSG:4528"}},
        {"200 km away from every layer",
         sitesFrom({square(500000, 3600000, 100)}, gis::Crs::fromEpsg(4549)),
         {},
         {"no site lies within 50 km"}},
        {"--sites-crs disagrees with the file",
         sitesFrom({metres}, gis::Crs::fromEpsg(4549)),
         {"--sites-crs", "EPSG:4490"},
         {"declares EPSG:4549; --sites-crs EPSG:4490 disagrees", "remove --sites-crs"}},
    };
    for (const auto& c : cases) {
        SECTION(c.name) {
            // A GeoPackage keeps "no CRS" as an undefined SRS.
            const auto sites = dir / "sites.gpkg";
            gis::writeLayer(sites.string(), c.sites);
            std::vector<std::string> args{"check", plan.string(), sites.string(), "-o",
                                          out.string()};
            args.insert(args.end(), c.extra.begin(), c.extra.end());
            auto expect = c.expect;
            expect.push_back(sites.filename().string());
            expectRefused(runCli(args), expect, out);
        }
    }
    SECTION("--sites-crs equal to the file's is fine") {
        const auto sites = dir / "same.gpkg";
        gis::writeLayer(sites.string(), sitesFrom({metres}, gis::Crs::fromEpsg(4549)));
        const auto r = runCli({"check", plan.string(), sites.string(), "--sites-crs", "EPSG:4549"});
        INFO(r.err);
        CHECK(r.code == 1);  // the square lies on the zone: fails no-zone
    }
}

TEST_CASE("A plan layer whose coordinates do not fit its CRS stops check and info",
          "[io][adversarial][crs]") {
    const auto dir = test::scratch("adversarial-layer-crs");
    gis::writeLayer((dir / "zone.gpkg").string(),
                    sitesFrom({square(121.2, 31.0, 0.001)}, gis::Crs::fromEpsg(4549)));
    const auto plan = writePlan(dir, "zone.gpkg");
    const auto sites = dir / "sites.gpkg";
    gis::writeLayer(sites.string(), sitesLayer(1));
    for (const std::vector<std::string>& args :
         {std::vector<std::string>{"check", plan.string(), sites.string()},
          std::vector<std::string>{"info", plan.string()}})
        expectRefused(runCli(args), {"plan.toml:4: layer 'zone'", "look like longitude/latitude"},
                      {});
    // validate lists it as a problem of the layer (its job is to list them all).
    const auto v = runCli({"validate", plan.string()});
    CHECK(v.code == 1);
    CHECK(v.out.find("look like longitude/latitude") != std::string::npos);
}

TEST_CASE("Several layers in the sites source and no --layer: exit 2 naming them",
          "[io][adversarial]") {
    const auto dir = test::scratch("adversarial-layers");
    const auto plan = soundPlan(dir);
    auto a = sitesLayer(2), b = sitesLayer(3);
    a.name = "east";
    b.name = "west";
    const auto sites = dir / "two.gpkg";
    gis::writeLayers(sites.string(), {&a, &b});
    expectRefused(runCli({"check", plan.string(), sites.string()}),
                  {"two.gpkg", "holds layers east, west", "--layer"}, {});
    const auto json = checkJson(plan, sites, {"--layer", "west"});
    CHECK(json["sites"].size() == 3);
}

TEST_CASE("Doubtful but valid input reaches the report as warnings", "[io][adversarial]") {
    const auto dir = test::scratch("adversarial-doubt");
    SECTION("an empty sites layer is refused: a check of nothing certifies nothing") {
        const auto sites = dir / "empty.gpkg";
        gis::writeLayer(sites.string(), sitesFrom({}, gis::Crs::fromEpsg(4549)));
        expectRefused(runCli({"check", soundPlan(dir).string(), sites.string()}),
                      {"empty.gpkg", "holds no sites"}, {});
    }
    SECTION("repeated ids, a site under 1 m², a site outside every admin feature") {
        const auto sites = dir / "doubt.gpkg";
        // 0.5 m × 0.5 m = 0.25 m²; the third lies 5 km from the admin square.
        gis::writeLayer(sites.string(),
                        sitesFrom({square(500000, 3400000, 50), square(500060, 3400000, 0.5),
                                   square(505000, 3400000, 50)},
                                  gis::Crs::fromEpsg(4549), {"dup", "dup", "far"}));
        const auto json = checkJson(soundPlan(dir, true), sites);
        REQUIRE(json["sites"].size() == 3);
        const auto w = [&](std::size_t i) { return json["sites"][i]["warnings"].dump(); };
        CHECK(w(0).find("site id 'dup' is used by 2 features (fids 1, 2)") != std::string::npos);
        CHECK(w(1).find("site id 'dup'") != std::string::npos);
        CHECK(w(1).find("below 1 m²") != std::string::npos);
        CHECK(w(0).find("below 1 m²") == std::string::npos);
        CHECK(w(2).find("outside every feature of layer 'zone'") != std::string::npos);
        CHECK(w(0).find("outside every feature") == std::string::npos);
    }
    SECTION("a layer filter that selects nothing") {
        const auto plan = writePlan(dir, (dir / "zone.gpkg").string(), "id = 'nobody'");
        gis::writeLayer((dir / "zone.gpkg").string(), sitesLayer(2));
        const auto sites = dir / "s.gpkg";
        gis::writeLayer(sites.string(), sitesLayer(1));
        const auto json = checkJson(plan, sites);
        CHECK(json["warnings"].dump().find("filter 'id = 'nobody'' selects no feature") !=
              std::string::npos);
    }
    SECTION("--from gcj02 on coordinates outside China") {
        // Paris, in a plan in Web Mercator: GCJ-02 adds no offset there.
        const auto sites = dir / "paris.gpkg";
        gis::writeLayer(sites.string(),
                        sitesFrom({square(2.35, 48.85, 0.001)}, gis::Crs::fromEpsg(4326)));
        const auto set =
            core::SiteSet::load(sites.string(), gis::Crs::fromEpsg(3857), {"", "", "gcj02", ""});
        REQUIRE(set.sites.size() == 1);
        CHECK(set.sites[0].warnings.size() == 1);
        CHECK(set.sites[0].warnings[0].find("outside China") != std::string::npos);
        const auto china = dir / "china.gpkg";
        gis::writeLayer(china.string(),
                        sitesFrom({square(121.2, 31.0, 0.001)}, gis::Crs::fromEpsg(4326)));
        CHECK(core::SiteSet::load(china.string(), gis::Crs::fromEpsg(4549), {"", "", "gcj02", ""})
                  .sites[0]
                  .warnings.empty());
    }
}

TEST_CASE("Coordinate doubts: certain only when the numbers cannot be in the CRS",
          "[io][adversarial][crs]") {
    const auto cm120 = gis::Crs::fromEpsg(4549);  // CGCS2000 GK CM 120E, used near 118.5–121.5E
    // Lon/lat of Shanghai labelled EPSG:4549: certain.
    CHECK(gis::assessCoordinates({121.1, 30.9, 121.3, 31.1}, cm120).certain);
    // Local drawing units (0–80 m) read as lon/lat lie in Africa, far from 118.5–121.5E:
    // a doubt only.
    const auto local = gis::assessCoordinates({0, 0, 80, 80}, cm120);
    CHECK_FALSE(local.message.empty());
    CHECK_FALSE(local.certain);
    // Zone-prefixed eastings, and metres in a geographic CRS: certain.
    CHECK(gis::assessCoordinates({40500000, 3400000, 40510000, 3410000}, cm120).certain);
    CHECK(gis::assessCoordinates({500000, 3400000, 510000, 3410000}, gis::Crs::fromEpsg(4326))
              .certain);
    CHECK(gis::assessCoordinates({500000, 3400000, 510000, 3410000}, cm120).message.empty());
}
