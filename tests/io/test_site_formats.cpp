// The site-format registry: every format once, with its extensions and what it declares, and
// each format's own sample file identified by it and by no other.
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>

#include "../scratch.hpp"
#include "../test_support.hpp"
#include "onemap/gis/base/error.hpp"
#include "onemap/gis/formats/site_format_registry.hpp"

using namespace onemap;
namespace fs = std::filesystem;

namespace {

const std::string kGuotuData = ONEMAP_GUOTU_DATA;

fs::path dir() {
    static const fs::path d = test::scratch("site_formats");
    return d;
}

std::string write(const std::string& name, const std::string& bytes) {
    const fs::path p = dir() / name;
    std::ofstream(p, std::ios::binary) << bytes;
    return p.string();
}

// A DXF of one closed polyline (AutoCAD 2007+: UTF-8).
std::string dxfSample() {
    const auto g = [](int code, const std::string& v) {
        return std::to_string(code) + "\n" + v + "\n";
    };
    std::string s = g(0, "SECTION") + g(2, "HEADER") + g(9, "$ACADVER") + g(1, "AC1021") +
                    g(0, "ENDSEC") + g(0, "SECTION") + g(2, "ENTITIES") + g(0, "LWPOLYLINE") +
                    g(5, "2A") + g(100, "AcDbEntity") + g(8, "0") + g(100, "AcDbPolyline") +
                    g(90, "4") + g(70, "1");
    for (const auto& [x, y] : {std::pair{500000, 3400000}, std::pair{500100, 3400000},
                               std::pair{500100, 3400100}, std::pair{500000, 3400100}})
        s += g(10, std::to_string(x)) + g(20, std::to_string(y));
    return s + g(0, "ENDSEC") + g(0, "EOF");
}

const std::string kKml =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<kml xmlns=\"http://www.opengis.net/kml/2.2\"><Document><name>s</name>\n"
    "<Placemark><name>a</name><Polygon><outerBoundaryIs><LinearRing><coordinates>"
    "121.0,31.0,0 121.001,31.0,0 121.001,31.001,0 121.0,31.0,0"
    "</coordinates></LinearRing></outerBoundaryIs></Polygon></Placemark>\n"
    "</Document></kml>\n";

const std::string kPointCsv =
    "点号,X坐标,Y坐标\nJ1,3400000,500000\nJ2,3400000,500100\nJ3,3400100,500100\n";

const gis::SiteFormatRegistry& registry() { return gis::SiteFormatRegistry::instance(); }

}  // namespace

TEST_CASE("Site formats: the registry lists each format once, with its extensions",
          "[io][formats]") {
    std::vector<std::string> names;
    std::map<std::string, std::vector<std::string>> extensions;
    std::set<std::string> claimed;
    for (const auto* f : registry().formats()) {
        names.emplace_back(f->name());
        extensions[std::string(f->name())] = f->extensions();
        CHECK_FALSE(f->description().empty());
        CHECK(registry().find(f->name()) == f);
        for (const auto& e : f->extensions()) {
            CHECK(e == gis::SiteFormatRegistry::extensionOf("x" + e));  // lower case, a dot
            CHECK(claimed.insert(e).second);  // no extension is two formats'
        }
    }
    // In their order of precedence.
    CHECK(names == std::vector<std::string>{"guotu-txt", "kml", "cad", "point-table"});
    CHECK(extensions["guotu-txt"] == std::vector<std::string>{".txt"});
    CHECK(extensions["kml"] == std::vector<std::string>{".kml", ".kmz", ".ovkml", ".ovkmz"});
    CHECK(extensions["cad"] == std::vector<std::string>{".dxf"});
    CHECK(extensions["point-table"] == std::vector<std::string>{".csv", ".xlsx", ".xlsm", ".ods"});
    CHECK(registry().find("shapefile") == nullptr);

    // What the callers are told instead of asking for a format by name.
    const auto* guotu = registry().find("guotu-txt");
    const auto* kml = registry().find("kml");
    for (const auto* f : registry().formats()) {
        CHECK(f->traits().appliesSitesCrs == (f == guotu));
        CHECK(f->traits().mayHoldWebMapOffset == (f == kml));
        CHECK(f->canWrite() == (f == guotu));
    }
    CHECK(guotu->writeEncodings() == std::vector<std::string>{"GBK", "UTF-8"});
    CHECK(registry().writerFor("out/parcels.TXT") == guotu);
    CHECK(registry().writerFor("out/parcels.kml") == nullptr);  // read, not written
    CHECK(registry().writerFor("out/parcels.gpkg") == nullptr);
    CHECK_THROWS_AS(kml->write(write("never.kml", ""), {}, {}), Error);
}

