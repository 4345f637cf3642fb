#include <catch2/catch.hpp>
#include <filesystem>

#include "../scratch.hpp"
#include "onemap/gis/atomic_file.hpp"
#include "onemap/gis/error.hpp"
#include "onemap/gis/vector_io.hpp"

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

TEST_CASE("A geometry OGR cannot take fails the write; no feature is written without it",
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
