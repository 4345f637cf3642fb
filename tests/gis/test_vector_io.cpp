#include <catch2/catch.hpp>
#include <filesystem>

#include "../scratch.hpp"
#include "onemap/gis/base/atomic_file.hpp"
#include "onemap/gis/base/error.hpp"
#include "onemap/gis/layer/layer_reader.hpp"
#include "onemap/gis/layer/layer_snapshot.hpp"
#include "onemap/gis/layer/layer_writer.hpp"

using namespace onemap::gis;
namespace fs = std::filesystem;

namespace {

using onemap::test::scratch;

VectorLayer sampleLayer() {
    VectorLayer l;
    l.name = "parcels";
    l.crs = Crs::fromEpsg(4549);
    l.geometryType = "MultiPolygon";
    l.fields = {
        {"名称", FieldType::String}, {"invest", FieldType::Integer}, {"ratio", FieldType::Real}};
    Feature a;
    a.fid = 1;
    a.values = {std::string("松江区人工智能产业园"), std::int64_t{12345678901}, 1.2345678901234};
    a.geometry = Geometry::fromWkt(
        "MULTIPOLYGON(((500000 3400000,500100 3400000,500100 3400100,500000 3400100,500000 "
        "3400000),"
        "(500010 3400010,500020 3400010,500020 3400020,500010 3400020,500010 3400010)),"
        "((500200 3400000,500300 3400000,500300 3400100,500200 3400000)))");
    Feature b;
    b.fid = 2;
    b.values = {Value{}, Value{}, Value{}};  // NULLs
    b.geometry = Geometry::fromWkt(
        "MULTIPOLYGON(((501000 3400000,501100 3400000,501100 3400100,501000 3400000)))");
    l.features = {a, b};
    return l;
}

}  // namespace

TEST_CASE("Layers round-trip through GeoPackage, GeoJSON and FlatGeobuf", "[gis][io]") {
    const auto dir = scratch("io");
    const VectorLayer in = sampleLayer();
    for (const std::string ext : {".gpkg", ".geojson", ".fgb"}) {
        INFO(ext);
        const std::string path = (dir / ("layer" + ext)).string();
        writeLayer(path, in);
        VectorLayer out = readLayer(path);
        REQUIRE(out.features.size() == 2);
        // FlatGeobuf's spatial index may reorder features: put the NULL row second.
        if (isNull(out.features[0].values[0])) std::swap(out.features[0], out.features[1]);
        CHECK(out.crs.epsg() == 4549);
        CHECK(std::get<std::string>(out.features[0].values[0]) == "松江区人工智能产业园");
        CHECK(toNumber(out.features[0].values[1]) == 12345678901.0);
        CHECK(std::get<double>(out.features[0].values[2]) == 1.2345678901234);
        CHECK(isNull(out.features[1].values[0]));
        CHECK(isNull(out.features[1].values[1]));
        CHECK(out.features[0].geometry.area() == Approx(in.features[0].geometry.area()));
        CHECK(out.features[0].geometry.equalsExact(in.features[0].geometry, 1e-9));
    }
}

TEST_CASE("A failed write leaves nothing behind", "[gis][io]") {
    const auto dir = scratch("atomic");
    VectorLayer bad = sampleLayer();
    bad.fields.push_back(
        {"extra", FieldType::String});  // features lack this value → must not crash
    for (auto& f : bad.features) f.values.emplace_back(std::string("x"));
    const std::string path = (dir / "out.gpkg").string();
    writeLayer(path, bad);
    CHECK(fs::exists(path));
    CHECK_THROWS_AS(writeLayer((dir / "out.unknown").string(), bad), onemap::InputError);
    std::size_t files = 0;
    for ([[maybe_unused]] const auto& e : fs::directory_iterator(dir)) ++files;
    CHECK(files == 1);  // only out.gpkg: no temporaries
}

TEST_CASE("Zip-based formats are written whole, whatever the staging folder is called",
          "[gis][io]") {
    // GDAL opens "x.xlsx" or "x.kmz" anywhere in a path as a zip archive: a staging folder
    // named after the output once made the XLSX writer fail to save.
    const auto dir = scratch("zipped");
    VectorLayer table = sampleLayer();
    table.geometryType = "None";
    for (auto& f : table.features) f.geometry = Geometry();
    WriteOptions options;
    options.format = "XLSX";
    const std::string path = (dir / "points.xlsx").string();
    writeLayer(path, table, options);
    const VectorLayer back = readLayer(path);
    REQUIRE(back.features.size() == 2);
    CHECK(back.fields.size() == 3);
}

TEST_CASE("Reading a missing file names it", "[gis][io]") {
    try {
        (void)readLayer("/nonexistent/sites.gpkg");
        FAIL("no exception");
    } catch (const onemap::InputError& e) {
        CHECK_THAT(e.what(), Catch::Contains("/nonexistent/sites.gpkg"));
    }
}

