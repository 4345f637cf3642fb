// The prepared-layer cache: a cached load equals a load from the source (features, values,
// geometries, warnings, verdicts), an edited source or a damaged entry is never used, a near
// read from the cache takes only what meets the boxes, and --no-cache writes nothing.
#include <sys/stat.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <thread>

#include "../test_support.hpp"
#include "onemap/core/check/compliance_engine.hpp"
#include "onemap/core/check/one_map.hpp"
#include "onemap/core/report/text_report.hpp"
#include "onemap/gis/layer/layer_snapshot.hpp"
#include "onemap/gis/layer/layer_writer.hpp"

using namespace onemap;
namespace fs = std::filesystem;

namespace {

constexpr int kSide = 40;  // 40 × 40 = 1,600 parcels: above LayerCache::kMinFeatures

// Parcels of 100 × 100 m with text (Chinese), big integers, reals and NULLs; one bow-tie
// (invalid: repaired on load, with a warning) and one without geometry.
gis::VectorLayer parcels() {
    gis::VectorLayer l;
    l.name = "farm";
    l.crs = gis::Crs::fromEpsg(4549);
    l.geometryType = "Polygon";
    l.fields = {{"id", gis::FieldType::String},
                {"big", gis::FieldType::Integer},
                {"mu", gis::FieldType::Real}};
    for (int i = 0; i < kSide * kSide; ++i) {
        const double x = 500000 + 100.0 * (i % kSide), y = 3400000 + 100.0 * (i / kSide);
        gis::Feature f;
        f.fid = i + 1;
        char id[32];
        std::snprintf(id, sizeof id, "地块-%04d", i);
        f.values = {std::string(id), std::int64_t{9007199254740993} + i,
                    i % 7 == 0 ? gis::Value{} : gis::Value{0.15 * i}};
        f.geometry = test::rect(x, y, x + 100, y + 100);
        if (i == 5)
            f.geometry = gis::Geometry::fromWkt(
                "POLYGON((500500 3400000,500600 3400100,500600 "
                "3400000,500500 3400100,500500 3400000))");
        if (i == 6) f.geometry = gis::Geometry();
        l.features.push_back(std::move(f));
    }
    return l;
}

struct Fixture {
    fs::path dir = test::scratch("layer-cache");
    fs::path cache = dir / "cache";
    fs::path gpkg = dir / "farm.gpkg";
    fs::path plan = dir / "plan.toml";
    Fixture() {
        setenv("XDG_CACHE_HOME", cache.c_str(), 1);
        gis::writeLayer(gpkg.string(), parcels());
        std::ofstream(plan) << R"(name = "t"
crs = "EPSG:4549"
[[layers]]
id = "farm"
title = "农田"
source = "farm.gpkg"
id_field = "id"
[[rules]]
id = "no-farm"
title = "不占农田"
kind = "must_not_overlap"
layer = "farm"
)";
    }
    std::shared_ptr<const core::OneMap> load(bool useCache = true,
                                             std::vector<gis::Envelope> near = {}) const {
        core::LoadScope scope;
        scope.cache = useCache;
        if (!near.empty()) {
            scope.near = std::move(near);
            scope.nearLayers = {"farm"};
        }
        return core::OneMap::load(core::Plan::load(plan.string()), nullptr, scope);
    }
    std::vector<fs::path> entries() const {
        std::vector<fs::path> out;
        std::error_code ec;
        for (const auto& e : fs::directory_iterator(cache / "onemap", ec))
            if (e.path().extension() == ".layer") out.push_back(e.path());
        return out;
    }
};

void requireSameLayer(const core::MapLayer& a, const core::MapLayer& b) {
    REQUIRE(a.size() == b.size());
    for (std::size_t i = 0; i < a.size(); ++i) {
        const auto& fa = a.data().features[i];
        const auto& fb = b.data().features[i];
        REQUIRE(fa.fid == fb.fid);
        REQUIRE(fa.values == fb.values);
        REQUIRE(fa.geometry.equalsExact(fb.geometry));
    }
    REQUIRE(a.repairedCount() == b.repairedCount());
    REQUIRE(a.sourceCrs() == b.sourceCrs());
    REQUIRE(a.data().fields.size() == b.data().fields.size());
    REQUIRE(a.extent().minx == b.extent().minx);
    REQUIRE(a.extent().maxy == b.extent().maxy);
}

std::string verdicts(const std::shared_ptr<const core::OneMap>& map) {
    gis::VectorLayer sites = test::layerOf(
        "sites",
        {test::rect(500050, 3400050, 500250, 3400180), test::rect(499000, 3399000, 499100, 3399100),
         test::rect(500450, 3400020, 500650, 3400080)},
        {"S1", "S2", "S3"});
    const auto set =
        core::SiteSet::fromGeometries(std::move(sites), gis::Crs::fromEpsg(4549), {}, "test");
    return core::reportText(core::ComplianceEngine(map, {}).run(set));
}

