// An engine binds its rules to its map once and keeps what they compute per map (the quota
// rule's approved use per unit), as `onemap serve` keeps one engine for many requests. The
// fast path (one engine, checked again and again) must answer what the slow path (a fresh
// engine per check) answers, byte for byte: on a clean map, on a --dirty one (invalid and
// duplicated parcels), and on sites GEOS cannot measure.
#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>

#include "../test_support.hpp"
#include "onemap/core/check/compliance_engine.hpp"
#include "onemap/core/report/json_report.hpp"

using namespace onemap;
namespace fs = std::filesystem;

namespace {

// The sites of `all` picked by `keep(index)`, the rest of the set as it is.
template <typename Keep>
core::SiteSet subset(const core::SiteSet& all, Keep keep) {
    core::SiteSet s = all;
    s.sites.clear();
    for (std::size_t i = 0; i < all.sites.size(); ++i)
        if (keep(i)) s.sites.push_back(all.sites[i]);
    return s;
}

// Each set checked by one reused engine and by a fresh engine: the same JSON.
void compareReusedWithFresh(const std::shared_ptr<const core::OneMap>& map,
                            const std::vector<core::SiteSet>& sets, bool conflictGeometries) {
    core::ComplianceEngine reused(map);
    reused.setConflictGeometries(conflictGeometries);
    for (std::size_t k = 0; k < sets.size(); ++k) {
        INFO("set " << k << ", conflict geometries " << conflictGeometries);
        core::ComplianceEngine fresh(map);
        fresh.setConflictGeometries(conflictGeometries);
        const std::string expected = core::reportJson(fresh.run(sets[k]), "test");
        CHECK(core::reportJson(reused.run(sets[k]), "test") == expected);
    }
}

std::vector<core::SiteSet> setsOf(const core::SiteSet& all) {
    core::SiteSet damaged = all;
    // A bowtie slipped past the reader's repair: GEOS refuses it, the site is unchecked.
    core::Site bowtie = all.sites.front();
    bowtie.id = "P-BOWTIE";
    const auto box = bowtie.geometry.envelope();
    bowtie.geometry = gis::Geometry::fromWkt(
        "POLYGON((" + std::to_string(box.minx) + " " + std::to_string(box.miny) + "," +
        std::to_string(box.maxx) + " " + std::to_string(box.maxy) + "," + std::to_string(box.maxx) +
        " " + std::to_string(box.miny) + "," + std::to_string(box.minx) + " " +
        std::to_string(box.maxy) + "," + std::to_string(box.minx) + " " + std::to_string(box.miny) +
        "))");
    damaged.sites.insert(damaged.sites.begin() + 1, bowtie);
    const std::size_t half = all.sites.size() / 2;
    return {subset(all, [half](std::size_t i) { return i >= half; }), all,
            subset(all, [half](std::size_t i) { return i < half; }),  damaged,
            subset(all, [](std::size_t i) { return i % 3 == 0; }),    all};
}

}  // namespace

TEST_CASE("A reused engine answers as a fresh one on the bundled sample", "[core][engine][reuse]") {
    const auto plan = core::Plan::load(std::string(ONEMAP_SAMPLE_DIR) + "/g60.toml");
    const auto map = core::OneMap::load(plan);
    const auto all = core::SiteSet::load(std::string(ONEMAP_SAMPLE_DIR) + "/sites.gpkg", plan.crs);
    REQUIRE(all.sites.size() > 3);
    compareReusedWithFresh(map, setsOf(all), false);
    compareReusedWithFresh(map, setsOf(all), true);
}

TEST_CASE("A reused engine answers as a fresh one on a --dirty one map", "[core][engine][reuse]") {
    const fs::path dir = test::scratch("engine-reuse-dirty");
    fs::remove_all(dir);
    const std::string gen = ONEMAP_SAMPLE_GEN;
    if (!fs::exists(gen)) {
        WARN("no " << gen << " in this build: the --dirty comparison is left out");
        return;
    }
    REQUIRE(std::system((gen + " --farmland 3000 --sites 40 --seed 60 --dirty --out " +
                         dir.string() + " >/dev/null 2>&1")
                            .c_str()) == 0);
    const auto plan = core::Plan::load((dir / "g60.toml").string());
    const auto map = core::OneMap::load(plan);
    REQUIRE_FALSE(map->warnings().empty());  // the damage the loader repaired, reported
    const auto all = core::SiteSet::load((dir / "sites.gpkg").string(), plan.crs);
    REQUIRE(all.sites.size() > 3);
    compareReusedWithFresh(map, setsOf(all), false);
    compareReusedWithFresh(map, setsOf(all), true);
    fs::remove_all(dir);
}
