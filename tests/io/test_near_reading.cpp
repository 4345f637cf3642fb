// Reading only the features near some boxes (a check of a few sites against a big one map):
// the features read are exactly those a whole read finds with a box meeting one of the boxes,
// the R-tree is trusted only when it accounts for every row, and a check answers the same
// whichever way it reads.
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <thread>

#include "../test_support.hpp"
#include "onemap/core/check/compliance_engine.hpp"
#include "onemap/core/check/one_map.hpp"
#include "onemap/core/check/site_set.hpp"
#include "onemap/core/plan/plan.hpp"
#include "onemap/gis/layer/layer_reader.hpp"
#include "onemap/gis/layer/layer_writer.hpp"

namespace fs = std::filesystem;
using namespace onemap;

namespace {

// 20 × 20 squares of 90 m on a 100 m grid, plus 30 big squares overlapping them, in EPSG:4549.
gis::VectorLayer gridLayer() {
    gis::VectorLayer l;
    l.name = "grid";
    l.crs = gis::Crs::fromEpsg(4549);
    l.geometryType = "Polygon";
    l.fields = {{"code", gis::FieldType::String}};
    const auto square = [](double x, double y, double side) {
        const auto n = [](double v) { return std::to_string(v); };
        return gis::Geometry::fromWkt("POLYGON((" + n(x) + " " + n(y) + "," + n(x + side) + " " +
                                      n(y) + "," + n(x + side) + " " + n(y + side) + "," + n(x) +
                                      " " + n(y + side) + "," + n(x) + " " + n(y) + "))");
    };
    std::int64_t fid = 1;
    for (int i = 0; i < 400; ++i) {
        gis::Feature f;
        f.fid = fid++;
        f.values = {std::string("c") + std::to_string(i)};
        f.geometry = square(500000.0 + 100.0 * (i % 20), 3400000.0 + 100.0 * (i / 20), 90);
        l.features.push_back(std::move(f));
    }
    for (int i = 0; i < 30; ++i) {
        gis::Feature f;
        f.fid = fid++;
        f.values = {std::string("big") + std::to_string(i)};
        f.geometry = square(500000.0 + 61.0 * i, 3400000.0 + 47.0 * i, 350);
        l.features.push_back(std::move(f));
    }
    return l;
}

std::vector<gis::Envelope> someBoxes() {
    return {{500150, 3400150, 500420, 3400330},   // several squares and big ones
            {500300, 3400200, 500500, 3400260},   // overlaps the first: nothing read twice
            {501910, 3401910, 501915, 3401915},   // inside the last square of the grid
            {500095, 3400095, 500100, 3400100},   // touches four squares at their corners
            {600000, 3500000, 600100, 3500100}};  // meets nothing
}

std::vector<std::int64_t> fidsMeeting(const gis::VectorLayer& whole,
                                      const std::vector<gis::Envelope>& boxes) {
    std::vector<std::int64_t> fids;
    for (const auto& f : whole.features)
        for (const auto& b : boxes)
            if (f.geometry.envelope().intersects(b)) {
                fids.push_back(f.fid);
                break;
            }
    return fids;
}

using test::slurp;

std::vector<std::int64_t> fidsOf(const gis::VectorLayer& layer) {
    std::vector<std::int64_t> fids;
    for (const auto& f : layer.features) fids.push_back(f.fid);
    return fids;
}

gis::ReadOptions nearOptions(const std::vector<gis::Envelope>& boxes, int epsg = 4549) {
    gis::ReadOptions o;
    o.near = boxes;
    o.nearCrs = gis::Crs::fromEpsg(epsg);
    return o;
}

}  // namespace