// Same-length bytes changed inside the file (`from` → `to`), then its old mtime put back.
void editKeepingTime(const fs::path& file, const std::string& from, const std::string& to) {
    REQUIRE(from.size() == to.size());
    const auto when = fs::last_write_time(file);
    std::string bytes;
    {
        std::ifstream in(file, std::ios::binary);
        bytes.assign(std::istreambuf_iterator<char>(in), {});
    }
    const auto at = bytes.find(from);
    REQUIRE(at != std::string::npos);
    {
        std::fstream io(file, std::ios::binary | std::ios::in | std::ios::out);
        io.seekp(static_cast<std::streamoff>(at));
        io.write(to.data(), static_cast<std::streamsize>(to.size()));
    }
    fs::last_write_time(file, when);
}

// The source's SHA-256 by another program than onemap's.
std::string sha256sum(const fs::path& file) {
    const std::string cmd = "sha256sum '" + file.string() + "'";
    FILE* p = ::popen(cmd.c_str(), "r");
    REQUIRE(p != nullptr);
    char hex[65] = {};
    const std::size_t got = std::fread(hex, 1, 64, p);
    ::pclose(p);
    REQUIRE(got == 64);
    return hex;
}

std::string inputHash(const core::OneMap& map, const fs::path& file) {
    for (const auto& [path, hash] : map.inputs())
        if (fs::equivalent(path, file)) return hash;
    return "";
}

void rewriteHash(const fs::path& entry, const std::string& hash) {
    std::string text;
    {
        std::ifstream in(entry);
        text.assign(std::istreambuf_iterator<char>(in), {});
    }
    REQUIRE(text.size() > 65);
    text.replace(text.size() - 65, 64, hash);
    std::ofstream(entry, std::ios::trunc) << text;
}

}  // namespace

TEST_CASE("Audit hash: kept between runs only for the very same bytes", "[core][cache]") {
    Fixture fx;
    // Files changed in the last 3 s are never remembered (a second write in the same
    // timestamp tick would not show); let the fixture's files age past that.
    std::this_thread::sleep_for(std::chrono::milliseconds(3200));
    const std::string truth = sha256sum(fx.gpkg);
    REQUIRE(inputHash(*fx.load(), fx.gpkg) == truth);
    std::vector<fs::path> kept;
    for (const auto& e : fs::directory_iterator(fx.cache / "onemap" / "hashes"))
        kept.push_back(e.path());
    REQUIRE(kept.size() == 2);  // the plan and the GeoPackage
    for (const auto& dir : {fx.cache / "onemap", fx.cache / "onemap" / "hashes"})
        REQUIRE((fs::status(dir).permissions() & (fs::perms::group_all | fs::perms::others_all)) ==
                fs::perms::none);
    const fs::path entry = [&] {
        for (const auto& k : kept) {
            std::ifstream in(k);
            const std::string text((std::istreambuf_iterator<char>(in)), {});
            if (text.find(fs::canonical(fx.gpkg).string() + "\n") != std::string::npos) return k;
        }
        return fs::path();
    }();
    REQUIRE_FALSE(entry.empty());
    // The next run takes the kept hash (a forged one shows through, so it is read) ...
    const std::string forged(64, 'a');
    rewriteHash(entry, forged);
    REQUIRE(inputHash(*fx.load(), fx.gpkg) == forged);
    // ... but not with --no-cache, nor a malformed one.
    REQUIRE(inputHash(*fx.load(false), fx.gpkg) == truth);
    rewriteHash(entry, std::string(63, 'a') + "g");
    REQUIRE(inputHash(*fx.load(), fx.gpkg) == truth);
    // A FIFO in the entry's place neither blocks nor is believed.
    fs::remove(entry);
    REQUIRE(::mkfifo(entry.c_str(), 0600) == 0);
    REQUIRE(inputHash(*fx.load(), fx.gpkg) == truth);
    fs::remove(entry);
    REQUIRE(inputHash(*fx.load(), fx.gpkg) == truth);  // kept again
    rewriteHash(entry, forged);
    // Bytes edited in place, size and mtime put back: the ctime moved, the file is hashed
    // again, and the layer read again from the source.
    const auto when = fs::last_write_time(fx.gpkg);
    const std::string from = "地块-0002", to = "地块-9992";
    editKeepingTime(fx.gpkg, from, to);
    const std::string edited = sha256sum(fx.gpkg);
    REQUIRE(edited != truth);
    const auto map = fx.load();
    REQUIRE(inputHash(*map, fx.gpkg) == edited);
    REQUIRE_FALSE(map->layer("farm")->fromCache());
    REQUIRE(map->layer("farm")->featureId(2) == "地块-9992");
    // A file replaced by another of the same size and time: another inode, hashed again.
    const fs::path copy = fx.dir / "copy.gpkg";
    fs::copy_file(fx.gpkg, copy);
    editKeepingTime(copy, to, from);
    fs::last_write_time(copy, when);
    fs::rename(copy, fx.gpkg);
    REQUIRE(inputHash(*fx.load(), fx.gpkg) == truth);
}