TEST_CASE("Site formats: each sample is its format's and no other's", "[io][formats]") {
    const auto xlsxSource = write("points-source.csv", kPointCsv);
    const auto xlsx = (dir() / "points.xlsx").string();
    test::capture("ogr2ogr -f XLSX '" + xlsx + "' '" + xlsxSource + "' 2>&1");
    REQUIRE(fs::exists(xlsx));
    std::vector<std::pair<std::string, std::string>> samples = {
        {kGuotuData + "/zone40_plain_utf8_lf.txt", "guotu-txt"},
        {kGuotuData + "/zone40_prefixed_gbk_crlf.txt", "guotu-txt"},
        {kGuotuData + "/zone20_6deg_prefixed.txt", "guotu-txt"},
        {kGuotuData + "/xian80_no_parameters.txt", "guotu-txt"},
        {write("sites.kml", kKml), "kml"},
        {write("sites.dxf", dxfSample()), "cad"},
        {write("points.csv", kPointCsv), "point-table"},
        {xlsx, "point-table"},
    };
    for (const auto& [path, name] : samples) {
        INFO(path);
        const std::string head = gis::SiteFormatRegistry::head(path);
        for (const auto* f : registry().formats()) {
            INFO(f->name());
            const auto said = f->identify(path, head);
            if (f->name() == name)
                CHECK(said != gis::Identified::No);
            else
                CHECK(said == gis::Identified::No);
        }
        REQUIRE(registry().identify(path) != nullptr);
        CHECK(registry().identify(path)->name() == name);
    }
    // Read through the registry, by the format that identified it (a 1980西安 file without
    // 转换参数 is refused, as it is without the registry).
    for (const auto& [path, name] : samples) {
        INFO(path);
        if (path.find("xian80") != std::string::npos) continue;
        const auto read = registry().read(path, {});
        REQUIRE(read);
        CHECK(read->format->name() == name);
        CHECK_FALSE(read->sites.layer.features.empty());
    }
}

TEST_CASE("Site formats: what no format claims is left to OGR", "[io][formats]") {
    // A CSV that is no point table (a WKT column): the point-table format is unsure, reads,
    // and gives it back.
    const auto wkt = write("wkt.csv", "id,WKT\n1,\"POLYGON((0 0,1 0,1 1,0 0))\"\n");
    CHECK(registry().find("point-table")->identify(wkt, gis::SiteFormatRegistry::head(wkt)) ==
          gis::Identified::Unsure);
    CHECK_FALSE(registry().read(wkt, {}));
    // A .txt without a 国土 TXT section, a GeoPackage, a missing file.
    const auto notes = write("notes.txt", "just text\n");
    CHECK(registry().identify(notes) == nullptr);
    CHECK_FALSE(registry().read(notes, {}));
    CHECK(registry().identify(std::string(ONEMAP_SAMPLE_DIR) + "/sites.gpkg") == nullptr);
    CHECK(gis::SiteFormatRegistry::head((dir() / "missing.txt").string()).empty());
    CHECK(registry().identify((dir() / "missing.txt").string()) == nullptr);
}