TEST_CASE("Reading near boxes reads exactly the features whose boxes meet them", "[io][near]") {
    const auto dir = test::scratch("near-read");
    const auto gpkg = (dir / "grid.gpkg").string();
    gis::writeLayer(gpkg, gridLayer());
    const auto whole = gis::readLayer(gpkg);
    REQUIRE(whole.features.size() == 430);
    CHECK_FALSE(whole.fullExtent);

    const auto boxes = someBoxes();
    const auto near = gis::readLayer(gpkg, nearOptions(boxes));
    const auto expected = fidsMeeting(whole, boxes);  // in fid order, each once
    CHECK(expected.size() > 10);
    CHECK(expected.size() < 100);
    CHECK(fidsOf(near) == expected);
    REQUIRE(near.fullExtent);
    const auto e = whole.extent();
    CHECK(near.fullExtent->minx == e.minx);
    CHECK(near.fullExtent->maxy == e.maxy);
    // Attributes and geometry come along unchanged.
    for (const auto& f : near.features) {
        const auto& w = whole.features[static_cast<std::size_t>(f.fid - 1)];
        CHECK(gis::toString(f.values[0]) == gis::toString(w.values[0]));
        CHECK(f.geometry.equalsExact(w.geometry, 0));
    }

    SECTION("an attribute filter applies too") {
        auto o = nearOptions(boxes);
        o.filter = "code LIKE 'big%'";
        const auto filtered = gis::readLayer(gpkg, o);
        std::vector<std::int64_t> bigs;
        for (const auto fid : expected)
            if (fid > 400) bigs.push_back(fid);
        CHECK(fidsOf(filtered) == bigs);
    }
    SECTION("boxes in another CRS: the layer is read whole") {
        const auto other = gis::readLayer(gpkg, nearOptions(boxes, 4326));
        CHECK(other.features.size() == 430);
        CHECK_FALSE(other.fullExtent);
    }
    SECTION("a stale R-tree (rows a writer left out) is not trusted: read whole") {
        test::capture("sqlite3 '" + gpkg + "' 'DELETE FROM rtree_grid_geom WHERE id = 7' 2>&1");
        const auto stale = gis::readLayer(gpkg, nearOptions(boxes));
        CHECK(stale.features.size() == 430);
        CHECK_FALSE(stale.fullExtent);
    }
    SECTION("damage inside one feature is found when that feature is near, and by a whole read") {
        auto damaged = whole;
        damaged.features[399].values[0] = std::string(
            "A\xff"
            "B");  // neither UTF-8 nor GBK
        const auto bad = (dir / "bad.gpkg").string();
        gis::writeLayer(bad, damaged);
        // fid 400 is the grid's last square (501900, 3401900): the third box meets it.
        CHECK_THROWS_WITH(gis::readLayer(bad, nearOptions(boxes)),
                          Catch::Contains("feature 400") && Catch::Contains("neither UTF-8"));
        CHECK_THROWS_WITH(gis::readLayer(bad), Catch::Contains("feature 400"));
        // Away from it, the features that meet the boxes are read, and only those.
        const std::vector<gis::Envelope> away(boxes.begin(), boxes.begin() + 2);
        CHECK(fidsOf(gis::readLayer(bad, nearOptions(away))) == fidsMeeting(whole, away));
    }
    SECTION("a shapefile (no verified index) is read whole") {
        const auto shp = (dir / "grid.shp").string();
        gis::writeLayer(shp, whole);
        const auto s = gis::readLayer(shp, nearOptions(boxes));
        CHECK(s.features.size() == 430);
        CHECK_FALSE(s.fullExtent);
    }
}