TEST_CASE("SHA-256 matches the FIPS 180-4 examples", "[gis][hash]") {
    CHECK(sha256("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    CHECK(sha256("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    CHECK(sha256("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq") ==
          "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
    const auto dir = scratch("hash");
    writeFileAtomically((dir / "a.txt").string(), "abc");
    CHECK(sha256File((dir / "a.txt").string()) == sha256("abc"));
}

TEST_CASE("A geometry OGR cannot take fails the write — no feature is written without it",
          "[gis][io]") {
    // OGR refuses geometry collections nested deeper than 32 levels (a recursion guard);
    // GEOS builds and writes them, so the conversion fails on our side of the write.
    std::string wkt = "POINT(500000 3400000)";
    for (int i = 0; i < 40; ++i) wkt = "GEOMETRYCOLLECTION(" + wkt + ")";
    VectorLayer l;
    l.name = "deep";
    l.crs = Crs::fromEpsg(4549);
    l.geometryType = "GeometryCollection";
    Feature f;
    f.fid = 7;
    f.geometry = Geometry::fromWkt(wkt);
    l.features.push_back(f);
    const auto dir = scratch("deep-collection");
    const std::string out = (dir / "deep.gpkg").string();
    try {
        writeLayer(out, l);
        FAIL("written");
    } catch (const onemap::InputError& e) {
        CHECK(std::string(e.what()).find("feature 7") != std::string::npos);
    }
    CHECK_FALSE(fs::exists(out));
}

TEST_CASE("A read that checks validity keeps valid geometries as WKB, the same geometries",
          "[gis][io]") {
    // Every kind a layer holds: valid polygons (one with a hole), a bow-tie and a spike
    // (invalid), a line, a point and a feature without geometry.
    VectorLayer in;
    in.name = "mixed";
    in.crs = Crs::fromEpsg(4549);
    in.geometryType = "Unknown";
    in.fields = {{"名称", FieldType::String}};
    const std::vector<std::string> wkts = {
        "POLYGON((500000 3400000,500100 3400000,500100 3400100,500000 3400100,500000 3400000))",
        "POLYGON((500000 3400000,500100 3400100,500100 3400000,500000 3400100,500000 3400000))",
        "MULTIPOLYGON(((500200 3400000,500300 3400000,500300 3400100,500200 3400100,500200 "
        "3400000),(500210 3400010,500220 3400010,500220 3400020,500210 3400010)))",
        "POLYGON((500400 3400000,500500 3400000,500500 3400100,500450 3400100,500450 3400200,"
        "500450 3400100,500400 3400100,500400 3400000))",
        "LINESTRING(500000 3401000,500500 3401500,501000 3401000)",
        "POINT(500600 3400600)",
        ""};
    for (std::size_t i = 0; i < wkts.size(); ++i) {
        Feature f;
        f.fid = static_cast<std::int64_t>(i + 1);
        f.values = {std::string("地块") + std::to_string(i)};
        if (!wkts[i].empty()) f.geometry = Geometry::fromWkt(wkts[i]);
        in.features.push_back(f);
    }
    const auto dir = scratch("check-validity");
    const std::string path = (dir / "mixed.gpkg").string();
    writeLayer(path, in);

    const VectorLayer plain = readLayer(path);
    ReadOptions options;
    options.checkValidityIn = Crs::fromEpsg(4549);
    const VectorLayer checked = readLayer(path, options);
    REQUIRE(plain.features.size() == wkts.size());
    REQUIRE(checked.features.size() == wkts.size());
    std::size_t kept = 0;
    for (std::size_t i = 0; i < wkts.size(); ++i) {
        INFO("feature " << i + 1);
        const Geometry& a = plain.features[i].geometry;
        const Geometry& b = checked.features[i].geometry;
        CHECK(a.deferredWkb() == nullptr);  // not asked: built as ever
        REQUIRE(a.isEmpty() == b.isEmpty());
        if (a.isEmpty()) continue;
        // Kept as WKB exactly when GEOS, asked afresh, finds it valid.
        const bool valid = Geometry::fromWkt(a.wkt()).isValid();
        CHECK((b.deferredWkb() != nullptr) == valid);
        CHECK(b.isValid() == valid);
        CHECK(b.invalidReason().empty() == valid);
        kept += valid ? 1 : 0;
        const Envelope ea = a.envelope(), eb = b.envelope();
        CHECK(ea.minx == eb.minx);
        CHECK(ea.miny == eb.miny);
        CHECK(ea.maxx == eb.maxx);
        CHECK(ea.maxy == eb.maxy);
        CHECK(a.numVertices() == b.numVertices());
        CHECK(a.wkt() == b.wkt());
        CHECK(a.area() == b.area());
    }
    CHECK(kept == 4);  // the square, the holed polygon, the line and the point

    // A layer cache entry written from the kept WKB reads back as one written from GEOS.
    const std::string fromPlain = (dir / "plain.layer").string();
    const std::string fromChecked = (dir / "checked.layer").string();
    writeLayerSnapshot(fromPlain, plain, "m");
    writeLayerSnapshot(fromChecked, checked, "m");
    const auto a = readLayerSnapshot(fromPlain, {});
    const auto b = readLayerSnapshot(fromChecked, {});
    REQUIRE(a);
    REQUIRE(b);
    REQUIRE(a->layer.features.size() == wkts.size());
    REQUIRE(b->layer.features.size() == wkts.size());
    for (std::size_t i = 0; i < wkts.size(); ++i) {
        CHECK(b->layer.features[i].fid == a->layer.features[i].fid);
        CHECK(b->layer.features[i].values == a->layer.features[i].values);
        CHECK(b->layer.features[i].geometry.wkt() == a->layer.features[i].geometry.wkt());
    }

    // Another CRS: the check would not stand after reprojection, so nothing is kept as WKB.
    options.checkValidityIn = Crs::fromEpsg(4326);
    for (const auto& f : readLayer(path, options).features)
        CHECK(f.geometry.deferredWkb() == nullptr);
}