TEST_CASE("Cache: a second load comes from the cache and equals a load from the source",
          "[core][cache]") {
    Fixture fx;
    const auto first = fx.load();
    REQUIRE_FALSE(first->layer("farm")->fromCache());
    REQUIRE(fx.entries().size() == 1);
    const auto cached = fx.load();
    const auto source = fx.load(false);
    REQUIRE(cached->layer("farm")->fromCache());
    REQUIRE_FALSE(source->layer("farm")->fromCache());
    requireSameLayer(*cached->layer("farm"), *source->layer("farm"));
    REQUIRE(cached->layer("farm")->repairedCount() == 1);
    REQUIRE(cached->warnings() == source->warnings());
    REQUIRE(cached->inputs() == source->inputs());
    // The big integers and Chinese text as written, not rounded through a double.
    REQUIRE(cached->layer("farm")->data().features[1].values[1] ==
            gis::Value{std::int64_t{9007199254740994}});
    REQUIRE(cached->layer("farm")->featureId(0) == "地块-0000");
    REQUIRE(verdicts(cached) == verdicts(source));
    REQUIRE(verdicts(cached).find("S1") != std::string::npos);
}

TEST_CASE("Cache: a source edited in place, its size and time kept, is read again",
          "[core][cache]") {
    Fixture fx;
    fx.load();
    REQUIRE(fx.load()->layer("farm")->fromCache());
    // Same-length bytes changed inside the SQLite record, then the old time put back: the
    // file's identity is unchanged, only its content (the audit hash) tells.
    editKeepingTime(fx.gpkg, "地块-0001", "地块-9991");
    const auto map = fx.load();
    REQUIRE_FALSE(map->layer("farm")->fromCache());
    REQUIRE(map->layer("farm")->featureId(1) == "地块-9991");
    // ... and the entry made again from the new bytes serves the next run.
    const auto again = fx.load();
    REQUIRE(again->layer("farm")->fromCache());
    REQUIRE(again->layer("farm")->featureId(1) == "地块-9991");
}

TEST_CASE("Cache: a damaged entry is never used, whatever byte is damaged", "[core][cache]") {
    Fixture fx;
    const auto source = fx.load(false);
    fx.load();
    REQUIRE(fx.entries().size() == 1);
    const fs::path entry = fx.entries().front();
    const auto size = fs::file_size(entry);
    std::string good;
    {
        std::ifstream in(entry, std::ios::binary);
        good.assign(std::istreambuf_iterator<char>(in), {});
    }
    // Every byte flipped somewhere through the file (header, metadata, values, WKB, arrays,
    // block sums, trailer): the snapshot reader refuses each one.
    for (std::size_t at = 0; at < size; at += size / 97 + 1) {
        std::string bad = good;
        bad[at] = static_cast<char>(bad[at] ^ 0x10);
        std::ofstream(entry, std::ios::binary | std::ios::trunc) << bad;
        INFO("byte " << at << " of " << size);
        REQUIRE_FALSE(gis::readLayerSnapshot(entry.string(), {}).has_value());
    }
    std::ofstream(entry, std::ios::binary | std::ios::trunc) << good.substr(0, size / 2);
    REQUIRE_FALSE(gis::readLayerSnapshot(entry.string(), {}).has_value());
    // Through a load: the source is read, the answer is the source's, the entry is mended.
    const auto map = fx.load();
    REQUIRE_FALSE(map->layer("farm")->fromCache());
    requireSameLayer(*map->layer("farm"), *source->layer("farm"));
    REQUIRE(fs::file_size(entry) == size);
    REQUIRE(fx.load()->layer("farm")->fromCache());
}