TEST_CASE("A check reads only what meets its sites and answers as a whole read does",
          "[io][near]") {
    const core::Plan plan = core::Plan::load(core::defaultPlanPath());
    const core::SiteSet sites = core::SiteSet::load(core::defaultSitesPath(), plan.crs, {});
    const auto scope = core::ComplianceEngine::scopeFor(plan, {}, sites);
    REQUIRE(scope.near.size() == sites.sites.size());
    const auto nearMap = core::OneMap::load(plan, nullptr, scope);
    const auto wholeMap = core::OneMap::load(plan);
    for (const auto& layer : nearMap->layers()) {
        const auto* whole = wholeMap->layer(layer->spec().id);
        INFO("layer " << layer->spec().id);
        // Layers of nearest-feature rules (stations, rail) are read whole; the rest near.
        bool nearest = false;
        for (const auto& rule : plan.rules)
            if (rule.text("layer") == layer->spec().id &&
                (rule.kind == "max_distance" || rule.kind == "min_distance"))
                nearest = true;
        // Nearest-feature layers whole, and dated layers (their warning counts the records
        // not yet in force in the whole layer); the rest near the sites where that is faster:
        // layers of more than kFeaturesPerNearBox features per site (the farmland, population
        // and streets).
        const bool dated = !layer->spec().dateField.empty();
        const bool big = static_cast<double>(whole->size()) >
                         gis::kFeaturesPerNearBox * static_cast<double>(sites.sites.size());
        CHECK(layer->readNearSitesOnly() == (!nearest && !dated && big));
        if (nearest || dated) CHECK(layer->size() == whole->size());
        CHECK(layer->extent().minx == Approx(whole->extent().minx).margin(1.0));
        CHECK(layer->extent().maxy == Approx(whole->extent().maxy).margin(1.0));
    }
    const auto* farmland = nearMap->layer("farmland");
    REQUIRE(farmland);
    CHECK(farmland->readNearSitesOnly());
    CHECK(farmland->size() * 10 < wholeMap->layer("farmland")->size());

    // Same verdicts, measures and features, to the byte, through the CLI.
    const auto dir = test::scratch("near-check");
    const auto a = (dir / "near.json").string();
    const auto b = (dir / "all.json").string();
    REQUIRE(test::runCli({"check", "--format", "json", "-o", a}).code == 1);
    REQUIRE(test::runCli({"check", "--format", "json", "--read-all", "-o", b}).code == 1);
    const auto ja = nlohmann::json::parse(slurp(a));
    const auto jb = nlohmann::json::parse(slurp(b));
    CHECK(ja["sites"].size() == 30);
    CHECK(ja == jb);
}

namespace {

// Runs `sql` on a GeoPackage as a tool that bypasses its R-tree triggers does: the triggers
// dropped, the edit made, and (with `restore`) the triggers put back as they were, so that
// only the R-tree's content can tell.
void editBehindTriggers(const std::string& gpkg, const std::string& sql, bool restore = true) {
    const std::string db = "sqlite3 '" + gpkg + "' ";
    const std::string create =
        test::capture(db +
                      "\"SELECT sql || ';' FROM sqlite_master WHERE type = 'trigger' AND name LIKE "
                      "'rtree%'\"");
    const std::string drop = test::capture(
        db +
        "\"SELECT 'DROP TRIGGER \"\"' || name || '\"\";' FROM sqlite_master WHERE type = "
        "'trigger' AND name LIKE 'rtree%'\"");
    const auto script = fs::path(gpkg).parent_path() / "edit.sql";
    std::ofstream(script) << "BEGIN;\n"
                          << drop << sql << ";\n"
                          << (restore ? create : std::string()) << "COMMIT;\n";
    test::capture(db + "< '" + script.string() + "' 2>&1");
}

}  // namespace

TEST_CASE("Every way an R-tree can disagree with its table: the near read is never believed",
          "[io][near]") {
    const auto dir = test::scratch("near-read-lying-rtree");
    const auto gpkg = (dir / "grid.gpkg").string();
    gis::writeLayer(gpkg, gridLayer());
    const auto whole = gis::readLayer(gpkg);
    const auto boxes = someBoxes();
    const auto expected = fidsMeeting(whole, boxes);
    // fid 23 is the grid square at (500300, 3400100): the first box meets it.
    REQUIRE(std::find(expected.begin(), expected.end(), 23) != expected.end());

    // The near read of the damaged file must find what a whole read of it finds near the
    // boxes, whatever the damage: either proven (and exact) or read whole, saying why.
    const auto requireSlowPathsAnswer = [&](const std::string& because) {
        const auto near = gis::readLayer(gpkg, nearOptions(boxes));
        const auto truth = gis::readLayer(gpkg);
        CHECK(near.features.size() == truth.features.size());
        CHECK_FALSE(near.fullExtent);
        CHECK_FALSE(near.readWholeBecause.empty());
        CHECK_THAT(near.readWholeBecause, Catch::Contains(because));
    };

    SECTION("untouched: proven, and exactly the features meeting the boxes") {
        const auto near = gis::readLayer(gpkg, nearOptions(boxes));
        CHECK(fidsOf(near) == expected);
        CHECK(near.readWholeBecause.empty());
    }
    SECTION("a box moved away (the parcel is missed by the R-tree)") {
        test::capture("sqlite3 '" + gpkg +
                      "' 'UPDATE rtree_grid_geom SET minx = minx + 9000, maxx = maxx + 9000 "
                      "WHERE id = 23'");
        requireSlowPathsAnswer("the R-tree box of feature 23 does not hold its geometry");
    }
    SECTION("a parcel redrawn elsewhere without its R-tree row (triggers bypassed, restored)") {
        // fid 300 takes fid 23's shape: it now meets the first box, its box says otherwise.
        editBehindTriggers(gpkg,
                           "UPDATE grid SET geom = (SELECT geom FROM grid WHERE fid = 23) "
                           "WHERE fid = 300");
        requireSlowPathsAnswer("feature 300 does not hold its geometry");
        // A whole read finds fid 300 near the boxes: the near read must not miss it.
        const auto truth = gis::readLayer(gpkg);
        CHECK(fidsMeeting(truth, boxes).size() == expected.size() + 1);
    }
    SECTION("the right boxes under ids that no longer exist") {
        editBehindTriggers(gpkg, "UPDATE grid SET fid = fid + 1000");
        requireSlowPathsAnswer("an entry for id 1, which no feature has");
    }
    SECTION("an entry whose row was deleted behind the triggers") {
        editBehindTriggers(gpkg, "DELETE FROM grid WHERE fid = 400");
        requireSlowPathsAnswer("an entry for id 400, which no feature has");
    }
    SECTION("a row without geometry (no box, by the spec)") {
        editBehindTriggers(gpkg,
                           "UPDATE grid SET geom = NULL WHERE fid = 5; DELETE FROM "
                           "rtree_grid_geom WHERE id = 5");
        requireSlowPathsAnswer("feature 5 has no geometry");
    }
    SECTION("the triggers dropped: later edits would not reach the R-tree") {
        editBehindTriggers(gpkg, "SELECT 1", /*restore=*/false);
        requireSlowPathsAnswer("_insert' is missing");
    }
    SECTION("a trigger replaced by one that does nothing") {
        test::capture("sqlite3 '" + gpkg +
                      "' 'DROP TRIGGER rtree_grid_geom_update1; CREATE TRIGGER "
                      "rtree_grid_geom_update1 AFTER UPDATE ON grid BEGIN SELECT 1; END'");
        requireSlowPathsAnswer("update triggers");
    }
    SECTION("the R-tree replaced by a plain table with the same rows") {
        test::capture("sqlite3 '" + gpkg +
                      "' 'CREATE TABLE copy AS SELECT * FROM rtree_grid_geom; DROP TABLE "
                      "rtree_grid_geom; CREATE TABLE rtree_grid_geom AS SELECT * FROM copy; "
                      "DROP TABLE copy'");
        // GDAL may see no spatial index at all then; either way, read whole.
        requireSlowPathsAnswer("");
    }
    SECTION("a geometry header whose envelope lies about the geometry") {
        // Bytes 8..39 of a GeoPackage blob: the header's minx, maxx, miny, maxy. Put fid
        // 23's header 9 km east; its coordinates and its R-tree box stay where they are.
        editBehindTriggers(gpkg,
                           "UPDATE grid SET geom = CAST(substr(geom, 1, 8) || "
                           "(SELECT substr(geom, 9, 32) FROM grid WHERE fid = 3) || "
                           "substr(geom, 41) AS BLOB) WHERE fid = 400");
        requireSlowPathsAnswer("the header envelope of feature 400 does not hold");
    }
}