TEST_CASE("Cache: a near read takes only the features whose boxes meet the sites",
          "[core][cache]") {
    Fixture fx;
    const auto whole = fx.load();
    // A box over columns 2..4 and rows 1..2 (touching edges count, as in an R-tree query).
    const gis::Envelope box{500250, 3400150, 500450, 3400250};
    // Many sites' boxes (here the one box and 299 far away) are taken from the cache; a few
    // from the GeoPackage's R-tree: the same features either way.
    std::vector<gis::Envelope> boxes(300, gis::Envelope{100, 100, 101, 101});
    boxes.front() = box;
    const auto near = fx.load(true, boxes);
    const auto& layer = *near->layer("farm");
    REQUIRE(layer.fromCache());
    const auto few = fx.load(true, {box});
    REQUIRE_FALSE(few->layer("farm")->fromCache());
    std::size_t meeting = 0;  // (this GeoPackage is read whole: a row without geometry has
    for (const auto& f : few->layer("farm")->data().features)  // no R-tree box)
        if (!f.geometry.isEmpty() && f.geometry.envelope().intersects(box)) ++meeting;
    REQUIRE(meeting == layer.size());
    REQUIRE(layer.readNearSitesOnly());
    std::size_t expected = 0;
    for (const auto& f : whole->layer("farm")->data().features)
        if (!f.geometry.isEmpty() && f.geometry.envelope().intersects(box)) ++expected;
    REQUIRE(expected == 3 * 2);  // columns 2, 3, 4 (x 500200–500500) × rows 1, 2
    REQUIRE(layer.size() == expected);
    for (const auto& f : layer.data().features) REQUIRE(f.geometry.envelope().intersects(box));
    // The whole layer's extent, not the part read.
    REQUIRE(layer.extent().minx == Approx(500000));
    REQUIRE(layer.extent().maxx == Approx(500000 + 100.0 * kSide));
}

TEST_CASE("Cache: sources that are not files are neither cached nor hashed", "[core][cache]") {
    Fixture fx;
    // A folder of shapefiles read as one dataset: no file to hash, nothing to key a cache on.
    fs::create_directories(fx.dir / "shp");
    auto big = parcels();
    big.name = "roads";
    gis::writeLayer((fx.dir / "shp" / "roads.shp").string(), big);
    std::ofstream(fx.plan, std::ios::app) << R"(
[[layers]]
id = "roads"
title = "道路"
source = "shp"
table = "roads"
)";
    for (int run = 0; run < 2; ++run) {
        const auto map = fx.load();
        REQUIRE_FALSE(map->layer("roads")->fromCache());
        REQUIRE(map->layer("roads")->size() == parcels().features.size());
        for (const auto& [path, sha] : map->inputs()) {
            INFO(path);
            REQUIRE(sha.size() == 64);  // files only, each with its hash
        }
        REQUIRE(map->inputs().count((fx.dir / "shp").string()) == 0);
    }
    REQUIRE(fx.entries().size() == 1);  // the farmland's entry only
}

TEST_CASE("Cache: --no-cache reads the sources and writes nothing", "[core][cache]") {
    Fixture fx;
    REQUIRE_FALSE(fx.load(false)->layer("farm")->fromCache());
    REQUIRE(fx.entries().empty());
    const fs::path sites = fx.dir / "sites.gpkg";
    gis::writeLayer(sites.string(),
                    test::layerOf("sites", {test::rect(500050, 3400050, 500250, 3400180)}));
    const auto r = test::runCli({"check", fx.plan.string(), sites.string(), "--no-cache"});
    INFO(r.err);
    REQUIRE(r.code == 1);  // ran, and the site overlaps the farmland
    REQUIRE(fx.entries().empty());
}

TEST_CASE("Cache: a shapefile's .dbf edited in place is another source, and an input of its own",
          "[core][cache]") {
    Fixture fx;
    const fs::path shp = fx.dir / "farm.shp";
    gis::writeLayer(shp.string(), parcels());
    std::ofstream(fx.plan) << R"(name = "t"
crs = "EPSG:4549"
[[layers]]
id = "farm"
title = "农田"
source = "farm.shp"
id_field = "id"
)";
    fx.load();
    REQUIRE(fx.load()->layer("farm")->fromCache());
    // Every file of the shapefile is an input, with its own SHA-256.
    const fs::path dbf = fx.dir / "farm.dbf";
    for (const auto& side : {"farm.shp", "farm.shx", "farm.dbf", "farm.prj", "farm.cpg"})
        REQUIRE(inputHash(*fx.load(), fx.dir / side) == sha256sum(fx.dir / side));
    // Same-length bytes changed in the .dbf, its time put back; the .shp untouched.
    editKeepingTime(dbf, "地块-0001", "地块-9991");
    const auto map = fx.load();
    REQUIRE_FALSE(map->layer("farm")->fromCache());
    REQUIRE(map->layer("farm")->featureId(1) == "地块-9991");
    REQUIRE(inputHash(*map, dbf) == sha256sum(dbf));
    const auto again = fx.load();
    REQUIRE(again->layer("farm")->fromCache());
    REQUIRE(again->layer("farm")->featureId(1) == "地块-9991");
}