TEST_CASE("A proven R-tree is kept against the file's identity, and proven again after an edit",
          "[io][near]") {
    const auto dir = test::scratch("near-read-kept-proof");
    const auto gpkg = (dir / "grid.gpkg").string();
    const auto kept = (dir / "kept").string();
    gis::writeLayer(gpkg, gridLayer());
    const auto whole = gis::readLayer(gpkg);
    const auto boxes = someBoxes();
    auto options = nearOptions(boxes);
    options.keepProofsIn = kept;
    // A file changed in the last 3 s is never kept against (the ctime tick could hide a
    // second write): let it age.
    std::this_thread::sleep_for(std::chrono::milliseconds(3200));
    CHECK(fidsOf(gis::readLayer(gpkg, options)) == fidsMeeting(whole, boxes));
    REQUIRE(fs::exists(fs::path(kept) / "rtree-proofs"));
    REQUIRE(std::distance(fs::directory_iterator(fs::path(kept) / "rtree-proofs"),
                          fs::directory_iterator()) == 1);
    // The box of fid 23 moved, the file's mtime put back: its ctime moved, so the kept proof
    // is not for these bytes; proven again, and doubted.
    const auto when = fs::last_write_time(gpkg);
    test::capture("sqlite3 '" + gpkg +
                  "' 'UPDATE rtree_grid_geom SET minx = minx + 9000, maxx = maxx + 9000 WHERE "
                  "id = 23'");
    fs::last_write_time(gpkg, when);
    const auto after = gis::readLayer(gpkg, options);
    CHECK(after.features.size() == whole.features.size());
    CHECK_THAT(after.readWholeBecause, Catch::Contains("feature 23"));
}

TEST_CASE("A farmland parcel whose R-tree box was moved: check answers as --read-all does",
          "[io][near]") {
    // The sample one map, copied; the farmland parcel under a failing site gets its R-tree
    // box moved 50 km away. Before the proof, the near read reported 0 m² and exit 0.
    const auto dir = test::scratch("near-check-moved-box");
    for (const auto& e : fs::directory_iterator(fs::path(core::defaultPlanPath()).parent_path()))
        if (e.is_regular_file()) fs::copy_file(e.path(), dir / e.path().filename());
    const auto plan = (dir / "g60.toml").string();
    const auto sitesPath = (dir / "sites.gpkg").string();
    const auto farmland =
        gis::readLayer((dir / "g60.gpkg").string(), gis::ReadOptions::forTable("farmland"));
    const auto sites = gis::readLayer(sitesPath);
    // The first site a farmland parcel overlaps, and that parcel (found by GEOS, not onemap's
    // engine).
    std::int64_t fid = -1;
    std::size_t site = 0;
    for (std::size_t s = 0; s < sites.features.size() && fid < 0; ++s)
        for (const auto& f : farmland.features)
            if (f.geometry.envelope().intersects(sites.features[s].geometry.envelope()) &&
                f.geometry.intersection(sites.features[s].geometry).area() > 100) {
                fid = f.fid;
                site = s;
                break;
            }
    REQUIRE(fid > 0);
    // Only that site is checked, so the farmland is read near it.
    const auto one = (dir / "one.gpkg").string();
    auto oneSite = sites;
    oneSite.features = {sites.features[site]};
    gis::writeLayer(one, oneSite);
    test::capture("sqlite3 '" + (dir / "g60.gpkg").string() +
                  "' 'UPDATE rtree_farmland_geom SET minx = minx + 50000, maxx = maxx + 50000 "
                  "WHERE id = " +
                  std::to_string(fid) + "'");
    const auto near = (dir / "near.json").string();
    const auto all = (dir / "all.json").string();
    const auto a = test::runCli(
        {"check", plan, one, "--format", "json", "--no-cache", "--verbose", "-o", near});
    const auto b = test::runCli(
        {"check", plan, one, "--format", "json", "--no-cache", "--read-all", "-o", all});
    CHECK(a.code == b.code);
    CHECK(a.code == 1);
    CHECK_THAT(a.err, Catch::Contains("layer 'farmland' read whole") &&
                          Catch::Contains("feature " + std::to_string(fid)));
    const auto ja = nlohmann::json::parse(slurp(near));
    const auto jb = nlohmann::json::parse(slurp(all));
    CHECK(ja["sites"] == jb["sites"]);
}
